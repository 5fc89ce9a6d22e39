import { describe, expect, it } from "vitest";
import { LineSplitter } from "./line-splitter.js";

function splitInChunks(bytes: Buffer, size: number): { lines: string[]; rest: string } {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (let o = 0; o < bytes.length; o += size) splitter.push(bytes.subarray(o, o + size), lines);
  return { lines, rest: splitter.end() };
}

describe("LineSplitter", () => {
  const text = 'a\r\n\n{"x":"ÄÖ€😀"}\nplain ascii line\nsecond €\r\nlast without newline ü';
  const bytes = Buffer.from(text, "utf8");
  const expected = ["a", "", '{"x":"ÄÖ€😀"}', "plain ascii line", "second €"];

  for (const size of [1, 2, 3, 5, 7, 16, 1000]) {
    it(`gives the same lines for chunks of ${size} bytes (multi-byte characters split anywhere)`, () => {
      expect(splitInChunks(bytes, size)).toEqual({ lines: expected, rest: "last without newline ü" });
    });
  }

  it("returns an empty rest when the stream ends with a newline", () => {
    expect(splitInChunks(Buffer.from("x\ny\n"), 3)).toEqual({ lines: ["x", "y"], rest: "" });
  });
});
