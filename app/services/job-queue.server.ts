// The job queue: graphile-worker on the app's own PostgreSQL. A job is added in the transaction of
// the change it belongs to (graphile_worker.add_job through Prisma), so a rollback leaves no job
// and a commit leaves one that survives crashes. Every app instance runs a worker; jobs are
// locked while they run, retried with graphile-worker's exponential backoff, and a job that used
// up its attempts stays in the table, where organisers see it (failedJobs) and can retry it.
// Workers keep a heartbeat in "JobWorker": the jobs of one that stopped (a crash) are released
// within seconds, where graphile-worker alone would keep them locked for four hours (ADR 0010);
// a worker the database went away under starts afresh once it answers (ADR 0012).
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import {
  Logger,
  parseCronItems,
  run,
  runMigrations,
  runOnce,
  type CronItem,
  type LogLevel,
  type Runner,
  type RunnerOptions,
  type TaskList,
  type WorkerEvents,
} from "graphile-worker";
import pg from "pg";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "./audit.server";
import { db } from "./db.server";
import { log } from "./log.server";

export type { JobHelpers, Task, TaskList } from "graphile-worker";

/** Jobs one instance runs at once: enough to overlap SMTP round trips, few enough to leave the pool to pages. */
export const JOB_CONCURRENCY = 6;

type FailureMeta = { failure?: boolean; job?: { id: string; task_identifier: string; attempts: number; max_attempts: number }; error?: { name?: string } };

const logger = new Logger((scope) => (level: LogLevel, message: string, meta?: unknown) => {
  const failure = meta as FailureMeta | undefined;
  if (failure?.failure && failure.job) {
    // A failed try is an error only when it was the last: the others come back with a backoff (a
    // Stripe event that a delivery is handling at that moment, in every rush). One short line,
    // without the job's whole row.
    const { job } = failure;
    const fields = { task: job.task_identifier, jobId: job.id, attempt: job.attempts, maxAttempts: job.max_attempts, error: failure.error?.name };
    if (job.attempts >= job.max_attempts) log.error(`job queue: ${message}`, fields);
    else log.warn(`job queue: ${message.split("\n")[0]}`, fields);
    return;
  }
  const fields = { scope, ...(meta && typeof meta === "object" ? meta : {}) };
  if (level === "error") log.error(`job queue: ${message}`, fields);
  else if (level === "warning") log.warn(`job queue: ${message}`, fields);
  else log.debug(`job queue: ${message}`, fields);
});

