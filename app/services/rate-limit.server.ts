// Limits per client address, account or user, counted where every app instance sees them: in
// PostgreSQL (the table rate_limit.counters, through db()'s pool), or in Redis when REDIS_URL is
// set. With N instances behind a load balancer a client gets the allowance once, not N times.
// When the store cannot be answered (a database outage, Redis down), each instance counts in its
// own memory until it can again: an outage must not turn every login into an error, and a limit
// N times looser for those seconds still stops scripted abuse (ADR 0019).
import { Redis } from "ioredis";
import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { batched } from "./batch.server";
import { dbPool } from "./db.server";
import { env } from "./env.server";
import { log } from "./log.server";

/** `points` attempts per `duration` seconds for each key; `keyPrefix` keeps limits apart in the shared store. */
export type LimitSpec = { keyPrefix: string; points: number; duration: number };

export type LimitStore = { kind: "postgres"; pool: pg.Pool } | { kind: "redis"; client: Redis };

/** Made by the migration 20261208110000_shared_rate_limits, never by the library at run time. */
const COUNTERS = { schemaName: "rate_limit", tableName: "counters" } as const;

/** At most one warning in this many milliseconds while the store cannot be answered. */
const WARN_EVERY_MS = 10_000;
let lastWarning = 0;

function warnStoreUnavailable(error: unknown) {
  if (Date.now() - lastWarning < WARN_EVERY_MS) return;
  lastWarning = Date.now();
  log.warn("the rate limits' store cannot be answered: limits are counted in this instance's memory meanwhile", {
    error: error instanceof Error ? error.message : String(error),
  });
}

let redis: Redis | undefined;

function redisClient(url: string) {
  redis ??= new Redis(url, {
    // A command never waits for a reconnection: the limit answers from memory meanwhile.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 5_000,
  }).on("error", warnStoreUnavailable);
  return redis;
}

/** PostgreSQL through db()'s pool, or Redis when REDIS_URL is set; read on every use, as db() is. */
function configuredStore(): LimitStore {
  const url = env().REDIS_URL;
  return url ? { kind: "redis", client: redisClient(url) } : { kind: "postgres", pool: dbPool() };
}

/**
 * Connects to Redis when REDIS_URL is set, so that the first requests count there too (without
 * it, counters live in PostgreSQL and there is nothing to start). Returns what disconnects.
 */
export async function startRateLimitStore(): Promise<() => Promise<void>> {
  const url = env().REDIS_URL;
  if (!url) return async () => {};
  const client = redisClient(url);
  if (client.status !== "ready") {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off("ready", done);
        resolve();
      };
      // Redis being away does not stop the app: limits count in memory until it is back.
      const timer = setTimeout(done, 5_000);
      client.once("ready", done);
    });
  }
  return async () => {
    redis = undefined;
    await client.quit().catch(() => client.disconnect());
  };
}

/**
 * A rate limit shared by every instance, with the methods of rate-limiter-flexible's limiters
 * that the app uses. Its own memory answers while the store cannot (the library's
 * insuranceLimiter, but saying why in the log).
 */
export class RateLimit {
  readonly points: number;
  private readonly memory: RateLimiterMemory;
  private shared: { client: object; limiter: RateLimiterAbstract } | undefined;

  constructor(
    private readonly spec: LimitSpec,
    private readonly store: () => LimitStore = configuredStore,
  ) {
    this.points = spec.points;
    this.memory = new RateLimiterMemory(spec);
  }

  /** One attempt; rejects with a RateLimiterRes (msBeforeNext) when over the limit. */
  consume(key: string) {
    return this.run((limiter) => limiter.consume(key));
  }

  /** One attempt counted whatever the total; never rejects for being over the limit. */
  penalty(key: string) {
    return this.run((limiter) => limiter.penalty(key));
  }

  /** Takes one attempt back. */
  reward(key: string) {
    return this.run((limiter) => limiter.reward(key));
  }

  /** Forgets every attempt of the key. */
  delete(key: string) {
    return this.run((limiter) => limiter.delete(key));
  }

  private limiter(): RateLimiterAbstract {
    const store = this.store();
    const client = store.kind === "postgres" ? store.pool : store.client;
    if (this.shared?.client !== client) this.shared = { client, limiter: storeLimiter(this.spec, store) };
    return this.shared.limiter;
  }

  private async run<T>(use: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    try {
      return await use(this.limiter());
    } catch (error) {
      // Over the limit: an answer, not a failure of the store.
      if (error instanceof RateLimiterRes) throw error;
      warnStoreUnavailable(error);
      return use(this.memory);
    }
  }
}

