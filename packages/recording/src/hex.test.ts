import { describe, expect, it } from "vitest";
import type { SourceEvent } from "@spinewatch/protocol";
import { bytesToHex, hexToBytes } from "./hex.js";
import { lineToSourceEvent } from "./line-to-source-event.js";

describe("hexToBytes", () => {
  for (const shared of [false, true]) {
    it(`decodes lower- and upper-case hex, and round-trips with bytesToHex (shared: ${shared})`, () => {
      expect(Array.from(hexToBytes("00ff7fAbCd", shared)!)).toEqual([0x00, 0xff, 0x7f, 0xab, 0xcd]);
      expect(hexToBytes("", shared)!.length).toBe(0);
      const hex = "556101082e000801f9ff3f0106001809eac56cdb";
      expect(bytesToHex(hexToBytes(hex, shared)!)).toBe(hex);
    });

    it(`refuses an odd length or any non-hex digit, wherever it is (shared: ${shared})`, () => {
      for (const bad of ["0", "abc", "0g", "g0", "00zz", "0011 2", "00-1", "0x12", "aé"]) expect(hexToBytes(bad, shared), bad).toBeNull();
      expect(hexToBytes("ab".repeat(4095) + "zz", shared)).toBeNull();
    });
  }

  it("by default gives every result an ArrayBuffer of its own", () => {
    const bytes = hexToBytes("0102030405")!;
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(5);
  });

  it("shared: views stay valid, later calls never overwrite earlier bytes (across slabs)", () => {
    const kept: [string, Uint8Array][] = [];
    for (let i = 0; i < 5000; i++) {
      const hex = (i.toString(16).padStart(4, "0") + "a5").repeat(1 + (i % 17));
      kept.push([hex, hexToBytes(hex, true)!]);
    }
    expect(hexToBytes("00zz", true)).toBeNull(); // a refused line writes nothing visible
    for (const [hex, bytes] of kept) expect(bytesToHex(bytes)).toBe(hex);
    expect(kept[1]![1].buffer).toBe(kept[2]![1].buffer);
  });

  it("shared: a large payload still gets an ArrayBuffer of its own", () => {
    const hex = "ab".repeat(4096);
    const bytes = hexToBytes(hex, true)!;
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(4096);
    expect(bytesToHex(bytes)).toBe(hex);
  });
});

describe("lineToSourceEvent with shared packet bytes", () => {
  it("gives the same bytes as an own-buffer event", () => {
    const line = { type: "packet", tMs: 12.5, sensor: "sacrum", char: "ffe4", hex: "55610aff" } as const;
    const own = lineToSourceEvent(line) as Extract<SourceEvent, { type: "packet" }>;
    const shared = lineToSourceEvent(line, true) as Extract<SourceEvent, { type: "packet" }>;
    expect({ ...shared, bytes: [...shared.bytes] }).toEqual({ ...own, bytes: [0x55, 0x61, 0x0a, 0xff] });
    expect(own.bytes.buffer.byteLength).toBe(4);
  });
});
