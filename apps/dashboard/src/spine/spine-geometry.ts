/**
 * Geometry of the schematic spine figure: five lumbar segments above the sacrum, the bend
 * shared equally between them (a simplification: real lumbar flexion is not uniform, but the
 * figure shows direction and amount, not anatomy).
 */
export const LUMBAR_SEGMENTS = 5;

export interface Point {
  x: number;
  y: number;
}

/** Unit direction on screen for an angle from vertical, positive toward +x (screen y points down). */
export function direction(angleDeg: number): Point {
  const a = (angleDeg * Math.PI) / 180;
  return { x: Math.sin(a), y: -Math.cos(a) };
}

/** Joint positions from `base` going up: the base direction, then `bendDeg` spread over the segments. */
export function spineJoints(base: Point, baseAngleDeg: number, bendDeg: number, segmentLength: number): Point[] {
  const joints: Point[] = [base];
  let p = base;
  for (let i = 1; i <= LUMBAR_SEGMENTS; i++) {
    const d = direction(baseAngleDeg + (bendDeg * (i - 0.5)) / LUMBAR_SEGMENTS);
    p = { x: p.x + d.x * segmentLength, y: p.y + d.y * segmentLength };
    joints.push(p);
  }
  return joints;
}

/** SVG path of a circular sector (the tolerated band) around `c` from angle a0 to a1 (degrees from vertical). */
export function sectorPath(c: Point, radius: number, a0Deg: number, a1Deg: number): string {
  const p0 = direction(a0Deg);
  const p1 = direction(a1Deg);
  const large = Math.abs(a1Deg - a0Deg) > 180 ? 1 : 0;
  const sweep = a1Deg > a0Deg ? 1 : 0;
  const f = (n: number) => n.toFixed(1);
  return `M${f(c.x)},${f(c.y)} L${f(c.x + p0.x * radius)},${f(c.y + p0.y * radius)} A${radius},${radius} 0 ${large} ${sweep} ${f(c.x + p1.x * radius)},${f(c.y + p1.y * radius)} Z`;
}

export const polyline = (pts: Point[]): string => pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
