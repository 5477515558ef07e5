import type { Tx } from "~/services/audit.server";
import { db, type Sql } from "~/services/db.server";
import { dayKey, daysBetween } from "./time";

const eventSelect = {
  id: true,
  slug: true,
  status: true,
  name: true,
  shortName: true,
  tagline: true,
  description: true,
  timeZone: true,
  startsOn: true,
  endsOn: true,
  venueName: true,
  venueAddress: true,
  city: true,
  country: true,
  organiser: true,
  specialGuest: true,
  themes: true,
  currency: true,
  taxName: true,
  taxRateBps: true,
  taxNumber: true,
  legalName: true,
  contactEmail: true,
  refundPolicy: true,
  defaultSalesEndAt: true,
  payByInvoice: true,
  invoiceMinTickets: true,
  invoiceDueDays: true,
  paymentInstructions: true,
  retentionDays: true,
  retentionSetAt: true,
  updatedAt: true,
} as const;

export class EventNotFound extends Error {}

// The root loader and the page's loader both need the event; within one request they share one
// answer. The key is the request's load context, a fresh object per request (server.ts).
const perRequest = new WeakMap<object, ReturnType<typeof loadCurrentEvent>>();

// Every request needs the event, and its facts (name, dates, currency, tax rate) change only
// when it is seeded or edited in the database: each instance keeps it for a few seconds rather
// than asking PostgreSQL on every page view and every checkout.
const CACHE_MS = 5_000;
let cached: { event: ReturnType<typeof loadCurrentEvent>; until: number } | null = null;

/** The event the public site shows: one deployment serves one edition at a time, the PUBLIC one. */
export function currentEvent(context?: object) {
  if (!context) return loadCurrentEvent();
  let event = perRequest.get(context);
  if (!event) {
    event = cachedEvent();
    perRequest.set(context, event);
  }
  return event;
}

/** After an edit of the event itself (settings): this instance's next request reads it again. */
export function forgetCurrentEvent() {
  cached = null;
  shortName = null;
}

/** The event as this instance saw it within the last few seconds (background work, no request). */
export function recentEvent() {
  return cachedEvent();
}

let shortName: { value: string; until: number } | null = null;

/**
 * "RE3M 2025": the event's short name for the subject of an email queued in `tx`. Read through the
 * transaction's own connection: a transaction that waited for another connection of the pool
 * (currentEvent's) could wait forever once every connection is held by such transactions, as ten
 * fulfilments at once did until their 20 s timeout.
 */
export async function eventShortName(tx: Pick<Tx, "event"> | Sql) {
  if (shortName && shortName.until > Date.now()) return shortName.value;
  const [row] =
    "rows" in tx
      ? await tx.rows<{ shortName: string }>(`SELECT "shortName" FROM "Event" WHERE status = 'PUBLIC' LIMIT 1`, [])
      : [await tx.event.findFirst({ where: { status: "PUBLIC" }, select: { shortName: true } })];
  shortName = { value: row?.shortName ?? "", until: Date.now() + CACHE_MS };
  return shortName.value;
}

function cachedEvent() {
  const now = Date.now();
  if (cached && cached.until > now) return cached.event;
  const event = loadCurrentEvent();
  const entry = { event, until: now + CACHE_MS };
  cached = entry;
  // A failed load (database down, no event yet) is not kept: the next request asks again.
  event.catch(() => {
    if (cached === entry) cached = null;
  });
  return event;
}

async function loadCurrentEvent() {
  const event = await db().event.findFirst({ where: { status: "PUBLIC" }, select: eventSelect });
  if (!event) throw new EventNotFound("No event is public yet: run `npm run db:seed`, or publish an edition at /admin/editions.");
  return withDays(event);
}

/**
 * Any edition, public or not, with the same facts as currentEvent (uncached): the one an organiser
 * chose to work on, or the edition an order or a ticket belongs to, whichever is public now.
 */
export async function eventById(id: string) {
  const event = await db().event.findUnique({ where: { id }, select: eventSelect });
  return event ? withDays(event) : null;
}

/**
 * The edition a record (an order, a ticket's order) belongs to, public or not. Nearly every record
 * a buyer's page shows belongs to the public edition: that one is the event as currentEvent keeps
 * it (a few seconds, forgotten on every instance when an organiser edits it), so that the payment
 * step of every buyer a rush held does not read it again.
 */
export async function eventOf(eventId: string) {
  const current = await cachedEvent().catch(() => null);
  if (current?.id === eventId) return current;
  const event = await eventById(eventId);
  if (!event) throw new EventNotFound(`Event ${eventId} does not exist.`);
  return event;
}

function withDays<E extends { startsOn: Date; endsOn: Date }>(event: E) {
  const first = event.startsOn.toISOString().slice(0, 10);
  const last = event.endsOn.toISOString().slice(0, 10);
  return { ...event, year: event.startsOn.getUTCFullYear(), days: daysBetween(first, last) };
}

export type CurrentEvent = Awaited<ReturnType<typeof currentEvent>>;

export function isEventDay(event: CurrentEvent, date: Date) {
  return event.days.includes(dayKey(date, event.timeZone));
}