export type JobOptions = {
  /** One job per key: adding again replaces the waiting job (its payload and run time). */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** With a job key: a waiting job keeps its run time (graphile-worker's preserve_run_at). */
  keepRunAt?: boolean;
  /** Runs before due jobs of a greater number (default 0), whatever their run times. */
  priority?: number;
};

/** The call that adds a job, to place inside a larger statement (its job then exists only if that commits). */
export function addJobCall(task: string, payload: Record<string, unknown>, options: JobOptions = {}): Prisma.Sql {
  return Prisma.sql`graphile_worker.add_job(
    identifier => ${task},
    payload => ${JSON.stringify(payload)}::json,
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? null}::int,
    job_key => ${options.jobKey ?? null}::text,
    priority => ${options.priority ?? null}::int,
    job_key_mode => ${options.keepRunAt ? "preserve_run_at" : "replace"}
  )`;
}

/**
 * The call that removes the waiting job with this key, to place inside a larger statement. A job
 * that is running is only kept from running again (graphile-worker's remove_job).
 */
export function removeJobCall(jobKey: string): Prisma.Sql {
  return Prisma.sql`graphile_worker.remove_job(${jobKey}::text)`;
}

/** Adds a job inside `tx`: it exists only if the transaction commits. */
export async function addJob(tx: Tx | Prisma.TransactionClient, task: string, payload: Record<string, unknown>, options: JobOptions = {}) {
  await tx.$executeRaw`SELECT ${addJobCall(task, payload, options)}`;
}

/**
 * Makes the waiting jobs with these keys due now; returns the keys that have no job. A running job
 * is left to finish (and to its retry if it fails): adding it again would make the run in progress
 * its last, since graphile-worker's add_job gives a running job's key to a new job and marks the
 * old one as having used all its attempts.
 */
export async function hurryJobs(keys: string[]): Promise<string[]> {
  const found = await db().$queryRaw<{ key: string }[]>`SELECT key FROM graphile_worker._private_jobs WHERE key = ANY(${keys}::text[])`;
  await db().$queryRaw`
    SELECT count(*) FROM graphile_worker.reschedule_jobs(
      ARRAY(SELECT id FROM graphile_worker._private_jobs WHERE key = ANY(${keys}::text[]) AND locked_at IS NULL), run_at => now())`;
  const have = new Set(found.map((job) => job.key));
  return keys.filter((key) => !have.has(key));
}

/** graphile-worker's own schema (graphile_worker), created or brought up to date. */
export function migrateJobQueue(databaseUrl: string) {
  return runMigrations({ connectionString: databaseUrl, logger });
}

type WorkerSetup = {
  tasks: TaskList;
  schedule?: CronItem[];
  concurrency?: number;
  /** Jobs fetched (and locked) per query and completions written together: for many short jobs. */
  batch?: number;
};

type InstanceSetup = {
  databaseUrl: string;
  workers: WorkerSetup[];
  /** Told which instances stopped once their jobs are released, to release what else they held. */
  onStoppedInstances?: (instances: string[]) => Promise<unknown>;
};

/**
 * This instance among those sharing the database: the application_name of its job workers'
 * connections, so that PostgreSQL's own list of sessions shows whether its process still lives.
 * At most 63 ASCII characters: PostgreSQL shortens a longer name, which would then never match.
 */
export const instanceName = `re3m ${hostname().replace(/[^\w.-]/g, "").slice(0, 30)} ${process.pid} ${randomBytes(4).toString("hex")}`;

/** How often each instance's workers say they are alive, and look for workers that stopped. */
const HEARTBEAT_MS = 5_000;
/** A worker silent this long whose connections PostgreSQL has dropped has stopped: its process died. */
const GONE_AFTER_MS = 10_000;
/**
 * A worker silent this long has stopped, connections or not: a machine that lost power or its
 * network leaves its connections open in PostgreSQL until TCP gives up on them, hours later.
 */
const SILENT_AFTER_MS = 30_000;

/**
 * Starts this instance's workers (LISTEN/NOTIFY picks up a new job at once), registers them in
 * "JobWorker" and keeps their heartbeat; returns their stop.
 */
export async function startJobWorkers({ databaseUrl, workers, onStoppedInstances }: InstanceSetup): Promise<() => Promise<void>> {
  // The heartbeat's own connections, named like the workers' (the instance's application_name).
  const pool = namedPool(databaseUrl, 2, (error) => log.warn("job queue: a heartbeat connection ended", { error: error.message }));
  /** The workers' current pool ids (the `locked_by` of their jobs), which the heartbeat registers. */
  const ids: string[] = [];
  let stopping = false;
  const supervised: Supervised[] = [];
  try {
    for (const setup of workers) supervised.push(await supervise(databaseUrl, setup, ids, () => stopping));
  } catch (error) {
    stopping = true;
    await Promise.all(supervised.map((worker) => worker.stop()));
    await pool.end();
    throw error;
  }
  const heartbeat = keepHeartbeat(pool, ids, onStoppedInstances);
  await heartbeat.ready;
  return async () => {
    stopping = true;
    // The heartbeat goes on while running jobs finish, or others would take them for abandoned.
    await Promise.all(supervised.map((worker) => worker.stop()));
    await heartbeat.stop();
    // Stopped cleanly, their jobs given back by graphile-worker: nobody needs to judge them.
    await pool.query(`DELETE FROM "JobWorker" WHERE id = ANY($1::text[])`, [ids]).catch((error) => log.warn("job queue: could not unregister the workers", { error: String(error) }));
    await pool.end();
  };
}

/**
 * Connections of this instance's job queue, named after it (application_name), so that PostgreSQL's
 * list of sessions shows whether the instance lives. Our own pool, so that it outlives no stop:
 * graphile-worker's stop resolved before its pool ended, and the database then stopping behind it
 * crashed the process with an unhandled pool error.
 */
function namedPool(databaseUrl: string, max: number, ended: (error: Error) => void) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, application_name: instanceName });
  pool.on("error", ended);
  // graphile-worker asks for this too (it warns without it): a connection in use that ends.
  pool.on("connect", (client) => client.on("error", ended));
  return pool;
}

