// What app instances share besides their tables: the rate limits' counters (PostgreSQL, or Redis
// when REDIS_URL is set) and the change feed that tells every instance to forget its cached pages.
// Each "instance" here is a pool or a connection of its own, as a second process would have;
// test/integration/instances.test.ts runs two real servers.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { RateLimiterRes } from "rate-limiter-flexible";
import { afterAll, describe, expect, it } from "vitest";
import { announceChange, listenForChanges, LISTENER_NAME, onChange } from "~/services/change-feed.server";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import { clearExpiredRateLimits, countAttempt, RateLimit, retryAfterSeconds, type LimitStore } from "~/services/rate-limit.server";

const pools: pg.Pool[] = [];
function instancePool(url = env().DATABASE_URL!) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => {});
  pools.push(pool);
  return pool;
}
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

const onPostgres = (pool: pg.Pool) => (): LimitStore => ({ kind: "postgres", pool });
/** A limit unique to this test, so that counters of other tests and runs never meet it. */
const spec = (points: number, duration = 600) => ({ keyPrefix: `test-${randomUUID().slice(0, 8)}`, points, duration });

async function attempts(limit: RateLimit, key: string, count: number) {
  const waits: number[] = [];
  for (let i = 0; i < count; i++) waits.push(await retryAfterSeconds(limit, key));
  return waits;
}

describe("rate limits in PostgreSQL", () => {
  it("adds up the attempts made on two instances", async () => {
    const limits = spec(6);
    const [a, b] = [new RateLimit(limits, onPostgres(instancePool())), new RateLimit(limits, onPostgres(instancePool()))];
    expect(await attempts(a, "198.51.100.7", 3)).toEqual([0, 0, 0]);
    expect(await attempts(b, "198.51.100.7", 3)).toEqual([0, 0, 0]);
    const [onA, onB] = [await retryAfterSeconds(a, "198.51.100.7"), await retryAfterSeconds(b, "198.51.100.7")];
    expect(onA).toBeGreaterThan(590);
    expect(onB).toBeGreaterThan(590);
    // Another client has its own allowance.
    expect(await retryAfterSeconds(b, "198.51.100.8")).toBe(0);
  });

  it("counts failures on one instance and clears them from another (a login's success)", async () => {
    const limits = spec(2);
    const [a, b] = [new RateLimit(limits, onPostgres(instancePool())), new RateLimit(limits, onPostgres(instancePool()))];
    expect(await countAttempt(a, "organiser@example.com 203.0.113.9")).toBe(0);
    expect(await countAttempt(b, "organiser@example.com 203.0.113.9")).toBe(0);
    expect(await countAttempt(a, "organiser@example.com 203.0.113.9")).toBeGreaterThan(0);
    await b.delete("organiser@example.com 203.0.113.9");
    expect(await countAttempt(a, "organiser@example.com 203.0.113.9")).toBe(0);
  });

  it("counts the attempts made at once with one statement per instance, and lets exactly the allowance through", async () => {
    const limits = spec(20);
    const [poolA, poolB] = [instancePool(), instancePool()];
    let statementsOnA = 0;
    const query = poolA.query.bind(poolA) as (...args: unknown[]) => unknown;
    poolA.query = ((...args: unknown[]) => {
      statementsOnA++;
      return query(...args);
    }) as typeof poolA.query;
    const [a, b] = [new RateLimit(limits, onPostgres(poolA)), new RateLimit(limits, onPostgres(poolB))];
    // 15 attempts from one address on each instance, all at once, and one each from five others.
    const others = ["192.0.2.31", "192.0.2.32", "192.0.2.33", "192.0.2.34", "192.0.2.35"];
    const [fromA, fromB, ofOthers] = await Promise.all([
      Promise.all(Array.from({ length: 15 }, () => retryAfterSeconds(a, "192.0.2.30"))),
      Promise.all(Array.from({ length: 15 }, () => retryAfterSeconds(b, "192.0.2.30"))),
      Promise.all(others.map((ip) => retryAfterSeconds(a, ip))),
    ]);
    expect(statementsOnA).toBe(1);
    const allowed = [...fromA, ...fromB].filter((wait) => wait === 0).length;
    expect(allowed).toBe(20);
    expect([...fromA, ...fromB].filter((wait) => wait > 590)).toHaveLength(10);
    expect(ofOthers).toEqual([0, 0, 0, 0, 0]);
    const counters = await db().$queryRaw<{ key: string; points: number }[]>`
      SELECT key, points FROM rate_limit.counters WHERE key LIKE ${`${limits.keyPrefix}:%`} ORDER BY key`;
    expect(counters).toEqual([
      { key: `${limits.keyPrefix}:192.0.2.30`, points: 30 },
      ...others.map((ip) => ({ key: `${limits.keyPrefix}:${ip}`, points: 1 })),
    ]);
  });

  it("starts a window that has ended again from the attempts made together", async () => {
    const limit = new RateLimit(spec(3, 1), onPostgres(instancePool()));
    expect(await Promise.all(Array.from({ length: 4 }, () => retryAfterSeconds(limit, "192.0.2.40")))).toEqual([0, 0, 0, expect.any(Number)]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // The in-memory block of the key ended with its window too.
    expect(await Promise.all(Array.from({ length: 4 }, () => retryAfterSeconds(limit, "192.0.2.40")))).toEqual([0, 0, 0, expect.any(Number)]);
  });

  it("counts in the instance's memory while the database cannot be reached, and never throws", async () => {
    // Nothing listens on port 1: every query fails at once, as in an outage.
    const limit = new RateLimit(spec(2), onPostgres(instancePool("postgres://postgres@127.0.0.1:1/none")));
    expect(await attempts(limit, "192.0.2.1", 3)).toEqual([0, 0, expect.any(Number)]);
    expect(await retryAfterSeconds(limit, "192.0.2.1")).toBeGreaterThan(590);
    expect(await countAttempt(limit, "192.0.2.2")).toBe(0);
    await expect(limit.reward("192.0.2.2")).resolves.toBeInstanceOf(RateLimiterRes);
    await expect(limit.delete("192.0.2.2")).resolves.toBeDefined();
  });

  it("keys of any length, as typed into the login form, are counted", async () => {
    const limit = new RateLimit(spec(1), onPostgres(instancePool()));
    const long = `${"x".repeat(5_000)}@example.com 192.0.2.3`;
    expect(await attempts(limit, long, 2)).toEqual([0, expect.any(Number)]);
    const [row] = await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM rate_limit.counters WHERE length(key) > 5000`;
    expect(Number(row!.n)).toBe(1);
  });

  it("deletes the counters whose window has ended, and keeps the others", async () => {
    const short = new RateLimit(spec(5, 1), onPostgres(instancePool()));
    const long = new RateLimit(spec(5, 600), onPostgres(instancePool()));
    await retryAfterSeconds(short, "192.0.2.10");
    await retryAfterSeconds(long, "192.0.2.10");
    const count = async () => Number((await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM rate_limit.counters`)[0]!.n);
    const before = await count();
    // Two seconds on: the 1-second window has ended.
    const cleared = await clearExpiredRateLimits(new Date(Date.now() + 2_000));
    expect(cleared).toBeGreaterThanOrEqual(1);
    expect(await count()).toBe(before - cleared);
    expect(await retryAfterSeconds(long, "192.0.2.10")).toBe(0);
    const [kept] = await db().$queryRaw<{ points: number }[]>`SELECT points FROM rate_limit.counters WHERE key LIKE '%:192.0.2.10' AND expire > ${Date.now() + 60_000}`;
    expect(kept?.points).toBe(2);
  });
});

