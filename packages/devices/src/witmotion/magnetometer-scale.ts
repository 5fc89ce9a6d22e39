/**
 * µT per LSB of the magnetometer registers 0x3A–0x3C, selected by the chip type in register 0x72
 * [BLE-PROTOCOLS.md §1.4, W1 DipSensorMagHelper.GetMagToUt]. The sources disagree, so which
 * value is right for a given unit is UNVERIFIED:
 * - type 6: the Java helper says raw/150, the C# SDK copy and the newest WitSDK DeviceModel.java
 *   say raw/120. We follow the newest SDK (/120) and flag it (`disputed: true`).
 * - unknown types: the SDKs pass raw through unchanged; we do not pretend that is µT and return
 *   undefined, so the decoder reports raw counts only.
 */
export interface WitMagScale {
  utPerLsb: number;
  source: string;
  disputed: boolean;
}

const TABLE: Record<number, WitMagScale> = {
  2: { utPerLsb: 0.15, source: "W1 DipSensorMagHelper type 2", disputed: false },
  3: { utPerLsb: 13 / 1000, source: "W1 DipSensorMagHelper type 3", disputed: false },
  4: { utPerLsb: 0.058, source: "W1 DipSensorMagHelper type 4", disputed: false },
  5: { utPerLsb: 0.098, source: "W1 DipSensorMagHelper type 5", disputed: false },
  6: { utPerLsb: 1 / 120, source: "W1 WitSDK DeviceModel.java raw/120 (Java helper says /150)", disputed: true },
  7: { utPerLsb: 20 / 1000, source: "W1 DipSensorMagHelper type 7", disputed: false },
};

export function witMagScale(magType: number): WitMagScale | undefined {
  return TABLE[magType];
}
