// Everything that talks to Stripe about orders: starting Checkout, webhooks, reconciliation and
// refunds. Fulfilment is driven by what Stripe says (webhook, or a check with Stripe), never by
// the buyer's redirect alone.
import type Stripe from "stripe";
import { doublingDelayMs } from "~/services/backoff.server";
import { db } from "~/services/db.server";
import { audit } from "~/services/audit.server";
import { batched } from "~/services/batch.server";
import { log } from "~/services/log.server";
import { enqueueEmail } from "~/services/outbox.server";
import { stripe } from "~/services/stripe.server";
import { fail } from "./errors";
import { fulfilOrder } from "./fulfilment.server";
import { releaseSold } from "./inventory.server";
import { taxOn } from "./money";
import { endHolds, type PlacedOrder } from "./orders.server";
import { offerReturnedSeats } from "./waitlist.server";

type CheckoutUrls = { successUrl: string; cancelUrl: string };

/**
 * How much longer than the hold a Checkout Session lives. Stripe wants `expires_at` at least 30
 * minutes after it creates the session, and the session is created when the buyer reaches the
 * payment step, a moment (or, after a failed try, minutes) after the seats were held. The sweeper
 * expires the session when the hold ends; a payment that still lands takes the late-payment path.
 */
const STRIPE_GRACE_SECONDS = 20 * 60;

/**
 * A Checkout Session is opened only while this much of the hold remains: later, Stripe would refuse
 * its `expires_at` (hold end + grace, less than 30 minutes away), and the buyer would have little
 * time left to pay.
 */
const PAYMENT_START_MARGIN_MS = 11 * 60_000;

/**
 * How long a buyer whose seats are held waits while Stripe says "too many requests" (429) before
 * the payment step gives up and lets them try again. Stripe limits each account to about 100
 * requests a second (25 in test mode, and 25 per endpoint unless raised): a ticket rush can reach
 * that, and the SDK does not retry those answers.
 */
const RATE_LIMITED_RETRY_MS = 20_000;

/** The SDK's own reading of Stripe's answer (a 429, or a 400 with code `rate_limit`). */
function isRateLimited(error: unknown) {
  return (error as { type?: string } | null)?.type === "StripeRateLimitError";
}