// Redis runs on the machines CI uses (127.0.0.1:6379); elsewhere set TEST_REDIS_URL to run these.
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)("rate limits in Redis (REDIS_URL)", () => {
  const clients: Redis[] = [];
  const instanceRedis = (url = redisUrl!) => {
    const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    client.on("error", () => {});
    clients.push(client);
    return client;
  };
  afterAll(() => clients.forEach((client) => client.disconnect()));

  it("adds up the attempts made on two instances", async () => {
    const [redisA, redisB] = [instanceRedis(), instanceRedis()];
    await Promise.all([redisA.connect(), redisB.connect()]);
    const limits = spec(4);
    const [a, b] = [new RateLimit(limits, () => ({ kind: "redis", client: redisA })), new RateLimit(limits, () => ({ kind: "redis", client: redisB }))];
    expect(await attempts(a, "198.51.100.20", 2)).toEqual([0, 0]);
    expect(await attempts(b, "198.51.100.20", 2)).toEqual([0, 0]);
    expect(await retryAfterSeconds(a, "198.51.100.20")).toBeGreaterThan(590);
    expect(await retryAfterSeconds(b, "198.51.100.20")).toBeGreaterThan(590);
    // The counter expires with its window: nothing to clear.
    expect(await redisA.pttl(`${limits.keyPrefix}:198.51.100.20`)).toBeGreaterThan(590_000);
  });

  it("counts in memory while Redis cannot be reached", async () => {
    const down = instanceRedis("redis://127.0.0.1:1");
    const limit = new RateLimit(spec(1), () => ({ kind: "redis", client: down }));
    expect(await attempts(limit, "198.51.100.21", 2)).toEqual([0, expect.any(Number)]);
  });
});

describe("the change feed (LISTEN/NOTIFY)", () => {
  it("tells every listening instance of a change, and after a lost connection forgets once and listens again", async () => {
    let heard = 0;
    const stopHearing = onChange(() => heard++);
    const stop = await listenForChanges(env().DATABASE_URL!);
    try {
      await announceChange();
      await expect.poll(() => heard, { timeout: 1_000, interval: 10 }).toBe(1);

      // The listening connection ended by the server, as a failover or a network cut would.
      const { count } = await db().$queryRaw<{ count: bigint }[]>`
        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ${LISTENER_NAME} AND datname = current_database()`.then(([row]) => row!);
      expect(Number(count)).toBe(1);
      // Back within a second or so, it forgets once (a change may have been missed meanwhile)...
      await expect.poll(() => heard, { timeout: 5_000, interval: 20 }).toBe(2);
      // ...and hears the next change.
      await announceChange();
      await expect.poll(() => heard, { timeout: 1_000, interval: 10 }).toBe(3);
    } finally {
      await stop();
      stopHearing();
    }
    await announceChange();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toBe(3);
  });
});
