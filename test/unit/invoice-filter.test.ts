import { describe, expect, it } from "vitest";
import { invoiceFilterFrom } from "~/validation/invoices";

describe("the invoices list's filter", () => {
  it("drops what is not a day, a page or a search rather than failing (found by the fuzz: from=olivia-grant was a 500)", () => {
    expect(invoiceFilterFrom("http://x/admin/invoices?from=olivia-grant&to=2025-02-30&page=-4&q=a%00b")).toEqual({ q: "ab", from: null, to: null, page: 1 });
    expect(invoiceFilterFrom("http://x/admin/invoices?from=2025-09-01&to=2025-09-30&page=2&q=Sample")).toEqual({ q: "Sample", from: "2025-09-01", to: "2025-09-30", page: 2 });
  });
});
