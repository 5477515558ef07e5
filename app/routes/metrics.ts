import type { LoaderFunctionArgs } from "@remix-run/node";
import { operationalFigures } from "~/domain/operations.server";
import { env } from "~/services/env.server";
import { log } from "~/services/log.server";
import { mayScrape, registry, shared } from "~/services/metrics.server";

// Prometheus's text format. Not for visitors: a scrape without the token (or, with none set, from
// outside the private networks) finds nothing here, as an unknown address would.
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!mayScrape(request.headers.get("Authorization"), context.clientIp, env().METRICS_TOKEN)) {
    return new Response("Not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  try {
    const figures = await operationalFigures();
    shared.databaseUp.set(1);
    for (const [status, count] of Object.entries(figures.outbox)) shared.outbox.set({ status }, count);
    shared.oldestPendingEmail.set(figures.oldestPendingEmailSeconds);
    for (const [state, count] of Object.entries(figures.jobs)) shared.jobs.set({ state }, count);
    for (const [status, count] of Object.entries(figures.orders)) shared.orders.set({ status }, count);
    for (const [state, count] of Object.entries(figures.seats)) shared.seats.set({ state }, count);
  } catch (error) {
    // The instance's own figures still tell what it is doing while the database is away; the
    // shared ones are left out rather than shown stale.
    log.warn("metrics: the database figures could not be read", { error: String(error) });
    shared.databaseUp.set(0);
    for (const gauge of [shared.outbox, shared.oldestPendingEmail, shared.jobs, shared.orders, shared.seats]) gauge.reset();
  }
  return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" } });
}
