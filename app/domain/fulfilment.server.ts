// From paid to tickets. fulfilOrder may be called at once by the webhook, the buyer's order page
// and the reconciliation job: the order row is locked and its status decides, so exactly one call
// issues tickets and the others see PAID and return.
import type { Tx } from "~/services/audit.server";
import { prismaSql, sqlTransaction, type Sql } from "~/services/db.server";
import { enqueueEmails } from "~/services/outbox.server";
import { sellHeld, sellIfAvailable, type SeatCount } from "./inventory.server";
import { ticketEmail } from "./tickets.server";
import { badgeShortCode, secretToken } from "./tokens.server";
import { eventShortName } from "./event.server";
import { issuePrepared, prepareInvoice } from "./invoices.server";

/** What paid: a Stripe payment, nothing (a free order), or transfers an organiser recorded against the invoice. */
export type Payment = { stripeSessionId?: string; paymentIntentId?: string | null; amountCents?: number } | "free" | "invoice";

export type FulfilmentOutcome =
  | { outcome: "fulfilled" | "already-paid" }
  | { outcome: "refund-needed"; reason: "no-seats" | "amount-mismatch" }
  | { outcome: "not-found" };

type LockedOrder = {
  status: string;
  totalCents: number;
  discountCodeId: string | null;
  /** Refunds recorded against the order; counted only when it is no longer PENDING. */
  refunds: number;
  /** Its seats, by ticket type id: the order in which seat rows are locked. */
  items: SeatCount[];
};

/** The order row, locked, with what fulfilling it reads: one round trip. */
const LOCK_ORDER = `
  SELECT o.status::text AS status, o."totalCents", o."discountCodeId",
    CASE WHEN o.status <> 'PENDING' THEN (SELECT count(*)::int FROM "Refund" r WHERE r."orderId" = o.id) ELSE 0 END AS refunds,
    coalesce((SELECT json_agg(json_build_object('ticketTypeId', i."ticketTypeId", 'quantity', i.quantity) ORDER BY i."ticketTypeId")
      FROM "OrderItem" i WHERE i."orderId" = o.id), '[]') AS items
  FROM "Order" o WHERE o.id = $1
  FOR UPDATE OF o`;

const AUDIT_MISMATCH = `
  INSERT INTO "AuditLog" (id, action, subject, after) VALUES (gen_random_uuid()::text, 'order.payment.mismatch', $1, $2::jsonb)`;

const USE_DISCOUNT = `
  UPDATE "DiscountCode" SET used = used + 1 WHERE id = $1 AND ("maxUses" IS NULL OR used < "maxUses")`;

/** Thrown inside the transaction when a late payment finds no seats: the caller rolls back. */
export class NoSeatsLeft extends Error {}

/** Fulfils a paid order in a transaction of its own (sqlTransaction: a handful of round trips). */
export async function fulfilOrder(orderId: string, payment: Payment, now: Date): Promise<FulfilmentOutcome> {
  try {
    return await sqlTransaction((sql) => fulfilWith(sql, orderId, payment, now));
  } catch (error) {
    if (error instanceof NoSeatsLeft) return { outcome: "refund-needed", reason: "no-seats" };
    throw error;
  }
}

/**
 * fulfilOrder inside the caller's Prisma transaction (a recorded invoice payment and its tickets
 * are one change). Throws NoSeatsLeft when a payment after the hold ended finds the seats gone:
 * the caller must roll back.
 */
export function fulfilInTransaction(tx: Tx, orderId: string, payment: Payment, now: Date): Promise<FulfilmentOutcome> {
  return fulfilWith(prismaSql(tx), orderId, payment, now);
}

async function fulfilWith(sql: Sql, orderId: string, payment: Payment, now: Date): Promise<FulfilmentOutcome> {
  const [order] = await sql.rows<LockedOrder>(LOCK_ORDER, [orderId]);
  if (!order) return { outcome: "not-found" } as const;
  if (order.status === "PAID" || order.status === "REFUNDED") return { outcome: "already-paid" } as const;
  if (typeof payment === "object" && payment.amountCents !== undefined && payment.amountCents !== order.totalCents) {
    await sql.rows(AUDIT_MISMATCH, [`order:${orderId}`, JSON.stringify({ paid: payment.amountCents, expected: order.totalCents })]);
    return { outcome: "refund-needed", reason: "amount-mismatch" } as const;
  }
  // A payment already being refunded for lack of seats must never also get tickets.
  if (order.status !== "PENDING" && order.refunds > 0) return { outcome: "refund-needed", reason: "no-seats" } as const;
  const { items } = order;
  await markPaidAndIssue(sql, orderId, order.status, payment, items, now);
  const invoice = await prepareInvoice(sql, orderId);
  // The seat rows and the invoice counter are the most contended rows of a rush (every paid order
  // updates them): they are taken last, so each stays locked for a statement and the commit
  // rather than the whole fulfilment. Seat rows in one order (by id), so that no two deadlock.
  if (order.status === "PENDING") {
    for (const item of items) await sellHeld(sql, item);
  } else {
    // The hold ended before the money arrived: seats go back to the buyer only if they are
    // still free. Otherwise the whole transaction rolls back and the payment is refunded.
    for (const item of items) {
      if (!(await sellIfAvailable(sql, item))) throw new NoSeatsLeft();
    }
    // The buyer paid the discounted price; honour it even if the code ran out meanwhile.
    if (order.discountCodeId) await sql.rows(USE_DISCOUNT, [order.discountCodeId]);
  }
  // Last in the transaction: the invoice number stays taken only until the commit.
  if (invoice) await issuePrepared(sql, invoice, now);
  return { outcome: "fulfilled" } as const;
}

