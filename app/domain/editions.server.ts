// Editions of the conference. Every row belongs to one event (an edition); exactly one edition is
// PUBLIC (the site, the checkout), the next one is prepared as a DRAFT, past ones are ARCHIVED and
// stay readable at /editions/:year. Starting the next edition copies the structure of the public
// one (settings, rooms, tracks, ticket types, sponsor tiers, and sponsors and speakers if asked),
// never its people or its money (orders, tickets, leads, invoices, waitlists, emails, audit).
import { Prisma, type EditionStatus } from "~/generated/prisma/client";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import type { NextEditionInput } from "~/validation/editions";
import { fail, failOn } from "./errors";
import { currentEvent, eventById, forgetCurrentEvent } from "./event.server";
import { dayKey, formatDayKey, timeKey, zonedTimeToUtc } from "./time";

const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const yearOf = (date: Date) => date.getUTCFullYear();
const DAY_MS = 86_400_000;

/** The editions whose first day falls in `year`, as a where clause. */
const inYear = (year: number) => ({ startsOn: { gte: new Date(Date.UTC(year, 0, 1)), lt: new Date(Date.UTC(year + 1, 0, 1)) } });

/** Every edition, the latest first, with how much each holds (the editions page). */
export async function listEditions() {
  const rows = await db().event.findMany({
    select: {
      id: true,
      slug: true,
      name: true,
      shortName: true,
      status: true,
      startsOn: true,
      endsOn: true,
      _count: { select: { sessions: true, speakers: true, sponsors: true, ticketTypes: true, orders: true } },
    },
    orderBy: { startsOn: "desc" },
  });
  return rows.map(({ _count, ...e }) => ({ ...e, year: yearOf(e.startsOn), first: dayOf(e.startsOn), last: dayOf(e.endsOn), counts: _count }));
}

/** The edition switcher's choices: every edition, the latest first. */
export async function editionChoices() {
  const rows = await db().event.findMany({ select: { id: true, shortName: true, status: true }, orderBy: { startsOn: "desc" } });
  return rows;
}

/** A past edition as /editions/:year shows it, or null when that year has no archived edition. */
export async function archivedEdition(year: number) {
  const row = await db().event.findFirst({ where: { status: "ARCHIVED", ...inYear(year) }, select: { id: true }, orderBy: { startsOn: "desc" } });
  return row ? eventById(row.id) : null;
}

/** The years of the past editions, the latest first (links from the public site). */
export async function archivedYears() {
  const rows = await db().event.findMany({ where: { status: "ARCHIVED" }, select: { startsOn: true }, orderBy: { startsOn: "desc" } });
  return [...new Set(rows.map((r) => yearOf(r.startsOn)))];
}

/** The edition of `year` that is public now, if it is: /editions/:year then sends visitors home. */
export async function isPublicYear(year: number) {
  return (await db().event.count({ where: { status: "PUBLIC", ...inYear(year) } })) > 0;
}

/** "RE3M 2025" → "RE3M 2026": the year in a name or prefix moves on with the edition ("RE3M25-" → "RE3M26-"). */
export function withYear(text: string, from: number, to: number) {
  const long = text.replaceAll(String(from), String(to));
  if (long !== text) return long;
  return text.replace(new RegExp(`(?<![0-9])${String(from).slice(2)}(?![0-9])`, "g"), String(to).slice(2));
}

/** Invoice numbers must never repeat: a prefix without the year ("INV-") gets the new one ("INV26-"). */
function nextPrefix(prefix: string, from: number, to: number) {
  const moved = withYear(prefix, from, to);
  return moved !== prefix ? moved : `${prefix.replace(/[-/_]+$/, "")}${String(to).slice(2)}-`.slice(-12);
}

/**
 * What the form proposes: the same weekday a year on (52 weeks, again until that is in the future
 * and in a year without an edition), and the names with the new year.
 */
export async function nextEditionDefaults(now: Date) {
  const current = await currentEvent();
  const taken = new Set((await db().event.findMany({ select: { startsOn: true } })).map((e) => yearOf(e.startsOn)));
  let first = current.startsOn.getTime() + 364 * DAY_MS;
  while (dayOf(new Date(first)) <= dayKey(now, current.timeZone) || taken.has(yearOf(new Date(first)))) first += 364 * DAY_MS;
  const startsOn = dayOf(new Date(first));
  const next = Number(startsOn.slice(0, 4));
  const { invoicePrefix } = await db().event.findUniqueOrThrow({ where: { id: current.id }, select: { invoicePrefix: true } });
  return {
    from: { name: current.name, shortName: current.shortName, days: current.days.length },
    startsOn,
    name: withYear(current.name, current.year, next),
    shortName: withYear(current.shortName, current.year, next),
    invoicePrefix: nextPrefix(invoicePrefix, current.year, next),
  };
}

