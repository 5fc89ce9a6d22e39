/** MetaWear module ids and sensor-fusion registers [BLE-PROTOCOLS.md §4.1-4.2, M1 module.h, sensor_fusion_register.h]. */
export const MW_MODULE = { acc: 0x03, gyro: 0x13, mag: 0x15, fusion: 0x19 } as const;

export const MW_FUSION_REG = {
  enable: 0x01,
  mode: 0x02,
  outputEnable: 0x03,
  correctedAcc: 0x04,
  correctedGyro: 0x05,
  correctedMag: 0x06,
  quaternion: 0x07,
} as const;

/** Register 0 read (0x80 | 0): module info reply `[module, 0x80, implementation, revision, …]` [M1 moduleinfo.cpp]. */
export const MW_INFO_REGISTER = 0x80;

/** Sensor-fusion modes [M1 sensor_fusion.h]. IMU_PLUS = acc + gyro only (no magnetometer). */
export const MW_FUSION_MODE = { ndof: 1, imuplus: 2 } as const;
export type MwFusionMode = keyof typeof MW_FUSION_MODE;

/** Output-enable bits [M1 sensor_fusion.h]: 0 corrected acc, 1 corrected gyro, 3 quaternion. */
export const MW_OUTPUT_BIT = { correctedAcc: 1 << 0, correctedGyro: 1 << 1, quaternion: 1 << 3 } as const;

/** Accelerometer implementation byte of module info: 1 = BMI160, 4 = BMI270 [M1 accelerometer_bosch.cpp]. */
export const MW_ACC_IMPLEMENTATION = { bmi160: 1, bmi270: 4 } as const;
export type MwImuChip = keyof typeof MW_ACC_IMPLEMENTATION;
