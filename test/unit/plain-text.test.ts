import { describe, expect, it } from "vitest";
import { attendeeDetailsSchema } from "~/validation/attendee";
import { ticketTypeSchema } from "~/validation/admin-commerce";
import { hasHiddenCharacters, oneLine, plainLines } from "~/domain/plain-text";

const valid = { name: "Grace Hopper", email: "grace@example.com" };

describe("text people type", () => {
  it("finds controls, line breaks and bidi controls in one line, and only those", () => {
    for (const hidden of ["a\rb", "a\nb", "a\tb", "a\u0000b", "a\u0085b", "a\u202Eb", "a\u2066b", "a\u200Fb", "a\u2028b"]) {
      expect(hasHiddenCharacters(hidden), JSON.stringify(hidden)).toBe(true);
    }
    for (const shown of ["Tomáš Novák", "O'Brien-Smith, Jr.", "محمد", "李小龙", "Nd₂Fe₁₄B", "Zoë 🧲"]) expect(hasHiddenCharacters(shown)).toBe(false);
    expect(hasHiddenCharacters("Line one\r\nLine two\tthree", { multiline: true })).toBe(false);
    expect(hasHiddenCharacters("Line one\u202E", { multiline: true })).toBe(true);
  });

  it("strips what was stored before: one line, or lines with \\n only", () => {
    expect(oneLine("  Eve\r\n\tBcc: x@example.com\u202E ")).toBe("Eve Bcc: x@example.com");
    expect(plainLines("One\r\nTwo\rThree\tfour\u0007\u2067")).toBe("One\nTwo\nThree four");
  });

  it("refuses them in attendee details, and allows line breaks where a text area takes several lines", () => {
    const refused = attendeeDetailsSchema.safeParse({ ...valid, name: "Grace\u202EHopper", dietaryNeeds: "Vegan\r\nno nuts" });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["name", "Full name contains a line break or a hidden control character (such as a text-direction override). Please type it again on one line."],
      ["dietaryNeeds", "Dietary needs contains a line break or a hidden control character (such as a text-direction override). Please type it again on one line."],
    ]);
    const includes = ticketTypeSchema.safeParse({ name: "Pass", description: "Two days.\r\nAll tracks.", includes: "Lunch\r\nDinner", price: "10", capacity: "5", visibility: "public", maxPerOrder: "2" });
    expect(includes.success, JSON.stringify(includes.error?.issues)).toBe(true);
    expect(includes.data!.includes).toEqual(["Lunch", "Dinner"]);
  });
});
