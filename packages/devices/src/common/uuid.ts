/**
 * UUIDs in noble's form: lower-case hex without dashes; 16-bit SIG UUIDs as noble's HCI binding
 * prints them, i.e. not zero-padded (0x0fff -> "fff") [BLE-PROTOCOLS.md §6.2, N1 gatt.js].
 */
export function toNobleUuid(uuid: string): string {
  let u = uuid.trim().toLowerCase().replace(/-/g, "");
  if (u.startsWith("0x")) u = u.slice(2);
  if (u.length <= 4) return u.replace(/^0+(?=.)/, "");
  return u;
}

/** Whether two UUIDs (any of the accepted spellings) name the same attribute. */
export function sameUuid(a: string, b: string): boolean {
  return toNobleUuid(a) === toNobleUuid(b);
}

/**
 * A notification's characteristic in noble form. Noble delivers 128-bit UUIDs as 32 hex digits
 * already, so those pass as they are: no string work per notification.
 */
export function nobleCharUuid(char: string): string {
  return char.length === 32 ? char : toNobleUuid(char);
}