/** Calls Stripe again (same idempotency key, so it is safe) while it answers 429, backing off. */
async function patientWithRateLimits<T>(call: () => Promise<T>): Promise<T> {
  const until = Date.now() + RATE_LIMITED_RETRY_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      // 250 ms, doubling to 4 s, each between half and all of that so buyers spread out.
      const wait = doublingDelayMs(attempt + 1, 250, 4_000) * (0.5 + Math.random() / 2);
      if (!isRateLimited(error) || Date.now() + wait > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** What a Checkout Session is made of: a placed order, or one read back for its payment step. */
export type CheckoutOrder = Pick<PlacedOrder, "id" | "reference" | "buyerEmail" | "currency" | "totalCents" | "expiresAt" | "discountCode"> & {
  priced: { discountCents: number; taxCents: number; lines: { name: string; unitCents: number; quantity: number }[] };
};

/**
 * Creates the Stripe Checkout Session for a PENDING order whose seats are held: a line per ticket
 * type, our discount as a one-off fixed coupon and our tax as its own line, so Stripe charges
 * exactly our total. Every parameter follows from the order and the idempotency key is the
 * order's, so two tries (a double click, a retry) get the same session. While Stripe answers "too
 * many requests" the buyer waits; if Stripe cannot be reached, nothing is charged, the seats stay
 * held and the buyer can try again (`payment.unavailable`).
 */
export async function startCheckout(
  order: CheckoutOrder,
  event: { name: string; taxName: string; taxRateBps: number },
  urls: CheckoutUrls,
): Promise<string> {
  try {
    const client = stripe();
    const key = `checkout-${order.id}`;
    const coupon =
      order.priced.discountCents > 0
        ? await patientWithRateLimits(() =>
            client.coupons.create(
              { amount_off: order.priced.discountCents, currency: order.currency.toLowerCase(), duration: "once", max_redemptions: 1, name: order.discountCode ?? "Discount" },
              { idempotencyKey: `${key}-coupon` },
            ),
          )
        : null;
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: "payment",
      customer_email: order.buyerEmail,
      client_reference_id: order.id,
      metadata: { orderId: order.id, reference: order.reference },
      payment_intent_data: { metadata: { orderId: order.id, reference: order.reference } },
      expires_at: Math.floor(order.expiresAt.getTime() / 1000) + STRIPE_GRACE_SECONDS,
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      line_items: [
        ...order.priced.lines.map((line) => ({
          quantity: line.quantity,
          price_data: { currency: order.currency.toLowerCase(), unit_amount: line.unitCents, product_data: { name: `${event.name}: ${line.name}` } },
        })),
        ...(order.priced.taxCents > 0
          ? [{ quantity: 1, price_data: { currency: order.currency.toLowerCase(), unit_amount: order.priced.taxCents, product_data: { name: `${event.taxName} ${event.taxRateBps / 100}%` } } }]
          : []),
      ],
      ...(coupon ? { discounts: [{ coupon: coupon.id }] } : {}),
    };
    const session = await patientWithRateLimits(() => client.checkout.sessions.create(params, { idempotencyKey: key }));
    if (session.amount_total !== order.totalCents) {
      throw new Error(`Stripe computed ${session.amount_total} for order ${order.reference}, we computed ${order.totalCents}`);
    }
    await recordSession({ orderId: order.id, sessionId: session.id, url: session.url! });
    return session.url!;
  } catch (error) {
    log.error("could not start checkout", { order: order.reference, error: String(error) });
    fail("payment.unavailable");
  }
}

/**
 * The payment step of a buyer's order: the Stripe page to send them to, creating its Checkout
 * Session the first time, or null when there is nothing to pay (paid, ended, or the hold too close
 * to its end to start paying, which ends it so the seats go back). Holding the seats and opening
 * the payment page are two steps: seats are held as fast as buyers ask, whatever Stripe's speed and
 * request limits, and a buyer whose payment page could not be opened keeps their seats.
 */
export async function openPayment(
  order: CheckoutOrder & { status: string; checkoutUrl: string | null },
  event: { name: string; taxName: string; taxRateBps: number },
  urls: CheckoutUrls,
  now: Date,
): Promise<string | null> {
  if (order.status !== "PENDING") return null;
  const lastStart = order.expiresAt.getTime() - PAYMENT_START_MARGIN_MS;
  if (now.getTime() >= (order.checkoutUrl ? order.expiresAt.getTime() : lastStart)) {
    await expireOrders({ orderIds: [order.id] }, "EXPIRED", order.checkoutUrl ? "hold-expired" : "payment-not-started");
    return null;
  }
  return order.checkoutUrl ?? (await startCheckout(order, event, urls));
}

/**
 * Remembers each order's Checkout Session. Sessions created in the same turn of the event loop
 * are written with one statement: in a rush, many are.
 */
const recordSession = batched(async (sessions: { orderId: string; sessionId: string; url: string }[]) => {
  await db().$executeRaw`
    UPDATE "Order" AS o SET "stripeSessionId" = s.session_id, "checkoutUrl" = s.url, "updatedAt" = now()
    FROM unnest(${sessions.map((s) => s.orderId)}::text[], ${sessions.map((s) => s.sessionId)}::text[], ${sessions.map((s) => s.url)}::text[]) AS s(id, session_id, url)
    WHERE o.id = s.id`;
  return sessions.map(() => undefined);
});

async function offerSeatsOf(orders: { items: { ticketTypeId: string }[] }[]) {
  const typeIds = new Set(orders.flatMap((o) => o.items.map((i) => i.ticketTypeId)));
  for (const id of typeIds) await offerReturnedSeats(id, new Date());
}

/** Ends holds and makes sure their Stripe sessions can no longer be paid. */
export async function expireOrders(where: Parameters<typeof endHolds>[0], outcome: "EXPIRED" | "CANCELLED", reason: string) {
  const ended = await endHolds(where, outcome, reason);
  for (const order of ended) {
    if (!order.stripeSessionId) continue;
    try {
      await stripe().checkout.sessions.expire(order.stripeSessionId);
    } catch (error) {
      // Already expired or paid meanwhile: a payment that lands now takes the late-payment path.
      log.warn("could not expire a Stripe session", { order: order.reference, error: String(error) });
    }
  }
  await offerSeatsOf(ended);
  return ended;
}

/** The sweeper: holds past their time end, seats return. */
export function expireHolds(now: Date) {
  return expireOrders({ expiredBefore: now }, "EXPIRED", "hold-expired");
}

/** Confirms a paid Checkout Session; refunds a payment that found no seats left. */
export async function settleSession(session: Stripe.Checkout.Session, now: Date) {
  const orderId = session.metadata?.orderId ?? session.client_reference_id;
  if (!orderId || session.payment_status !== "paid") return null;
  const paymentIntentId = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
  const result = await fulfilOrder(orderId, { stripeSessionId: session.id, paymentIntentId, amountCents: session.amount_total ?? undefined }, now);
  if (result.outcome === "refund-needed" && paymentIntentId) {
    await refundUnfulfillable(orderId, paymentIntentId, session.amount_total ?? 0, result.reason);
  }
  return result;
}

/** Money without seats is returned at once, and the buyer is told why. */
async function refundUnfulfillable(orderId: string, paymentIntentId: string, amountCents: number, reason: string) {
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
async function sendRefund(refundId: string, paymentIntentId: string) {
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
      event: { select: { taxRateBps: true } },
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
  return { amountCents: Math.min(remaining, net + taxOn(net, order.event.taxRateBps)), remaining, ticketIds: chosen.map((t) => t.id) };
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

export class WebhookNotReady extends Error {}

/**
 * One verified Stripe event (stored first: stripe-events.server.ts). Every handler is idempotent,
 * so redelivery in any order converges on the same state. Throwing leaves the event to be tried
 * again, by Stripe and by the stored-events job.
 */
export async function handleStripeEvent(event: Stripe.Event, now: Date): Promise<"handled" | "ignored"> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      if (session.payment_status === "paid") await settleSession(session, now);
      else await keepHoldWhilePaymentProcesses(session, now);
      return "handled";
    }
    case "checkout.session.expired":
    case "checkout.session.async_payment_failed": {
      const orderId = event.data.object.metadata?.orderId ?? event.data.object.client_reference_id;
      if (orderId) await expireOrders({ orderIds: [orderId] }, "EXPIRED", event.type);
      return "handled";
    }
    case "charge.refunded":
      await recordRefunds(event.data.object);
      return "handled";
    default:
      return "ignored";
  }
}

