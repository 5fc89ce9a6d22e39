/** Thingy:52 UUIDs, noble form. Base `EF68xxxx-9B35-4933-9B10-52FFA9740042` [BLE-PROTOCOLS.md §3.1-3.2, T1 ble_tms.c, T2]. */
const tms = (short: string) => `ef68${short}9b3549339b1052ffa9740042`;

/** Thingy Configuration Service: the UUID the Thingy advertises and T2 scans for [T1 m_ble.c]. */
export const THINGY_CONFIG_SERVICE_UUID = tms("0100");
export const THINGY_MOTION_SERVICE_UUID = tms("0400");
export const THINGY_MOTION_CONFIG_CHAR_UUID = tms("0401");
export const THINGY_QUAT_CHAR_UUID = tms("0404");
export const THINGY_RAW_CHAR_UUID = tms("0406");
