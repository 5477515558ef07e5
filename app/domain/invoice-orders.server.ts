// Pay by invoice: a company buyer's order confirmed as "awaiting payment", its seats held until a
// due date (never after the event starts), the tax invoice with the payment instructions emailed at
// once, reminders before the due date, cancellation at the due date, and the transfers an
// organiser records. A payment that completes the order issues the tickets through the same
// exactly-once fulfilment as a card payment, in the transaction that records it.
import type { InvoicePaymentMethod } from "~/generated/prisma/enums";
import { audit, type Tx } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { enqueueEmail } from "~/services/outbox.server";
import { fail, failOn } from "./errors";
import { eventShortName } from "./event.server";
import { fulfilInTransaction, NoSeatsLeft } from "./fulfilment.server";
import { expireOrders } from "./holds.server";
import { issueInvoice } from "./invoices.server";
import { formatMoney } from "./money";
import { dayKey, formatDayKey, zonedTimeToUtc } from "./time";
// A transfer takes days: paying by invoice closes when the due date would be closer than this.
import { INVOICE_MIN_LEAD_DAYS } from "~/validation/event-settings";

/** Unpaid invoice orders one buyer email may have open at once, and one client address. */
export const OPEN_INVOICE_ORDERS_PER_EMAIL = 3;
export const OPEN_INVOICE_ORDERS_PER_ADDRESS = 5;
/** Reminders go out this many days before the due date (those still ahead when the order is placed). */
export const REMINDER_DAYS_BEFORE = [7, 2] as const;

const DAY_MS = 86_400_000;

export type InvoiceTermsEvent = {
  payByInvoice: boolean;
  invoiceMinTickets: number;
  invoiceDueDays: number;
  startsOn: Date;
  timeZone: string;
};

/** The instant the event starts: midnight before its first day, in its time zone. */
export const eventStartsAt = (event: { startsOn: Date; timeZone: string }) => zonedTimeToUtc(event.startsOn.toISOString().slice(0, 10), "00:00", event.timeZone);

export type InvoiceTerms =
  | { offered: true; dueAt: Date; dueOn: string }
  | { offered: false; rule: "invoice-payment.off" | "invoice-payment.too-few" | "invoice-payment.too-late"; min: number };

/**
 * Whether an order of `ticketCount` tickets placed now may be paid by invoice, and by when: the
 * end of the day `invoiceDueDays` from now in the event's zone, or the eve of the event if that
 * comes first; not offered when that leaves less than INVOICE_MIN_LEAD_DAYS for the transfer.
 */
export function invoiceTerms(event: InvoiceTermsEvent, ticketCount: number, now: Date): InvoiceTerms {
  const min = event.invoiceMinTickets;
  if (!event.payByInvoice) return { offered: false, rule: "invoice-payment.off", min };
  if (ticketCount < min) return { offered: false, rule: "invoice-payment.too-few", min };
  const starts = eventStartsAt(event);
  let dueAt = zonedTimeToUtc(dayKey(new Date(now.getTime() + event.invoiceDueDays * DAY_MS), event.timeZone), "23:59", event.timeZone);
  if (dueAt.getTime() >= starts.getTime()) dueAt = new Date(starts.getTime() - 60_000);
  if (dueAt.getTime() - now.getTime() < INVOICE_MIN_LEAD_DAYS * DAY_MS) return { offered: false, rule: "invoice-payment.too-late", min };
  return { offered: true, dueAt, dueOn: formatDayKey(dayKey(dueAt, event.timeZone)) };
}

/** The first reminder still ahead after `after`, or null. */
export function nextReminderAt(dueAt: Date, after: Date): Date | null {
  const ahead = REMINDER_DAYS_BEFORE.map((days) => new Date(dueAt.getTime() - days * DAY_MS)).filter((at) => at > after);
  return ahead.length ? new Date(Math.min(...ahead.map((d) => d.getTime()))) : null;
}

/** Unpaid invoice orders already open for this email and for this client address (the abuse limit). */
async function openInvoiceOrders(tx: Pick<Tx, "order">, eventId: string, email: string, clientAddress: string, except?: string) {
  const open = { eventId, paymentMethod: "INVOICE", status: "PENDING", ...(except ? { id: { not: except } } : {}) } as const;
  const [byEmail, byAddress] = await Promise.all([
    tx.order.count({ where: { ...open, buyerEmail: { equals: email, mode: "insensitive" } } }),
    tx.order.count({ where: { ...open, requestedFrom: clientAddress } }),
  ]);
  return { byEmail, byAddress };
}

