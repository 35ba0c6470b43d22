import { describe, expect, it } from "vitest";
import { inlineText, quoted } from "./mail-text.js";

describe("user text inside an email", () => {
  it("cannot add lines or headers", () => {
    const forged = "Acme\r\nBcc: victim@example.test\n\nClick https://evil.example";
    expect(inlineText(forged)).toBe("Acme Bcc: victim@example.test Click https://evil.example");
    expect(inlineText(forged)).not.toMatch(/[\r\n]/);
  });

  it("drops Unicode line separators and bidirectional overrides", () => {
    expect(inlineText("a\u2028b\u2029c\u202Ed\u2066e")).toBe("a b c d e");
  });

  it("normalises to NFC and bounds the length", () => {
    expect(inlineText("Cafe\u0301")).toBe("Café");
    expect(inlineText("x".repeat(500))).toHaveLength(120);
    expect(quoted("y".repeat(500))).toHaveLength(82);
  });

  it("quotes a name", () => {
    expect(quoted(" Acme\tRobotics ")).toBe("“Acme Robotics”");
  });
});
