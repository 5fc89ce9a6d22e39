import { quatConjugate, quatFromRotationVector, quatMultiply } from "@spinewatch/kinematics";
import type { QuatWxyz } from "@spinewatch/protocol";

const RAD_PER_DEG = Math.PI / 180;
/**
 * Packets kept: a revision reaches back over a run of late packets, and the clock counts a loss
 * at the third late packet in a row at the latest (sensor-clock.ts), so three back is the most
 * it asks for; one more for margin.
 */
const MAX_PACKETS = 4;
/** Steps kept: MAX_PACKETS notifications of up to 16 frames (WitMotion sends 4, BLE-PROTOCOLS.md §1). */
const MAX_STEPS = 64;

/**
 * The gyro steps integrated since the first sample of each of the latest packets, kept so that
 * the integration over one packet's first step can be revised when the sensor clock later learns
 * that step was longer (TimedSample.stepRevisionMs, stepRevisionPackets: samples lost before a
 * packet first taken as delayed) or shorter (Δ < 0: a loss counted too big). The filter integrates body rates on the right,
 * q ← q ⊗ exp(dt·ω/2), so with E₁ that first step's increment and P = E₂ ⊗ … ⊗ Eₙ every later
 * one, q_now = q₀ ⊗ E₁ ⊗ P (plus the small accelerometer corrections in between, which stay as
 * they were). A first step longer by Δ about the same midpoint rate ω₁ is E₁ ⊗ exp(Δ·ω₁/2) (same
 * axis: they commute), hence
 *   q_revised = q_now ⊗ P⁻¹ ⊗ exp(Δ·ω₁/2) ⊗ P.
 * Per sample it copies four numbers; the quaternions are built only on a revision (rare).
 */
export class PacketStepRecord {
  /** Per step: midpoint rate x, y, z (°/s) and dt (s). */
  readonly #steps = new Float64Array(4 * MAX_STEPS);
  #n = 0;
  /** Step index of each kept packet's first step, oldest first. */
  readonly #starts = new Int32Array(MAX_PACKETS);
  #packets = 0;

  /** The first sample of a packet was integrated over `dtS` at midpoint rate `midDps`. */
  begin(midDps: Readonly<ArrayLike<number>>, dtS: number): void {
    if (this.#packets === MAX_PACKETS) this.#dropOldest();
    if (this.#n === MAX_STEPS) this.invalidate();
    this.#starts[this.#packets++] = this.#n;
    this.add(midDps, dtS);
  }

  /** A later sample of the same packet. */
  add(midDps: Readonly<ArrayLike<number>>, dtS: number): void {
    if (this.#packets === 0) return;
    if (this.#n === MAX_STEPS) {
      this.invalidate();
      return;
    }
    const k = 4 * this.#n++;
    this.#steps[k] = midDps[0];
    this.#steps[k + 1] = midDps[1];
    this.#steps[k + 2] = midDps[2];
    this.#steps[k + 3] = dtS;
  }

  /** Forget the record (a gap, a re-seed: nothing to revise across). */
  invalidate(): void {
    this.#n = 0;
    this.#packets = 0;
  }

  /**
   * The right-multiplied correction P⁻¹ ⊗ exp(Δ·ω₁/2) ⊗ P for the first step of the packet
   * `packetsBack` before the one being integrated (1: the previous one) being longer by
   * `extraS`, or null when the record does not reach that far.
   */
  correction(extraS: number, packetsBack = 1): QuatWxyz | null {
    if (!(packetsBack >= 1 && packetsBack <= this.#packets)) return null;
    const first = this.#starts[this.#packets - packetsBack];
    const s = this.#steps;
    let p: QuatWxyz = [1, 0, 0, 0];
    for (let i = first + 1; i < this.#n; i++) {
      const k = 4 * i;
      const dt = s[k + 3] * RAD_PER_DEG;
      p = quatMultiply(p, quatFromRotationVector([s[k] * dt, s[k + 1] * dt, s[k + 2] * dt]));
    }
    const d = extraS * RAD_PER_DEG;
    const k = 4 * first;
    const extra = quatFromRotationVector([s[k] * d, s[k + 1] * d, s[k + 2] * d]);
    return quatMultiply(quatMultiply(quatConjugate(p), extra), p);
  }

  #dropOldest(): void {
    const cut = this.#starts[1];
    this.#steps.copyWithin(0, 4 * cut, 4 * this.#n);
    this.#n -= cut;
    for (let i = 1; i < this.#packets; i++) this.#starts[i - 1] = this.#starts[i] - cut;
    this.#packets--;
  }
}