function refuseOverLimit(open: { byEmail: number; byAddress: number }) {
  if (open.byEmail >= OPEN_INVOICE_ORDERS_PER_EMAIL) failOn("payment", "invoice-payment.too-many-open", open.byEmail);
  if (open.byAddress >= OPEN_INVOICE_ORDERS_PER_ADDRESS) failOn("payment", "invoice-payment.too-many-open", open.byAddress);
}

/** The checkout's check before any seat is held: a buyer over the limit holds nothing. */
export async function checkInvoiceAllowed(event: { id: string; payByInvoice: boolean }, email: string, clientAddress: string) {
  if (!event.payByInvoice) failOn("payment", "invoice-payment.off");
  refuseOverLimit(await openInvoiceOrders(db(), event.id, email, clientAddress));
}

/**
 * Turns a buyer's fresh card hold into an order awaiting payment by invoice, in one transaction:
 * the seats stay held until the due date, the tax invoice is issued and emailed with the payment
 * instructions. Refused (and nothing changed) when the event does not offer it for this order,
 * when the buyer is not invoiced as a company, or over the open-orders limit.
 */
export async function payByInvoice(orderId: string, request: { clientAddress: string }, now: Date) {
  return db().$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<{ id: string; status: string; paymentMethod: string; eventId: string; buyerEmail: string; billingCompany: string; billingAddress: string; stripeSessionId: string | null; expiresAt: Date; reference: string }[]>`
      SELECT id, status::text AS status, "paymentMethod"::text AS "paymentMethod", "eventId", "buyerEmail", "billingCompany", "billingAddress", "stripeSessionId", "expiresAt", reference
      FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
    if (!order) fail("order.not-found");
    if (order.status !== "PENDING" || order.paymentMethod !== "CARD" || order.stripeSessionId || order.expiresAt <= now) {
      fail("invoice-payment.not-open", order.status.toLowerCase());
    }
    const event = await tx.event.findUniqueOrThrow({
      where: { id: order.eventId },
      select: { id: true, payByInvoice: true, invoiceMinTickets: true, invoiceDueDays: true, startsOn: true, timeZone: true },
    });
    const items = await tx.orderItem.findMany({ where: { orderId }, select: { quantity: true } });
    const terms = invoiceTerms(event, items.reduce((sum, i) => sum + i.quantity, 0), now);
    if (!terms.offered) failOn("payment", terms.rule, terms.min);
    if (!order.billingCompany || !order.billingAddress) failOn("payment", "invoice-payment.needs-company");
    refuseOverLimit(await openInvoiceOrders(tx, event.id, order.buyerEmail, request.clientAddress, orderId));
    await tx.order.update({
      where: { id: orderId },
      data: {
        paymentMethod: "INVOICE",
        expiresAt: terms.dueAt,
        dueAt: terms.dueAt,
        nextReminderAt: nextReminderAt(terms.dueAt, new Date(now.getTime() + DAY_MS)),
        requestedFrom: request.clientAddress,
      },
    });
    await audit(tx, { action: "order.invoice-payment.chosen", subject: `order:${orderId}`, after: { dueAt: terms.dueAt.toISOString() } });
    await enqueueEmail(tx, {
      template: "invoice-payment",
      to: order.buyerEmail,
      subject: `Invoice for order ${order.reference}: ${await eventShortName(tx)}, due ${terms.dueOn}`,
      payload: { orderId, kind: "issued" },
    });
    // Last: the invoice number stays taken only until the commit.
    const invoice = await issueInvoice(tx, orderId, now);
    return { dueAt: terms.dueAt, invoiceNumber: invoice?.number ?? null };
  });
}

/** What is paid and what is left of an order paid by invoice. */
export async function invoiceBalance(tx: Pick<Tx, "invoicePayment">, orderId: string, totalCents: number) {
  const sum = await tx.invoicePayment.aggregate({ where: { orderId }, _sum: { amountCents: true } });
  const paidCents = sum._sum.amountCents ?? 0;
  return { paidCents, outstandingCents: Math.max(0, totalCents - paidCents) };
}

export type RecordedPayment = {
  amountCents: number;
  /** The day the money arrived, "2025-08-14" (the event's zone). */
  receivedOn: string;
  method: InvoicePaymentMethod;
  reference: string;
  /** The record form's own key: the same form sent twice records one payment. */
  formKey: string;
};

export type RecordOutcome = { outcome: "paid" | "partial" | "duplicate"; paidCents: number; outstandingCents: number };

/**
 * An organiser records money received for an order paid by invoice. The payment and, when it
 * completes the order, its tickets are one transaction: fulfilment runs once whichever of two
 * clicks, tabs or organisers gets there first. An order cancelled at its due date is reinstated by
 * a payment of the whole amount if its seats are still free; otherwise nothing is recorded and
 * the organiser is told to return the money.
 */
export async function recordInvoicePayment(eventId: string, orderId: string, input: RecordedPayment, actorId: string | null, now: Date): Promise<RecordOutcome> {
  try {
    return await db().$transaction(async (tx) => {
      const [order] = await tx.$queryRaw<{ id: string; status: string; paymentMethod: string; totalCents: number; currency: string; eventId: string }[]>`
        SELECT id, status::text AS status, "paymentMethod"::text AS "paymentMethod", "totalCents", currency, "eventId" FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
      if (!order || order.eventId !== eventId) fail("order.not-found");
      // Under the order's lock: a second copy of the form finds the first one's row.
      const earlier = await tx.invoicePayment.findUnique({ where: { formKey: input.formKey }, select: { orderId: true } });
      if (earlier) {
        if (earlier.orderId !== orderId) fail("order.not-found");
        return { outcome: "duplicate", ...(await invoiceBalance(tx, orderId, order.totalCents)) } as const;
      }
      if (order.paymentMethod !== "INVOICE") fail("invoice-payment.not-invoice");
      const { timeZone } = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: { timeZone: true } });
      if (input.receivedOn > dayKey(now, timeZone)) failOn("receivedOn", "invoice-payment.received-future");
      if (!["PENDING", "CANCELLED", "EXPIRED"].includes(order.status)) fail("invoice-payment.not-open", order.status.toLowerCase());
      const before = await invoiceBalance(tx, orderId, order.totalCents);
      if (input.amountCents > before.outstandingCents) failOn("amount", "invoice-payment.too-much", formatMoney(before.outstandingCents, order.currency));
      const completes = input.amountCents === before.outstandingCents;
      if (order.status !== "PENDING" && !completes) failOn("amount", "invoice-payment.reinstate-needs-full", formatMoney(before.outstandingCents, order.currency));
      await tx.invoicePayment.create({
        data: {
          orderId,
          amountCents: input.amountCents,
          receivedOn: new Date(`${input.receivedOn}T00:00:00Z`),
          method: input.method,
          reference: input.reference,
          formKey: input.formKey,
          recordedById: actorId,
        },
      });
      await audit(tx, {
        action: "order.invoice-payment.recorded",
        subject: `order:${orderId}`,
        actorId,
        after: { amountCents: input.amountCents, receivedOn: input.receivedOn, method: input.method, reference: input.reference, outstandingCents: before.outstandingCents - input.amountCents },
      });
      if (completes) {
        const result = await fulfilInTransaction(tx, orderId, "invoice", now);
        if (result.outcome !== "fulfilled") fail("invoice-payment.not-open", order.status.toLowerCase());
      }
      return { outcome: completes ? "paid" : "partial", paidCents: before.paidCents + input.amountCents, outstandingCents: before.outstandingCents - input.amountCents } as const;
    });
  } catch (error) {
    if (error instanceof NoSeatsLeft) fail("invoice-payment.no-seats");
    // Two copies of the form at the same moment: the unique key let one in; this one is the copy.
    if (error instanceof Error && /InvoicePayment_formKey_key|formKey/.test(`${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}`)) {
      const order = await db().order.findUniqueOrThrow({ where: { id: orderId }, select: { totalCents: true } });
      return { outcome: "duplicate", ...(await invoiceBalance(db(), orderId, order.totalCents)) };
    }
    throw error;
  }
}

