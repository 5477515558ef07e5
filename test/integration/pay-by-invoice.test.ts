// Pay by invoice: the order awaiting payment holds its seats until the due date, its invoice is
// emailed at once with the payment instructions, reminders go out before the due date, the sweep
// cancels it at the due date, and a recorded payment issues the tickets exactly once.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import { forgetCurrentEvent } from "~/domain/event.server";
import { expireHolds } from "~/domain/holds.server";
import {
  cancelOverdueInvoices,
  extendDueDate,
  invoiceTerms,
  OPEN_INVOICE_ORDERS_PER_EMAIL,
  payByInvoice,
  recordInvoicePayment,
  remindUnpaidInvoices,
  type RecordedPayment,
} from "~/domain/invoice-orders.server";
import { placeOrder, type PlaceOrderInput } from "~/domain/orders.server";
import { applyRefund, refundOrder } from "~/domain/refunds.server";
import { transferTicket } from "~/domain/tickets.server";
import { renderEmail } from "~/domain/emails.server";
import { db } from "~/services/db.server";
import { readPdf } from "../support/pdf";
import { userWithRole } from "../support/auth";
import { emailsAbout } from "../support/emails";
import { order, seats, seededEvent, ticketType } from "../support/factories";

// The seeded event runs September 9–10, 2025 in Toronto; these tests live in the summer before it.
const JULY_1 = new Date("2025-07-01T14:00:00Z");
const at = (iso: string) => new Date(iso);
const INSTRUCTIONS = "Royal Bank of Canada\nAccount holder: Adamas Intelligence Inc.\nTransit 00002 · Institution 003 · Account 1234567";
const company = { company: "Northern Magnetics Ltd.", address: "100 King St W\nToronto ON M5X 1A9", country: "Canada", purchaseOrder: "PO-7781", taxNumber: "" };

let keys = 0;
const payment = (amountCents: number, overrides: Partial<RecordedPayment> = {}): RecordedPayment => ({
  amountCents,
  receivedOn: "2025-07-10",
  method: "BANK_TRANSFER",
  reference: "WIRE 55120",
  formKey: `form-key-${++keys}-abcdefghijklmnop`,
  ...overrides,
});

async function offerInvoices(settings: { invoiceMinTickets?: number; invoiceDueDays?: number } = {}) {
  await db().event.update({
    where: { id: (await seededEvent()).id },
    data: { payByInvoice: true, paymentInstructions: INSTRUCTIONS, invoiceMinTickets: 1, invoiceDueDays: 14, taxNumber: "123456789RT0001", ...settings },
  });
  forgetCurrentEvent();
}

beforeEach(() => offerInvoices());
afterAll(async () => {
  await db().event.update({ where: { id: (await seededEvent()).id }, data: { payByInvoice: false } });
  forgetCurrentEvent();
});

let buyers = 0;
/** A company buyer's order placed and turned into an invoice order at `now`. */
async function invoiceOrder(quantities: Record<string, number>, now = JULY_1, overrides: Partial<PlaceOrderInput> = {}, clientAddress = `10.0.0.${++buyers % 250}`) {
  const event = await seededEvent();
  const placed = await placeOrder(event, order(quantities, { billing: company, buyer: { name: "Maren Okafor", email: `maren${++buyers}@northern.example` }, ...overrides }), now);
  const chosen = await payByInvoice(placed.id, { clientAddress }, now);
  return { ...placed, ...chosen };
}

const orderRow = (id: string) =>
  db().order.findUniqueOrThrow({ where: { id }, include: { tickets: true, payments: true, invoices: { orderBy: [{ kind: "asc" }, { sequence: "asc" }] } } });