type Supervised = { stop(): Promise<void> };

/**
 * One graphile-worker runner, started again when the database went away under it. graphile-worker
 * 0.17 can otherwise lose jobs until their lock expires (4 hours): a fetch whose answer is cut off
 * leaves the jobs it locked to a worker that never got them, and a worker that cannot record how a
 * job ended stops for good ("queue is in an inconsistent state"). So after a connection ends, or
 * the runner stops by itself, it is stopped, and once the database answers the jobs it held are
 * unlocked, its old ids forgotten, and a new runner starts on a pool of its own (a connection the
 * stopped one never gave back cannot starve it). Every job here may run again.
 */
async function supervise(databaseUrl: string, { tasks, schedule = [], concurrency = JOB_CONCURRENCY, batch }: WorkerSetup, ids: string[], stopping: () => boolean): Promise<Supervised> {
  const own: string[] = [];
  // The pool's id is the `locked_by` of every job it takes; it is known before it takes one.
  const events: WorkerEvents = new EventEmitter();
  events.on("pool:create", ({ workerPool }) => {
    own.push(workerPool.id);
    ids.push(workerPool.id);
  });
  const options: RunnerOptions = {
    // A job's outcome is always recorded through graphile-worker's batcher (at once, delay 0):
    // without it, 0.17.3 records it without awaiting the write, and a database gone at that moment
    // became an unhandled rejection, which ends a Node process.
    preset: { worker: { ...(batch ? { localQueue: { size: batch } } : {}), completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    concurrency,
    taskList: tasks,
    parsedCronItems: parseCronItems(schedule),
    logger,
    events,
    // The server owns shutdown (server.ts): it stops the worker before the database.
    noHandleSignals: true,
    pollInterval: 2_000,
  };
  let runner: Runner | null = null;
  let restarting: Promise<void> | null = null;
  let wake = () => {};
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });
  const connect = () => {
    const fresh: pg.Pool = namedPool(databaseUrl, concurrency + 2, (error) => {
      log.warn("job queue: a database connection ended", { error: error.message });
      // A connection the server ends (restart, failover, shutdown) is not fatal: the worker starts afresh.
      if (!stopping() && runner && pool === fresh) restart("a database connection ended");
    });
    return fresh;
  };
  let pool = connect();
  const forget = (gone: string[]) => {
    for (const id of gone) {
      own.splice(own.indexOf(id), 1);
      ids.splice(ids.indexOf(id), 1);
    }
  };
  const watch = (current: Runner) => {
    runner = current;
    void current.promise
      .catch(() => {})
      .then(() => {
        if (!stopping() && runner === current) restart("the worker stopped by itself");
      });
  };
  const restart = (reason: string) => {
    restarting ??= (async () => {
      log.warn(`job queue: ${reason}; the worker starts afresh once the database answers`);
      const [previous, previousPool] = [runner, pool];
      runner = null;
      await previous?.stop().catch(() => {});
      void previousPool.end().catch(() => {});
      pool = connect();
      for (let attempt = 0; !stopping(); attempt++) {
        await pause(Math.min(500 * 2 ** attempt, 5_000));
        if (stopping()) return;
        try {
          const gone = [...own];
          await pool.query("SELECT graphile_worker.force_unlock_workers($1::text[])", [gone]);
          await pool.query(`DELETE FROM "JobWorker" WHERE id = ANY($1::text[])`, [gone]);
          forget(gone);
          const next = await run({ ...options, pgPool: pool });
          watch(next);
          // Stopped meanwhile (server shutdown): this one stops too.
          if (stopping()) await next.stop();
          return;
        } catch (error) {
          log.warn("job queue: the worker could not start again yet", { error: error instanceof Error ? error.message : String(error) });
        }
      }
    })().finally(() => (restarting = null));
  };
  try {
    watch(await run({ ...options, pgPool: pool }));
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    async stop() {
      wake();
      // A worker that stopped by itself a moment ago says it is already stopped.
      await runner?.stop().catch(() => {});
      await restarting;
      await pool.end();
    },
  };
}

/**
 * Writes the workers' heartbeat every HEARTBEAT_MS (the first one registers them) and, once the
 * instance has kept its own heartbeat going, releases the jobs of workers that stopped.
 */