/**
 * An organiser gives an unpaid invoice order more time: a later due date, never after the event
 * starts. The buyer is told the new date; reminders follow it.
 */
export async function extendDueDate(eventId: string, orderId: string, newDueDay: string, actorId: string, now: Date) {
  return db().$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<{ id: string; status: string; paymentMethod: string; dueAt: Date | null; eventId: string; buyerEmail: string; reference: string }[]>`
      SELECT id, status::text AS status, "paymentMethod"::text AS "paymentMethod", "dueAt", "eventId", "buyerEmail", reference FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
    if (!order || order.eventId !== eventId) fail("order.not-found");
    if (order.paymentMethod !== "INVOICE") fail("invoice-payment.not-invoice");
    if (order.status !== "PENDING") fail("invoice-payment.not-open", order.status.toLowerCase());
    const event = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: { startsOn: true, timeZone: true } });
    const dueAt = zonedTimeToUtc(newDueDay, "23:59", event.timeZone);
    const starts = eventStartsAt(event);
    if (dueAt <= now) failOn("dueOn", "invoice-payment.due-in-past");
    if (dueAt >= starts) failOn("dueOn", "invoice-payment.due-after-start", formatDayKey(dayKey(starts, event.timeZone)));
    if (order.dueAt && dueAt <= order.dueAt) failOn("dueOn", "invoice-payment.due-earlier");
    await tx.order.update({ where: { id: orderId }, data: { dueAt, expiresAt: dueAt, nextReminderAt: nextReminderAt(dueAt, now) } });
    await audit(tx, { action: "order.invoice-payment.due-extended", subject: `order:${orderId}`, actorId, before: { dueAt: order.dueAt?.toISOString() ?? null }, after: { dueAt: dueAt.toISOString() } });
    await enqueueEmail(tx, {
      template: "invoice-payment",
      to: order.buyerEmail,
      subject: `New due date for order ${order.reference}: ${formatDayKey(dayKey(dueAt, event.timeZone))}`,
      payload: { orderId, kind: "extended" },
    });
    return { dueAt };
  });
}

/**
 * The reminders due now, each sent once: the order row is claimed (SKIP LOCKED, so instances share
 * the work) and its next reminder moved on in the transaction that queues the email.
 */
export async function remindUnpaidInvoices(now: Date, limit = 100) {
  return db().$transaction(async (tx) => {
    const due = await tx.$queryRaw<{ id: string; dueAt: Date; buyerEmail: string; reference: string }[]>`
      SELECT id, "dueAt", "buyerEmail", reference FROM "Order"
      WHERE "paymentMethod" = 'INVOICE' AND status = 'PENDING' AND "nextReminderAt" <= ${now}
      ORDER BY "nextReminderAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    const name = due.length ? await eventShortName(tx) : "";
    for (const order of due) {
      await tx.order.update({ where: { id: order.id }, data: { nextReminderAt: nextReminderAt(order.dueAt, now), remindersSent: { increment: 1 } } });
      await enqueueEmail(tx, {
        template: "invoice-payment",
        to: order.buyerEmail,
        subject: `Reminder: order ${order.reference} for ${name} is awaiting payment`,
        payload: { orderId: order.id, kind: "reminder" },
      });
    }
    return due.length;
  });
}

