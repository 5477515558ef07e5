// Stripe events are stored before they are handled. A delivery is handled at once when the app
// has a turn free for it within a few seconds; otherwise Stripe gets its 200 straight away and a
// job handles the event moments later. When thousands of buyers pay within a minute, Stripe's
// deliveries no longer wait in line until they time out (and are sent again), and an event that
// failed is tried again by the job as well as by Stripe.
import type Stripe from "stripe";
import { doublingDelayMs } from "~/services/backoff.server";
import { db } from "~/services/db.server";
import { log } from "~/services/log.server";
import { webhookQueue } from "~/services/work-queue.server";
import { handleStripeEvent } from "./stripe-webhooks.server";

/** How long a delivery waits for a turn before it is acknowledged and left to the job. */
export const DELIVERY_WAIT_MS = 3_000;
/** How long a claim lasts: a handler that takes longer may be run again (they are idempotent). */
const CLAIM_MS = 60_000;
/** Waits before the job tries a failed event again: 5 s, doubling, at most 15 minutes. */
const retryDelayMs = (attempts: number) => doublingDelayMs(attempts, 5_000, 15 * 60_000);

/** Stores a verified event; says whether it still has to be handled. */
export async function storeStripeEvent(event: Stripe.Event): Promise<"pending" | "handled"> {
  const [row] = await db().$queryRaw<{ handled: boolean }[]>`
    WITH stored AS (
      INSERT INTO "StripeEvent" (id, type, payload) VALUES (${event.id}, ${event.type}, ${JSON.stringify(event)}::jsonb)
      ON CONFLICT (id) DO NOTHING
      RETURNING false AS handled
    )
    SELECT handled FROM stored
    UNION ALL
    SELECT "handledAt" IS NOT NULL FROM "StripeEvent" WHERE id = ${event.id}
    LIMIT 1`;
  return row?.handled ? "handled" : "pending";
}

/**
 * Handles a stored event unless it is handled or claimed. `due` (the job) also waits out the
 * delay after a failure; a delivery from Stripe does not, since Stripe sending it again is
 * itself the retry. A failure is recorded for the job and thrown.
 */
export async function handleStoredEvent(id: string, now: Date, { due = false } = {}): Promise<"handled" | "ignored" | "not-claimed"> {
  const claimedUntil = new Date(now.getTime() + CLAIM_MS);
  const [claimed] = await db().$queryRaw<{ payload: Stripe.Event; attempts: number }[]>`
    UPDATE "StripeEvent" SET "claimedUntil" = ${claimedUntil}, attempts = attempts + 1
    WHERE id = ${id} AND "handledAt" IS NULL AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now})
      AND (${!due} OR "nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})
    RETURNING payload, attempts`;
  if (!claimed) return "not-claimed";
  try {
    const outcome = await handleStripeEvent(claimed.payload, now);
    await db().$executeRaw`
      UPDATE "StripeEvent" SET "handledAt" = now(), payload = NULL, "claimedUntil" = NULL, "lastError" = NULL WHERE id = ${id}`;
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db().$executeRaw`
      UPDATE "StripeEvent" SET "claimedUntil" = NULL, "lastError" = ${message.slice(0, 2000)},
        "nextAttemptAt" = ${new Date(now.getTime() + retryDelayMs(claimed.attempts))}
      WHERE id = ${id}`;
    throw error;
  }
}

/**
 * The job: handles stored events that are due, oldest first, in turns with webhook deliveries,
 * for up to `budgetMs`. Any instance may run it; claims keep two from handling the same event.
 */
export async function handleDueStripeEvents(budgetMs: number, clock: () => Date = () => new Date()) {
  const until = Date.now() + budgetMs;
  let handled = 0;
  let failed = 0;
  do {
    const now = clock();
    const due = await db().$queryRaw<{ id: string }[]>`
      SELECT id FROM "StripeEvent"
      WHERE "handledAt" IS NULL AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now})
        AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= ${now})
      ORDER BY "receivedAt" LIMIT 50`;
    if (due.length === 0) break;
    const results = await Promise.allSettled(due.map(({ id }) => webhookQueue.run(() => handleStoredEvent(id, clock(), { due: true }))));
    let failedNow = 0;
    for (const [i, result] of results.entries()) {
      if (result.status === "fulfilled") handled += result.value === "not-claimed" ? 0 : 1;
      else {
        failedNow++;
        log.warn("stored Stripe event failed; it will be tried again", { event: due[i]!.id, error: String(result.reason) });
      }
    }
    failed += failedNow;
    // Everything due failed: the next run tries again after the delay.
    if (failedNow === due.length) break;
  } while (Date.now() < until);
  return { handled, failed };
}

let draining: Promise<unknown> | null = null;

/** Starts handling what waits in this process now, rather than at the job's next run. */
export function handleStoredEventsSoon() {
  draining ??= handleDueStripeEvents(10_000)
    .catch((error) => log.error("handling stored Stripe events failed", { error: String(error) }))
    .finally(() => (draining = null));
}

/**
 * For the organisers' dashboard: events waiting longer than a few seconds (a delivery being
 * handled right now is not worth a notice), and those that failed so far.
 */
export async function stripeEventsNeedingAttention(now = new Date()) {
  const failed = { handledAt: null, lastError: { not: null } };
  const [waiting, failing, failingCount] = await Promise.all([
    db().stripeEvent.count({ where: { handledAt: null, receivedAt: { lt: new Date(now.getTime() - 10_000) } } }),
    db().stripeEvent.findMany({
      where: failed,
      select: { id: true, type: true, receivedAt: true, attempts: true, lastError: true, nextAttemptAt: true },
      orderBy: { receivedAt: "asc" },
      take: 5,
    }),
    db().stripeEvent.count({ where: failed }),
  ]);
  return { waiting, failing, failingCount };
}
