// A buyer's payment step: the Stripe Checkout Session for a held order, created once and reused.
// Holding the seats and opening Stripe's page are two steps (ADR 0008).
import type Stripe from "stripe";
import { doublingDelayMs } from "~/services/backoff.server";
import { batched } from "~/services/batch.server";
import { db } from "~/services/db.server";
import { log } from "~/services/log.server";
import { stripe } from "~/services/stripe.server";
import { paymentMayStart, sessionExpiresAt } from "./checkout-timings";
import { fail } from "./errors";
import { expireOrders } from "./holds.server";
import type { PlacedOrder } from "./orders.server";

type CheckoutUrls = { successUrl: string; cancelUrl: string };

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
  taxName: string;
  priced: { discountCents: number; taxCents: number; taxRateBps: number; lines: { name: string; unitCents: number; quantity: number }[] };
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
  event: { name: string },
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
      expires_at: sessionExpiresAt(order.expiresAt),
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      line_items: [
        ...order.priced.lines.map((line) => ({
          quantity: line.quantity,
          price_data: { currency: order.currency.toLowerCase(), unit_amount: line.unitCents, product_data: { name: `${event.name}: ${line.name}` } },
        })),
        ...(order.priced.taxCents > 0
          ? [{ quantity: 1, price_data: { currency: order.currency.toLowerCase(), unit_amount: order.priced.taxCents, product_data: { name: `${order.taxName} ${order.priced.taxRateBps / 100}%` } } }]
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
  event: { name: string },
  urls: CheckoutUrls,
  now: Date,
): Promise<string | null> {
  if (order.status !== "PENDING") return null;
  const open = order.checkoutUrl ? now.getTime() < order.expiresAt.getTime() : paymentMayStart(order.expiresAt, now);
  if (!open) {
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
