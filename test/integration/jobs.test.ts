// The job queue as the app runs it: a job belongs to its transaction, the sweeps run on every
// instance's worker without running twice, a job that keeps failing waits for an organiser, and
// the jobs of an instance that crashed are released within seconds.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { EXPIRE_HOLDS_JOB, jobsNeedingAttention, retryJob, startBackgroundJobs } from "~/domain/jobs.server";
import { placeOrder } from "~/domain/orders.server";
import { STRIPE_EVENT_JOB } from "~/domain/stripe-events.server";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import { addJob } from "~/services/job-queue.server";
import { SEND_EMAIL_JOB } from "~/services/outbox.server";
import { order, seats, seededEvent, ticketType } from "../support/factories";
import { clearJobs, makeJobsDue, queuedJobs, runJobs } from "../support/jobs";

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
      expect(crontabs.map((c) => c.identifier)).toEqual(["clear-expired-rate-limits", "erase-expired-event-data", "expire-holds", "expire-waitlist-offers", "invoice-orders", "reconcile-payments"]);
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

  it("releases within seconds the jobs of workers that stopped without giving them back (a crash), never a live one's", async () => {
    await clearJobs();
    // Other instances' workers, as the heartbeat table knows them.
    const worker = (id: string, instance: string, silentFor: number) =>
      db().$executeRaw`INSERT INTO "JobWorker" (id, instance, "heartbeatAt") VALUES (${id}, ${instance}, now() - ${silentFor} * interval '1 second')`;
    await worker("other-crashed", "re3m crashed 1 aa", 12);
    await worker("other-unreachable", "re3m unreachable 2 bb", 40);
    await worker("other-busy", "re3m busy 3 cc", 15);
    await worker("other-reconnecting", "re3m reconnecting 4 dd", 0);
    // PostgreSQL still has the connections of these two: a busy instance, and one whose machine
    // dropped off the network (its connections linger until TCP gives up on them).
    const connections = await Promise.all(
      ["re3m busy 3 cc", "re3m unreachable 2 bb"].map(async (name) => {
        const client = new pg.Client({ connectionString: env().DATABASE_URL, application_name: name });
        await client.connect();
        return client;
      }),
    );
    // A job each worker took (tried once, still locked), and two taken by workers that never
    // registered: one 40 s ago, one just now (a worker registering as it starts).
    const lockedBy = async (key: string, by: string, { secondsAgo = 1, attempts = 1, maxAttempts = 9, task = SEND_EMAIL_JOB, payload = { emailId: `no-such-email-${key}` } as object } = {}) => {
      await addJob(db(), task, { ...payload }, { jobKey: key, maxAttempts });
      await db().$executeRaw`UPDATE graphile_worker._private_jobs
        SET locked_by = ${by}, locked_at = now() - ${secondsAgo} * interval '1 second', attempts = ${attempts}, key = ${key.startsWith("nokey") ? null : key}
        WHERE key = ${key}`;
    };
    await lockedBy("crashed", "other-crashed");
    await lockedBy("unreachable", "other-unreachable");
    await lockedBy("busy", "other-busy", { secondsAgo: 120 });
    await lockedBy("reconnecting", "other-reconnecting");
    await lockedBy("unregistered-long-ago", "other-unregistered-1", { secondsAgo: 40 });
    await lockedBy("unregistered-just-now", "other-unregistered-2");
    // The crashed worker was on the last attempt of one job, and on one graphile-worker had retired
    // meanwhile (keyless, its attempts used up: a newer job took its key, or its work was done).
    await lockedBy("last-attempt", "other-crashed", { attempts: 9 });
    await lockedBy("nokey-retired", "other-crashed", { attempts: 9 });
    // It was also handling a Stripe event: its claim would last an hour, its job waits as long.
    await db().stripeEvent.create({ data: { id: "evt_crashed", type: "unknown.type", payload: { id: "evt_crashed", type: "unknown.type", data: { object: {} } } } });
    await db().$executeRaw`UPDATE "StripeEvent" SET "claimedUntil" = now() + interval '1 hour', "claimedBy" = 're3m crashed 1 aa' WHERE id = 'evt_crashed'`;
    await addJob(db(), STRIPE_EVENT_JOB, { eventId: "evt_crashed" }, { jobKey: "stripe-event:evt_crashed", runAt: new Date(Date.now() + 3600_000) });

    const holders = async () =>
      (await db().$queryRaw<{ locked_by: string }[]>`SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by LIKE 'other-%' ORDER BY locked_by`).map((j) => j.locked_by);
    const started = Date.now();
    let stop: (() => Promise<void>) | undefined = await startBackgroundJobs(env().DATABASE_URL!);
    try {
      const released = async () => {
        // The reconnecting worker keeps its heartbeat going: only its connections are missing.
        await db().$executeRaw`UPDATE "JobWorker" SET "heartbeatAt" = now() WHERE id = 'other-reconnecting'`;
        const handled = await db().stripeEvent.findUniqueOrThrow({ where: { id: "evt_crashed" } });
        return { holders: await holders(), eventHandled: handled.handledAt !== null };
      };
      await expect.poll(released, { interval: 200, timeout: 20_000 }).toEqual({
        holders: ["other-busy", "other-reconnecting", "other-unregistered-2"],
        eventHandled: true,
      });
      // Two heartbeats, 5 s apart, before this instance judges others.
      expect(Date.now() - started).toBeLessThan(15_000);
      const others = async () => (await db().jobWorker.findMany({ where: { id: { startsWith: "other-" } }, select: { id: true } })).map((w) => w.id).sort();
      expect(await others()).toEqual(["other-busy", "other-reconnecting"]);
      expect(await db().jobWorker.count({ where: { id: { startsWith: "pool-" } } })).toBe(2);
      // The released jobs ran (a missing email is nothing to send); the one cut short on its last
      // attempt waits for an organiser, saying why; the retired one is gone.
      const dead = await jobsNeedingAttention();
      expect(dead).toMatchObject({ count: 1, jobs: [{ task: SEND_EMAIL_JOB, emailId: "no-such-email-last-attempt" }] });
      expect(dead.jobs[0]!.lastError).toMatch(/cut short/);
      expect((await queuedJobs(SEND_EMAIL_JOB)).filter((j) => j.attempts >= j.maxAttempts)).toHaveLength(1);
      await stop();
      stop = undefined;
      // Stopped cleanly, its two workers give back their jobs and leave the table.
      expect(await db().jobWorker.count({ where: { id: { startsWith: "pool-" } } })).toBe(0);
    } finally {
      await stop?.();
      await Promise.all(connections.map((c) => c.end()));
      await clearJobs();
      await db().jobWorker.deleteMany();
    }
  });
});