async function refusal(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error.rule;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("an order paid by invoice", () => {
  it("holds its seats until the due date, issues the invoice at once and emails it with the instructions and the reference to quote", async () => {
    const type = await ticketType({ priceCents: 149_500, capacity: 10 });
    const placed = await invoiceOrder({ [type.slug]: 3 });
    const row = await orderRow(placed.id);
    // 14 days after July 1, to the end of that day in Toronto (EDT, UTC-4).
    expect(row).toMatchObject({ status: "PENDING", paymentMethod: "INVOICE", dueAt: at("2025-07-16T03:59:00Z"), expiresAt: at("2025-07-16T03:59:00Z") });
    expect(await seats(type.id)).toMatchObject({ held: 3, sold: 0 });
    expect(row.tickets).toEqual([]);
    const [invoice, ...others] = row.invoices;
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({ kind: "INVOICE", buyerCompany: "Northern Magnetics Ltd.", purchaseOrder: "PO-7781", totalCents: 506_805, taxCents: 58_305 });

    // The card holds' sweep passes it by: its seats are held for days, not minutes.
    await expireHolds(at("2025-07-02T00:00:00Z"));
    expect((await orderRow(placed.id)).status).toBe("PENDING");

    const [email, ...more] = await emailsAbout(placed.id, "invoice-payment");
    expect(more).toEqual([]);
    const rendered = await renderEmail(email!);
    const text = rendered.text.replace(/\s+/g, " ");
    for (const fact of ["$5,068.05 CAD", "Tuesday, July 15, 2025", `Quote ${invoice!.number} (order ${placed.reference})`, "Transit 00002 · Institution 003 · Account 1234567", "3 × "]) {
      expect(text).toContain(fact);
    }
    const pdf = rendered.attachments.find((a) => a.contentType === "application/pdf");
    expect(pdf?.filename).toBe(`${invoice!.number}.pdf`);
    const pdfText = (await readPdf(pdf!.content)).text.replace(/\s+/g, " ");
    expect(pdfText).toContain("Northern Magnetics Ltd.");
    expect(pdfText).toContain("$5,068.05");
  });

  it("is due never after the event starts, and is not offered when a transfer could not arrive before it", async () => {
    const event = { ...(await seededEvent()), payByInvoice: true, invoiceMinTickets: 1, invoiceDueDays: 14 };
    // August 30 + 14 days is past September 9: due the evening before the first day.
    expect(invoiceTerms(event, 1, at("2025-08-30T15:00:00Z"))).toMatchObject({ offered: true, dueAt: at("2025-09-09T03:59:00Z") });
    expect(invoiceTerms(event, 1, at("2025-09-07T15:00:00Z"))).toMatchObject({ offered: false, rule: "invoice-payment.too-late" });
    expect(invoiceTerms({ ...event, invoiceMinTickets: 5 }, 4, JULY_1)).toMatchObject({ offered: false, rule: "invoice-payment.too-few" });
    expect(invoiceTerms({ ...event, payByInvoice: false }, 4, JULY_1)).toMatchObject({ offered: false, rule: "invoice-payment.off" });
  });

  it("is refused, changing nothing, when the event does not offer it, for too few tickets, without company details, and over the open-orders limit", async () => {
    const type = await ticketType({ priceCents: 10_000 });
    const event = await seededEvent();
    const place = (overrides: Partial<PlaceOrderInput> = {}, quantity = 1) =>
      placeOrder(event, order({ [type.slug]: quantity }, { billing: company, buyer: { name: "Ada", email: "ada@limits.example" }, ...overrides }), JULY_1);
    const unchanged = async (id: string) => {
      const row = await orderRow(id);
      expect(row).toMatchObject({ status: "PENDING", paymentMethod: "CARD", dueAt: null });
      expect(row.invoices).toEqual([]);
      expect(await emailsAbout(id, "invoice-payment")).toEqual([]);
    };

    await offerInvoices({ invoiceMinTickets: 2 });
    const few = await place();
    expect(await refusal(() => payByInvoice(few.id, { clientAddress: "10.1.0.1" }, JULY_1))).toBe("invoice-payment.too-few");
    await unchanged(few.id);

    await offerInvoices();
    const person = await place({ billing: { company: "", address: "", country: "", purchaseOrder: "", taxNumber: "" } });
    expect(await refusal(() => payByInvoice(person.id, { clientAddress: "10.1.0.1" }, JULY_1))).toBe("invoice-payment.needs-company");
    await unchanged(person.id);

    for (let i = 0; i < OPEN_INVOICE_ORDERS_PER_EMAIL; i++) await payByInvoice((await place()).id, { clientAddress: `10.1.1.${i}` }, JULY_1);
    const fourth = await place();
    expect(await refusal(() => payByInvoice(fourth.id, { clientAddress: "10.1.2.1" }, JULY_1))).toBe("invoice-payment.too-many-open");
    await unchanged(fourth.id);

    await db().event.update({ where: { id: event.id }, data: { payByInvoice: false } });
    const off = await place({ buyer: { name: "Bo", email: "bo@off.example" } });
    expect(await refusal(() => payByInvoice(off.id, { clientAddress: "10.1.3.1" }, JULY_1))).toBe("invoice-payment.off");
    await unchanged(off.id);
  });

  it("numbers its invoices without a gap or a duplicate when 20 buyers choose it at once", async () => {
    const type = await ticketType({ priceCents: 20_000, capacity: 40 });
    const event = await seededEvent();
    const placed = await Promise.all(
      Array.from({ length: 20 }, (_, i) => placeOrder(event, order({ [type.slug]: 1 }, { billing: company, buyer: { name: "B", email: `b${i}@many.example` } }), JULY_1)),
    );
    const before = (await db().invoiceCounter.findUnique({ where: { eventId_kind: { eventId: event.id, kind: "INVOICE" } } }))?.next ?? 1;
    await Promise.all(placed.map((p, i) => payByInvoice(p.id, { clientAddress: `10.2.${i}.1` }, JULY_1)));
    const sequences = (await db().invoice.findMany({ where: { orderId: { in: placed.map((p) => p.id) } }, select: { sequence: true } })).map((i) => i.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => before + i));
  });
});

