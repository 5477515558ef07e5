// What server.ts runs besides the routes, taken from the Remix build (entry.server.tsx exports it)
// so that the server, the jobs and the routes share one copy of every module: one database pool,
// one checkout queue, one Stripe client. server.ts itself only starts what the build needs first
// (settings, the embedded database, migrations) and passes it on through the environment.
import type { RequestHandler } from "express";
import { seedIfEmpty } from "../prisma/seed-data";
import { startBackgroundJobs } from "./domain/jobs.server";
import { db, disconnectDb } from "./services/db.server";
import { env } from "./services/env.server";
import { checkoutAdmission, requestLog, seatsFirst, securityHeaders } from "./services/http.server";
import { log } from "./services/log.server";
import { closeConfiguredTransport } from "./services/mailer.server";
import { pageCache } from "./services/page-cache.server";
import { checkoutQueue } from "./services/work-queue.server";

/** How long the payment step waits for the checkouts queued before it (seats first, ADR 0008). */
const SEATS_FIRST_WAIT_MS = 10_000;

export type ServerRuntime = typeof serverRuntime;

export const serverRuntime = {
  /** Seeds an empty database and starts this instance's job worker; returns what stops them and the pool. */
  async start({ jobs = true }: { jobs?: boolean } = {}): Promise<() => Promise<void>> {
    const settings = env();
    const seeded = await seedIfEmpty(db(), { adminEmail: settings.ADMIN_EMAIL, adminPassword: settings.ADMIN_PASSWORD });
    if (seeded) log.info("seeded the sample event");
    const stopJobs = jobs ? await startBackgroundJobs(settings.DATABASE_URL!) : async () => {};
    return async () => {
      await stopJobs();
      closeConfiguredTransport();
      await disconnectDb();
    };
  },

  middlewares(): Record<"requestLog" | "checkoutAdmission" | "seatsFirst" | "securityHeaders", RequestHandler> & { pageCache: RequestHandler | null } {
    const settings = env();
    return {
      requestLog,
      // Checkout posts queue for their turn before Remix reads them (work-queue.server.ts).
      checkoutAdmission: checkoutAdmission(checkoutQueue),
      seatsFirst: seatsFirst(checkoutQueue, SEATS_FIRST_WAIT_MS),
      securityHeaders: securityHeaders(settings.NODE_ENV === "production"),
      pageCache:
        settings.PAGE_CACHE_SECONDS > 0
          ? pageCache({ ttlMs: settings.PAGE_CACHE_SECONDS * 1000, maxEntries: 500, clearedBy: /^\/(admin|sponsor)(\/|$)/ })
          : null,
    };
  },
};
