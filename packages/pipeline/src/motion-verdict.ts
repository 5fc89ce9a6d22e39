import type { Vec3 } from "@spinewatch/protocol";
import type { PacketSample } from "./types.js";

/**
 * Least difference, °/s, between the rates predicted for the first sample of a late notification
 * by "delayed" and by "samples lost" before the rate decides (motionVerdict): well
 * above MEMS gyro noise (~0.1 °/s rms at 100 Hz, BMI160/MPU-6050 datasheets; the slope's noise
 * extrapolated over 5 periods stays < 2 °/s).
 */
const GYRO_DISCRIMINATION_DPS = 15;
/**
 * The same for the accelerometer, m/s²: its noise (ICM-20948 230 µg/√Hz, ~0.016 m/s² rms per
 * sample at 100 Hz) extrapolated over 5 periods stays ~0.1 m/s²; a swing's specific force curves
 * by ~0.25 m/s² over 50 ms (5 m/s² at ~1 Hz).
 */
const ACC_DISCRIMINATION_MPS2 = 0.5;

/**
 * One channel of the samples of the packet that carried `first` (its first sample), in order,
 * up to the first sample without it: motionVerdict's `gyr` / `acc`.
 */
export function packetChannel(first: PacketSample, channel: "gyrDps" | "accMps2"): Vec3[] {
  const out: Vec3[] = [];
  for (const s of first.packet ?? [first]) {
    const v = s[channel];
    if (v === undefined) break;
    out.push(v);
  }
  return out;
}

/** What the motion says of a late notification's first sample (motionVerdict). */
export type MotionVerdict = "lost" | "delayed" | "undecided";

/**
 * Whether the motion says a late notification followed lost samples rather than a delay: trunk
 * motion is smooth at 100 Hz (its power lies below ~10 Hz; LUMBAR-FACTS.md), so the angular
 * rate and the accelerometer, extrapolated linearly from the last two samples, predict the
 * next sample to within noise plus a little curvature. If the notification was only delayed,
 * its first sample is one period after the last one placed; if `lostSamples` were lost, that
 * many periods more. The rate tells them apart while it changes (angular accelerations of
 * ~1000 °/s² near a swing's turning points); the accelerometer while the sensor turns
 * relative to gravity, i.e. also mid-swing where the rate is steady (at 240 °/s the measured
 * gravity turns 0.4 m/s² per 10 ms sample, and a missed 40 ms is 10° of rotation). At rest
 * both predictions coincide and it stays undecided (then a misplaced step integrates almost no
 * rotation). Each channel gives its own verdict (channelVerdict, with GYRO_DISCRIMINATION_DPS
 * and ACC_DISCRIMINATION_MPS2).
 *
 * `gyr` and `acc` are the late notification's samples in order (empty: no such channel). With
 * two or more (a batch), both hypotheses are first judged by how well one smooth curve runs
 * through the last two placed samples and the whole batch (batchVerdict); only if that cannot
 * tell, by the first sample's extrapolation. A batch shows its own slope, and a motion starting
 * from rest, whose rate grows as s² (minimum jerk), has too little slope before the batch for a
 * linear extrapolation to tell (simulator, kettlebell-swing WitMotion seed 8 at 49.8 s: rate
 * 0.2, −2.3 °/s, then a batch −55 … −105 °/s after 4 lost samples; the extrapolations, −4.8 and
 * −14.8 °/s, differed by less than GYRO_DISCRIMINATION_DPS, the batch was taken as delayed and
 * placed 40 ms early: 2.4° of flexion error).
 *
 * `fewerLost` (default 0) moves the "delayed" hypothesis: that only `fewerLost` samples were
 * lost and the notification was delayed by the rest (a loss, then a retransmission).
 */
