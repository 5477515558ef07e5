// The event settings as organisers edit them (/admin/settings), and the checks that follow from
// them: sessions left outside new dates, ticket sales still open after the event ended.
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { bpsToInput } from "~/validation/admin-commerce";
import type { EventSettingsInput } from "~/validation/event-settings";
import { forgetCurrentEvent } from "./event.server";
import { dayKey, formatDayKey, timeKey, zonedTimeToUtc } from "./time";

const settingsSelect = {
  name: true,
  shortName: true,
  tagline: true,
  startsOn: true,
  endsOn: true,
  timeZone: true,
  venueName: true,
  venueAddress: true,
  city: true,
  country: true,
  organiser: true,
  legalName: true,
  legalAddress: true,
  contactEmail: true,
  taxName: true,
  taxRateBps: true,
  taxNumber: true,
  defaultSalesEndAt: true,
  refundPolicy: true,
  invoicePrefix: true,
  payByInvoice: true,
  invoiceMinTickets: true,
  invoiceDueDays: true,
  paymentInstructions: true,
  retentionDays: true,
} as const;

type StoredSettings = { [K in keyof typeof settingsSelect]: unknown };

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** The settings as the form's fields show them: text, in the event's time zone. */
export async function eventSettingsForEdit(eventId: string) {
  const { updatedAt, ...s } = await db().event.findUniqueOrThrow({ where: { id: eventId }, select: { ...settingsSelect, updatedAt: true } });
  return {
    /** Changes with every save: the form starts afresh from what was stored. */
    version: updatedAt.getTime(),
    ...s,
    startsOn: dayOf(s.startsOn),
    endsOn: dayOf(s.endsOn),
    taxRate: bpsToInput(s.taxRateBps),
    taxNumber: s.taxNumber ?? "",
    payByInvoice: s.payByInvoice ? "on" : "",
    invoiceMinTickets: String(s.invoiceMinTickets),
    invoiceDueDays: String(s.invoiceDueDays),
    retentionDays: s.retentionDays === null ? "" : String(s.retentionDays),
    defaultSalesEnd: s.defaultSalesEndAt ? `${dayKey(s.defaultSalesEndAt, s.timeZone)}T${timeKey(s.defaultSalesEndAt, s.timeZone)}` : "",
  };
}

/** What is stored for a submitted form. */
function storedValues(input: EventSettingsInput) {
  const { taxRate, defaultSalesEnd, startsOn, endsOn, ...rest } = input;
  return {
    ...rest,
    startsOn: new Date(`${startsOn}T00:00:00Z`),
    endsOn: new Date(`${endsOn}T00:00:00Z`),
    taxRateBps: taxRate,
    defaultSalesEndAt: defaultSalesEnd ? zonedTimeToUtc(defaultSalesEnd.slice(0, 10), defaultSalesEnd.slice(11, 16), input.timeZone) : null,
  };
}

const comparable = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * Saves the settings and audits what changed (before and after, field by field). Orders already
 * placed keep the tax they were priced with; pages, calendars and emails read the new values at
 * once on this instance and within seconds on the others (currentEvent's cache). A new retention
 * period starts its notice period now (privacy.server.ts).
 */
export async function saveEventSettings(eventId: string, input: EventSettingsInput, actorId: string, now: Date) {
  const next = storedValues(input);
  const changed = await db().$transaction(async (tx) => {
    const before: StoredSettings = await tx.event.findUniqueOrThrow({ where: { id: eventId }, select: settingsSelect });
    const fields = (Object.keys(next) as (keyof typeof next)[]).filter((f) => comparable(before[f]) !== comparable(next[f]));
    if (fields.length === 0) return fields;
    await tx.event.update({ where: { id: eventId }, data: { ...next, ...(fields.includes("retentionDays") ? { retentionSetAt: now } : {}) } });
    await audit(tx, {
      action: "event.settings.changed",
      subject: `event:${eventId}`,
      actorId,
      before: Object.fromEntries(fields.map((f) => [f, comparable(before[f])])),
      after: Object.fromEntries(fields.map((f) => [f, comparable(next[f])])),
    });
    return fields;
  });
  forgetCurrentEvent();
  return { changed };
}

/** Sessions whose day, in the event's time zone, is not one of the event's days: to move by hand. */
export async function sessionsOutsideEventDays(event: { id: string; timeZone: string; days: string[] }) {
  const sessions = await db().session.findMany({
    where: { eventId: event.id },
    select: { id: true, title: true, startsAt: true, status: true },
    orderBy: { startsAt: "asc" },
  });
  return sessions
    .filter((s) => !event.days.includes(dayKey(s.startsAt, event.timeZone)))
    .map((s) => ({ id: s.id, title: s.title, published: s.status === "PUBLISHED", day: formatDayKey(dayKey(s.startsAt, event.timeZone), "short") }));
}

/** The instant the event is over: midnight after its last day, in its time zone. */
export function eventEndsAt(event: { endsOn: Date; timeZone: string }) {
  const after = new Date(event.endsOn.getTime() + 86_400_000);
  return zonedTimeToUtc(dayOf(after), "00:00", event.timeZone);
}

/** Ticket types a buyer could still buy although the event is over (none before it ends). */
export async function ticketTypesOnSaleAfterEnd(event: { id: string; endsOn: Date; timeZone: string }, now: Date) {
  if (now < eventEndsAt(event)) return [];
  return db().ticketType.findMany({
    where: { eventId: event.id, OR: [{ salesEndAt: null }, { salesEndAt: { gt: now } }] },
    select: { id: true, name: true },
    orderBy: { position: "asc" },
  });
}

/** Closes the sales of every ticket type still on sale, now; audited. Returns how many closed. */
export async function closeTicketSales(eventId: string, actorId: string, now: Date) {
  return db().$transaction(async (tx) => {
    const open = await tx.ticketType.findMany({
      where: { eventId, OR: [{ salesEndAt: null }, { salesEndAt: { gt: now } }] },
      select: { id: true, name: true, salesEndAt: true },
    });
    if (open.length === 0) return 0;
    await tx.ticketType.updateMany({ where: { id: { in: open.map((t) => t.id) } }, data: { salesEndAt: now } });
    await audit(tx, {
      action: "ticket-types.sales-closed",
      subject: `event:${eventId}`,
      actorId,
      before: Object.fromEntries(open.map((t) => [t.name, t.salesEndAt?.toISOString() ?? null])),
      after: { salesEndAt: now.toISOString() },
    });
    return open.length;
  });
}
