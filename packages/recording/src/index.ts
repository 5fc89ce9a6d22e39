export * from "./recording-error.js";
export * from "./header-validation.js";
export * from "./data-line-parser.js";
export * from "./line-splitter.js";
export * from "./recording-reader.js";
export * from "./recording-writer.js";
export * from "./sync-gzip-writer.js";
export * from "./hex.js";