function storeLimiter(spec: LimitSpec, store: LimitStore): RateLimiterAbstract {
  // A key that has used its allowance is refused from this instance's memory until its window
  // ends, without asking the store again: a script hammering the login costs no queries.
  const options = { ...spec, inMemoryBlockOnConsumed: spec.points };
  if (store.kind === "redis") return new RateLimiterRedis({ ...options, storeClient: store.client, rejectIfRedisNotReady: true });
  // Expired rows are deleted by a scheduled job (clearExpiredRateLimits), not by a timer per limiter and instance.
  return new CountedTogether({ ...options, ...COUNTERS, storeClient: store.pool, storeType: "pool", tableCreated: true, clearExpiredByTimeout: false }, store.pool);
}

type Count = { key: string; points: number; expire: number | null };
/** A counter after a count, as the library reads it (`expire` is a bigint: node-postgres gives a string). */
type Counted = { points: number; expire: string | null };

/**
 * The counts of one turn of the event loop, whatever their keys, in one statement: each key's
 * counts added up (a key counted twice in one statement would fail), its counter reset first when
 * its window ended, as the library's own statement does for one count. Rows are written in key
 * order, so that two instances counting the same keys never deadlock. Each count gets the counter
 * as it stood after it, in the order the counts were made.
 */
const COUNT_TOGETHER = `
  WITH counts AS (
    SELECT key, sum(points)::int AS points, max(expire) AS expire
    FROM unnest($1::text[], $2::int[], $3::bigint[]) AS c(key, points, expire)
    GROUP BY key
  )
  INSERT INTO "${COUNTERS.schemaName}"."${COUNTERS.tableName}" AS counter (key, points, expire)
  SELECT key, points, expire FROM counts ORDER BY key
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN counter.expire <= $4 THEN excluded.points ELSE counter.points + excluded.points END,
    expire = CASE WHEN counter.expire <= $4 THEN excluded.expire ELSE counter.expire END
  RETURNING key, points, expire`;

async function countTogether(pool: pg.Pool, counts: Count[]): Promise<Counted[]> {
  const { rows } = await pool.query<Counted & { key: string }>({
    name: "rate-limit-count-together",
    text: COUNT_TOGETHER,
    values: [counts.map((c) => c.key), counts.map((c) => c.points), counts.map((c) => c.expire), Date.now()],
  });
  const after = new Map(rows.map((row) => [row.key, { points: row.points, expire: row.expire }]));
  // From the last count of each key back: each earlier one saw the total without the later ones.
  const answers: Counted[] = new Array(counts.length);
  for (let i = counts.length - 1; i >= 0; i--) {
    const { key, points } = counts[i]!;
    const counter = after.get(key)!;
    answers[i] = { points: counter.points, expire: counter.expire };
    counter.points -= points;
  }
  return answers;
}

/**
 * rate-limiter-flexible's PostgreSQL store, with the counts made in one turn of the event loop
 * written together (countTogether, batched): in a ticket rush every buyer's checkout counts an
 * attempt, and one statement per buyer cost a fifth of the answer to a refused buyer. It replaces
 * the store's one-count statement (`_upsert`, which consume, penalty and reward call, in
 * rate-limiter-flexible 7.4); a forced expiry (blocking a key) still goes through the library's.
 */
class CountedTogether extends RateLimiterPostgres {
  private readonly count: (count: Count) => Promise<Counted>;

  constructor(options: ConstructorParameters<typeof RateLimiterPostgres>[0], pool: pg.Pool) {
    super(options);
    this.count = batched((counts: Count[]) => countTogether(pool, counts));
  }

  async _upsert(key: string, points: number, msDuration: number, forceExpire = false): Promise<{ rows: Counted[] }> {
    if (forceExpire) return libraryUpsert.call(this, key, points, msDuration, forceExpire);
    return { rows: [await this.count({ key, points, expire: msDuration > 0 ? Date.now() + msDuration : null })] };
  }
}

const libraryUpsert = (RateLimiterPostgres.prototype as unknown as { _upsert: CountedTogether["_upsert"] })._upsert;

/** Deletes the counters whose window ended before `now` (Redis expires its keys itself). Returns how many. */
export async function clearExpiredRateLimits(now: Date): Promise<number> {
  if (env().REDIS_URL) return 0;
  const { rowCount } = await dbPool().query(`DELETE FROM "${COUNTERS.schemaName}"."${COUNTERS.tableName}" WHERE expire < $1`, [now.getTime()]);
  return rowCount ?? 0;
}

export const checkoutLimiter = new RateLimit({ keyPrefix: "checkout", points: 20, duration: 10 * 60 });

/** Seconds until the client may try again, or 0 when this attempt is allowed. */
export async function retryAfterSeconds(limiter: RateLimit, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

/**
 * Counts one attempt that may turn out not to count (take it back with `limiter.reward`), and
 * answers like `retryAfterSeconds`. Counting before the outcome is known means parallel
 * attempts cannot all slip in under the limit.
 */
export async function countAttempt(limiter: RateLimit, key: string): Promise<number> {
  const state = await limiter.penalty(key);
  if (state.consumedPoints <= limiter.points) return 0;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
