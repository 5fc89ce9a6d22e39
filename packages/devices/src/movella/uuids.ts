/**
 * Movella DOT UUIDs, noble form. Base `1517xxxx-4947-11e9-8646-d663bd873d93`
 * [BLE-PROTOCOLS.md §2.1-2.2, X1 §1.1, Tables 5/12; X2 bleHandler.js].
 */
const dot = (short: string) => `1517${short}494711e98646d663bd873d93`;

export const DOT_CONFIG_SERVICE_UUID = dot("1000");
export const DOT_DEVICE_CONTROL_CHAR_UUID = dot("1002");
export const DOT_DEVICE_REPORT_CHAR_UUID = dot("1004");
export const DOT_MEASUREMENT_SERVICE_UUID = dot("2000");
export const DOT_CONTROL_CHAR_UUID = dot("2001");
export const DOT_LONG_PAYLOAD_CHAR_UUID = dot("2002");
export const DOT_MEDIUM_PAYLOAD_CHAR_UUID = dot("2003");
export const DOT_SHORT_PAYLOAD_CHAR_UUID = dot("2004");
export const DOT_HEADING_RESET_CONTROL_CHAR_UUID = dot("2006");
export const DOT_HEADING_RESET_STATUS_CHAR_UUID = dot("2007");
export const DOT_BATTERY_SERVICE_UUID = dot("3000");
export const DOT_BATTERY_CHAR_UUID = dot("3001");

/** Movella Technologies B.V. Bluetooth company ID [X1 Table 3; X4 manufacturer_data.get(2182)]. */
export const MOVELLA_COMPANY_ID = 0x0886;
