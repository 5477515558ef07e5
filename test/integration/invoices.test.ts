// Tax invoices and credit notes: issued with the payment and the refund, numbered without gaps or
// duplicates however many payments arrive at once, and adding up to the cent.
import { describe, expect, it } from "vitest";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { correctBillingDetails, issueInvoice } from "~/domain/invoices.server";
import { placeOrder } from "~/domain/orders.server";
import { applyRefund, refundAmountFor } from "~/domain/refunds.server";
import { db } from "~/services/db.server";
import { renderEmail } from "~/domain/emails.server";
import { readPdf } from "../support/pdf";
import { cookieFor, request } from "../support/auth";
import { cellsSplitOn, csvRecords, formulaCells } from "../support/csv";
import { formatAmount } from "~/domain/money";
import { paidOrder } from "../support/emails";
import { order, seededEvent, ticketType } from "../support/factories";

const invoicesOf = (orderId: string) => db().invoice.findMany({ where: { orderId }, orderBy: [{ kind: "asc" }, { sequence: "asc" }] });

async function refund(orderId: string, ticketIds: string[] | null) {
  const { amountCents, ticketIds: chosen } = await refundAmountFor(orderId, ticketIds);
  const row = await db().refund.create({ data: { orderId, amountCents, ticketIds: chosen, reason: "test" } });
  await applyRefund(row.id);
  return amountCents;
}

describe("tax invoices", () => {
  it("are issued with the payment, carrying the seller, the buyer, each line, the tax and the total of the order", async () => {
    const event = await db().event.update({ where: { id: (await seededEvent()).id }, data: { taxNumber: "123456789RT0001", legalName: "Adamas Intelligence Inc." } });
    const type = await ticketType({ priceCents: 149_500 });
    const paid = await paidOrder({ [type.slug]: 2 }, { buyer: { name: "Maren Okafor", email: "maren@example.com" } });
    const [invoice, ...others] = await invoicesOf(paid.id);
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({
      kind: "INVOICE",
      number: expect.stringMatching(new RegExp(`^${event.invoicePrefix}\\d{5}$`)),
      sellerName: "Adamas Intelligence Inc.",
      sellerTaxNumber: "123456789RT0001",
      buyerName: "Maren Okafor",
      orderReference: paid.reference,
      taxName: "HST",
      taxRateBps: 1300,
      subtotalCents: 299_000,
      taxCents: 38_870,
      totalCents: 337_870,
    });
    expect(invoice!.lines).toEqual([{ description: `${event.name}: ${type.name}`, quantity: 2, unitCents: 149_500, amountCents: 299_000 }]);
  });

  it("are not issued for an order that cost nothing", async () => {
    const free = await ticketType({ priceCents: 0 });
    const paid = await paidOrder({ [free.slug]: 1 });
    expect(await invoicesOf(paid.id)).toEqual([]);
  });

  it("are numbered without a gap or a duplicate when 30 payments are confirmed at once, and a rolled back issue gives its number back", async () => {
    const event = await seededEvent();
    const type = await ticketType({ priceCents: 10_000, capacity: 100 });
    const placed = await Promise.all(Array.from({ length: 30 }, () => placeOrder(event, order({ [type.slug]: 1 }), new Date())));
    const start = (await db().invoice.aggregate({ where: { eventId: event.id, kind: "INVOICE" }, _max: { sequence: true } }))._max.sequence ?? 0;
    const outcomes = await Promise.all(placed.map((p) => fulfilOrder(p.id, { amountCents: p.totalCents }, new Date())));
    expect(outcomes.every((o) => o.outcome === "fulfilled")).toBe(true);
    const sequences = (await db().invoice.findMany({ where: { orderId: { in: placed.map((p) => p.id) } }, select: { sequence: true } })).map((i) => i.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 30 }, (_, i) => start + 1 + i));

    // An issue whose transaction fails leaves no invoice and no hole.
    const another = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    await db().order.update({ where: { id: another.id }, data: { status: "PAID" } });
    await expect(
      db().$transaction(async (tx) => {
        await issueInvoice(tx, another.id, new Date());
        throw new Error("the payment could not be recorded");
      }),
    ).rejects.toThrow("could not be recorded");
    const issued = await db().$transaction((tx) => issueInvoice(tx, another.id, new Date()));
    expect((await db().invoice.findUniqueOrThrow({ where: { id: issued!.id } })).sequence).toBe(start + 31);
  });
});