describe("reminders and the due date", () => {
  it("reminds 7 and 2 days before the due date, once each, then cancels the unpaid order at the due date: seats back, a credit note, the buyer told", async () => {
    const type = await ticketType({ priceCents: 50_000, capacity: 5 });
    const placed = await invoiceOrder({ [type.slug]: 2 });
    expect((await orderRow(placed.id)).nextReminderAt).toEqual(at("2025-07-09T03:59:00Z"));

    expect(await remindUnpaidInvoices(at("2025-07-08T12:00:00Z"))).toBe(0);
    expect(await remindUnpaidInvoices(at("2025-07-09T12:00:00Z"))).toBeGreaterThanOrEqual(1);
    expect(await remindUnpaidInvoices(at("2025-07-09T12:00:01Z"))).toBe(0);
    expect((await orderRow(placed.id)).nextReminderAt).toEqual(at("2025-07-14T03:59:00Z"));
    await remindUnpaidInvoices(at("2025-07-14T12:00:00Z"));
    const reminders = (await emailsAbout(placed.id, "invoice-payment")).filter((e) => (e.payload as { kind: string }).kind === "reminder");
    expect(reminders).toHaveLength(2);
    expect((await renderEmail(reminders[0]!)).text).toContain("not yet received");

    // Not before the due date; at it, cancelled.
    expect(await cancelOverdueInvoices(at("2025-07-16T03:58:00Z"))).not.toContainEqual(expect.objectContaining({ id: placed.id }));
    const ended = await cancelOverdueInvoices(at("2025-07-16T04:00:00Z"));
    expect(ended.map((o) => o.id)).toContain(placed.id);
    const row = await orderRow(placed.id);
    expect(row.status).toBe("CANCELLED");
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 0 });
    const [invoice, note] = row.invoices;
    expect(note).toMatchObject({ kind: "CREDIT_NOTE", creditedId: invoice!.id, totalCents: invoice!.totalCents, taxCents: invoice!.taxCents });
    const told = (await emailsAbout(placed.id, "invoice-payment")).filter((e) => (e.payload as { kind: string }).kind === "cancelled");
    expect(told).toHaveLength(1);
    expect((await renderEmail(told[0]!)).text).toContain("we had not received the payment by its due date");
    // A second sweep finds nothing more to do.
    expect((await cancelOverdueInvoices(at("2025-07-17T04:00:00Z"))).map((o) => o.id)).not.toContain(placed.id);
    expect((await orderRow(placed.id)).invoices).toHaveLength(2);
  });

  it("leaves an order with part of its money received for an organiser, and an organiser can give more time (never past the event's start)", async () => {
    const type = await ticketType({ priceCents: 50_000 });
    const placed = await invoiceOrder({ [type.slug]: 1 });
    const event = await seededEvent();
    const organiser = (await userWithRole("ORGANISER")).id;
    await recordInvoicePayment(event.id, placed.id, payment(10_000), organiser, at("2025-07-10T15:00:00Z"));
    await cancelOverdueInvoices(at("2025-07-20T00:00:00Z"));
    expect((await orderRow(placed.id)).status).toBe("PENDING");

    expect(await refusal(() => extendDueDate(event.id, placed.id, "2025-09-09", organiser, at("2025-07-20T00:00:00Z")))).toBe("invoice-payment.due-after-start");
    expect(await refusal(() => extendDueDate(event.id, placed.id, "2025-07-01", organiser, at("2025-07-20T00:00:00Z")))).toBe("invoice-payment.due-in-past");
    expect((await orderRow(placed.id)).dueAt).toEqual(at("2025-07-16T03:59:00Z"));
    await extendDueDate(event.id, placed.id, "2025-08-15", organiser, at("2025-07-20T00:00:00Z"));
    expect(await orderRow(placed.id)).toMatchObject({ dueAt: at("2025-08-16T03:59:00Z"), expiresAt: at("2025-08-16T03:59:00Z"), nextReminderAt: at("2025-08-09T03:59:00Z") });
    expect((await emailsAbout(placed.id, "invoice-payment")).map((e) => (e.payload as { kind: string }).kind)).toContain("extended");
  });
});

