// Holds that end before they are paid: the sweeper, a cancelled or expired Stripe session, a buyer
// who gives up. Seats return, the Stripe page stops taking money, the waitlist hears of the seats.
import type Stripe from "stripe";
import { db } from "~/services/db.server";
import { log } from "~/services/log.server";
import { stripe } from "~/services/stripe.server";
import { PROCESSING_HOLD_MS } from "./checkout-timings";
import { endHolds } from "./orders.server";
import { offerReturnedSeats } from "./waitlist.server";

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

/** Delayed methods (3-D Secure, bank debits) complete unpaid: keep the seats while the bank decides. */
export async function keepHoldWhilePaymentProcesses(session: Stripe.Checkout.Session, now: Date) {
  const orderId = session.metadata?.orderId ?? session.client_reference_id;
  if (!orderId) return;
  await db().order.updateMany({
    where: { id: orderId, status: "PENDING" },
    data: { expiresAt: new Date(now.getTime() + PROCESSING_HOLD_MS) },
  });
}
