// Stripe events are stored before they are handled, with their job: a busy app acknowledges a
// delivery at once and the job handles it; an event whose handling failed is tried again by that
// job too (graphile-worker's backoff).
import { describe, expect, it } from "vitest";
import { placeOrder } from "~/domain/orders.server";
import { startCheckout } from "~/domain/checkout-session.server";
import { refundOrder } from "~/domain/refunds.server";
import { DELIVERY_WAIT_MS, handleStoredEventsSoon, STRIPE_EVENT_JOB, stripeEventsNeedingAttention } from "~/domain/stripe-events.server";
import { addJob } from "~/services/job-queue.server";
import { db, POOL_SIZE } from "~/services/db.server";
import { webhookQueue } from "~/services/work-queue.server";
import { useStripeEmulator } from "../support/checkout";
import { order, seats, seededEvent, ticketType } from "../support/factories";
import { clearJobs, makeJobsDue, queuedJobs, runJobs } from "../support/jobs";

const harness = useStripeEmulator();
const urls = { successUrl: "http://localhost/orders/x?k=y", cancelUrl: "http://localhost/orders/x/cancel?k=y" };

async function paidCheckout(quantity: number) {
  const event = await seededEvent();
  const type = await ticketType({ capacity: 10 });
  const placed = await placeOrder(event, order({ [type.slug]: quantity }), new Date());
  await startCheckout(placed, event, urls);
  const sessionId = (await db().order.findUniqueOrThrow({ where: { id: placed.id } })).stripeSessionId!;
  return { placed, type, sessionId };
}

