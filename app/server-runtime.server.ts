// What server.ts runs besides the routes, taken from the Remix build (entry.server.tsx exports it)
// so that the server, the jobs and the routes share one copy of every module: one database pool,
// one checkout queue, one Stripe client. server.ts itself only starts what the build needs first
// (settings, the embedded database, migrations) and passes it on through the environment.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { seedIfEmpty } from "../prisma/seed-data";
import { forgetCurrentEvent } from "./domain/event.server";
import { startBackgroundJobs } from "./domain/jobs.server";
import { announceChange, listenForChanges, onChange } from "./services/change-feed.server";
import { db, disconnectDb } from "./services/db.server";
import { env } from "./services/env.server";
import { checkoutAdmission, logWhenAnswered, requestLog, seatsFirst, securityHeaders } from "./services/http.server";
import { log } from "./services/log.server";
import { closeConfiguredTransport } from "./services/mailer.server";
import { withOutageAnswers } from "./services/outage.server";
import { pageCache, sendCopy, type PageCache } from "./services/page-cache.server";
import { stopPdfWorkers } from "./services/pdf.server";
import { startRateLimitStore } from "./services/rate-limit.server";
import { errorPage, errorsNotStored, passesGuardsBeforeExpress, refuseBadRequests } from "./services/request-guards.server";
import { closeConnectionsWhenDraining, isDraining, startDraining } from "./services/shutdown.server";
import { MAX_IMAGE_BYTES } from "./services/uploads.server";
import { checkoutQueue } from "./services/work-queue.server";

/** How long the payment step waits for the checkouts queued before it (seats first, ADR 0008). */
const SEATS_FIRST_WAIT_MS = 10_000;

/** The largest form any page reads; forms with an image may add the image's own limit to it. */
const FORM_LIMIT_BYTES = 1024 * 1024;
/** The forms that carry a speaker's photo or a sponsor's logo (parseImageForm), with or without `.data`. */
const UPLOAD_PATHS = /^\/(admin\/(speakers|sponsors)\/[^/]+|sponsor\/profile)(\.data)?$/;
/** Endpoints that answer script in JSON: the booth scanner's (sponsor.scan.tsx), the door's list and queue (admin.check-in.tsx). */
const JSON_PATHS = /^\/(sponsor\/scans|admin\/check-in\/(list|replay))$/;

/** The middlewares server.ts mounts in front of the page cache and Remix, by name. */
export type MiddlewareName = "closeConnectionsWhenDraining" | "requestLog" | "errorsNotStored" | "refuseBadRequests" | "checkoutAdmission" | "seatsFirst" | "securityHeaders";

type Middlewares = Record<MiddlewareName, RequestHandler>;

/** Answers a request from the page cache before Express runs, if it can; false leaves the request to Express. */
export type EarlyAnswer = (req: IncomingMessage, res: ServerResponse) => boolean;

export type ServerRuntime = typeof serverRuntime;

export const serverRuntime = {
  /**
   * Seeds an empty database and starts this instance's job worker, its rate limits' store and its
   * ear for other instances' changes (ADR 0019); returns what stops them and the pool.
   */
  async start({ jobs = true }: { jobs?: boolean } = {}): Promise<() => Promise<void>> {
    const settings = env();
    const seeded = await seedIfEmpty(db(), {
      adminEmail: settings.ADMIN_EMAIL,
      adminPassword: settings.ADMIN_PASSWORD,
      sampleDiscountCodes: settings.NODE_ENV !== "production",
    });
    if (seeded) log.info("seeded the sample event");
    const stopRateLimits = await startRateLimitStore();
    // The event's facts, kept a few seconds per instance, are read again after any instance's edit.
    const forgetEvent = onChange(forgetCurrentEvent);
    const stopListening = await listenForChanges(settings.DATABASE_URL!);
    const stopJobs = jobs ? await startBackgroundJobs(settings.DATABASE_URL!) : async () => {};
    return async () => {
      await stopJobs();
      await stopPdfWorkers();
      await stopListening();
      forgetEvent();
      await stopRateLimits();
      closeConfiguredTransport();
      await disconnectDb();
    };
  },

  /** The instance is stopping: /healthz says 503 and answers close their connections (shutdown.server.ts). */
  startDraining,

  /** The build server.ts serves: every loader and action answers a database outage with 503. */
  withOutageAnswers,

  middlewares(): Middlewares & { pageCache: PageCache; servedFromCache: EarlyAnswer; errorPage: ErrorRequestHandler } {
    const settings = env();
    const cache = cacheClearedByEveryInstance(settings.PAGE_CACHE_SECONDS);
    return {
      closeConnectionsWhenDraining,
      requestLog,
      errorsNotStored,
      // Before the checkout queue, so that a request no route can read never waits for a turn.
      refuseBadRequests: refuseBadRequests({
        formLimit: FORM_LIMIT_BYTES,
        uploadPaths: UPLOAD_PATHS,
        uploadLimit: FORM_LIMIT_BYTES + MAX_IMAGE_BYTES,
        rawBodyPaths: /^\/webhooks\/stripe$/,
        jsonPaths: JSON_PATHS,
      }),
      // Checkout posts queue for their turn before Remix reads them (work-queue.server.ts).
      checkoutAdmission: checkoutAdmission(checkoutQueue),
      seatsFirst: seatsFirst(checkoutQueue, SEATS_FIRST_WAIT_MS),
      securityHeaders: securityHeaders(settings.NODE_ENV === "production"),
      pageCache: cache,
      servedFromCache: freshCopiesBeforeExpress(cache),
      errorPage: errorPage(JSON_PATHS),
    };
  },
};

/**
 * The public pages' cache, made old by an organiser's edit on any instance: this one's at once,
 * the others' when the change feed tells them. Door check-ins and sponsors' posts (badge scans,
 * notes, profile proposals, which go live when an organiser approves them) change no public page:
 * at the doors' or the booths' pace they would keep every instance's cache empty. With
 * PAGE_CACHE_SECONDS=0 no copy is served fresh, but the last good ones are still kept for an
 * outage. 500 pages of the site's usual 50 to 150 kB fit in the memory given.
 */
function cacheClearedByEveryInstance(seconds: number): PageCache {
  const cache = pageCache({
    ttlMs: seconds * 1000,
    maxEntries: 500,
    maxBytes: 64 << 20,
    clearedBy: /^\/admin(?!\/check-in)(\/|$)/,
    announce: () => void announceChange(),
  });
  onChange(() => cache.invalidate());
  return cache;
}

/**
 * Answers a GET or HEAD with a fresh page copy in the HTTP server's own request listener, as
 * cache.hits would answer it behind the request log and the guards, but without Express's set-up
 * of every request and its chain of middleware, which cost more than sending the copy (ADR 0022).
 * Only when the answer is certain to be the same: not while the instance drains (its answers then
 * close their connections, which closeConnectionsWhenDraining sees to), nor for a request only
 * Express can judge (passesGuardsBeforeExpress). Those, and every request without a fresh copy,
 * go to Express.
 */
function freshCopiesBeforeExpress(cache: PageCache): EarlyAnswer {
  return (req, res) => {
    const copy = cache.freshCopy(req);
    if (!copy || isDraining() || !passesGuardsBeforeExpress(req, copy.path)) return false;
    logWhenAnswered(req, res, copy.path);
    sendCopy(req, res, copy);
    return true;
  };
}
