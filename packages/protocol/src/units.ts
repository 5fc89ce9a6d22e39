/**
 * Standard gravity, m/s² per g (BIPM, the value of the 3rd CGPM, 1901): the unit every device
 * decoder uses to turn g into m/s² (samples are in m/s², CONTRACTS.md §1), and the magnitude
 * the orientation and calibration stages expect of a still accelerometer.
 */
export const STANDARD_GRAVITY_MPS2 = 9.80665;