describe("credit notes", () => {
  it("record each refund against the invoice, and a partial and the final refund add up to the invoice to the cent", async () => {
    const discounted = await ticketType({ priceCents: 33_333 });
    await db().discountCode.create({ data: { eventId: (await seededEvent()).id, code: "THIRD", kind: "PERCENT", amount: 1111 } });
    const paid = await paidOrder({ [discounted.slug]: 3 }, { code: "THIRD" });
    const [invoice] = await invoicesOf(paid.id);

    const first = await refund(paid.id, [paid.tickets[0]!.id]);
    const [, note] = await invoicesOf(paid.id);
    expect(note).toMatchObject({ kind: "CREDIT_NOTE", creditedId: invoice!.id, totalCents: first, number: expect.stringMatching(/CN-\d{5}$/) });
    expect(note!.subtotalCents + note!.taxCents).toBe(first);
    expect(Math.abs(note!.taxCents - Math.round((note!.subtotalCents * 1300) / 10_000))).toBeLessThanOrEqual(1);

    const rest = await refund(paid.id, null);
    const notes = (await invoicesOf(paid.id)).filter((d) => d.kind === "CREDIT_NOTE");
    expect(notes).toHaveLength(2);
    expect(first + rest).toBe(invoice!.totalCents);
    expect(notes.reduce((s, n) => s + n.totalCents, 0)).toBe(invoice!.totalCents);
    expect(notes.reduce((s, n) => s + n.taxCents, 0)).toBe(invoice!.taxCents);
    expect(notes.reduce((s, n) => s + n.subtotalCents, 0)).toBe(invoice!.subtotalCents - invoice!.discountCents);
  });

  it("are issued once however often a refund is applied", async () => {
    const type = await ticketType({ priceCents: 5_000 });
    const paid = await paidOrder({ [type.slug]: 1 });
    const { amountCents } = await refundAmountFor(paid.id, null);
    const row = await db().refund.create({ data: { orderId: paid.id, amountCents, ticketIds: [], reason: "test" } });
    await Promise.all([applyRefund(row.id), applyRefund(row.id), applyRefund(row.id)]);
    expect((await invoicesOf(paid.id)).filter((d) => d.kind === "CREDIT_NOTE")).toHaveLength(1);
  });
});

describe("the invoice a buyer receives", () => {
  it("is attached to the receipt as a PDF that a viewer reads: number, seller and registration, buyer, lines, tax and total", async () => {
    const event = await db().event.update({ where: { id: (await seededEvent()).id }, data: { taxNumber: "123456789RT0001", legalName: "Adamas Intelligence Inc." } });
    const type = await ticketType({ priceCents: 149_500 });
    const paid = await paidOrder({ [type.slug]: 2 }, { buyer: { name: "Tomáš Lindqvist", email: "tomas@example.com" } });
    const [invoice] = await invoicesOf(paid.id);
    const row = await db().emailOutbox.findFirstOrThrow({ where: { template: "order-confirmation", payload: { path: ["orderId"], equals: paid.id } } });
    const email = await renderEmail(row);
    const attachment = email.attachments.find((a) => a.contentType === "application/pdf");
    expect(attachment?.filename).toBe(`${invoice!.number}.pdf`);
    const pdf = await readPdf(attachment!.content);
    expect(pdf.title).toBe(`Tax invoice ${invoice!.number}`);
    const text = pdf.text.replace(/\s+/g, " ");
    for (const fact of [
      `No. ${invoice!.number}`,
      "Adamas Intelligence Inc.",
      "GST/HST registration no. 123456789 RT0001",
      "Tomáš Lindqvist",
      `${event.name}: ${type.name}`,
      "$1,495.00",
      "HST 13% $388.70",
      "Total (CAD) $3,378.70",
    ]) {
      expect(text).toContain(fact);
    }
  });

  it("is shown to the buyer with the order's link only, as a page and as a PDF", async () => {
    const type = await ticketType({ priceCents: 20_000 });
    const paid = await paidOrder({ [type.slug]: 1 });
    const [invoice] = await invoicesOf(paid.id);
    const { loader: page } = await import("~/routes/orders.$ref_.invoices.$number");
    const { loader: file } = await import("~/routes/orders.$ref_.invoices.$number_.pdf");
    const args = (key: string) => ({ request: new Request(`http://localhost/orders/${paid.reference}/invoices/${invoice!.number}?k=${key}`), params: { ref: paid.reference, number: invoice!.number }, context: {} });
    const shown = (await page(args(paid.accessToken))) as { doc: { number: string; total: string } };
    expect(shown.doc).toMatchObject({ number: invoice!.number, total: "$226.00" });
    await expect(page(args("wrong-key"))).rejects.toMatchObject({ init: { status: 404 } });
    const response = await file(args(paid.accessToken));
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect((await readPdf(new Uint8Array(await response.arrayBuffer()))).text).toContain(invoice!.number);
    expect((await file(args("wrong-key"))).status).toBe(404);
  });
});

