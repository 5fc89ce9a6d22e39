import type { SetupStep } from "../types.js";
import { MW_FUSION_MODE, MW_FUSION_REG, MW_INFO_REGISTER, MW_MODULE, MW_OUTPUT_BIT, type MwFusionMode, type MwImuChip } from "./registers.js";
import { MW_COMMAND_CHAR_UUID, MW_NOTIFY_CHAR_UUID } from "./uuids.js";

export interface MwSetupOptions {
  /** "imuplus" (default: acc + gyro, no magnetometer; DESIGN.md does not trust magnetometers) or "ndof". */
  fusionMode: MwFusionMode;
  /** Which Bosch IMU the board has; decides the accelerometer config bytes. Default "bmi160". */
  imuChip: MwImuChip;
  /** Also stream the fusion's corrected acc + gyro (19 04 / 19 05). Default true. */
  imu: boolean;
}

const cmd = (note: string, ...bytes: number[]): SetupStep => ({
  kind: "write",
  char: MW_COMMAND_CHAR_UUID,
  bytes: Uint8Array.from(bytes),
  withoutResponse: true,
  note,
});

function outputMask(o: MwSetupOptions): number {
  return MW_OUTPUT_BIT.quaternion | (o.imu ? MW_OUTPUT_BIT.correctedAcc | MW_OUTPUT_BIT.correctedGyro : 0);
}

function signals(o: MwSetupOptions): number[] {
  return o.imu ? [MW_FUSION_REG.correctedAcc, MW_FUSION_REG.correctedGyro, MW_FUSION_REG.quaternion] : [MW_FUSION_REG.quaternion];
}

/**
 * Sensor-fusion streaming, all bytes from BLE-PROTOCOLS.md §4.2 (derived there from the C++ SDK
 * [M1], NOT verified on hardware) except the data-signal subscriptions `19 <reg> 01`, which come
 * from M1 datasignal.cpp (MblMwDataSignal::subscribe sends {module, register, 1}; read by us in
 * the SDK source, also UNVERIFIED on hardware). Order as the SDK does it: read module info (the
 * decoder reports a BMI160/BMI270 mismatch), fusion config (19 02), acc/gyro(/mag) config,
 * subscribe the signals, enable + start the sensors, then output enable (19 03) and fusion start
 * (19 01 01) — "the fusion module does not start the sensors itself" [§4.2].
 * Ranges: 16 g and 2000 °/s, ODR 100 Hz (the SDK's NDOF/IMU_PLUS setting).
 */
export function mwSetupSteps(o: MwSetupOptions): SetupStep[] {
  const ndof = o.fusionMode === "ndof";
  const accRange16g = 3;
  const gyroRange2000 = 0;
  const steps: SetupStep[] = [
    { kind: "subscribe", char: MW_NOTIFY_CHAR_UUID },
    cmd("read accelerometer module info", MW_MODULE.acc, MW_INFO_REGISTER),
    cmd(`fusion config ${o.fusionMode.toUpperCase()}, 16 g, 2000 dps`, MW_MODULE.fusion, MW_FUSION_REG.mode,
      MW_FUSION_MODE[o.fusionMode], ((gyroRange2000 + 1) << 4) | accRange16g),
    o.imuChip === "bmi270"
      ? cmd("acc config 100 Hz 16 g (BMI270)", 0x03, 0x03, 0xa8, 0x03)
      : cmd("acc config 100 Hz 16 g (BMI160)", 0x03, 0x03, 0x28, 0x0c),
    cmd("gyro config 100 Hz 2000 dps", 0x13, 0x03, 0x28, 0x00),
  ];
  if (ndof) {
    steps.push(cmd("mag stop", 0x15, 0x01, 0x00), cmd("mag repetitions xy=9 z=15", 0x15, 0x04, 0x04, 0x0e), cmd("mag ODR 25 Hz", 0x15, 0x03, 0x06));
  }
  for (const reg of signals(o)) steps.push(cmd(`subscribe fusion signal 0x${reg.toString(16)}`, MW_MODULE.fusion, reg, 0x01));
  steps.push(cmd("enable acc sampling", 0x03, 0x02, 0x01, 0x00), cmd("enable gyro sampling", 0x13, 0x02, 0x01, 0x00));
  if (ndof) steps.push(cmd("enable mag sampling", 0x15, 0x02, 0x01, 0x00));
  // BMI270 with filter_perf = 1 starts with 03 01 01 like the BMI160 [§4.2 table].
  steps.push(cmd("start acc", 0x03, 0x01, 0x01), cmd("start gyro", 0x13, 0x01, 0x01));
  if (ndof) steps.push(cmd("start mag", 0x15, 0x01, 0x01));
  steps.push(
    cmd("fusion output enable", MW_MODULE.fusion, MW_FUSION_REG.outputEnable, outputMask(o), 0x00),
    cmd("fusion start", MW_MODULE.fusion, MW_FUSION_REG.enable, 0x01),
  );
  return steps;
}

/**
 * `19 01 00`, `19 03 00 7f`, then stop the sensors [§4.2 "Stop"]; the sensor stop bytes
 * (`<module> 01 00`) mirror the start bytes (derived, UNVERIFIED), then unsubscribe.
 */
export function mwTeardownSteps(o: MwSetupOptions): SetupStep[] {
  const steps: SetupStep[] = [
    cmd("fusion stop", MW_MODULE.fusion, MW_FUSION_REG.enable, 0x00),
    cmd("fusion output clear", MW_MODULE.fusion, MW_FUSION_REG.outputEnable, 0x00, 0x7f),
    cmd("stop acc", 0x03, 0x01, 0x00),
    cmd("stop gyro", 0x13, 0x01, 0x00),
  ];
  if (o.fusionMode === "ndof") steps.push(cmd("stop mag", 0x15, 0x01, 0x00));
  for (const reg of signals(o)) steps.push(cmd(`unsubscribe fusion signal 0x${reg.toString(16)}`, MW_MODULE.fusion, reg, 0x00));
  steps.push({ kind: "unsubscribe", char: MW_NOTIFY_CHAR_UUID });
  return steps;
}
