// Money going back through Stripe: an organiser's refund, a late payment that found no seats, and
// what a succeeded refund changes (tickets, seats, the order's refunded amount), exactly once.
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { enqueueEmail } from "~/services/outbox.server";
import { stripe } from "~/services/stripe.server";
import { fail } from "./errors";
import { releaseSold } from "./inventory.server";
import { taxOn } from "./money";
import { offerReturnedSeats } from "./waitlist.server";
import { issueCreditNote } from "./invoices.server";

/** Money without seats is returned at once, and the buyer is told why. */
export async function refundUnfulfillable(orderId: string, paymentIntentId: string, amountCents: number, reason: string) {
  const refund = await db().$transaction(async (tx) => {
    // Concurrent deliveries of the same payment must create one refund, not one each.
    await tx.$queryRaw`SELECT id FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
    const existing = await tx.refund.findFirst({ where: { orderId, reason: { startsWith: "unfulfillable:" } } });
    if (existing) return existing;
    const order = await tx.order.update({
      where: { id: orderId },
      data: { stripePaymentId: paymentIntentId },
      select: { reference: true, buyerEmail: true },
    });
    const created = await tx.refund.create({ data: { orderId, amountCents, ticketIds: [], reason: `unfulfillable:${reason}` } });
    await audit(tx, { action: "order.payment.refunding-unfulfillable", subject: `order:${orderId}`, after: { reason, amountCents } });
    await enqueueEmail(tx, {
      template: "late-payment-refunded",
      to: order.buyerEmail,
      subject: `Your payment for ${order.reference} is being refunded`,
      payload: { orderId, reason },
    });
    return created;
  });
  await sendRefund(refund.id, paymentIntentId);
}

/** Asks Stripe for a refund row's money back; safe to repeat (idempotency key = refund id). */
export async function sendRefund(refundId: string, paymentIntentId: string) {
  const refund = await db().refund.findUniqueOrThrow({ where: { id: refundId } });
  if (refund.status !== "PENDING") return;
  const stripeRefund = await stripe().refunds.create(
    { payment_intent: paymentIntentId, amount: refund.amountCents, metadata: { refundId: refund.id, orderId: refund.orderId } },
    { idempotencyKey: `refund-${refund.id}` },
  );
  await db().refund.update({ where: { id: refund.id }, data: { stripeRefundId: stripeRefund.id } });
  if (stripeRefund.status === "succeeded") await applyRefund(refund.id);
}

/**
 * What a succeeded refund changes, applied exactly once (PENDING -> SUCCEEDED is the gate):
 * refunded tickets stop working, their seats return, and the order's refunded amount grows.
 */
export async function applyRefund(refundId: string) {
  const applied = await db().$transaction(async (tx) => {
    const gate = await tx.refund.updateMany({ where: { id: refundId, status: "PENDING" }, data: { status: "SUCCEEDED" } });
    if (gate.count === 0) return null;
    const refund = await tx.refund.findUniqueOrThrow({ where: { id: refundId } });
    const order = await tx.order.findUniqueOrThrow({
      where: { id: refund.orderId },
      select: { id: true, status: true, totalCents: true, refundedCents: true, reference: true, buyerEmail: true },
    });
    const refundedCents = Math.min(order.totalCents, order.refundedCents + refund.amountCents);
    // Named tickets are cancelled; a refund without tickets (from Stripe's dashboard) cancels
    // them all only when it returns everything that was paid.
    const ticketFilter = refund.ticketIds.length > 0 ? { id: { in: refund.ticketIds } } : refundedCents >= order.totalCents ? {} : { id: { in: [] } };
    const tickets = await tx.ticket.findMany({
      where: { orderId: order.id, status: "VALID", ...ticketFilter },
      select: { id: true, ticketTypeId: true },
    });
    const stillValid = await tx.ticket.count({ where: { orderId: order.id, status: "VALID", id: { notIn: tickets.map((t) => t.id) } } });
    const whole = stillValid === 0;
    await tx.ticket.updateMany({ where: { id: { in: tickets.map((t) => t.id) } }, data: { status: "REFUNDED" } });
    const perType = new Map<string, number>();
    for (const t of tickets) perType.set(t.ticketTypeId, (perType.get(t.ticketTypeId) ?? 0) + 1);
    // Seats return only for orders that held them as sold (a late payment refund never did).
    if (order.status === "PAID") {
      for (const [ticketTypeId, quantity] of perType) await releaseSold(tx, { ticketTypeId, quantity });
    }
    await tx.order.update({
      where: { id: order.id },
      data: { refundedCents, ...(whole ? { status: "REFUNDED" } : {}) },
    });
    await audit(tx, {
      action: whole ? "order.refunded" : "order.refunded-partially",
      subject: `order:${order.id}`,
      actorId: refund.actorId,
      before: { status: order.status, refundedCents: order.refundedCents },
      after: { refundedCents, tickets: tickets.map((t) => t.id) },
    });
    if (!refund.reason.startsWith("unfulfillable:")) {
      await enqueueEmail(tx, {
        template: "order-refunded",
        to: order.buyerEmail,
        subject: `Refund for your order ${order.reference}`,
        payload: { orderId: order.id, refundId },
      });
    }
    // Last in the transaction: the credit note's number stays taken only until the commit.
    await issueCreditNote(tx, refund, new Date());
    return [...perType.keys()];
  });
  for (const typeId of applied ?? []) await offerReturnedSeats(typeId, new Date());
}

/** Refund amount for some tickets of an order: their price after discount, plus tax, to the cent. */
export async function refundAmountFor(orderId: string, ticketIds: string[] | null) {
  const order = await db().order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      totalCents: true,
      refundedCents: true,
      subtotalCents: true,
      discountCents: true,
      taxRateBps: true,
      items: { select: { ticketTypeId: true, unitCents: true } },
      tickets: { where: { status: "VALID" }, select: { id: true, ticketTypeId: true } },
    },
  });
  const remaining = order.totalCents - order.refundedCents;
  const chosen = ticketIds ? order.tickets.filter((t) => ticketIds.includes(t.id)) : order.tickets;
  if (ticketIds && chosen.length !== ticketIds.length) return { amountCents: 0, remaining, ticketIds: [] };
  // Refunding every remaining ticket returns exactly what is left, so rounding never strands a cent.
  if (chosen.length === order.tickets.length) return { amountCents: remaining, remaining, ticketIds: chosen.map((t) => t.id) };
  const net = chosen.reduce((sum, t) => {
    const unit = order.items.find((i) => i.ticketTypeId === t.ticketTypeId)?.unitCents ?? 0;
    const discountShare = order.subtotalCents > 0 ? Math.floor((unit * order.discountCents) / order.subtotalCents) : 0;
    return sum + unit - discountShare;
  }, 0);
  return { amountCents: Math.min(remaining, net + taxOn(net, order.taxRateBps)), remaining, ticketIds: chosen.map((t) => t.id) };
}

/** An organiser refunds a whole order (ticketIds null) or some of its tickets, through Stripe. */
export async function refundOrder(orderId: string, ticketIds: string[] | null, actorId: string | null, reason = "organiser") {
  const order = await db().order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true, stripePaymentId: true } });
  if (order.status !== "PAID") fail("refund.not-paid");
  const { amountCents, ticketIds: chosen, remaining } = await refundAmountFor(orderId, ticketIds);
  if (chosen.length === 0) fail("refund.nothing");
  if (amountCents > remaining) fail("refund.too-much");
  const refund = await db().refund.create({ data: { orderId, amountCents, ticketIds: chosen, reason, actorId } });
  if (!order.stripePaymentId) {
    // A free or comp order: nothing to send back, only the tickets to cancel.
    await applyRefund(refund.id);
  } else {
    await sendRefund(refund.id, order.stripePaymentId);
  }
  return db().refund.findUniqueOrThrow({ where: { id: refund.id } });
}
