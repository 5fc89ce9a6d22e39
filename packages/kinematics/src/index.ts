export * from "./vec3.js";
export * from "./quat.js";
export * from "./orientation-filter.js";
export * from "./gyro-bias-estimator.js";
