import { concatBytes } from "../common/bytes.js";
import type { DecodedItem, EncodedNotification } from "../types.js";
import { bitflip, extend, garbage, garbageBetween, type MutationKind, truncate } from "./mutations.js";
import { Mulberry32 } from "./prng.js";
import { FOREIGN_CHARS, type FuzzLane, type FuzzTarget } from "./targets.js";

export interface FuzzReport {
  family: string;
  seed: number;
  notifications: number;
  bytes: number;
  samples: number;
  problems: number;
  otherItems: number;
  /** Notifications per mutation kind. */
  byMutation: Record<string, number>;
  /** Notifications that were detectably bad by construction, and how many of them got a problem item. */
  mustReport: number;
  reported: number;
  /** Invariant violations (empty = pass); at most 20 kept, `violationCount` counts all. */
  violations: string[];
  violationCount: number;
}

/**
 * Feeds `count` valid and damaged notifications to a target's decoders and checks, after each:
 * (1) `next` did not throw; (2) the counters moved exactly by the items returned (samples,
 * problems, notifications, bytes); (3) bytes === decodedBytes + badBytes + pendingBytes;
 * (4) no sample carries a non-finite number; (5) a packet-per-notification decoder returned at
 * least one item (or legitimately holds half a pair); (6) every notification that is bad by
 * construction (truncated below its valid length, extended with non-zero bytes, on a foreign
 * characteristic, or with non-header garbage inserted at a frame boundary of an in-sync byte
 * stream) produced at least one problem item. Bit flips inside value bytes of checksum-less
 * formats are undetectable and only need (1)-(5).
 */
export function runFuzz(target: FuzzTarget, count: number, seed: number): FuzzReport {
  const rng = new Mulberry32(seed);
  const report: FuzzReport = {
    family: target.family, seed, notifications: 0, bytes: 0, samples: 0, problems: 0, otherItems: 0,
    byMutation: {}, mustReport: 0, reported: 0, violations: [], violationCount: 0,
  };
  const violate = (msg: string) => {
    report.violationCount++;
    if (report.violations.length < 20) report.violations.push(msg);
  };
  while (report.notifications < count) {
    const lane = target.lanes[rng.int(target.lanes.length)];
    const base = lane.pool[rng.int(lane.pool.length)];
    for (const [n, kind, mustReport] of mutate(target, lane, base, rng)) {
      feed(lane, n, kind, mustReport, report, violate);
    }
  }
  // counters across lanes must equal what the items said
  let c = { notifications: 0, samples: 0, problems: 0, bytes: 0 };
  for (const l of target.lanes) {
    const k = l.decoder.counters;
    c = { notifications: c.notifications + k.notifications, samples: c.samples + k.samples, problems: c.problems + k.problems, bytes: c.bytes + k.bytes };
  }
  if (c.notifications !== report.notifications || c.samples !== report.samples || c.problems !== report.problems || c.bytes !== report.bytes) {
    violate(`final counters ${JSON.stringify(c)} differ from the items seen ${JSON.stringify({ notifications: report.notifications, samples: report.samples, problems: report.problems, bytes: report.bytes })}`);
  }
  return report;
}

type Fed = [EncodedNotification, MutationKind, boolean];

function mutate(target: FuzzTarget, lane: FuzzLane, n: EncodedNotification, rng: Mulberry32): Fed[] {
  const r = rng.int(target.stream ? 9 : 6);
  switch (r) {
    case 0: return [[n, "none", false]];
    case 1: {
      const bytes = truncate(n.bytes, rng);
      const min = lane.minValidBytes?.(n);
      return [[{ char: n.char, bytes }, "truncate", min !== undefined && bytes.length < min]];
    }
    case 2: return [[{ char: n.char, bytes: extend(n.bytes, rng) }, "extend", !target.stream]];
    case 3: return [[{ char: n.char, bytes: bitflip(n.bytes, rng) }, "bitflip", false]];
    case 4: return [[{ char: n.char, bytes: garbage(rng) }, "garbage", false]];
    case 5: {
      const foreign = FOREIGN_CHARS.filter((c) => !lane.pool.some((p) => p.char === c));
      return [[{ char: foreign[rng.int(foreign.length)], bytes: n.bytes }, "wrong-char", true]];
    }
    case 6: return [[{ char: n.char, bytes: garbageBetween(n.bytes, 20, rng) }, "garbage-between", true]];
    case 7: {
      const cut = rng.int(n.bytes.length + 1);
      return [[{ char: n.char, bytes: n.bytes.slice(0, cut) }, "split", false], [{ char: n.char, bytes: n.bytes.slice(cut) }, "split", false]];
    }
    default: {
      const other = lane.pool[rng.int(lane.pool.length)];
      return [[{ char: n.char, bytes: concatBytes(n.bytes, other.bytes) }, "merge", false]];
    }
  }
}

function feed(lane: FuzzLane, n: EncodedNotification, kind: MutationKind, mustReport: boolean, report: FuzzReport, violate: (m: string) => void): void {
  const d = lane.decoder;
  const before = { ...d.counters };
  const streamInSync = before.pendingBytes === 0;
  let items: DecodedItem[];
  try {
    items = d.next(n.char, n.bytes);
  } catch (e) {
    violate(`${lane.label}: next() threw on ${kind} (${n.bytes.length} B): ${(e as Error).message}`);
    report.notifications++;
    report.bytes += n.bytes.length;
    return;
  }
  report.notifications++;
  report.bytes += n.bytes.length;
  report.byMutation[kind] = (report.byMutation[kind] ?? 0) + 1;
  let samples = 0;
  let problems = 0;
  for (const it of items) {
    if (it.kind === "sample") {
      samples++;
      for (const v of Object.values(it.sample)) {
        const arr = typeof v === "number" ? [v] : (v as number[]);
        if (!arr.every(Number.isFinite)) violate(`${lane.label}: non-finite value in a sample after ${kind}`);
      }
    } else if (it.kind === "problem") problems++;
    else report.otherItems++;
  }
  report.samples += samples;
  report.problems += problems;
  const c = d.counters;
  if (c.samples - before.samples !== samples || c.problems - before.problems !== problems ||
      c.notifications - before.notifications !== 1 || c.bytes - before.bytes !== n.bytes.length) {
    violate(`${lane.label}: counters moved by ${c.samples - before.samples} samples / ${c.problems - before.problems} problems, items say ${samples} / ${problems} (${kind})`);
  }
  if (c.bytes !== c.decodedBytes + c.badBytes + c.pendingBytes) {
    violate(`${lane.label}: bytes ${c.bytes} != decoded ${c.decodedBytes} + bad ${c.badBytes} + pending ${c.pendingBytes} after ${kind}`);
  }
  if (lane.minValidBytes && items.length === 0 && !lane.holding?.()) {
    violate(`${lane.label}: a ${kind} notification of ${n.bytes.length} B vanished without an item`);
  }
  const detectable = mustReport && (kind !== "garbage-between" || streamInSync);
  if (detectable) {
    report.mustReport++;
    if (problems > 0) report.reported++;
    else violate(`${lane.label}: a ${kind} notification (${n.bytes.length} B) was not reported as a problem`);
  }
}
