// The job queue in tests: run what is due now in this process, or move the clock of waiting jobs.
import { runJobsNow } from "~/domain/jobs.server";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import type { MailTransport } from "~/services/mailer.server";

/** Runs every job due now (a retry waits out its backoff), then returns once none is running. */
export async function runJobs(transport: MailTransport | null = null) {
  await runJobsNow(env().DATABASE_URL!, { transport });
  // runOnce can resolve while its last job is still being recorded.
  for (let i = 0; i < 100; i++) {
    const [row] = await db().$queryRaw<{ running: bigint }[]>`SELECT count(*) AS running FROM graphile_worker._private_jobs WHERE locked_at IS NOT NULL`;
    if (Number(row!.running) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** As if the backoff of every waiting job had run out. */
export function makeJobsDue() {
  return db().$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE locked_at IS NULL AND attempts < max_attempts`;
}

export type QueuedJob = { id: string; task: string; attempts: number; maxAttempts: number; runAt: Date; lastError: string | null };

/** The jobs in the queue, oldest first (a finished job is gone from it). */
export async function queuedJobs(task?: string): Promise<QueuedJob[]> {
  const rows = await db().$queryRaw<{ id: bigint; task_identifier: string; attempts: number; max_attempts: number; run_at: Date; last_error: string | null }[]>`
    SELECT id, task_identifier, attempts, max_attempts, run_at, last_error FROM graphile_worker.jobs ORDER BY id`;
  return rows
    .filter((r) => !task || r.task_identifier === task)
    .map((r) => ({ id: String(r.id), task: r.task_identifier, attempts: r.attempts, maxAttempts: r.max_attempts, runAt: r.run_at, lastError: r.last_error }));
}

export const clearJobs = () => db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
