// What each Stripe event means for our orders. Events are stored before they are handled
// (stripe-events.server.ts, ADR 0007); this is the handling.
import type Stripe from "stripe";
import { db } from "~/services/db.server";
import { stripe } from "~/services/stripe.server";
import { expireOrders } from "./holds.server";
import { applyRefund } from "./refunds.server";
import { settleCompletedSession } from "./settlement.server";

/** An event that came before the one it depends on (a refund before its payment): try it again later. */
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
      await settleCompletedSession(event.data.object, now);
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
