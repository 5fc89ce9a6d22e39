/**
 * Minimum-jerk point-to-point profile (Flash & Hogan 1985, J Neurosci 5:1688): the normalised
 * position s(τ) = 10τ³ − 15τ⁴ + 6τ⁵ for τ in [0, 1], which starts and ends with zero velocity
 * and zero acceleration. Human reaching and trunk movements follow it closely, and chaining
 * such segments gives trajectories whose second derivative is continuous, so the simulated
 * accelerometers never see a step.
 */
export function minJerk(tau: number): number {
  if (tau <= 0) return 0;
  if (tau >= 1) return 1;
  const t3 = tau * tau * tau;
  return t3 * (10 - 15 * tau + 6 * tau * tau);
}

/** ds/dτ of {@link minJerk}: 30τ²(1 − τ)², peak 1.875 at τ = 0.5. */
export function minJerkRate(tau: number): number {
  if (tau <= 0 || tau >= 1) return 0;
  const a = tau * (1 - tau);
  return 30 * a * a;
}