describe("a recorded payment", () => {
  it("issues the tickets exactly once when the same form is sent five times at once", async () => {
    const type = await ticketType({ priceCents: 30_000, capacity: 3 });
    const placed = await invoiceOrder({ [type.slug]: 3 });
    const event = await seededEvent();
    const sameForm = payment(placed.totalCents);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => recordInvoicePayment(event.id, placed.id, sameForm, null, at("2025-07-10T15:00:00Z"))));
    expect(outcomes.filter((o) => o.outcome === "paid")).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === "duplicate")).toHaveLength(4);
    const row = await orderRow(placed.id);
    expect(row).toMatchObject({ status: "PAID", nextReminderAt: null });
    expect(row.payments).toHaveLength(1);
    expect(row.tickets).toHaveLength(3);
    // The invoice emailed with the order stands: paying it issues no second one.
    expect(row.invoices.map((i) => i.kind)).toEqual(["INVOICE"]);
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 3 });
    expect(await emailsAbout(placed.id, "order-confirmation")).toHaveLength(1);
  });

  it("from two organisers at once for the whole amount records one and refuses the other, changing nothing", async () => {
    const type = await ticketType({ priceCents: 30_000 });
    const placed = await invoiceOrder({ [type.slug]: 2 });
    const event = await seededEvent();
    const results = await Promise.allSettled([0, 1].map(() => recordInvoicePayment(event.id, placed.id, payment(placed.totalCents), null, at("2025-07-10T15:00:00Z"))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(DomainError);
    const row = await orderRow(placed.id);
    expect(row.payments).toHaveLength(1);
    expect(row.tickets).toHaveLength(2);
  });

  it("of part of the amount is shown as outstanding; the rest issues the tickets", async () => {
    const type = await ticketType({ priceCents: 100_000 });
    const placed = await invoiceOrder({ [type.slug]: 1 });
    const event = await seededEvent();
    const first = await recordInvoicePayment(event.id, placed.id, payment(60_000), null, at("2025-07-10T15:00:00Z"));
    expect(first).toMatchObject({ outcome: "partial", paidCents: 60_000, outstandingCents: 53_000 });
    expect((await orderRow(placed.id)).tickets).toEqual([]);
    const invoiceEmails = await emailsAbout(placed.id, "invoice-payment");
    expect(invoiceEmails.length).toBeGreaterThanOrEqual(1);
    expect((await renderEmail(invoiceEmails[0]!)).text).toContain("$530.00 CAD");
    const rest = await recordInvoicePayment(event.id, placed.id, payment(53_000, { method: "CHEQUE", receivedOn: "2025-07-12" }), null, at("2025-07-12T15:00:00Z"));
    expect(rest).toMatchObject({ outcome: "paid", outstandingCents: 0 });
    expect((await orderRow(placed.id)).status).toBe("PAID");
  });

  it("refuses an amount over what is outstanding, a date in the future and a card order, changing nothing", async () => {
    const type = await ticketType({ priceCents: 10_000 });
    const placed = await invoiceOrder({ [type.slug]: 1 });
    const event = await seededEvent();
    const now = at("2025-07-10T15:00:00Z");
    expect(await refusal(() => recordInvoicePayment(event.id, placed.id, payment(placed.totalCents + 1), null, now))).toBe("invoice-payment.too-much");
    expect(await refusal(() => recordInvoicePayment(event.id, placed.id, payment(100, { receivedOn: "2025-07-11" }), null, now))).toBe("invoice-payment.received-future");
    const card = await placeOrder(event, order({ [type.slug]: 1 }), now);
    expect(await refusal(() => recordInvoicePayment(event.id, card.id, payment(100), null, now))).toBe("invoice-payment.not-invoice");
    expect(await refusal(() => recordInvoicePayment("another-event", placed.id, payment(100), null, now))).toBe("order.not-found");
    expect((await orderRow(placed.id)).payments).toEqual([]);
    expect((await db().invoicePayment.count({ where: { orderId: card.id } }))).toBe(0);
  });

  it("after the due date's cancellation reinstates the order if its seats are free, and otherwise records nothing", async () => {
    const type = await ticketType({ priceCents: 40_000, capacity: 1 });
    const event = await seededEvent();
    const late = await invoiceOrder({ [type.slug]: 1 });
    await cancelOverdueInvoices(at("2025-07-16T05:00:00Z"));
    expect(await refusal(() => recordInvoicePayment(event.id, late.id, payment(1_000, { receivedOn: "2025-07-16" }), null, at("2025-07-16T15:00:00Z")))).toBe(
      "invoice-payment.reinstate-needs-full",
    );
    const reinstated = await recordInvoicePayment(event.id, late.id, payment(late.totalCents, { receivedOn: "2025-07-16" }), null, at("2025-07-16T15:00:00Z"));
    expect(reinstated.outcome).toBe("paid");
    const row = await orderRow(late.id);
    expect(row.status).toBe("PAID");
    // The first invoice was cancelled by its credit note; the payment stands on a new one.
    expect(row.invoices.map((i) => i.kind)).toEqual(["INVOICE", "INVOICE", "CREDIT_NOTE"]);
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 1 });

    // The only seat is now sold: a second late order cannot be reinstated.
    const other = await ticketType({ priceCents: 40_000, capacity: 1 });
    const gone = await invoiceOrder({ [other.slug]: 1 });
    await cancelOverdueInvoices(at("2025-07-16T05:00:00Z"));
    await placeOrder(event, order({ [other.slug]: 1 }), at("2025-07-17T00:00:00Z")).then((p) => db().order.update({ where: { id: p.id }, data: { expiresAt: at("2030-01-01T00:00:00Z") } }));
    expect(await refusal(() => recordInvoicePayment(event.id, gone.id, payment(gone.totalCents, { receivedOn: "2025-07-17" }), null, at("2025-07-17T15:00:00Z")))).toBe(
      "invoice-payment.no-seats",
    );
    expect((await orderRow(gone.id)).payments).toEqual([]);
  });
});

