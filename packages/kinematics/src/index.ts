export * from "./vec3.js";
export * from "./quat.js";
