/**
 * Test support shared by every package's tests, benchmarks and fixture scripts, exported as the
 * "@spinewatch/protocol/testing" subpath (protocol is the root of the dependency graph, so every
 * package can reach it). Not for production code.
 */
export * from "./seeded-random.js";
export * from "./angle-frame.js";
