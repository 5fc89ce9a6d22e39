import { quatConjugate, quatFromRotationVector, quatMultiply } from "@spinewatch/kinematics";
import type { QuatWxyz } from "@spinewatch/protocol";

const RAD_PER_DEG = Math.PI / 180;
/** More steps than any batched notification carries (WitMotion: 4 frames, BLE-PROTOCOLS.md §1). */
const MAX_STEPS = 32;

/**
 * The gyro steps integrated since the first sample of the latest packet, kept so that the
 * integration over that packet's first step can be revised when the sensor clock later learns
 * that step was longer (TimedSample.stepRevisionMs: samples lost before a packet first taken as
 * delayed). The filter integrates body rates on the right, q ← q ⊗ exp(dt·ω/2), so with E₁ the
 * first step's increment and P = E₂ ⊗ … ⊗ Eₙ the later ones, q_now = q₀ ⊗ E₁ ⊗ P (plus the small
 * accelerometer corrections in between, which stay as they were). A first step longer by Δ about
 * the same midpoint rate ω₁ is E₁ ⊗ exp(Δ·ω₁/2) (same axis: they commute), hence
 *   q_revised = q_now ⊗ P⁻¹ ⊗ exp(Δ·ω₁/2) ⊗ P.
 * Per sample it copies four numbers; the quaternions are built only on a revision (rare).
 */
export class PacketStepRecord {
  /** Per step: midpoint rate x, y, z (°/s) and dt (s). Step 0 is the packet's first step. */
  readonly #steps = new Float64Array(4 * MAX_STEPS);
  #n = 0;
  #valid = false;

  /** The first sample of a packet was integrated over `dtS` at midpoint rate `midDps`. */
  begin(midDps: Readonly<ArrayLike<number>>, dtS: number): void {
    this.#n = 0;
    this.#valid = true;
    this.add(midDps, dtS);
  }

  /** A later sample of the same packet (or of following ones until the next `begin`). */
  add(midDps: Readonly<ArrayLike<number>>, dtS: number): void {
    if (!this.#valid) return;
    if (this.#n >= MAX_STEPS) {
      this.#valid = false;
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
    this.#valid = false;
    this.#n = 0;
  }

  /**
   * The right-multiplied correction P⁻¹ ⊗ exp(Δ·ω₁/2) ⊗ P for a first step longer by
   * `extraS`, or null when there is no record to revise.
   */
  correction(extraS: number): QuatWxyz | null {
    if (!this.#valid || this.#n === 0) return null;
    const s = this.#steps;
    let p: QuatWxyz = [1, 0, 0, 0];
    for (let i = 1; i < this.#n; i++) {
      const k = 4 * i;
      const dt = s[k + 3] * RAD_PER_DEG;
      p = quatMultiply(p, quatFromRotationVector([s[k] * dt, s[k + 1] * dt, s[k + 2] * dt]));
    }
    const d = extraS * RAD_PER_DEG;
    const extra = quatFromRotationVector([s[0] * d, s[1] * d, s[2] * d]);
    return quatMultiply(quatMultiply(quatConjugate(p), extra), p);
  }
}
