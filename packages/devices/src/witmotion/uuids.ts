/**
 * WitMotion BLE 5.0 GATT UUIDs, noble form. The base is the NON-standard `…-8000-00805f9a34fb`,
 * not the SIG base `…9b34fb` [BLE-PROTOCOLS.md §1.2, W1 BleUUID.java, W2, W5].
 */
export const WIT_SERVICE_UUID = "0000ffe500001000800000805f9a34fb";
/** Notify: 0x61 frames and 0x71 register replies. */
export const WIT_DATA_CHAR_UUID = "0000ffe400001000800000805f9a34fb";
/** Write (with or without response): FF AA commands. */
export const WIT_COMMAND_CHAR_UUID = "0000ffe900001000800000805f9a34fb";

/**
 * Tolerant matching: the 9a34fb base, the SIG 9b34fb base (clones: UNVERIFIED that any exist,
 * so we accept both, as BLE-PROTOCOLS.md §1.2 recommends), and the shortened 16-bit form noble
 * would print for a SIG-based UUID ("ffe4"). Dashes and case are ignored.
 */
function tolerant(short: string): RegExp {
  return new RegExp(`^(0000)?${short}(00001000800000805f9[ab]34fb)?$`);
}
const DATA_RE = tolerant("ffe4");
const SERVICE_RE = tolerant("ffe5");
const COMMAND_RE = tolerant("ffe9");

function norm(uuid: string): string {
  return uuid.toLowerCase().replace(/-/g, "");
}

/** The last UUID asked about and its answer: called once per notification, with the same string. */
let lastDataUuid: string | null = null;
let lastDataAnswer = false;

export function isWitDataChar(uuid: string): boolean {
  if (uuid !== lastDataUuid) {
    lastDataAnswer = DATA_RE.test(norm(uuid));
    lastDataUuid = uuid;
  }
  return lastDataAnswer;
}
export function isWitService(uuid: string): boolean {
  return SERVICE_RE.test(norm(uuid));
}
export function isWitCommandChar(uuid: string): boolean {
  return COMMAND_RE.test(norm(uuid));
}
