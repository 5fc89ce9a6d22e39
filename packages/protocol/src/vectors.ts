/** A 3-vector in the axes named by its context (sensor axes or world axes). */
export type Vec3 = [number, number, number];

/**
 * A unit quaternion, scalar first: [w, x, y, z] (Hamilton convention).
 * As an orientation it maps vectors from the body (sensor or segment) frame into the
 * reference frame: v_ref = q * v_body * q^-1.
 */
export type QuatWxyz = [number, number, number, number];
