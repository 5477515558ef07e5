import type { LoaderFunctionArgs } from "@remix-run/node";
import { allPublishedSessions } from "~/domain/agenda.server";
import { sessionsCalendar } from "~/domain/calendar.server";
import { currentEvent } from "~/domain/event.server";
import { env } from "~/services/env.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";
import { calendarResponse } from "~/route-helpers/downloads.server";

export async function loader({ context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const sessions = await allPublishedSessions(event.id);
  return calendarResponse(sessionsCalendar(event, env().APP_URL, sessions), `${event.slug}-agenda.ics`, {
    "Cache-Control": PUBLIC_CACHE_CONTROL,
  });
}
