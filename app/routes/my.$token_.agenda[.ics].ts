import type { LoaderFunctionArgs } from "@remix-run/node";
import { sessionsCalendar } from "~/domain/calendar.server";
import { eventOf } from "~/domain/event.server";
import { pickedSessions, ticketByManageToken } from "~/domain/tickets.server";
import { env } from "~/services/env.server";
import { privateHeaders } from "~/services/http-cache.server";
import { ticketNotFoundText } from "~/route-helpers/ticket-link.server";
import { calendarResponse } from "~/route-helpers/downloads.server";

// `/my/:token/agenda.ics`: the sessions the holder picked, all in one calendar file.
export async function loader({ params }: LoaderFunctionArgs) {
  const ticket = await ticketByManageToken(params.token ?? "");
  if (!ticket) return ticketNotFoundText();
  // The ticket's own edition, also when a later one is public now.
  const event = await eventOf(ticket.order.event.id);
  const sessions = await pickedSessions(ticket.id);
  return calendarResponse(sessionsCalendar(event, env().APP_URL, sessions, `${event.shortName}: my agenda`), "my-agenda.ics", privateHeaders);
}
