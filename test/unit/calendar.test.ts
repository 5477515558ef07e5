import { describe, expect, it } from "vitest";
import { foldByOctets } from "~/domain/calendar.server";

describe("calendar line folding", () => {
  it("folds long lines at 75 octets without splitting a character, and unfolds to the same text", () => {
    const long = `DESCRIPTION:${"Tomáš Novák measures Nd₂Fe₁₄B at 180 °C; ".repeat(6)}`;
    const folded = foldByOctets(`BEGIN:VEVENT\r\n${long}\r\nEND:VEVENT`);
    const lines = folded.split("\r\n");
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(lines.slice(2, -1).every((l) => l.startsWith(" "))).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(`BEGIN:VEVENT\r\n${long}\r\nEND:VEVENT`);
    expect(folded).not.toContain("\uFFFD");
  });
});
