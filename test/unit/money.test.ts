import { describe, expect, it } from "vitest";
import { formatMoney, formatRate, taxOn } from "~/domain/money";

describe("money", () => {
  it("computes 13% HST to the cent, rounding half up", () => {
    expect(taxOn(149_500, 1300)).toBe(19_435);
    expect(taxOn(1, 1300)).toBe(0);
    expect(taxOn(50, 1300)).toBe(7); // 6.5 cents rounds up
    expect(taxOn(0, 1300)).toBe(0);
  });

  it("refuses amounts that are not whole, non-negative cents", () => {
    expect(() => taxOn(-1, 1300)).toThrow(RangeError);
    expect(() => taxOn(10.5, 1300)).toThrow(RangeError);
  });

  it("formats Canadian dollars and rates for people", () => {
    expect(formatMoney(149_500, "CAD")).toBe("$1,495.00");
    expect(formatMoney(7, "CAD")).toBe("$0.07");
    expect(formatRate(1300)).toBe("13%");
    expect(formatRate(1475)).toBe("14.75%");
  });
});