export function motionVerdict(
  gyrPrev: Readonly<Vec3> | null,
  gyrLast: Readonly<Vec3> | null,
  gyr: readonly Readonly<Vec3>[],
  accPrev: Readonly<Vec3> | null,
  accLast: Readonly<Vec3> | null,
  acc: readonly Readonly<Vec3>[],
  lostSamples: number,
  fewerLost = 0,
): MotionVerdict {
  if (lostSamples <= fewerLost) return "undecided";
  const g = gyrPrev !== null && gyrLast !== null && gyr.length > 0 ? channelVerdict(gyrPrev, gyrLast, gyr, fewerLost, lostSamples, GYRO_DISCRIMINATION_DPS) : NO_VERDICT;
  const a = accPrev !== null && accLast !== null && acc.length > 0 ? channelVerdict(accPrev, accLast, acc, fewerLost, lostSamples, ACC_DISCRIMINATION_MPS2) : NO_VERDICT;
  // One channel decides unless the other leans the other way (the accelerometer's linear
  // acceleration can mimic a delay while the rate points to a loss: simulator, sensor-dropout
  // WitMotion seed 1 at 412.9 s).
  if (g.verdict !== "undecided" && a.lean !== opposite(g.verdict)) return g.verdict;
  if (a.verdict !== "undecided" && g.lean !== opposite(a.verdict)) return a.verdict;
  return "undecided";
}

/**
 * One channel's verdict. A single sample: firstSampleVerdict. A batch: batchVerdict if it
 * decides; otherwise the first sample's verdict, with the batch's lean where the batch has one
 * (the two disagreeing leaves it undecided). The curve bends with the motion where two samples'
 * straight line cannot: simulator, 5 % loss, kettlebell-swing WitMotion seed 2 at 512.3 s, the
 * accelerometer's z peaking inside the lost batch; extrapolated, it leaned "delayed" and vetoed
 * the rate's "lost", and the batch went 40 ms early (3° of flexion); on the curves it misfits by
 * 0.239 (m/s²)² contiguous against 0.005 after the loss.
 */
function channelVerdict(prev: Readonly<Vec3>, last: Readonly<Vec3>, values: readonly Readonly<Vec3>[], fewerLost: number, lostSamples: number, threshold: number): ChannelVerdict {
  if (values.length < 2) return firstSampleVerdict(prev, last, values[0], fewerLost, lostSamples, threshold);
  const b = batchVerdict(prev, last, values, fewerLost, lostSamples, threshold);
  if (b.verdict !== "undecided") return b;
  const first = firstSampleVerdict(prev, last, values[0], fewerLost, lostSamples, threshold);
  if (b.lean === "none") return first;
  if (first.verdict !== "undecided" && first.verdict !== b.lean) return { verdict: "undecided", lean: b.lean };
  return { verdict: first.verdict, lean: b.lean };
}

/**
 * The first sample of a late notification: its value extrapolated linearly from `prev` and
 * `last` 1 + fewerLost periods on ("delayed") and 1 + lostSamples periods on ("lost"). When the
 * two predictions differ by more than `threshold` (Euclidean, per sample), the channel leans to
 * the closer one, and its verdict is that one if it is at least 4x closer.
 */
function firstSampleVerdict(prev: Readonly<Vec3>, last: Readonly<Vec3>, value: Readonly<Vec3>, fewerLost: number, lostSamples: number, threshold: number): ChannelVerdict {
  let split2 = 0, errDelayed2 = 0, errLost2 = 0;
  for (let k = 0; k < 3; k++) {
    const slope = last[k] - prev[k];
    const predDelayed = last[k] + slope * (1 + fewerLost);
    const predLost = last[k] + slope * (1 + lostSamples);
    split2 += (predLost - predDelayed) ** 2;
    errDelayed2 += (value[k] - predDelayed) ** 2;
    errLost2 += (value[k] - predLost) ** 2;
  }
  if (!(split2 > threshold * threshold)) return NO_VERDICT;
  const lean = errLost2 < errDelayed2 ? "lost" : "delayed";
  const verdict = errLost2 * 16 < errDelayed2 ? "lost" : errDelayed2 * 16 < errLost2 ? "delayed" : "undecided";
  return { verdict, lean };
}

