// Stripe events are stored before they are handled (ADR 0007), with a job that handles them, in
// one transaction. A delivery handles its event at once when the app has a turn free for it within
// a few seconds; otherwise Stripe gets its 200 straight away and the job handles the event moments
// later. When thousands of buyers pay within a minute, Stripe's deliveries no longer wait in line
// until they time out (and are sent again), and an event that failed is retried by the job queue
// (its backoff) as well as by Stripe.
import type Stripe from "stripe";
import { db } from "~/services/db.server";
import { addJob, addJobCall, hurryJobs, instanceName, removeJobCall } from "~/services/job-queue.server";
import { webhookQueue } from "~/services/work-queue.server";
import { handleStripeEvent } from "./stripe-webhooks.server";

/** How long a delivery waits for a turn before it is acknowledged and left to the job. */
export const DELIVERY_WAIT_MS = 3_000;
/**
 * How long a claim lasts: a handler that takes longer may be run again (they are idempotent). The
 * claim of an instance that stopped mid-way (a crash) is released sooner, once its job workers
 * are found stopped (releaseStripeEventClaims).
 */
const CLAIM_MS = 60_000;
export const STRIPE_EVENT_JOB = "handle-stripe-event";
/** The job's tries, e^n s apart (capped at e^10 s, about 6 h): about 16 hours, within Stripe's own three days of retries. */
const STRIPE_EVENT_MAX_ATTEMPTS = 12;

const jobKey = (id: string) => `stripe-event:${id}`;

/**
 * Stores a verified event and its job, in one statement (Stripe may send thousands at once); says
 * whether it still has to be handled. The job waits a little longer than a delivery does for its
 * turn, so that it usually finds the event handled.
 */
export async function storeStripeEvent(event: Stripe.Event, now = new Date()): Promise<"pending" | "handled"> {
  const runAt = new Date(now.getTime() + DELIVERY_WAIT_MS + 2_000);
  const job = addJobCall(STRIPE_EVENT_JOB, { eventId: event.id }, { jobKey: jobKey(event.id), runAt, maxAttempts: STRIPE_EVENT_MAX_ATTEMPTS });
  // The last SELECT sees the table as it was before this statement: a new event reads as not handled.
  const [row] = await db().$queryRaw<{ handled: boolean }[]>`
    WITH stored AS (
      INSERT INTO "StripeEvent" (id, type, payload) VALUES (${event.id}, ${event.type}, ${JSON.stringify(event)}::jsonb)
      ON CONFLICT (id) DO NOTHING RETURNING id
    ), job AS (SELECT ${job} FROM stored)
    SELECT (SELECT count(*) FROM job) = 0
      AND EXISTS (SELECT 1 FROM "StripeEvent" WHERE id = ${event.id} AND "handledAt" IS NOT NULL) AS handled`;
  return row?.handled ? "handled" : "pending";
}

/** Moves the events' jobs to now (adding any that is missing): a delivery that got no turn leaves its event to its job at once. */
export async function handleStoredEventsSoon(ids: string[]) {
  const missing = await hurryJobs(ids.map(jobKey));
  for (const key of missing) {
    const eventId = key.slice(jobKey("").length);
    await addJob(db(), STRIPE_EVENT_JOB, { eventId }, { jobKey: key, maxAttempts: STRIPE_EVENT_MAX_ATTEMPTS });
  }
}

/**
 * Handles a stored event unless it is handled or claimed (by a delivery or the job, on any
 * instance). A failure is recorded for the dashboard and thrown.
 */
export async function handleStoredEvent(id: string, now: Date): Promise<"handled" | "ignored" | "not-claimed"> {
  const claimedUntil = new Date(now.getTime() + CLAIM_MS);
  const [claimed] = await db().$queryRaw<{ payload: Stripe.Event }[]>`
    UPDATE "StripeEvent" SET "claimedUntil" = ${claimedUntil}, "claimedBy" = ${instanceName}, attempts = attempts + 1
    WHERE id = ${id} AND "handledAt" IS NULL AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now})
    RETURNING payload`;
  if (!claimed) return "not-claimed";
  try {
    const outcome = await handleStripeEvent(claimed.payload, now);
    // Handled here, its job has nothing left to do: removing it spares the queue a run per event.
    await db().$queryRaw`
      WITH handled AS (
        UPDATE "StripeEvent" SET "handledAt" = now(), payload = NULL, "claimedUntil" = NULL, "claimedBy" = NULL, "lastError" = NULL WHERE id = ${id} RETURNING id
      )
      SELECT (${removeJobCall(jobKey(id))}).id FROM handled`;
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db().$executeRaw`UPDATE "StripeEvent" SET "claimedUntil" = NULL, "claimedBy" = NULL, "lastError" = ${message.slice(0, 2000)} WHERE id = ${id}`;
    throw error;
  }
}

/**
 * The claims of instances that stopped while handling events (their job workers were found
 * stopped): nobody is handling those events any more, so their jobs run now rather than when the
 * claims run out.
 */
export async function releaseStripeEventClaims(instances: string[]) {
  const released = await db().$queryRaw<{ id: string }[]>`
    UPDATE "StripeEvent" SET "claimedUntil" = NULL, "claimedBy" = NULL
    WHERE "claimedBy" = ANY(${instances}::text[]) AND "handledAt" IS NULL
    RETURNING id`;
  if (released.length > 0) await handleStoredEventsSoon(released.map((event) => event.id));
  return released.length;
}

export class StripeEventBusy extends Error {
  override name = "StripeEventBusy";
}

/**
 * The job: handles the event in turns with webhook deliveries. An event a delivery is handling
 * right now is tried again later (the job fails and the queue retries it); a handled one is done.
 */
export async function handleStripeEventJob(id: string, now = new Date()) {
  const outcome = await webhookQueue.run(() => handleStoredEvent(id, now));
  if (outcome !== "not-claimed") return outcome;
  const stored = await db().stripeEvent.findUnique({ where: { id }, select: { handledAt: true } });
  if (stored && !stored.handledAt) throw new StripeEventBusy(`Stripe event ${id} is being handled by a delivery`);
  return "handled";
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
      select: { id: true, type: true, receivedAt: true, attempts: true, lastError: true },
      orderBy: { receivedAt: "asc" },
      take: 5,
    }),
    db().stripeEvent.count({ where: failed }),
  ]);
  return { waiting, failing, failingCount };
}