type IssuedTicket = { id: string; name: string; email: string };

const MARK_PAID_AND_ISSUE = `
  WITH paid AS (
    UPDATE "Order" SET status = 'PAID', "paidAt" = $2::timestamp, "stripePaymentId" = COALESCE($3::text, "stripePaymentId"),
      "nextReminderAt" = NULL, "updatedAt" = $2::timestamp
    WHERE id = $1
    RETURNING id, reference, "buyerEmail"
  ), issued AS (
    INSERT INTO "Ticket" (id, "orderId", "ticketTypeId", name, email, company, "jobTitle", country, "dietaryNeeds", "accessNeeds",
      "shareWithSponsors", "toBeNamed", "consentAt", "qrCode", "shortCode", "manageToken", "createdAt", "updatedAt")
    SELECT replace(gen_random_uuid()::text, '-', ''), a."orderId", a."ticketTypeId", a.name, a.email, a.company, a."jobTitle", a.country, a."dietaryNeeds", a."accessNeeds",
      a."shareWithSponsors", a."toBeNamed", CASE WHEN a."shareWithSponsors" THEN $2::timestamp END,
      ($4::text[])[n], ($5::text[])[n], ($6::text[])[n],
      $2::timestamp + (n - 1) * interval '1 millisecond', $2::timestamp
    FROM (SELECT *, row_number() OVER (ORDER BY position) AS n FROM "OrderAttendee" WHERE "orderId" = $1) a
    RETURNING id, name, email, "createdAt"
  ), closed AS (
    UPDATE "WaitlistEntry" SET "closedAt" = $2::timestamp WHERE "orderId" = $1
  ), audited AS (
    INSERT INTO "AuditLog" (id, action, subject, before, after)
    SELECT gen_random_uuid()::text, $7::text, 'order:' || $1::text, $8::jsonb, $9::jsonb || jsonb_build_object('tickets', (SELECT count(*) FROM issued))
  )
  SELECT reference, "buyerEmail",
    (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'email', email) ORDER BY "createdAt"), '[]') FROM issued) AS tickets
  FROM paid`;

/**
 * The order PAID, its tickets issued from its attendees (in their order), its waitlist offer
 * closed and the audit row, in one statement; then its emails, in one more. Each ticket's secrets
 * are drawn here (one per seat of the order's items).
 */
async function markPaidAndIssue(sql: Sql, orderId: string, previousStatus: string, payment: Payment, items: SeatCount[], now: Date) {
  const seats = items.reduce((sum, item) => sum + item.quantity, 0);
  const draw = (make: () => string) => Array.from({ length: seats }, make);
  const paymentId = (typeof payment === "object" && payment.paymentIntentId) || null;
  const audited = {
    action: previousStatus === "PENDING" ? "order.payment.confirmed" : "order.payment.confirmed-late",
    before: { status: previousStatus },
    after: { status: "PAID", free: payment === "free", ...(payment === "invoice" ? { by: "invoice" } : {}) },
  };
  // Timestamps as UTC strings without a zone, as Prisma stores them; tickets a millisecond apart,
  // so that ordering by createdAt keeps the attendees' order.
  const [order] = await sql.rows<{ reference: string; buyerEmail: string; tickets: IssuedTicket[] }>(MARK_PAID_AND_ISSUE, [
    orderId,
    now.toISOString(),
    paymentId,
    draw(secretToken),
    draw(badgeShortCode),
    draw(secretToken),
    audited.action,
    JSON.stringify(audited.before),
    JSON.stringify(audited.after),
  ]);
  const shortName = await eventShortName(sql);
  await enqueueEmails(sql, [
    { template: "order-confirmation", to: order!.buyerEmail, subject: `Your order ${order!.reference}: ${shortName} tickets confirmed`, payload: { orderId } },
    ...order!.tickets.map((t) => ticketEmail(shortName, t)),
  ]);
}
