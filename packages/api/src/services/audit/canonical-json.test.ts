import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

describe("canonical JSON", () => {
  it("sorts object keys at every depth, so key order never changes the text", () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, c: "x" };
    const b = { c: "x", a: { c: null, d: [3, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1,"c":"x"}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it("orders keys by code unit, not by locale or by insertion", () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4, "10": 5, "9": 6 })).toBe('{"10":5,"9":6,"B":2,"_":4,"a":3,"b":1}');
  });

  it("keeps array order, and writes scalars as JSON does", () => {
    expect(canonicalJson([3, 1, 2])).toBe("[3,1,2]");
    expect(canonicalJson([])).toBe("[]");
    expect(canonicalJson({})).toBe("{}");
    expect(canonicalJson('quote " and \\ and \n')).toBe(JSON.stringify('quote " and \\ and \n'));
    expect(canonicalJson(1.5)).toBe("1.5");
    expect(canonicalJson(true)).toBe("true");
    expect(canonicalJson(false)).toBe("false");
    expect(canonicalJson(null)).toBe("null");
  });

  it("writes undefined as null at the top and in arrays, and drops undefined object members", () => {
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it("writes a date as its ISO string, at any depth", () => {
    const at = new Date("2026-01-02T03:04:05.006Z");
    expect(canonicalJson(at)).toBe('"2026-01-02T03:04:05.006Z"');
    expect(canonicalJson({ at })).toBe('{"at":"2026-01-02T03:04:05.006Z"}');
  });

  it("quotes keys as JSON strings", () => {
    expect(canonicalJson({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });
});