describe("billing details of a company buyer", () => {
  it("are checked at checkout: a company needs its name and address, and a purchase order number of 10,000 characters is refused", async () => {
    const { checkoutSchema } = await import("~/validation/checkout");
    const base = { quantities: { pass: 1 }, buyer: { name: "Maren Okafor", email: "maren@example.com" }, attendees: [] };
    const issues = (billing: Record<string, string>) =>
      checkoutSchema.safeParse({ ...base, billing }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
    expect(issues({ forCompany: "on" })).toEqual([
      "billing.company: Company name is required for a company invoice.",
      "billing.address: Billing address is required for a company invoice.",
    ]);
    expect(issues({ forCompany: "on", company: "Sample Magnetics", address: "1 Main St", purchaseOrder: "9".repeat(10_000) })).toEqual([
      "billing.purchaseOrder: Purchase order number must be at most 60 characters.",
    ]);
    expect(issues({ forCompany: "on", company: "Sample\u202EMagnetics", address: "1 Main St" })[0]).toContain("hidden control character");
    // Typed, then unticked: a person's invoice, nothing kept.
    expect(checkoutSchema.parse({ ...base, billing: { company: "Typed then unticked", address: "x" } }).billing).toEqual({ company: "", address: "", country: "", purchaseOrder: "", taxNumber: "" });
  });

  it("go on the order and its invoice; an organiser's correction cancels the invoice with a credit note and issues a new one", async () => {
    const type = await ticketType({ priceCents: 80_000 });
    const billing = { company: "Sample Magnetics Ltd.", address: "1 Magnet Way\nHamilton, ON L8P 1A1", country: "Canada", purchaseOrder: "PO-77", taxNumber: "987654321RT0001" };
    const paid = await paidOrder({ [type.slug]: 1 }, { billing });
    const [invoice] = await invoicesOf(paid.id);
    expect(invoice).toMatchObject({ buyerCompany: "Sample Magnetics Ltd.", buyerAddress: billing.address, buyerCountry: "Canada", purchaseOrder: "PO-77", buyerTaxNumber: "987654321RT0001" });

    const admin = await db().user.findFirstOrThrow({ where: { role: "ADMIN" } });
    const result = await correctBillingDetails(invoice!.eventId, paid.id, { ...billing, purchaseOrder: "PO-78" }, admin.id, new Date());
    const docs = await invoicesOf(paid.id);
    const invoices = docs.filter((d) => d.kind === "INVOICE");
    const [note] = docs.filter((d) => d.kind === "CREDIT_NOTE");
    expect(invoices).toHaveLength(2);
    expect(result.reissued).toBe(invoices[1]!.number);
    expect(invoices[1]).toMatchObject({ purchaseOrder: "PO-78", totalCents: invoice!.totalCents, taxCents: invoice!.taxCents });
    expect(note).toMatchObject({ creditedId: invoice!.id, totalCents: invoice!.totalCents, taxCents: invoice!.taxCents, refundId: null });
    // The first invoice itself is as it was issued.
    expect(await db().invoice.findUniqueOrThrow({ where: { id: invoice!.id } })).toEqual(invoice);
    expect(await db().auditLog.count({ where: { action: "order.billing-corrected", subject: `order:${paid.id}` } })).toBe(1);
  });

  it("are not corrected over refunds already recorded against the invoice, and nothing changes", async () => {
    const type = await ticketType({ priceCents: 50_000 });
    const paid = await paidOrder({ [type.slug]: 2 });
    await refund(paid.id, [paid.tickets[0]!.id]);
    const before = await invoicesOf(paid.id);
    const admin = await db().user.findFirstOrThrow({ where: { role: "ADMIN" } });
    await expect(
      correctBillingDetails(before[0]!.eventId, paid.id, { company: "Late Co.", address: "2 Late St", country: "", purchaseOrder: "", taxNumber: "" }, admin.id, new Date()),
    ).rejects.toThrow(/Refunds are already recorded against invoice/);
    expect(await invoicesOf(paid.id)).toEqual(before);
    expect((await db().order.findUniqueOrThrow({ where: { id: paid.id } })).billingCompany).toBe("");
  });
});

describe("the organisers' invoices list and tax summary", () => {
  it("sum the period's sales and tax, less the credit notes, per rate; the CSV holds the same numbers with credit notes negative", async () => {
    const event = await seededEvent();
    const type = await ticketType({ priceCents: 40_000 });
    const since = new Date();
    const a = await paidOrder({ [type.slug]: 2 }, { buyer: { name: "Summary Buyer", email: "summary@example.com" } });
    const b = await paidOrder({ [type.slug]: 1 });
    await refund(a.id, [a.tickets[0]!.id]);
    const day = since.toISOString().slice(0, 10);
    const { taxSummary, searchInvoices } = await import("~/domain/invoices.server");
    const docs = await db().invoice.findMany({ where: { orderId: { in: [a.id, b.id] } } });
    const [hst] = await taxSummary({ id: event.id, timeZone: "UTC" }, { from: day, to: day }).then((rows) => rows.filter((r) => r.taxRateBps === 1300));
    const invoices = docs.filter((d) => d.kind === "INVOICE");
    const notes = docs.filter((d) => d.kind === "CREDIT_NOTE");
    expect(invoices).toHaveLength(2);
    expect(notes).toHaveLength(1);
    // Other tests of this file issued documents today too: the summary holds at least these.
    expect(hst!.invoices).toBeGreaterThanOrEqual(2);
    expect(hst!.netTaxCents).toBe(hst!.taxCents - hst!.creditedTaxCents);
    expect(hst!.taxCents).toBeGreaterThanOrEqual(invoices.reduce((s, d) => s + d.taxCents, 0));

    const found = await searchInvoices({ id: event.id, timeZone: "UTC" }, { q: "summary buyer", from: null, to: null, page: 1 });
    expect(found.rows.map((r) => r.number).sort()).toEqual(docs.filter((d) => d.orderId === a.id).map((d) => d.number).sort());

    const { cookie } = await cookieFor("ORGANISER");
    const { loader } = await import("~/routes/admin.exports.invoices[.csv]");
    const text = await ((await loader({ request: request("/admin/exports/invoices.csv", { cookie }), params: {}, context: {} })) as Response).text();
    const records = csvRecords(text);
    const note = records.find((r) => r.Number === notes[0]!.number)!;
    expect(note).toMatchObject({ Kind: "Credit note", "Credits invoice": invoices.find((i) => i.orderId === a.id)!.number, "Tax amount": formatAmount(-notes[0]!.taxCents), Total: formatAmount(-notes[0]!.totalCents) });
    // Every cell is whole and nothing runs as a formula whatever separator the spreadsheet splits on.
    expect(formulaCells(text)).toEqual([]);
    // A spreadsheet blind to quotes still reads the credit note's total as a (negative) number.
    expect(cellsSplitOn(text, ",")).toContain(`"${formatAmount(-notes[0]!.totalCents)}"`);
  });
});

describe("the buyer's billing details", () => {
  it("can be corrected by the buyer until the invoice is issued, and are then refused with whom to ask", async () => {
    const { updateBillingBeforeInvoice } = await import("~/domain/invoices.server");
    const { DomainError } = await import("~/domain/errors");
    const type = await ticketType({ priceCents: 30_000 });
    const placed = await placeOrder(await seededEvent(), order({ [type.slug]: 1 }), new Date());
    const details = { company: "Lanthanide Labs", address: "5 Ore Rd\nSudbury ON", country: "Canada", purchaseOrder: "PO-1", taxNumber: "" };
    expect(await updateBillingBeforeInvoice(placed.id, details)).toBe(4);
    expect(await updateBillingBeforeInvoice(placed.id, details)).toBe(0);
    await fulfilOrder(placed.id, { amountCents: placed.totalCents }, new Date());
    const [invoice] = await invoicesOf(placed.id);
    expect(invoice).toMatchObject({ buyerCompany: "Lanthanide Labs", purchaseOrder: "PO-1" });
    const refused = await updateBillingBeforeInvoice(placed.id, { ...details, company: "Someone Else" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as Error).message).toContain(invoice!.number);
    expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).billingCompany).toBe("Lanthanide Labs");
  });
});

describe("an invoice made out in other scripts", () => {
  it("prints a Chinese company and a Korean buyer's name in its PDF, not empty boxes", async () => {
    const { orderDocumentOfKind, invoicePdf } = await import("~/domain/invoices.server");
    const type = await ticketType({ priceCents: 20_000 });
    const paid = await paidOrder(
      { [type.slug]: 1 },
      { buyer: { name: "김민준", email: "minjun@example.com" }, billing: { company: "北方稀土集团", address: "包头市 昆都仑区", country: "中国", purchaseOrder: "", taxNumber: "" } },
    );
    const view = (await orderDocumentOfKind(paid.id, "INVOICE"))!;
    const text = (await readPdf(await invoicePdf(view, "RE3M 2025"))).text;
    for (const words of ["김민준", "北方稀土集团", "包头市"]) expect(text).toContain(words);
  });
});