/** Delayed methods (3-D Secure, bank debits) complete unpaid: keep the seats while the bank decides. */
async function keepHoldWhilePaymentProcesses(session: Stripe.Checkout.Session, now: Date) {
  const orderId = session.metadata?.orderId ?? session.client_reference_id;
  if (!orderId) return;
  await db().order.updateMany({
    where: { id: orderId, status: "PENDING" },
    data: { expiresAt: new Date(now.getTime() + 72 * 3600_000) },
  });
}

async function recordRefunds(charge: Stripe.Charge) {
  // Current API versions leave the refund list out of webhook payloads: ask for it.
  const refunds = await stripe().refunds.list({ charge: charge.id, limit: 100 });
  const paymentIntentId = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  for (const r of refunds.data) {
    if (r.status !== "succeeded") continue;
    const ours = r.metadata?.refundId
      ? await db().refund.findUnique({ where: { id: r.metadata.refundId } })
      : await db().refund.findUnique({ where: { stripeRefundId: r.id } });
    if (ours) {
      if (!ours.stripeRefundId) await db().refund.update({ where: { id: ours.id }, data: { stripeRefundId: r.id } });
      await applyRefund(ours.id);
      continue;
    }
    // A refund made in Stripe's dashboard: record it against its order, found through the
    // payment's metadata. Payments that are not ticket orders are none of our business.
    const orderId = paymentIntentId ? (await stripe().paymentIntents.retrieve(paymentIntentId)).metadata?.orderId : undefined;
    const order = orderId ? await db().order.findUnique({ where: { id: orderId }, select: { id: true, status: true } }) : null;
    if (!order) continue;
    // The payment may not be recorded yet (events out of order): let Stripe deliver this again.
    if (order.status === "PENDING") throw new WebhookNotReady(`order ${order.id} is not paid yet`);
    const created = await db().refund.upsert({
      where: { stripeRefundId: r.id },
      create: { orderId: order.id, stripeRefundId: r.id, amountCents: r.amount, ticketIds: [], reason: "stripe-dashboard" },
      update: {},
    });
    await applyRefund(created.id);
  }
}

/**
 * Finds what webhooks may have missed: PENDING orders whose session was paid or expired at Stripe,
 * ended orders that were paid anyway, and refunds that never reached Stripe.
 */
export async function reconcile(now: Date, { olderThanMs = 60_000 } = {}) {
  const since = new Date(now.getTime() - 48 * 3600_000);
  const candidates = await db().order.findMany({
    where: {
      stripeSessionId: { not: null },
      createdAt: { lt: new Date(now.getTime() - olderThanMs), gt: since },
      OR: [{ status: "PENDING" }, { status: { in: ["EXPIRED", "CANCELLED"] }, paidAt: null }],
    },
    select: { id: true, status: true, stripeSessionId: true, refunds: { select: { id: true } } },
    take: 200,
    orderBy: { createdAt: "asc" },
  });
  const summary = { fulfilled: 0, expired: 0, refunded: 0, refundsRetried: 0 };
  // One order's trouble (Stripe down, a refund already made) must not stop the others.
  const each = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      log.warn(`reconciliation: ${what} failed`, { error: String(error) });
    }
  };
  for (const order of candidates) {
    if (order.status !== "PENDING" && order.refunds.length > 0) continue;
    await each(`order ${order.id}`, async () => {
      const session = await stripe().checkout.sessions.retrieve(order.stripeSessionId!);
      if (session.payment_status === "paid") {
        const result = await settleSession(session, now);
        if (result?.outcome === "fulfilled") summary.fulfilled++;
        if (result?.outcome === "refund-needed") summary.refunded++;
      } else if (order.status === "PENDING" && session.status === "expired") {
        summary.expired += (await expireOrders({ orderIds: [order.id] }, "EXPIRED", "reconciled-expired")).length;
      }
    });
  }
  const stuck = await db().refund.findMany({
    where: { status: "PENDING", createdAt: { lt: new Date(now.getTime() - olderThanMs) } },
    select: { id: true, order: { select: { stripePaymentId: true } } },
  });
  for (const refund of stuck) {
    if (!refund.order.stripePaymentId) continue;
    await each(`refund ${refund.id}`, async () => {
      await sendRefund(refund.id, refund.order.stripePaymentId!);
      summary.refundsRetried++;
    });
  }
  return summary;
}
