/** MetaWear UUIDs, noble form [BLE-PROTOCOLS.md §4.1, M2 lib/metawear.js, M1 metawearboard.cpp]. */
export const MW_SERVICE_UUID = "326a900085cb9195d9dd464cfbbae75a";
/** All commands, written without response (except macro module 0x0F, unused here) [M1 send_command]. */
export const MW_COMMAND_CHAR_UUID = "326a900185cb9195d9dd464cfbbae75a";
/** All responses and data [M1]. */
export const MW_NOTIFY_CHAR_UUID = "326a900685cb9195d9dd464cfbbae75a";
/** The SIG Battery service / Battery Level characteristic the SDKs also use [§4.1 M1, M2]. */
export const SIG_BATTERY_SERVICE_UUID = "180f";
export const SIG_BATTERY_LEVEL_CHAR_UUID = "2a19";
