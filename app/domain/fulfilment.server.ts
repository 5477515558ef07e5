// From paid to tickets. fulfilOrder may be called at once by the webhook, the buyer's order page
// and the reconciliation job: the order row is locked and its status decides, so exactly one call
// issues tickets and the others see PAID and return.
import { db } from "~/services/db.server";
import { audit, type Tx } from "~/services/audit.server";
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
  id: string;
  status: string;
  totalCents: number;
  discountCodeId: string | null;
};

/** Thrown inside the transaction when a late payment finds no seats: the caller rolls back. */
export class NoSeatsLeft extends Error {}

export async function fulfilOrder(orderId: string, payment: Payment, now: Date): Promise<FulfilmentOutcome> {
  try {
    return await db().$transaction((tx) => fulfilInTransaction(tx, orderId, payment, now));
  } catch (error) {
    if (error instanceof NoSeatsLeft) return { outcome: "refund-needed", reason: "no-seats" };
    throw error;
  }
}

/**
 * fulfilOrder inside the caller's transaction (a recorded invoice payment and its tickets are one
 * change). Throws NoSeatsLeft when a payment after the hold ended finds the seats gone: the caller
 * must roll back.
 */
export async function fulfilInTransaction(tx: Tx, orderId: string, payment: Payment, now: Date): Promise<FulfilmentOutcome> {
  const [order] = await tx.$queryRaw<LockedOrder[]>`
    SELECT id, status::text AS status, "totalCents", "discountCodeId" FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
  if (!order) return { outcome: "not-found" } as const;
  if (order.status === "PAID" || order.status === "REFUNDED") return { outcome: "already-paid" } as const;
  if (typeof payment === "object" && payment.amountCents !== undefined && payment.amountCents !== order.totalCents) {
    await audit(tx, { action: "order.payment.mismatch", subject: `order:${orderId}`, after: { paid: payment.amountCents, expected: order.totalCents } });
    return { outcome: "refund-needed", reason: "amount-mismatch" } as const;
  }
  // A payment already being refunded for lack of seats must never also get tickets.
  if (order.status !== "PENDING" && (await tx.refund.count({ where: { orderId } })) > 0) {
    return { outcome: "refund-needed", reason: "no-seats" } as const;
  }
  const items = await tx.$queryRaw<SeatCount[]>`
    SELECT "ticketTypeId", quantity FROM "OrderItem" WHERE "orderId" = ${orderId} ORDER BY "ticketTypeId"`;
  await markPaidAndIssue(tx, orderId, order.status, payment, items, now);
  const invoice = await prepareInvoice(tx, orderId);
  // The seat rows and the invoice counter are the most contended rows of a rush (every paid order
  // updates them): they are taken last, so each stays locked for a statement and the commit
  // rather than the whole fulfilment. Seat rows in one order (by id), so that no two deadlock.
  if (order.status === "PENDING") {
    for (const item of items) await sellHeld(tx, item);
  } else {
    // The hold ended before the money arrived: seats go back to the buyer only if they are
    // still free. Otherwise the whole transaction rolls back and the payment is refunded.
    for (const item of items) {
      if (!(await sellIfAvailable(tx, item))) throw new NoSeatsLeft();
    }
    if (order.discountCodeId) {
      // The buyer paid the discounted price; honour it even if the code ran out meanwhile.
      await tx.$executeRaw`UPDATE "DiscountCode" SET used = used + 1
        WHERE id = ${order.discountCodeId} AND ("maxUses" IS NULL OR used < "maxUses")`;
    }
  }
  // Last in the transaction: the invoice number stays taken only until the commit.
  if (invoice) await issuePrepared(tx, invoice, now);
  return { outcome: "fulfilled" } as const;
}

type IssuedTicket = { id: string; name: string; email: string };

/**
 * The order PAID, its tickets issued from its attendees (in their order), its waitlist offer
 * closed and the audit row, in one statement; then its emails, in one more. Each ticket's secrets
 * are drawn here (one per seat of the order's items).
 */
async function markPaidAndIssue(tx: Tx, orderId: string, previousStatus: string, payment: Payment, items: SeatCount[], now: Date) {
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
  const at = now.toISOString();
  const [order] = await tx.$queryRaw<{ reference: string; buyerEmail: string; tickets: IssuedTicket[] }[]>`
    WITH paid AS (
      UPDATE "Order" SET status = 'PAID', "paidAt" = ${at}::timestamp, "stripePaymentId" = COALESCE(${paymentId}::text, "stripePaymentId"),
        "nextReminderAt" = NULL, "updatedAt" = ${at}::timestamp
      WHERE id = ${orderId}
      RETURNING id, reference, "buyerEmail"
    ), issued AS (
      INSERT INTO "Ticket" (id, "orderId", "ticketTypeId", name, email, company, "jobTitle", country, "dietaryNeeds", "accessNeeds",
        "shareWithSponsors", "toBeNamed", "consentAt", "qrCode", "shortCode", "manageToken", "createdAt", "updatedAt")
      SELECT replace(gen_random_uuid()::text, '-', ''), a."orderId", a."ticketTypeId", a.name, a.email, a.company, a."jobTitle", a.country, a."dietaryNeeds", a."accessNeeds",
        a."shareWithSponsors", a."toBeNamed", CASE WHEN a."shareWithSponsors" THEN ${at}::timestamp END,
        (${draw(secretToken)}::text[])[n], (${draw(badgeShortCode)}::text[])[n], (${draw(secretToken)}::text[])[n],
        ${at}::timestamp + (n - 1) * interval '1 millisecond', ${at}::timestamp
      FROM (SELECT *, row_number() OVER (ORDER BY position) AS n FROM "OrderAttendee" WHERE "orderId" = ${orderId}) a
      RETURNING id, name, email, "createdAt"
    ), closed AS (
      UPDATE "WaitlistEntry" SET "closedAt" = ${at}::timestamp WHERE "orderId" = ${orderId}
    ), audited AS (
      INSERT INTO "AuditLog" (id, action, subject, before, after)
      SELECT gen_random_uuid()::text, ${audited.action}, ${`order:${orderId}`}, ${JSON.stringify(audited.before)}::jsonb,
        ${JSON.stringify(audited.after)}::jsonb || jsonb_build_object('tickets', (SELECT count(*) FROM issued))
    )
    SELECT reference, "buyerEmail",
      (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'email', email) ORDER BY "createdAt"), '[]') FROM issued) AS tickets
    FROM paid`;
  const shortName = await eventShortName(tx);
  await enqueueEmails(tx, [
    { template: "order-confirmation", to: order!.buyerEmail, subject: `Your order ${order!.reference}: ${shortName} tickets confirmed`, payload: { orderId } },
    ...order!.tickets.map((t) => ticketEmail(shortName, t)),
  ]);
}