/**
 * At the due date an unpaid order is cancelled: its seats return, its invoice is cancelled by a
 * credit note, the buyer is told (endHolds does all three). An order with part of its amount
 * received is left for an organiser to settle (the dashboard lists it): cancelling it would leave
 * money without tickets.
 */
export async function cancelOverdueInvoices(now: Date, limit = 100) {
  const overdue = await db().order.findMany({
    where: { paymentMethod: "INVOICE", status: "PENDING", dueAt: { lte: now }, payments: { none: {} } },
    select: { id: true },
    orderBy: { dueAt: "asc" },
    take: limit,
  });
  if (overdue.length === 0) return [];
  return expireOrders({ orderIds: overdue.map((o) => o.id) }, "CANCELLED", "invoice-overdue");
}

/** For the dashboard: seats held by unpaid invoice orders, per type, and orders past due with part paid (the sweep leaves those). */
export async function invoiceHoldsOverview(eventId: string, now: Date) {
  const [held, pastDue] = await Promise.all([
    db().$queryRaw<{ ticketTypeId: string; seats: number }[]>`
      SELECT i."ticketTypeId", sum(i.quantity)::int AS seats FROM "OrderItem" i JOIN "Order" o ON o.id = i."orderId"
      WHERE o."eventId" = ${eventId} AND o."paymentMethod" = 'INVOICE' AND o.status = 'PENDING'
      GROUP BY i."ticketTypeId"`,
    db().order.findMany({
      where: { eventId, paymentMethod: "INVOICE", status: "PENDING", dueAt: { lte: now }, payments: { some: {} } },
      select: { id: true, reference: true, buyerName: true, billingCompany: true, totalCents: true, currency: true },
      orderBy: { dueAt: "asc" },
      take: 20,
    }),
  ]);
  return { heldByType: new Map(held.map((h) => [h.ticketTypeId, h.seats])), pastDue };
}
