import type { LoaderFunctionArgs } from "@remix-run/node";
import { sessionBySlug } from "~/domain/agenda.server";
import { sessionsCalendar } from "~/domain/calendar.server";
import { currentEvent } from "~/domain/event.server";
import { env } from "~/services/env.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";
import { calendarResponse } from "~/route-helpers/downloads.server";

// `/sessions/:slug.ics`: one published session as a calendar file.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const session = await sessionBySlug(event.id, params.slug!);
  if (!session) {
    return new Response("That session does not exist or is not published yet.\n", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  return calendarResponse(sessionsCalendar(event, env().APP_URL, [session], session.title), `${session.slug}.ics`, {
    "Cache-Control": PUBLIC_CACHE_CONTROL,
  });
}
