// Which edition the admin pages show. Organisers choose one with the switcher in the admin header
// (a cookie for this browser session, path /admin); without a choice, or when the chosen edition no
// longer exists, they see the public one. Every admin page reads its event through adminEvent, so
// its lists, counts, exports and edits are those of the chosen edition only.
import { createCookie } from "@remix-run/node";
import { currentEvent, eventById } from "~/domain/event.server";
import { env } from "~/services/env.server";

let cookie: ReturnType<typeof createCookie> | undefined;
function editionCookie() {
  // No Max-Age: closing the browser returns the admin to the public edition.
  cookie ??= createCookie("re3m_edition", { httpOnly: true, sameSite: "lax", path: "/admin", secure: env().NODE_ENV === "production" });
  return cookie;
}

async function chosenEditionId(request: Request) {
  const value: unknown = await editionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length <= 40 ? value : null;
}

// The layout's loader and the page's loader of one request share one answer (see currentEvent).
const perRequest = new WeakMap<object, ReturnType<typeof loadAdminEvent>>();

/** The edition the admin pages work on: the organiser's choice, or the public edition. */
export function adminEvent(request: Request, context: object) {
  let event = perRequest.get(context);
  if (!event) {
    event = loadAdminEvent(request, context);
    perRequest.set(context, event);
  }
  return event;
}

async function loadAdminEvent(request: Request, context: object) {
  const chosen = await chosenEditionId(request);
  return (chosen ? await eventById(chosen) : null) ?? (await currentEvent(context));
}

/** The Set-Cookie header that makes the admin pages show this edition (the public one: forgets the choice). */
export function chooseEdition(eventId: string, isPublic: boolean) {
  return isPublic ? editionCookie().serialize("", { maxAge: 0 }) : editionCookie().serialize(eventId);
}
