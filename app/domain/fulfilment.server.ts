// From paid to tickets. fulfilOrder may be called at once by the webhook, the buyer's order page
// and the reconciliation job: the order row is locked and its status decides, so exactly one call
// issues tickets and the others see PAID and return.
import { db } from "~/services/db.server";
import { audit, type Tx } from "~/services/audit.server";
import { enqueueEmail } from "~/services/outbox.server";
import { sellHeld, sellIfAvailable } from "./inventory.server";
import { orderAttendeesSelect } from "./orders.server";
import { enqueueTicketEmail } from "./tickets.server";
import { badgeShortCode, secretToken } from "./tokens.server";
import { eventShortName } from "./event.server";
import { issueInvoice } from "./invoices.server";

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
  const items = await tx.orderItem.findMany({ where: { orderId }, select: { ticketTypeId: true, quantity: true } });
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
  await markPaidAndIssue(tx, orderId, order.status, payment, now);
  return { outcome: "fulfilled" } as const;
}

async function markPaidAndIssue(tx: Tx, orderId: string, previousStatus: string, payment: Payment, now: Date) {
  const order = await tx.order.update({
    where: { id: orderId },
    data: {
      status: "PAID",
      paidAt: now,
      ...(typeof payment === "object" && payment.paymentIntentId ? { stripePaymentId: payment.paymentIntentId } : {}),
      nextReminderAt: null,
    },
    select: { id: true, reference: true, buyerEmail: true, buyerName: true, attendees: orderAttendeesSelect },
  });
  const tickets = [];
  for (const attendee of order.attendees) {
    tickets.push(
      await tx.ticket.create({
        data: {
          ...attendee,
          orderId,
          consentAt: attendee.shareWithSponsors ? now : null,
          qrCode: secretToken(),
          shortCode: badgeShortCode(),
          manageToken: secretToken(),
        },
        select: { id: true, email: true, name: true },
      }),
    );
  }
  await tx.waitlistEntry.updateMany({ where: { orderId }, data: { closedAt: now } });
  await audit(tx, {
    action: previousStatus === "PENDING" ? "order.payment.confirmed" : "order.payment.confirmed-late",
    subject: `order:${orderId}`,
    before: { status: previousStatus },
    after: { status: "PAID", tickets: tickets.length, free: payment === "free", ...(payment === "invoice" ? { by: "invoice" } : {}) },
  });
  await enqueueEmail(tx, {
    template: "order-confirmation",
    to: order.buyerEmail,
    subject: `Your order ${order.reference}: ${await eventShortName(tx)} tickets confirmed`,
    payload: { orderId },
  });
  for (const t of tickets) await enqueueTicketEmail(tx, t);
  // Last in the transaction: the invoice number stays taken only until the commit.
  await issueInvoice(tx, orderId, now);
}
