// The job queue: graphile-worker on the app's own PostgreSQL. A job is added in the transaction of
// the change it belongs to (graphile_worker.add_job through Prisma), so a rollback leaves no job
// and a commit leaves one that survives crashes. Every app instance runs a worker; jobs are
// locked while they run, retried with graphile-worker's exponential backoff, and a job that used
// up its attempts stays in the table, where organisers see it (failedJobs) and can retry it.
import { EventEmitter } from "node:events";
import { Logger, parseCronItems, run, runMigrations, runOnce, type CronItem, type LogLevel, type Runner, type RunnerOptions, type TaskList, type WorkerEvents } from "graphile-worker";
import pg from "pg";
import { Prisma } from "~/generated/prisma/client";
import type { Tx } from "./audit.server";
import { db } from "./db.server";
import { log } from "./log.server";

export type { JobHelpers, Task, TaskList } from "graphile-worker";

/** Jobs one instance runs at once: enough to overlap SMTP round trips, few enough to leave the pool to pages. */
export const JOB_CONCURRENCY = 6;

const logger = new Logger((scope) => (level: LogLevel, message: string, meta?: unknown) => {
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
};

/** The call that adds a job, to place inside a larger statement (its job then exists only if that commits). */
export function addJobCall(task: string, payload: Record<string, unknown>, options: JobOptions = {}): Prisma.Sql {
  return Prisma.sql`graphile_worker.add_job(
    identifier => ${task},
    payload => ${JSON.stringify(payload)}::json,
    run_at => ${options.runAt ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? null}::int,
    job_key => ${options.jobKey ?? null}::text,
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

/** graphile-worker's own schema (graphile_worker), created or brought up to date. */
export function migrateJobQueue(databaseUrl: string) {
  return runMigrations({ connectionString: databaseUrl, logger });
}

type WorkerSetup = {
  databaseUrl: string;
  tasks: TaskList;
  schedule?: CronItem[];
  concurrency?: number;
  /** Jobs fetched (and locked) per query and completions written together: for many short jobs. */
  batch?: number;
};

/** Starts this instance's worker (LISTEN/NOTIFY picks up a new job at once); returns its stop. */
export async function startJobWorker({ databaseUrl, tasks, schedule = [], concurrency = JOB_CONCURRENCY, batch }: WorkerSetup): Promise<() => Promise<void>> {
  // Each worker pool's id, which is what graphile-worker locks its jobs with.
  const events: WorkerEvents = new EventEmitter();
  const poolIds: string[] = [];
  events.on("pool:create", ({ workerPool }) => poolIds.push(workerPool.id));
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

  // When the database goes away, graphile-worker 0.17 can lose jobs until their lock expires
  // (4 hours): a fetch whose answer is cut off leaves the jobs it locked to a worker that never
  // got them, and a worker that cannot record how a job ended stops for good ("queue is in an
  // inconsistent state"; its retries of that write rethrow at once). So after a connection ends,
  // or the worker stops by itself, this instance's worker is stopped, and once the database
  // answers the jobs it held are unlocked and a new one starts. Every job here may run again.
  let stopping = false;
  let runner: Runner | null = null;
  let restarting: Promise<void> | null = null;
  let wake = () => {};
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });
  // Our own pool, so that it outlives no stop: graphile-worker's stop resolved before its pool ended,
  // and the database then stopping behind it crashed the process with an unhandled pool error.
  // One per worker started: a connection that a stopped worker never gave back cannot starve the next.
  const connect = () => {
    const own = new pg.Pool({ connectionString: databaseUrl, max: concurrency + 2 });
    // A connection the server ends (restart, failover, shutdown) is not fatal: the worker starts afresh.
    const ended = (error: Error) => {
      log.warn("job queue: a database connection ended", { error: error.message });
      if (!stopping && runner && pool === own) restart("a database connection ended");
    };
    own.on("error", ended);
    // graphile-worker asks for this too (it warns without it): a connection in use that ends.
    own.on("connect", (client) => client.on("error", ended));
    return own;
  };
  let pool = connect();
  const watch = (current: Runner) => {
    runner = current;
    void current.promise.catch(() => {}).then(() => {
      if (!stopping && runner === current) restart("the worker stopped by itself");
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
      for (let attempt = 0; !stopping; attempt++) {
        await pause(Math.min(500 * 2 ** attempt, 5_000));
        if (stopping) return;
        try {
          await pool.query("SELECT graphile_worker.force_unlock_workers($1::text[])", [poolIds]);
          poolIds.length = 0;
          const next = await run({ ...options, pgPool: pool });
          watch(next);
          // Stopped meanwhile (server shutdown): this one stops too.
          if (stopping) await next.stop();
          return;
        } catch (error) {
          log.warn("job queue: the worker could not start again yet", { error: error instanceof Error ? error.message : String(error) });
        }
      }
    })().finally(() => (restarting = null));
  };
  watch(await run({ ...options, pgPool: pool }));
  return async () => {
    stopping = true;
    wake();
    // A worker that stopped by itself a moment ago says it is already stopped.
    await runner?.stop().catch(() => {});
    await restarting;
    await pool.end();
  };
}

/** Runs every job that is due now, then returns (tests, benchmarks, scripts). */
export function runDueJobs({ databaseUrl, tasks }: Pick<WorkerSetup, "databaseUrl" | "tasks">) {
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
