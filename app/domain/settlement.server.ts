// A paid Checkout Session becomes a paid order, whoever reports it first (webhook, the buyer's
// return to the order page, reconciliation); a payment that found no seats left is refunded.
// Fulfilment follows what Stripe says, never the buyer's redirect alone.
import type Stripe from "stripe";
import { fulfilOrder } from "./fulfilment.server";
import { keepHoldWhilePaymentProcesses } from "./holds.server";
import { refundUnfulfillable } from "./refunds.server";

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

/**
 * A completed Checkout Session, as its `checkout.session.completed` event reports it: paid, it is
 * settled; paid by a delayed method, its seats stay held while the bank decides.
 */
export async function settleCompletedSession(session: Stripe.Checkout.Session, now: Date) {
  if (session.payment_status === "paid") await settleSession(session, now);
  else await keepHoldWhilePaymentProcesses(session, now);
}
