import { quatConjugate, quatMultiply } from "@spinewatch/kinematics";
import type { QuatWxyz } from "@spinewatch/protocol";
import type { OrientedSample } from "./types.js";

/**
 * The samples an orientation stage emits while a bridged gap's tilt waits for its confirmation
 * (OrientationStage: a still moment, the joint or the pivot fit), held by pairing instead of
 * dropped, and what they are owed: every tilt fix applied to the filter meanwhile, as a rotation
 * in the world frame, and at the end their fate (confirmed: fresh after all; expired: never).
 *
 * Why a world-frame rotation: an error the bridge left in the orientation, q̂ = D ⊗ q, stays the
 * same D while the filter integrates body rates on (q̂ ⊗ δ = D ⊗ (q ⊗ δ)), so the fix F the
 * confirmation applies (q̂ → F ⊗ q̂, F = q̂_after ⊗ q̂_before⁻¹) is owed by every sample since
 * the gap alike. The filter's own small accelerometer corrections meanwhile are not (they are
 * under its 1.5° rejection angle and slow: SPINE_FILTER_SETTINGS).
 */
export class HeldOrientation {
  /** Samples emitted since the gap are held (until resolve or a new gap). */
  #active = false;
  /** The fixes applied since the previous sample, composed (world frame); null: none. */
  #fix: QuatWxyz | null = null;
  #resolved: "confirmed" | "expired" | null = null;
  readonly #inv: QuatWxyz = [1, 0, 0, 0];

  /** Whether samples emitted now are held (unconfirmed but may still be confirmed). */
  get active(): boolean {
    return this.#active;
  }

  /** A bridged gap: samples from now on are held; any still held from an earlier gap expire. */
  begin(): void {
    this.expire();
    this.#active = true;
  }

  /** The filter's orientation is set from `before` to `after`: owed by the held samples, if any. */
  jump(before: Readonly<QuatWxyz>, after: Readonly<QuatWxyz>): void {
    if (!this.#active) return;
    const f = quatMultiply(after, quatConjugate(before, this.#inv));
    this.#fix = this.#fix === null ? f : quatMultiply(f, this.#fix);
  }

  /** The tilt was confirmed: the held samples, once fixed, are fresh. */
  confirm(): void {
    if (!this.#active) return;
    this.#active = false;
    this.#resolved = "confirmed";
  }

  /** The wait ended unconfirmed (or a new gap began): the held samples are never fresh. */
  expire(): void {
    if (!this.#active) return;
    this.#active = false;
    this.#resolved = "expired";
  }

  /** Marks `out` (this step's sample) held if it is, and hands it what the earlier ones are owed. */
  stamp(out: OrientedSample): void {
    if (this.#fix !== null) out.heldFix = this.#fix;
    if (this.#resolved !== null) out.heldResolved = this.#resolved;
    if (this.#active && !out.fresh) out.held = true;
    this.#fix = null;
    this.#resolved = null;
  }

  reset(): void {
    this.#active = false;
    this.#fix = null;
    this.#resolved = null;
  }
}
