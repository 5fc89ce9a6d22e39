/**
 * The least time a BLE notification spends on air, as a lower bound of a device's transport
 * latency (DeviceModule.minTransportLatencyMs): the host cannot receive a notification before its
 * last link-layer packet has been sent and acknowledged.
 *
 * - Without LE Data Length Extension a link-layer data PDU carries at most 27 octets of payload
 *   (Bluetooth Core Spec v5.3 Vol 6 Part B §2.4.2 and §4.5.10, connMaxTxOctets default 27); the
 *   noble binding the gateway uses does not request DLE (BLE-PROTOCOLS.md §6.4: only the
 *   stoprocent fork does). A notification's value travels with a 3-octet ATT header (opcode,
 *   handle; Vol 3 Part F §3.4.7.1) and a 4-octet L2CAP header (Vol 3 Part A §3.1).
 * - One such full PDU with its acknowledgement and inter-frame spaces takes ≈ 708 µs at 1M PHY
 *   (BLE-PROTOCOLS.md §6.4: a 20-byte notification, 27 octets on the link, ≈ 708 µs incl. ACK/IFS).
 */
const LL_PAYLOAD_OCTETS = 27;
const ATT_L2CAP_HEADER_OCTETS = 3 + 4;
const FULL_PDU_EXCHANGE_MS = 0.708;

/** Lower bound of the on-air time of one notification carrying `valueBytes`, ms. */
export function notificationAirTimeMs(valueBytes: number): number {
  if (!(valueBytes > 0)) return 0;
  return Math.ceil((valueBytes + ATT_L2CAP_HEADER_OCTETS) / LL_PAYLOAD_OCTETS) * FULL_PDU_EXCHANGE_MS;
}