/**
 * A batch: a quadratic in time (per axis, least squares) through `prev` and `last` (times −1
 * and 0, in periods) and the batch placed 1 + fewerLost ("delayed") or 1 + lostSamples ("lost")
 * periods on. Over the ~100 ms spanned, trunk motion is that smooth: a swing's rate (~270 °/s at
 * ~0.8 Hz) departs from its quadratic by under 1 °/s over ±50 ms, and the measured gravity
 * likewise. It leans to the better fit when the misfits (sums of squared residuals over the
 * 6 × 3 values of a 4-sample batch) differ by more than (threshold / 4)², i.e. a misfit of
 * ~0.9 °/s or 0.03 m/s² rms, ten times the noise of a MEMS gyroscope (~0.1 °/s rms at 100 Hz)
 * and twice an accelerometer's (~0.016 m/s²; see the thresholds above), and decides when one
 * misfit is also 16x the other, as the first sample's 4x closer prediction. (Requiring a
 * difference of threshold² left undecided a batch lost as a swing left rest, misfits 29.8 (°/s)²
 * contiguous and 0.27 after the loss: simulator, 5 % loss, kettlebell-swing WitMotion seed 2 at
 * 540.7 s, placed 40 ms early, 3.0° of flexion at the rep's peak.) A quadratic can bend some
 * way to a steady ramp shifted by a loss: there the first sample's extrapolation is the sharper.
 */
function batchVerdict(prev: Readonly<Vec3>, last: Readonly<Vec3>, values: readonly Readonly<Vec3>[], fewerLost: number, lostSamples: number, threshold: number): ChannelVerdict {
  const rssDelayed = quadraticMisfit(prev, last, values, 1 + fewerLost);
  const rssLost = quadraticMisfit(prev, last, values, 1 + lostSamples);
  const split = Math.abs(rssLost - rssDelayed);
  if (!(split > (threshold * threshold) / 16)) return NO_VERDICT;
  const lean = rssLost < rssDelayed ? "lost" : "delayed";
  const verdict = rssLost * 16 < rssDelayed ? "lost" : rssDelayed * 16 < rssLost ? "delayed" : "undecided";
  return { verdict, lean };
}

/** Sum over the axes of the squared residuals of a least-squares quadratic through prev (t = −1), last (0) and values (t = first, first + 1, …). */
function quadraticMisfit(prev: Readonly<Vec3>, last: Readonly<Vec3>, values: readonly Readonly<Vec3>[], first: number): number {
  // Normal equations of v = c0 + c1·t + c2·t²: moments Σtᵏ (k ≤ 4), shared by the three axes.
  const n = values.length + 2;
  let s1 = -1, s2 = 1, s3 = -1, s4 = 1;
  for (let j = 0; j < values.length; j++) {
    const t = first + j, t2 = t * t;
    s1 += t; s2 += t2; s3 += t2 * t; s4 += t2 * t2;
  }
  let rss = 0;
  for (let k = 0; k < 3; k++) {
    let y0 = prev[k] + last[k], y1 = -prev[k], y2 = prev[k];
    for (let j = 0; j < values.length; j++) {
      const t = first + j, v = values[j][k];
      y0 += v; y1 += v * t; y2 += v * t * t;
    }
    const c = solve3(n, s1, s2, s3, s4, y0, y1, y2);
    const r = (t: number, v: number) => v - (c[0] + c[1] * t + c[2] * t * t);
    rss += r(-1, prev[k]) ** 2 + r(0, last[k]) ** 2;
    for (let j = 0; j < values.length; j++) rss += r(first + j, values[j][k]) ** 2;
  }
  return rss;
}

/** The symmetric system [[a, b, c], [b, c, d], [c, d, e]] x = y by Cramer's rule (3×3, off the per-sample path). */
function solve3(a: number, b: number, c: number, d: number, e: number, y0: number, y1: number, y2: number): [number, number, number] {
  const det = a * (c * e - d * d) - b * (b * e - c * d) + c * (b * d - c * c);
  const x0 = (y0 * (c * e - d * d) - b * (y1 * e - d * y2) + c * (y1 * d - c * y2)) / det;
  const x1 = (a * (y1 * e - d * y2) - y0 * (b * e - c * d) + c * (b * y2 - y1 * c)) / det;
  const x2 = (a * (c * y2 - y1 * d) - b * (b * y2 - y1 * c) + y0 * (b * d - c * c)) / det;
  return [x0, x1, x2];
}

interface ChannelVerdict {
  verdict: MotionVerdict;
  /** The closer hypothesis, however slightly ("none": the predictions do not differ enough). */
  lean: "lost" | "delayed" | "none";
}
const NO_VERDICT: ChannelVerdict = { verdict: "undecided", lean: "none" };
const opposite = (v: MotionVerdict): MotionVerdict => (v === "lost" ? "delayed" : v === "delayed" ? "lost" : "undecided");
