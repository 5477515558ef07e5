// Background jobs in every app instance. Each job claims its rows with row locks (FOR UPDATE SKIP
// LOCKED), so any number of instances can run them side by side without coordination.
import { log } from "./log.server";

type Job = { name: string; everyMs: number; run: () => Promise<unknown> };

export function startJobs(jobs: Job[]) {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const job of jobs) {
    let busy = false;
    const tick = () => {
      if (busy || stopped) return;
      busy = true;
      const run = job
        .run()
        .catch((error) => log.error(`job ${job.name} failed`, { error: error instanceof Error ? error.stack : String(error) }))
        .finally(() => {
          busy = false;
          running.delete(run);
        });
      running.add(run);
    };
    timers.push(setInterval(tick, job.everyMs));
    setImmediate(tick);
  }
  return async () => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    await Promise.allSettled([...running]);
  };
}
