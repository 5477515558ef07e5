// What webhooks may have missed, found by asking Stripe: a crash or a lost delivery loses nothing.
import { db } from "~/services/db.server";
import { log } from "~/services/log.server";
import { stripe } from "~/services/stripe.server";
import { webhookQueue } from "~/services/work-queue.server";
import { expireOrders } from "./holds.server";
import { sendRefund } from "./refunds.server";
import { settleCompletedSession, settleSession } from "./settlement.server";

/** How far back reconciliation looks for orders that Stripe may know more about. */
const LOOK_BACK_MS = 48 * 3600_000;
/** Sessions are created after their order; this much more covers a Stripe clock a little behind ours. */
const CLOCK_MARGIN_S = 300;

/** One order's trouble (Stripe down, a refund already made) must not stop the others. */
async function each(what: string, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    log.warn(`reconciliation: ${what} failed`, { error: String(error) });
  }
}

/**
 * Finds what webhooks may have missed: PENDING orders whose session was paid or expired at Stripe,
 * ended orders that were paid anyway, and refunds that never reached Stripe.
 */
export async function reconcile(now: Date, { olderThanMs = 60_000 } = {}) {
  const since = new Date(now.getTime() - LOOK_BACK_MS);
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

/**
 * At start-up: open holds whose Stripe session was completed while no instance took webhooks (a
 * crash, a deploy). Stripe sends those webhooks again only minutes later, and the minute's
 * reconciliation asks about one order at a time; one listing of the sessions completed since the
 * oldest open hold lets them be settled within seconds of the start, in turns with webhooks.
 */
export async function settlePaidWhileAway(now: Date) {
  const open = await db().order.findMany({
    where: { status: "PENDING", stripeSessionId: { not: null }, createdAt: { gt: new Date(now.getTime() - LOOK_BACK_MS) } },
    select: { stripeSessionId: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  if (open.length === 0) return 0;
  const waiting = new Set(open.map((order) => order.stripeSessionId!));
  const since = Math.floor(open[0]!.createdAt.getTime() / 1000) - CLOCK_MARGIN_S;
  const settling: Promise<void>[] = [];
  for await (const session of stripe().checkout.sessions.list({ status: "complete", created: { gte: since }, limit: 100 })) {
    if (!waiting.has(session.id)) continue;
    settling.push(webhookQueue.run(() => each(`session ${session.id}`, () => settleCompletedSession(session, now))));
  }
  await Promise.all(settling);
  if (settling.length > 0) log.info("reconciliation: settled sessions completed while the app was down", { sessions: settling.length });
  return settling.length;
}
