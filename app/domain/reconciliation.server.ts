// What webhooks may have missed, found by asking Stripe: a crash or a lost delivery loses nothing.
import { db } from "~/services/db.server";
import { log } from "~/services/log.server";
import { stripe } from "~/services/stripe.server";
import { expireOrders } from "./holds.server";
import { sendRefund } from "./refunds.server";
import { settleSession } from "./settlement.server";

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
