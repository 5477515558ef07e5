import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventDays } from "~/domain/agenda.server";
import { eventCalendar } from "~/domain/calendar.server";
import { ticketByManageToken } from "~/domain/tickets.server";
import { env } from "~/services/env.server";
import { privateHeaders } from "~/services/http-cache.server";
import { ticketNotFoundText } from "~/route-helpers/ticket-link.server";
import { calendarResponse } from "~/route-helpers/downloads.server";

// `/my/:token/event.ics`: the conference days for the ticket holder's calendar (the same file the
// ticket email carries). The calendar itself holds no secret; the link to it does.
export async function loader({ params }: LoaderFunctionArgs) {
  const ticket = await ticketByManageToken(params.token ?? "");
  if (!ticket) return ticketNotFoundText();
  const event = ticket.order.event;
  return calendarResponse(eventCalendar(event, env().APP_URL, await eventDays(event)), `${event.shortName.replace(/\W+/g, "-")}.ics`, privateHeaders);
}