describe("stored Stripe events", () => {
  it("acknowledges a delivery when no turn comes in time, then handles the event from the queue", async () => {
    const { placed, type, sessionId } = await paidCheckout(2);
    // Every webhook turn is taken, as when thousands of payments arrive at once.
    const turns = await Promise.all(Array.from({ length: POOL_SIZE }, () => webhookQueue.enter()));
    const statuses = harness.webhookStatuses.length;
    const started = Date.now();
    try {
      harness.emulator.pay(sessionId, "success");
      await harness.emulator.webhooksIdle();
      // Answered 200 after waiting for a turn, without handling it: the order is still pending.
      expect(harness.webhookStatuses.slice(statuses).every((s) => s === 200)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(DELIVERY_WAIT_MS - 50);
      expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status).toBe("PENDING");
      const stored = await db().stripeEvent.findMany({ where: { type: "checkout.session.completed", handledAt: null } });
      expect(stored).toHaveLength(1);
      expect(stored[0]!.payload).toMatchObject({ type: "checkout.session.completed", data: { object: { id: sessionId } } });
    } finally {
      for (const leave of turns) leave();
    }
    // The turns are free again: the event's job, moved to now, handles it without another delivery.
    await runJobs();
    await expect.poll(async () => (await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status, { timeout: 5000 }).toBe("PAID");
    expect(await db().ticket.count({ where: { orderId: placed.id } })).toBe(2);
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 2 });
    // A handled event keeps its id and times, not its payload.
    const completed = harness.emulator.events().find((e) => e.type === "checkout.session.completed" && (e.data.object as { id: string }).id === sessionId)!;
    expect(await db().stripeEvent.findUniqueOrThrow({ where: { id: completed.id } })).toMatchObject({ payload: null, claimedUntil: null, attempts: 1 });
    expect(await db().stripeEvent.count({ where: { handledAt: null } })).toBe(0);
  });

  it("tries a failed event again from the job, after a delay, and then not again", async () => {
    const { placed, sessionId } = await paidCheckout(1);
    harness.emulator.pay(sessionId, "success");
    await harness.emulator.webhooksIdle();
    expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status).toBe("PAID");

    // The refund's event cannot be handled: Stripe refuses to list the refunds, for the first
    // delivery and each of Stripe's three retries.
    harness.emulator.failNext("GET", "/v1/refunds", 4, { status: 400, type: "invalid_request_error", message: "injected" });
    const statuses = harness.webhookStatuses.length;
    await refundOrder(placed.id, null, null);
    await harness.emulator.webhooksIdle();
    expect(harness.webhookStatuses.slice(statuses)).toEqual([500, 500, 500, 500]);
    const failed = await db().stripeEvent.findFirstOrThrow({ where: { type: "charge.refunded", handledAt: null } });
    expect(failed).toMatchObject({ attempts: 4, claimedUntil: null });
    expect(failed.lastError).toContain("injected");
    const [job] = await queuedJobs(STRIPE_EVENT_JOB).then((jobs) => jobs.filter((j) => j.runAt.getTime() > Date.now()));
    expect(job).toBeDefined();

    // The organisers' dashboard shows it, with what went wrong, at once; and a minute later as
    // waiting too.
    expect(await stripeEventsNeedingAttention()).toMatchObject({ waiting: 0, failingCount: 1 });
    expect(await stripeEventsNeedingAttention(new Date(Date.now() + 60_000))).toMatchObject({
      waiting: 1,
      failingCount: 1,
      failing: [{ id: failed.id, type: "charge.refunded", attempts: 4, lastError: expect.stringContaining("injected") }],
    });

    // Not due yet (on a slow machine its first run may come before this line: push it back): its job waits.
    await db().$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() + interval '1 hour'`;
    await runJobs();
    expect(await db().stripeEvent.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({ handledAt: null, attempts: 4 });
    // Once due, the job handles it, and only once.
    await makeJobsDue();
    await runJobs();
    await makeJobsDue();
    await runJobs();
    expect(await queuedJobs(STRIPE_EVENT_JOB)).toEqual([]);
    const done = await db().stripeEvent.findUniqueOrThrow({ where: { id: failed.id } });
    expect(done.handledAt).not.toBeNull();
    expect(done.payload).toBeNull();
    expect(done.attempts).toBe(5);
    expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status).toBe("REFUNDED");
    expect(await stripeEventsNeedingAttention(new Date(Date.now() + 60_000))).toEqual({ waiting: 0, failing: [], failingCount: 0 });
  });

  it("answers a delivery of an event already handled without handling it again", async () => {
    const { placed, sessionId } = await paidCheckout(1);
    harness.emulator.pay(sessionId, "success");
    await harness.emulator.webhooksIdle();
    const event = harness.emulator.events().find((e) => e.type === "checkout.session.completed" && (e.data.object as { id: string }).id === sessionId)!;
    const audits = await db().auditLog.count({ where: { subject: `order:${placed.id}` } });
    const statuses = harness.webhookStatuses.length;
    await harness.emulator.redeliver(event.id);
    await harness.emulator.webhooksIdle();
    expect(harness.webhookStatuses.slice(statuses)).toEqual([200]);
    expect(await db().auditLog.count({ where: { subject: `order:${placed.id}` } })).toBe(audits);
  });

  it("moves a waiting event job to now, and leaves a running one its retries", async () => {
    await clearJobs();
    const stored = (id: string) =>
      db().stripeEvent.create({ data: { id, type: "unknown.type", payload: { id, type: "unknown.type", data: { object: {} } } } });
    await stored("evt_waiting");
    await stored("evt_running");
    await stored("evt_jobless");
    const later = new Date(Date.now() + 3600_000);
    await addJob(db(), STRIPE_EVENT_JOB, { eventId: "evt_waiting" }, { jobKey: "stripe-event:evt_waiting", runAt: later, maxAttempts: 12 });
    await addJob(db(), STRIPE_EVENT_JOB, { eventId: "evt_running" }, { jobKey: "stripe-event:evt_running", runAt: later, maxAttempts: 12 });
    // A worker is running this one right now.
    await db().$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = 'another-worker', locked_at = now(), attempts = 1 WHERE key = 'stripe-event:evt_running'`;

    await handleStoredEventsSoon(["evt_waiting", "evt_running", "evt_jobless"]);
    const jobs = await db().$queryRaw<{ key: string | null; attempts: number; max_attempts: number; due: boolean }[]>`
      SELECT key, attempts, max_attempts, run_at <= now() AS due FROM graphile_worker._private_jobs ORDER BY id`;
    expect(jobs).toEqual([
      { key: "stripe-event:evt_waiting", attempts: 0, max_attempts: 12, due: true },
      // Still its own, with its attempts left: were its run failing now, it would be retried.
      { key: "stripe-event:evt_running", attempts: 1, max_attempts: 12, due: false },
      { key: "stripe-event:evt_jobless", attempts: 0, max_attempts: 12, due: true },
    ]);
    await clearJobs();
  });
});