function keepHeartbeat(pool: pg.Pool, ids: string[], onStoppedInstances: InstanceSetup["onStoppedInstances"]) {
  let lastBeat = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> = Promise.resolve();
  async function beat() {
    const { rows } = await pool.query<{ registered: boolean }>(
      `INSERT INTO "JobWorker" (id, instance) SELECT unnest($1::text[]), $2
       ON CONFLICT (id) DO UPDATE SET "heartbeatAt" = now()
       RETURNING (xmax = 0) AS registered`,
      [ids, instanceName],
    );
    if (lastBeat > 0 && rows.some((row) => row.registered)) {
      log.warn("job queue: another instance took this one's workers for stopped and released their jobs, which may have run twice", { instance: instanceName });
    }
    const previous = lastBeat;
    lastBeat = Date.now();
    return previous;
  }
  async function tick() {
    try {
      const previous = await beat();
      // Only an instance that kept its own heartbeat going judges others: after an outage of its
      // own or the database's, their silence proves nothing.
      if (previous > 0 && lastBeat - previous < 2 * HEARTBEAT_MS) {
        const instances = await releaseStoppedWorkers(pool, ids);
        if (instances.length > 0) await onStoppedInstances?.(instances);
      }
    } catch (error) {
      log.warn("job queue: heartbeat or releasing stopped workers failed", { error: error instanceof Error ? error.message : String(error) });
    }
  }
  function next() {
    timer = setTimeout(() => {
      beating = tick().finally(() => {
        if (!stopped) next();
      });
    }, HEARTBEAT_MS);
  }
  // A failed first heartbeat only delays registering: the next one registers them.
  const ready = beat()
    .catch((error) => log.warn("job queue: heartbeat failed", { error: error instanceof Error ? error.message : String(error) }))
    .then(next);
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await beating;
    },
  };
}

/**
 * Releases the jobs of workers that stopped (graphile-worker's force_unlock_workers) and forgets
 * them, in one transaction; returns the instances left with no worker. Stopped: no heartbeat for
 * GONE_AFTER_MS with no connection left in PostgreSQL, or none for SILENT_AFTER_MS. Jobs locked by
 * a worker that never registered (it died while starting, or ran an older version) are released
 * once locked for SILENT_AFTER_MS. A job whose last attempt was cut short is kept as failed for
 * organisers, with the reason, unless graphile-worker had retired it while it ran (keyless, its
 * attempts used up): it then has nothing left to do. (Jobs without a key of their own are only the
 * minute's sweeps, which run again a minute later.)
 */
async function releaseStoppedWorkers(pool: pg.Pool, own: string[]): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows: workers } = await client.query<{ id: string; instance: string }>(
      `SELECT id, instance FROM "JobWorker" w
       WHERE id <> ALL($1::text[])
         AND ("heartbeatAt" < now() - $3::int * interval '1 millisecond'
           OR ("heartbeatAt" < now() - $2::int * interval '1 millisecond'
             AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = w.instance)))
       FOR UPDATE SKIP LOCKED`,
      [own, GONE_AFTER_MS, SILENT_AFTER_MS],
    );
    const { rows: unregistered } = await client.query<{ id: string }>(
      `SELECT DISTINCT locked_by AS id FROM graphile_worker._private_jobs j
       WHERE locked_by IS NOT NULL AND locked_by <> ALL($1::text[]) AND locked_at < now() - $2::int * interval '1 millisecond'
         AND NOT EXISTS (SELECT 1 FROM "JobWorker" w WHERE w.id = j.locked_by)`,
      [own, SILENT_AFTER_MS],
    );
    const stopped = [...workers.map((w) => w.id), ...unregistered.map((w) => w.id)];
    if (stopped.length === 0) {
      await client.query("COMMIT");
      return [];
    }
    const { rows: released } = await client.query<{ id: string }>(`SELECT id FROM graphile_worker._private_jobs WHERE locked_by = ANY($1::text[])`, [stopped]);
    const jobIds = released.map((job) => job.id);
    await client.query(`SELECT graphile_worker.force_unlock_workers($1::text[])`, [stopped]);
    await client.query(`DELETE FROM "JobWorker" WHERE id = ANY($1::text[])`, [stopped]);
    // Retired while it ran: graphile-worker's add_job (a newer job took its key) and remove_job
    // (its work was done elsewhere) leave a running job keyless with its attempts used up.
    await client.query(
      `SELECT count(*) FROM graphile_worker.complete_jobs(ARRAY(
         SELECT id FROM graphile_worker._private_jobs WHERE id = ANY($1::bigint[]) AND key IS NULL AND attempts >= max_attempts))`,
      [jobIds],
    );
    await client.query(
      `SELECT count(*) FROM graphile_worker.permanently_fail_jobs(ARRAY(
         SELECT id FROM graphile_worker._private_jobs WHERE id = ANY($1::bigint[]) AND attempts >= max_attempts), $2)`,
      [jobIds, "Its last attempt was cut short: the app instance running it stopped"],
    );
    const { rows: instances } = await client.query<{ instance: string }>(
      `SELECT DISTINCT gone.name AS instance FROM unnest($1::text[]) AS gone(name) WHERE NOT EXISTS (SELECT 1 FROM "JobWorker" w WHERE w.instance = gone.name)`,
      [workers.map((w) => w.instance)],
    );
    await client.query("COMMIT");
    log.warn("job queue: released the jobs of workers that stopped", { workers: stopped, jobs: jobIds.length });
    return instances.map((row) => row.instance);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Runs every job that is due now, then returns (tests, benchmarks, scripts). */