describe("attendees named later", () => {
  it("come as tickets held by the buyer, each named by giving it to the attendee", async () => {
    const type = await ticketType({ priceCents: 25_000 });
    const placed = await invoiceOrder({ [type.slug]: 2 }, JULY_1, { attendees: [], namesLater: true });
    const event = await seededEvent();
    await recordInvoicePayment(event.id, placed.id, payment(placed.totalCents), null, at("2025-07-10T15:00:00Z"));
    const row = await orderRow(placed.id);
    expect(row.tickets.map((t) => ({ name: t.name, email: t.email, toBeNamed: t.toBeNamed }))).toEqual([
      { name: "Attendee 1 (to be named)", email: row.buyerEmail, toBeNamed: true },
      { name: "Attendee 2 (to be named)", email: row.buyerEmail, toBeNamed: true },
    ]);
    await transferTicket(row.tickets[0]!.manageToken, { name: "Ines Kowalczyk", email: "ines@northern.example" }, at("2025-07-11T00:00:00Z"));
    const named = await db().ticket.findUniqueOrThrow({ where: { id: row.tickets[0]!.id } });
    expect(named).toMatchObject({ name: "Ines Kowalczyk", email: "ines@northern.example", toBeNamed: false });
    expect((await emailsAbout(named.id, "ticket")).map((e) => e.toAddress)).toContain("ines@northern.example");
  });
});

describe("a refund of an order paid by invoice", () => {
  it("is recorded without Stripe, issues a credit note and tells the buyer the money comes back by transfer", async () => {
    const type = await ticketType({ priceCents: 20_000 });
    const placed = await invoiceOrder({ [type.slug]: 1 });
    const event = await seededEvent();
    await recordInvoicePayment(event.id, placed.id, payment(placed.totalCents), null, at("2025-07-10T15:00:00Z"));
    const refund = await refundOrder(placed.id, null, null);
    await applyRefund(refund.id);
    const row = await orderRow(placed.id);
    expect(row.status).toBe("REFUNDED");
    expect(row.invoices.map((i) => i.kind)).toEqual(["INVOICE", "CREDIT_NOTE"]);
    const [email] = await emailsAbout(placed.id, "order-refunded");
    expect((await renderEmail(email!)).text).toContain("by transfer to the account it came from");
  });
});
