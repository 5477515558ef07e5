// An organiser's change, told to every app instance through PostgreSQL's
// LISTEN/NOTIFY, so that each forgets what it keeps in memory (its page cache, the current event)
// at once rather than serving it for its remaining seconds. The instance that made the change
// sends a NOTIFY on its pool; every instance (itself too, harmlessly) hears it on a connection of
// its own, which must be a session of its own: a pooler in transaction mode (PgBouncer's) drops
// LISTEN. That connection comes back by itself after a drop, and then forgets everything once,
// since a change may have been told while it was away (ADR 0019).
import pg from "pg";
import { doublingDelayMs } from "./backoff.server";
import { dbPool } from "./db.server";
import { log } from "./log.server";

const CHANNEL = "re3m_changes";
/** How the listening connection shows in pg_stat_activity. */
export const LISTENER_NAME = "re3m-change-feed";

const handlers = new Set<() => void>();

/** Runs `handler` on every change announced by any instance, and after the feed reconnects. Returns what removes it. */
export function onChange(handler: () => void): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

function changed() {
  for (const handler of handlers) {
    try {
      handler();
    } catch (error) {
      log.error("a change handler failed", { error: error instanceof Error ? error.stack : String(error) });
    }
  }
}

/**
 * Tells every instance that content changed. Never throws: an instance that does not hear it
 * still shows the change once its copies are older than PAGE_CACHE_SECONDS.
 */
export async function announceChange(): Promise<void> {
  try {
    await dbPool().query("SELECT pg_notify($1, '')", [CHANNEL]);
  } catch (error) {
    log.warn("could not tell the other instances about a change", { error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Listens for changes on a connection of its own until the returned function is called. Resolves
 * once the first attempt to connect has ended; a failed one is tried again, waiting 0.5 s, then
 * twice as long each time, up to 10 s.
 */
export async function listenForChanges(databaseUrl: string): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const dropped = (which: pg.Client, error?: unknown) => {
    // A drop says so twice ("error", then "end"); a stopped feed is not dropped.
    if (stopped || which !== client) return;
    client = undefined;
    which.end().catch(() => {});
    failures++;
    const waitMs = doublingDelayMs(failures, 500, 10_000);
    log.warn("the change feed lost its database connection; pages may be up to PAGE_CACHE_SECONDS old on this instance until it is back", {
      error: error instanceof Error ? error.message : String(error ?? "connection ended"),
      retryInMs: waitMs,
    });
    retry = setTimeout(() => void connect(), waitMs);
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: LISTENER_NAME, keepAlive: true });
    client = next;
    next.on("notification", changed);
    next.on("error", (error) => dropped(next, error));
    next.on("end", () => dropped(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      dropped(next, error);
      return;
    }
    if (failures > 0) {
      log.info("the change feed is back");
      changed();
    }
    failures = 0;
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
    client = undefined;
  };
}
