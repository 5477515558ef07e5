// The attendee's private link, /my/:token, as routes see it.
import { data } from "@remix-run/node";
import { messages } from "~/domain/errors";
import { ticketByManageToken } from "~/domain/tickets.server";
import { privateHeaders } from "~/services/http-cache.server";

/** The same 404 for every token that opens nothing: wrong, old (transferred), malformed. */
export function ticketNotFound() {
  return data({ message: messages["ticket.not-found"]() }, { status: 404, headers: privateHeaders });
}

/** For resource routes (calendar files): the same answer as plain text. */
export function ticketNotFoundText() {
  return new Response(`${messages["ticket.not-found"]()}\n`, {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", ...privateHeaders },
  });
}

export async function requireTicket(token: string | undefined) {
  const ticket = token ? await ticketByManageToken(token) : null;
  if (!ticket) throw ticketNotFound();
  return ticket;
}