/** The same wall-clock time `days` later in the event's zone (a sales end at 23:59 stays at 23:59 across a DST change). */
function shifted(at: Date | null, days: number, timeZone: string) {
  if (!at) return null;
  const day = dayOf(new Date(Date.parse(`${dayKey(at, timeZone)}T00:00:00Z`) + days * DAY_MS));
  return zonedTimeToUtc(day, timeKey(at, timeZone), timeZone);
}

// The settings that carry over as they are; names, dates, slug and status are the new edition's own.
const copiedSettings = {
  tagline: true,
  description: true,
  timeZone: true,
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
  legalAddress: true,
  contactEmail: true,
  refundPolicy: true,
  defaultSalesEndAt: true,
  payByInvoice: true,
  invoiceMinTickets: true,
  invoiceDueDays: true,
  paymentInstructions: true,
  changesLockAt: true,
} satisfies Prisma.EventSelect;

/**
 * Starts the next edition as a DRAFT: a copy of the public edition's structure on new dates (the
 * organiser's first day, the same number of days). Ticket types keep their prices and capacities
 * with no seat held or sold; their sales window moves with the dates, and one that would open in
 * the past opens on the new first day instead, so nothing goes on sale before the organiser sets
 * the dates. Returns the new edition's id, its year and what was copied.
 */
export async function startNextEdition(input: NextEditionInput, actorId: string, now: Date) {
  const current = await currentEvent();
  const source = await db().event.findUniqueOrThrow({ where: { id: current.id }, select: { ...copiedSettings, id: true, startsOn: true, endsOn: true } });
  const { timeZone } = source;
  if (input.startsOn <= dayKey(now, timeZone)) failOn("startsOn", "edition.first-day-past");
  if (input.startsOn <= dayOf(source.endsOn)) failOn("startsOn", "edition.first-day-before-current", current.shortName, formatDayKey(dayOf(source.endsOn)));
  const year = Number(input.startsOn.slice(0, 4));
  const offset = Math.round((Date.parse(input.startsOn) - source.startsOn.getTime()) / DAY_MS);
  const lastDay = dayOf(new Date(source.endsOn.getTime() + offset * DAY_MS));
  const slug = current.slug.includes(String(current.year)) ? current.slug.replaceAll(String(current.year), String(year)) : `${current.slug}-${year}`;
  // Where a type's window does not carry over into the future, its sales open when the new
  // edition starts: a date nobody sells on by accident, for the organiser to set.
  const firstDayStart = zonedTimeToUtc(input.startsOn, "00:00", timeZone);

  try {
    return await db().$transaction(async (tx) => {
      const taken = await tx.event.findFirst({ where: inYear(year), select: { shortName: true, status: true } });
      if (taken) failOn("startsOn", "edition.year-taken", year, taken.shortName, taken.status);
      const prefixUsed = await tx.event.findFirst({ where: { invoicePrefix: input.invoicePrefix }, select: { shortName: true } });
      if (prefixUsed) failOn("invoicePrefix", "edition.prefix-taken", input.invoicePrefix, prefixUsed.shortName);

      const { id: _id, startsOn: _s, endsOn: _e, ...settings } = source;
      const created = await tx.event.create({
        data: {
          ...settings,
          slug,
          status: "DRAFT",
          name: input.name,
          shortName: input.shortName,
          invoicePrefix: input.invoicePrefix,
          tagline: withYear(source.tagline, current.year, year),
          description: withYear(source.description, current.year, year),
          startsOn: new Date(`${input.startsOn}T00:00:00Z`),
          endsOn: new Date(`${lastDay}T00:00:00Z`),
          defaultSalesEndAt: shifted(source.defaultSalesEndAt, offset, timeZone),
          changesLockAt: shifted(source.changesLockAt, offset, timeZone),
        },
        select: { id: true },
      });
      const eventId = created.id;
      const from = { where: { eventId: source.id } };

      const rooms = await tx.room.findMany({ ...from, select: { name: true, capacity: true, position: true } });
      await tx.room.createMany({ data: rooms.map((r) => ({ ...r, eventId })) });
      const tracks = await tx.track.findMany({ ...from, select: { slug: true, name: true, color: true, position: true } });
      await tx.track.createMany({ data: tracks.map((t) => ({ ...t, eventId })) });

      const types = await tx.ticketType.findMany({
        ...from,
        select: { slug: true, name: true, description: true, includes: true, priceCents: true, currency: true, capacity: true, maxPerOrder: true, isPublic: true, position: true, salesStartAt: true, salesEndAt: true },
      });
      await tx.ticketType.createMany({
        data: types.map(({ salesStartAt, salesEndAt, ...t }) => {
          const moved = shifted(salesStartAt, offset, timeZone);
          const opens = moved && moved > now ? moved : firstDayStart;
          const closes = shifted(salesEndAt, offset, timeZone);
          return { ...t, eventId, salesStartAt: opens, salesEndAt: closes && closes > opens ? closes : null };
        }),
      });

      const tiers = await tx.sponsorTier.findMany({ ...from, select: { id: true, name: true, rank: true, benefits: true, includesAttendeeList: true } });
      await tx.sponsorTier.createMany({ data: tiers.map(({ id: _tier, ...t }) => ({ ...t, eventId })) });
      let sponsors = 0;
      if (input.copySponsors) {
        const newTiers = new Map((await tx.sponsorTier.findMany({ where: { eventId }, select: { id: true, name: true } })).map((t) => [t.name, t.id]));
        const tierName = new Map(tiers.map((t) => [t.id, t.name]));
        const rows = await tx.sponsor.findMany({
          ...from,
          select: { tierId: true, slug: true, name: true, description: true, website: true, logoUrl: true, accent: true, booth: true },
        });
        ({ count: sponsors } = await tx.sponsor.createMany({ data: rows.map((s) => ({ ...s, eventId, tierId: newTiers.get(tierName.get(s.tierId)!)! })) }));
      }
      let speakers = 0;
      if (input.copySpeakers) {
        const rows = await tx.speaker.findMany({ ...from, select: { slug: true, name: true, role: true, company: true, bio: true, photoUrl: true, featured: true } });
        ({ count: speakers } = await tx.speaker.createMany({ data: rows.map((s) => ({ ...s, eventId })) }));
      }

      const copied = { rooms: rooms.length, tracks: tracks.length, ticketTypes: types.length, sponsorTiers: tiers.length, sponsors, speakers };
      await audit(tx, {
        action: "edition.started",
        subject: `event:${eventId}`,
        actorId,
        after: { from: source.id, slug, name: input.name, startsOn: input.startsOn, endsOn: lastDay, copied },
      });
      return { id: eventId, year, copied };
    });
  } catch (error) {
    // Two organisers starting the same year at once: the second meets the first's slug.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") failOn("startsOn", "edition.year-taken", year, input.shortName, "DRAFT");
    throw error;
  }
}