export function runDueJobs({ databaseUrl, tasks }: { databaseUrl: string; tasks: TaskList }) {
  return runOnce({ connectionString: databaseUrl, taskList: tasks, logger, noHandleSignals: true });
}

export type FailedJob = {
  id: string;
  task: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
  failedAt: Date;
};

/** Jobs that failed their last attempt (graphile-worker keeps them), newest first. */
export async function failedJobs(limit = 100): Promise<FailedJob[]> {
  const rows = await db().$queryRaw<{ id: bigint; task: string; payload: unknown; attempts: number; last_error: string | null; updated_at: Date }[]>`
    SELECT j.id, t.identifier AS task, j.payload, j.attempts, j.last_error, j.updated_at
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.attempts >= j.max_attempts AND j.locked_at IS NULL
    ORDER BY j.updated_at DESC, j.id DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({ id: String(r.id), task: r.task, payload: r.payload, attempts: r.attempts, lastError: r.last_error, failedAt: r.updated_at }));
}

export async function failedJobCount(): Promise<number> {
  const [row] = await db().$queryRaw<{ count: bigint }[]>`
    SELECT count(*) AS count FROM graphile_worker._private_jobs WHERE attempts >= max_attempts AND locked_at IS NULL`;
  return Number(row?.count ?? 0);
}

/** Jobs by state for the metrics endpoint: queued (due now, later, or waiting to retry), running, failed. */
export async function jobCounts(): Promise<{ queued: number; running: number; failed: number }> {
  const [row] = await db().$queryRaw<{ queued: bigint; running: bigint; failed: bigint }[]>`
    SELECT count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts) AS queued,
           count(*) FILTER (WHERE locked_at IS NOT NULL) AS running,
           count(*) FILTER (WHERE locked_at IS NULL AND attempts >= max_attempts) AS failed
    FROM graphile_worker._private_jobs`;
  return { queued: Number(row?.queued ?? 0), running: Number(row?.running ?? 0), failed: Number(row?.failed ?? 0) };
}

/** A failed job, as the dead-letter view shows it; null when it is gone or not failed. */
export async function failedJob(tx: Tx | Prisma.TransactionClient, id: string): Promise<Pick<FailedJob, "id" | "task" | "payload"> | null> {
  if (!/^\d+$/.test(id)) return null;
  const [row] = await tx.$queryRaw<{ task: string; payload: unknown }[]>`
    SELECT t.identifier AS task, j.payload
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.id = ${BigInt(id)} AND j.attempts >= j.max_attempts AND j.locked_at IS NULL`;
  return row ? { id, ...row } : null;
}

/** Gives a failed job a fresh set of attempts, due now. Says whether there was such a job. */
export async function retryFailedJob(tx: Tx | Prisma.TransactionClient, id: string): Promise<boolean> {
  if (!/^\d+$/.test(id)) return false;
  const rescheduled = await tx.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM graphile_worker.reschedule_jobs(ARRAY[${BigInt(id)}]::bigint[], run_at => now(), attempts => 0)`;
  return rescheduled.length > 0;
}
