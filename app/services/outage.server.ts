// What a visitor gets while the database cannot be reached (a restart, a failover, a network cut):
// 503 with Retry-After, never stored by a cache, and words that say nothing was charged.
// Left alone, every loader and action failed with a 500 that said "something went wrong".
// Public pages are served from the page cache's last good copy instead (page-cache.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs, ServerBuild } from "@remix-run/node";
import { isDatabaseUnavailable } from "./db-errors.server";
import { log } from "./log.server";

/** How long a client is asked to wait: a failover or a restart of PostgreSQL takes seconds. */
export const RETRY_AFTER_SECONDS = 5;

export const outageHeaders = { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" } as const;

export const OUTAGE_TITLE = "The site is briefly unavailable";

export const outageMessages = {
  /**
   * A page could not be loaded, a form sent without script included: the browser then shows this
   * page in place of the form, and its Back button returns to the form as it was filled in.
   */
  page: "We cannot reach our database for a moment. Nothing was charged. If you were sending a form, your browser's Back button takes you back to it with what you typed. Please try again in a few seconds.",
  /** A form sent by script whose page gives way to this message (Back does not keep what was typed there). */
  form: "We cannot reach our database for a moment, so what you sent was not handled and nothing was charged. Please send it again in a few seconds.",
  /** A form that stays on screen with what was typed (keepingFormOnOutage in route-helpers). */
  formKept: "We cannot reach our database for a moment, and nothing was charged. What you typed is still here: please send it again in a few seconds.",
};

/**
 * The answer to a request that failed because the database is unavailable, thrown in place of
 * the error: Remix shows it in the error boundary (a page or a `.data` request: status 503, its
 * message in `error.data.message`) and returns it as it is from a resource route (the booth
 * scanner reads `{ ok, message }` and keeps its scans queued on any 5xx).
 */
function unavailableResponse(message: string) {
  return Response.json({ ok: false, message }, { status: 503, headers: outageHeaders });
}

type RouteFunction = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;

/** Whether `error` says the database is unavailable; logged in one line when it does (no trace). */
export function isOutage(error: unknown, request: { method: string; url: string }): boolean {
  if (!isDatabaseUnavailable(error)) return false;
  log.warn("database unavailable", { method: request.method, url: request.url, error: error instanceof Error ? error.message : String(error) });
  return true;
}

function answeringOutages<F extends RouteFunction>(run: F, message: string): F {
  return (async (args: Parameters<F>[0]) => {
    try {
      return await run(args);
    } catch (error) {
      if (isOutage(error, args.request)) throw unavailableResponse(message);
      throw error;
    }
  }) as F;
}

/**
 * The build with every route's loader and action answering a database outage with 503 (what
 * `@sentry/remix` does to instrument a build: a wrapper per loader and action). server.ts serves
 * this build; the routes' own modules are unchanged.
 */
export function withOutageAnswers(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const { loader, action } = route.module;
    routes[id] = {
      ...route,
      module: {
        ...route.module,
        ...(loader ? { loader: answeringOutages(loader, outageMessages.page) } : {}),
        ...(action ? { action: answeringOutages(action, outageMessages.form) } : {}),
      },
    };
  }
  return { ...build, routes };
}