/**
 * Makes an edition the public one: the site, its calendars and the checkout switch to it. The
 * edition that was public is archived when it came first (the usual case), or goes back to being a
 * draft when it is the later one (an edition published by mistake is taken back off the site).
 */
export async function publishEdition(eventId: string, actorId: string) {
  const result = await db().$transaction(async (tx) => {
    // One publication at a time: the partial unique index keeps two PUBLIC rows out anyway.
    await tx.$queryRaw`SELECT id FROM "Event" FOR UPDATE`;
    const target = await tx.event.findUnique({ where: { id: eventId }, select: { id: true, shortName: true, status: true, startsOn: true } });
    if (!target) fail("edition.not-found");
    if (target.status === "PUBLIC") fail("edition.already-public", target.shortName);
    const previous = await tx.event.findFirst({ where: { status: "PUBLIC" }, select: { id: true, shortName: true, startsOn: true } });
    let demotedTo: EditionStatus | null = null;
    if (previous) {
      demotedTo = previous.startsOn < target.startsOn ? "ARCHIVED" : "DRAFT";
      await tx.event.update({ where: { id: previous.id }, data: { status: demotedTo } });
    }
    await tx.event.update({ where: { id: target.id }, data: { status: "PUBLIC" } });
    await audit(tx, {
      action: "edition.published",
      subject: `event:${target.id}`,
      actorId,
      before: { status: target.status, public: previous?.id ?? null },
      after: { status: "PUBLIC", previous: previous ? { id: previous.id, status: demotedTo } : null },
    });
    return { published: target.shortName, previous: previous ? { shortName: previous.shortName, status: demotedTo! } : null };
  });
  forgetCurrentEvent();
  return result;
}
