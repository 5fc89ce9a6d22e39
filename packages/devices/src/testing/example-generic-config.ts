import type { GenericDeviceConfig } from "../generic/config.js";

/** An ArduinoBLE-style layout (BLE-PROTOCOLS.md §5): u32 µs, acc i16 counts (±8 g), gyro f32 rad/s, quaternion f32. */
export const EXAMPLE_GENERIC_CONFIG: GenericDeviceConfig = {
  displayName: "Nano 33 BLE IMU",
  namePrefix: "SpineIMU",
  serviceUuid: "19B10000-E8F2-537E-4F6C-D104768A1214",
  characteristics: [
    {
      uuid: "19B10001-E8F2-537E-4F6C-D104768A1214",
      fields: [
        { target: "sensorTimeUs", offset: 0, type: "u32le" },
        { target: "accMps2", offset: 4, type: "i16le", scale: 9.80665 / 4096 },
        { target: "gyrDps", offset: 10, type: "f32le", scale: 180 / Math.PI },
      ],
    },
    { uuid: "19b10004e8f2537e4f6cd104768a1214", fields: [{ target: "quatWxyz", offset: 0, type: "f32le" }] },
  ],
  setupWrites: [{ char: "19b10002e8f2537e4f6cd104768a1214", hex: "01" }],
};
