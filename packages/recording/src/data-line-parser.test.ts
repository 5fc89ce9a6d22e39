import { describe, expect, it } from "vitest";
import { DataLineParser } from "./data-line-parser.js";

const SENSORS = ["sacrum", "thoracic"];
const CHAR = "0000ffe400001000800000805f9a34fb";

/** Parses `text` twice, with a fresh parser each: as is, and with a leading space, which JSON allows but the fast path never takes. */
function bothPaths(text: string) {
  const fast = new DataLineParser("f.ndjson", SENSORS);
  const general = new DataLineParser("f.ndjson", SENSORS);
  return {
    fast: { line: fast.parse(text, 7), problem: fast.problem?.code ?? null },
    general: { line: general.parse(` ${text}`, 7), problem: general.problem?.code ?? null },
  };
}

describe("DataLineParser packet fast path", () => {
  const cases = [
    `{"type":"packet","tMs":12.25,"sensor":"sacrum","char":"${CHAR}","hex":"5561ff00"}`,
    `{"type":"packet","tMs":0,"sensor":"thoracic","char":"${CHAR}","hex":""}`,
    `{"type":"packet","tMs":1e3,"sensor":"sacrum","char":"${CHAR}","hex":"AB"}`,
    `{"type":"packet","tMs":-1,"sensor":"sacrum","char":"${CHAR}","hex":"00"}`,
    `{"type":"packet","tMs":"5","sensor":"sacrum","char":"${CHAR}","hex":"00"}`,
    `{"type":"packet","tMs":5,"sensor":"elbow","char":"${CHAR}","hex":"00"}`,
    `{"type":"packet","tMs":5,"sensor":"sacrum","char":"${CHAR}","hex":"0"}`,
    `{"type":"packet","tMs":5,"sensor":"sacrum","char":"${CHAR}","hex":"zz"}`,
    `{"type":"packet","tMs":5,"sensor":"sacrum","char":"${CHAR}","hex":"00","rssi":-60}`,
    `{"type":"packet","tMs":5,"sensor":"sacrum","char":"a\\"b","hex":"00"}`,
    `{"type":"packet","tMs":5,"sensor":"sacrum","char":"a\\u0041","hex":"00"}`,
    `{"type":"packet","tMs":5,"char":"${CHAR}","sensor":"sacrum","hex":"00"}`,
    `{"type":"packet","tMs":5,"sensor":"sacrum","char":"${CHAR}","hex":"00"`,
    `{"type":"packet","tMs":5,"sensor":"sacrum","char":"${CHAR}","hex":"00"}}`,
    `{"type":"packet","tMs":5 ,"sensor":"sacrum","char":"${CHAR}","hex":"00"}`,
  ];
  for (const text of cases) {
    it(`agrees with the general path on ${text.replace(CHAR, "<char>")}`, () => {
      const { fast, general } = bothPaths(text);
      expect(fast).toEqual(general);
    });
  }

  it("enforces non-decreasing tMs on the fast path too", () => {
    const parser = new DataLineParser("f.ndjson", SENSORS);
    expect(parser.parse(`{"type":"packet","tMs":10,"sensor":"sacrum","char":"c","hex":"00"}`, 2)).not.toBeNull();
    expect(parser.parse(`{"type":"packet","tMs":9.5,"sensor":"sacrum","char":"c","hex":"00"}`, 3)).toBeNull();
    expect(parser.problem?.code).toBe("time-backwards");
    expect(parser.problem?.message).toBe("f.ndjson:3: packet.tMs: 9.5 is earlier than 10 on an earlier line (tMs must not decrease)");
  });

  it("skipTypes drops lines unread and counts them", () => {
    const parser = new DataLineParser("f.ndjson", SENSORS, { skipTypes: ["truth"] });
    expect(parser.parse(`{"type":"truth","tMs":"not even checked"}`, 2)).toBeNull();
    expect(parser.problem).toBeNull();
    expect(parser.unknownType).toBeNull();
    expect(parser.skippedCount).toBe(1);
    expect(parser.parse(`{"type":"status","tMs":1,"sensor":"sacrum","state":"lost"}`, 3)).toMatchObject({ type: "status" });
  });

  it("truth lines: the optional pelvisObliquityDeg is read when a number and named when not", () => {
    const parser = new DataLineParser("f.ndjson", SENSORS);
    const base = `"type":"truth","tMs":1,"flexionDeg":1,"lateralBendDeg":2,"axialRotationDeg":3,"pelvisTiltDeg":4`;
    expect(parser.parse(`{${base},"pelvisObliquityDeg":1.5}`, 2)).toMatchObject({ type: "truth", pelvisObliquityDeg: 1.5 });
    expect(parser.parse(`{${base},"pelvisObliquityDeg":"x"}`, 3)).toBeNull();
    expect(parser.problem?.message).toMatch(/^f\.ndjson:3: truth\.pelvisObliquityDeg: /);
  });
});
