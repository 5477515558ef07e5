import type { LoaderFunctionArgs } from "@remix-run/node";
import { allPublishedSessions } from "~/domain/agenda.server";
import { sessionsCalendar } from "~/domain/calendar.server";
import { env } from "~/services/env.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";
import { calendarResponse } from "~/route-helpers/downloads.server";
import { requirePastEdition } from "~/route-helpers/past-edition.server";

// `/editions/:year/agenda.ics`: a past edition's whole agenda, as `/agenda.ics` is the public one's.
export async function loader({ params }: LoaderFunctionArgs) {
  const event = await requirePastEdition(params.year, "/agenda.ics");
  const sessions = await allPublishedSessions(event.id);
  return calendarResponse(sessionsCalendar(event, env().APP_URL, sessions), `${event.slug}-agenda.ics`, { "Cache-Control": PUBLIC_CACHE_CONTROL });
}
