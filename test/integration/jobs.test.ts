// The job queue as the app runs it: a job belongs to its transaction, the sweeps run on every
// instance's worker without running twice, and a job that keeps failing waits for an organiser.
import { describe, expect, it } from "vitest";
import { EXPIRE_HOLDS_JOB, jobsNeedingAttention, retryJob, startBackgroundJobs } from "~/domain/jobs.server";
import { placeOrder } from "~/domain/orders.server";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import { addJob } from "~/services/job-queue.server";
import { order, seats, seededEvent, ticketType } from "../support/factories";
import { makeJobsDue, queuedJobs, runJobs } from "../support/jobs";

describe("the job queue", () => {
  it("never runs a job whose transaction rolled back", async () => {
    await expect(
      db().$transaction(async (tx) => {
        await addJob(tx, EXPIRE_HOLDS_JOB, {}, { jobKey: "rolled-back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect((await queuedJobs()).filter((j) => j.task === EXPIRE_HOLDS_JOB)).toEqual([]);
  });

  it("runs the sweeps: holds expire within seconds of a worker starting, and the minute sweeps are scheduled once", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 5 });
    // Placed two hours ago: its 30-minute hold is over.
    const placed = await placeOrder(event, order({ [type.slug]: 2 }), new Date(Date.now() - 2 * 60 * 60_000));
    expect(await seats(type.id)).toMatchObject({ held: 2 });
    const stops = await Promise.all([startBackgroundJobs(env().DATABASE_URL!), startBackgroundJobs(env().DATABASE_URL!)]);
    try {
      await expect.poll(async () => (await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status, { timeout: 10_000 }).toBe("EXPIRED");
      expect(await seats(type.id)).toMatchObject({ held: 0 });
      // One chain of hold sweeps for both workers, its next run about 10 s ahead.
      const waiting = async () => (await queuedJobs(EXPIRE_HOLDS_JOB)).filter((j) => j.runAt.getTime() > Date.now());
      await expect.poll(async () => (await waiting()).length, { timeout: 5000 }).toBe(1);
      expect((await waiting())[0]!.runAt.getTime() - Date.now()).toBeLessThanOrEqual(10_000);
      const crontabs = await db().$queryRaw<{ identifier: string }[]>`SELECT identifier FROM graphile_worker._private_known_crontabs ORDER BY identifier`;
      expect(crontabs.map((c) => c.identifier)).toEqual(["expire-holds", "expire-waitlist-offers", "reconcile-payments"]);
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
  });

  it("keeps a job that failed every attempt for organisers, who can run it again", async () => {
    await db().$transaction((tx) => addJob(tx, "handle-stripe-event", { eventId: "evt_missing" }, { maxAttempts: 2 }));
    // The job fails while the event it names is not stored (a Stripe event job always finds its row).
    await db().stripeEvent.create({ data: { id: "evt_missing", type: "charge.refunded", payload: { id: "evt_missing", type: "unknown.type", data: { object: {} } } } });
    await db().$executeRaw`UPDATE "StripeEvent" SET "claimedUntil" = now() + interval '1 hour' WHERE id = 'evt_missing'`;
    await runJobs();
    await makeJobsDue();
    await runJobs();
    const dead = await jobsNeedingAttention();
    expect(dead).toMatchObject({ count: 1, jobs: [{ task: "handle-stripe-event", stripeEventId: "evt_missing", attempts: 2 }] });
    expect(dead.jobs[0]!.lastError).toContain("being handled by a delivery");

    await db().$executeRaw`UPDATE "StripeEvent" SET "claimedUntil" = NULL WHERE id = 'evt_missing'`;
    expect(await retryJob(dead.jobs[0]!.id, null)).toBe(true);
    await runJobs();
    expect(await jobsNeedingAttention()).toEqual({ count: 0, jobs: [] });
    expect(await db().stripeEvent.findUniqueOrThrow({ where: { id: "evt_missing" } })).toMatchObject({ handledAt: expect.any(Date) });
    expect(await db().auditLog.count({ where: { action: "job.retried", subject: `job:${dead.jobs[0]!.id}` } })).toBe(1);
  });
});
