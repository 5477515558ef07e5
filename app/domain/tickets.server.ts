// What an attendee does with their own ticket through its private link (/my/:token): see it,
// correct their details, give or withdraw consent, pick sessions, transfer it; and the buyer's
// "resend ticket email". The link's token is the only key. Every change is one transaction that
// locks the ticket row and writes its audit row (and its emails) inside.
//
// Decisions:
// - The email can be corrected under "Your details" (a typo at checkout is common). Nothing
//   rotates then: it is the same person. The ticket email goes to the corrected address, so the
//   attendee gets their QR code where they actually read mail. Giving the ticket to someone else
//   is a transfer, which rotates every secret.
// - After `event.changesLockAt`, details and transfers are locked (badges get printed, door lists
//   get made). Sponsor sharing and agenda picks stay open: they print nothing, and withdrawing
//   consent must always be possible, even on a refunded or cancelled ticket.
import type { Prisma } from "~/generated/prisma/client";
import type { SessionKind, TicketStatus } from "~/generated/prisma/enums";
import { db } from "~/services/db.server";
import { audit, type Tx } from "~/services/audit.server";
import { enqueueEmail } from "~/services/outbox.server";
import { ATTENDEE_DETAIL_FIELDS, attendeeDetailColumns, emptyAttendee, type AttendeeDetails } from "~/validation/attendee";
import type { TransferInput } from "~/validation/ticket";
import { publicSessionWhere, sessionTimeSelect } from "./agenda.server";
import { DomainError, fail, failOn, messages } from "./errors";
import { dayKey, formatDayKey, formatTime, zoneAbbreviation } from "./time";
import { badgeShortCode, secretToken } from "./tokens.server";
import { eventShortName } from "./event.server";

// secretToken(): 32 random bytes in base64url. Anything else cannot be a link of ours.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const ticketEvent = {
  id: true,
  name: true,
  shortName: true,
  timeZone: true,
  startsOn: true,
  endsOn: true,
  venueName: true,
  venueAddress: true,
  city: true,
  organiser: true,
  contactEmail: true,
  changesLockAt: true,
} as const;

/** What the attendee entered about themselves, and their consent to share it with sponsors. */
const attendeeDetailsSelect = {
  ...attendeeDetailColumns,
  shareWithSponsors: true,
  consentAt: true,
} satisfies Prisma.TicketSelect;

const ticketPage = {
  id: true,
  status: true,
  ...attendeeDetailsSelect,
  qrCode: true,
  shortCode: true,
  checkedInAt: true,
  toBeNamed: true,
  erasedAt: true,
  updatedAt: true,
  ticketType: { select: { name: true } },
  order: { select: { reference: true, event: { select: ticketEvent } } },
  agendaPicks: { select: { sessionId: true } },
} as const;

/**
 * The ticket behind a manage link, or null. A wrong, old (rotated) or malformed token all give
 * the same null, so the caller answers them with the same 404.
 */
export async function ticketByManageToken(token: string) {
  if (!TOKEN_SHAPE.test(token)) return null;
  return db().ticket.findUnique({ where: { manageToken: token }, select: ticketPage });
}

export type ManagedTicket = NonNullable<Awaited<ReturnType<typeof ticketByManageToken>>>;

type Change = "details" | "transfer" | "sharing-on" | "sharing-off" | "agenda";

type Guarded = {
  status: TicketStatus;
  checkedInAt: Date | null;
  event: { changesLockAt: Date | null; timeZone: string };
};

type LockedTicket = Guarded &
  AttendeeDetails & { id: string; eventId: string; shareWithSponsors: boolean; consentAt: Date | null };

/** Why this change is not allowed now, or null when it is. */
function refusal(ticket: Guarded, change: Change, now: Date): DomainError | null {
  if (change === "sharing-off") return null;
  if (ticket.status !== "VALID") return new DomainError("ticket.not-valid", messages["ticket.not-valid"](ticket.status));
  const lockAt = ticket.event.changesLockAt;
  if ((change === "details" || change === "transfer") && lockAt && now >= lockAt) {
    return new DomainError("ticket.locked", messages["ticket.locked"](describeInstant(lockAt, ticket.event.timeZone)));
  }
  if (change === "transfer" && ticket.checkedInAt) return new DomainError("ticket.checked-in", messages["ticket.checked-in"]());
  return null;
}

/** "at 5:00 p.m. EDT on Mon, Sep 8" */
function describeInstant(at: Date, timeZone: string) {
  return `at ${formatTime(at, timeZone)} ${zoneAbbreviation(at, timeZone)} on ${formatDayKey(dayKey(at, timeZone), "short")}`;
}

/** What the ticket page may offer, each with the reason when it may not: one rule for page and server. */
export function ticketPermissions(ticket: ManagedTicket, now: Date) {
  const guarded = { status: ticket.status, checkedInAt: ticket.checkedInAt, event: ticket.order.event };
  const reason = (change: Change) => refusal(guarded, change, now)?.message ?? null;
  const lockAt = ticket.order.event.changesLockAt;
  return {
    details: reason("details"),
    transfer: reason("transfer"),
    // Withdrawing is always possible; this is the reason turning sharing on is not.
    sharingOn: reason("sharing-on"),
    agenda: reason("agenda"),
    /** "You can change … until …", while a deadline is set and still ahead. */
    openUntil: lockAt && now < lockAt ? describeInstant(lockAt, ticket.order.event.timeZone) : null,
  };
}

/**
 * Runs one change on the ticket behind `token` in a transaction. The row is locked first, so a
 * transfer and an edit cannot interleave: whichever comes second finds the rotated token gone.
 */
async function changeTicket<T>(
  token: string,
  change: Change,
  now: Date,
  apply: (tx: Tx, ticket: LockedTicket) => Promise<T>,
): Promise<T> {
  if (!TOKEN_SHAPE.test(token)) fail("ticket.not-found");
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Ticket" WHERE "manageToken" = ${token} FOR UPDATE`;
    if (!row) fail("ticket.not-found");
    const ticket = await tx.ticket.findUniqueOrThrow({
      where: { id: row.id },
      select: {
        id: true,
        status: true,
        checkedInAt: true,
        ...attendeeDetailsSelect,
        order: { select: { event: { select: { id: true, changesLockAt: true, timeZone: true } } } },
      },
    });
    const { order, ...rest } = ticket;
    const guarded = { ...rest, event: order.event, eventId: order.event.id };
    const refused = refusal(guarded, change, now);
    if (refused) throw refused;
    return apply(tx, guarded);
  });
}

/** The ticket email (QR code, calendar file, manage link) to the ticket's holder. */
export async function enqueueTicketEmail(tx: Tx, ticket: { id: string; name: string; email: string }) {
  return enqueueEmail(tx, ticketEmail(await eventShortName(tx), ticket));
}

/** The ticket email of a ticket's holder (the event's short name in its subject). */
export function ticketEmail(shortName: string, ticket: { id: string; name: string; email: string }) {
  return { template: "ticket", to: ticket.email, subject: `Your ticket for ${shortName}, ${ticket.name}`, payload: { ticketId: ticket.id } } as const;
}

// Dietary and access needs can reveal health information: the audit log records that they
// changed, not what they say.
const privateFields = new Set<string>(["dietaryNeeds", "accessNeeds"]);

/** Corrects the holder's details. Returns the names of the fields that changed. */
export async function updateAttendeeDetails(token: string, input: AttendeeDetails, now: Date) {
  return changeTicket(token, "details", now, async (tx, ticket) => {
    const changed = ATTENDEE_DETAIL_FIELDS.filter((field) => ticket[field] !== input[field]);
    if (changed.length === 0) return { changed };
    // A ticket bought to be named later is named once its name is typed in (by the buyer for themselves).
    const named = changed.includes("name") ? { toBeNamed: false } : {};
    await tx.ticket.update({ where: { id: ticket.id }, data: { ...Object.fromEntries(changed.map((f) => [f, input[f]])), ...named } });
    const shown = changed.filter((f) => !privateFields.has(f));
    await audit(tx, {
      action: "ticket.details.updated",
      subject: `ticket:${ticket.id}`,
      before: Object.fromEntries(shown.map((f) => [f, ticket[f]])),
      after: { ...Object.fromEntries(shown.map((f) => [f, input[f]])), fields: changed },
    });
    if (changed.includes("email")) await enqueueTicketEmail(tx, { id: ticket.id, name: input.name, email: input.email });
    return { changed };
  });
}

/**
 * Gives or withdraws consent to share contact details with sponsors. Lead exports read the
 * current consent, so a withdrawal leaves the details out of every later export.
 */
export async function setSponsorSharing(token: string, on: boolean, now: Date) {
  return changeTicket(token, on ? "sharing-on" : "sharing-off", now, async (tx, ticket) => {
    if (ticket.shareWithSponsors === on) return { changed: false };
    const consentAt = on ? now : null;
    await tx.ticket.update({ where: { id: ticket.id }, data: { shareWithSponsors: on, consentAt } });
    await audit(tx, {
      action: on ? "ticket.consent.given" : "ticket.consent.withdrawn",
      subject: `ticket:${ticket.id}`,
      before: { shareWithSponsors: ticket.shareWithSponsors, consentAt: ticket.consentAt },
      after: { shareWithSponsors: on, consentAt },
    });
    return { changed: true };
  });
}

/**
 * Gives the ticket to someone else. The QR code, the short code and the manage link all rotate
 * in the same write, so the old ones stop working the moment this commits. The new holder starts
 * clean: the previous holder's details, consent and agenda picks are theirs, not the ticket's.
 * The new link is sent only by email; this returns nothing secret.
 */
export async function transferTicket(token: string, to: TransferInput, now: Date) {
  return changeTicket(token, "transfer", now, async (tx, ticket) => {
    if (to.email === ticket.email) failOn("email", "ticket.transfer-same-person");
    await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        // The new holder starts with a blank attendee: details and consent are personal.
        ...emptyAttendee,
        name: to.name,
        email: to.email,
        // Given to a named person, a ticket bought to be named later is named.
        toBeNamed: false,
        consentAt: null,
        qrCode: secretToken(),
        shortCode: badgeShortCode(),
        manageToken: secretToken(),
      },
    });
    await tx.agendaPick.deleteMany({ where: { ticketId: ticket.id } });
    await audit(tx, {
      action: "ticket.transferred",
      subject: `ticket:${ticket.id}`,
      before: { name: ticket.name, email: ticket.email },
      after: { name: to.name, email: to.email },
    });
    // The previous holder's name and address are gone from the ticket now: the emails carry them.
    const payload = { ticketId: ticket.id, previousName: ticket.name, previousEmail: ticket.email };
    await enqueueEmail(tx, {
      template: "ticket-transferred",
      to: ticket.email,
      subject: `Your ${await eventShortName(tx)} ticket now belongs to ${to.name}`,
      payload: { ...payload, role: "previous" },
    });
    await enqueueEmail(tx, {
      template: "ticket-transferred",
      to: to.email,
      subject: `${ticket.name} gave you their ${await eventShortName(tx)} ticket`,
      payload: { ...payload, role: "new" },
    });
    await enqueueTicketEmail(tx, { id: ticket.id, name: to.name, email: to.email });
    return { name: to.name, email: to.email };
  });
}

// Breaks and networking belong to everyone: there is nothing to pick.
const INTERMISSIONS: SessionKind[] = ["BREAK", "NETWORKING"];
const pickableWhere = (eventId: string) => ({ ...publicSessionWhere(eventId), kind: { notIn: INTERMISSIONS } });

/** Published sessions an attendee can pick, by day. */
export async function pickableSessions(eventId: string, timeZone: string) {
  const sessions = await db().session.findMany({
    where: pickableWhere(eventId),
    select: {
      ...sessionTimeSelect,
      room: { select: { name: true } },
      track: { select: { name: true, color: true } },
    },
    orderBy: [{ startsAt: "asc" }, { room: { position: "asc" } }],
  });
  const days = new Map<string, typeof sessions>();
  for (const s of sessions) {
    const key = dayKey(s.startsAt, timeZone);
    days.set(key, [...(days.get(key) ?? []), s]);
  }
  return [...days].map(([day, list]) => ({ day, sessions: list }));
}

/**
 * Replaces the holder's picks with `sessionIds`. Saving the same set twice changes nothing and
 * writes no audit row; picks of sessions that are not published right now are left alone.
 */
export async function setAgendaPicks(token: string, sessionIds: string[], now: Date) {
  return changeTicket(token, "agenda", now, async (tx, ticket) => {
    const wanted = [...new Set(sessionIds)];
    const pickable = await tx.session.findMany({ where: pickableWhere(ticket.eventId), select: { id: true } });
    const pickableIds = new Set(pickable.map((s) => s.id));
    if (wanted.some((id) => !pickableIds.has(id))) failOn("sessions", "agenda.unknown-session");
    const current = new Set((await tx.agendaPick.findMany({ where: { ticketId: ticket.id }, select: { sessionId: true } })).map((p) => p.sessionId));
    const added = wanted.filter((id) => !current.has(id));
    const removed = [...current].filter((id) => pickableIds.has(id) && !wanted.includes(id));
    if (added.length === 0 && removed.length === 0) return { added, removed };
    if (removed.length > 0) await tx.agendaPick.deleteMany({ where: { ticketId: ticket.id, sessionId: { in: removed } } });
    if (added.length > 0) {
      await tx.agendaPick.createMany({ data: added.map((sessionId) => ({ ticketId: ticket.id, sessionId, createdAt: now })), skipDuplicates: true });
    }
    await audit(tx, { action: "ticket.agenda.updated", subject: `ticket:${ticket.id}`, after: { added, removed } });
    return { added, removed };
  });
}

/** The sessions a holder picked, with what a calendar file needs. */
export async function pickedSessions(ticketId: string) {
  const picks = await db().agendaPick.findMany({
    where: { ticketId, session: { status: "PUBLISHED" } },
    select: {
      session: {
        select: {
          id: true,
          slug: true,
          title: true,
          summary: true,
          kind: true,
          startsAt: true,
          endsAt: true,
          updatedAt: true,
          room: { select: { name: true } },
          track: { select: { name: true } },
          speakers: { select: { speaker: { select: { name: true } } }, orderBy: { position: "asc" } },
        },
      },
    },
    orderBy: { session: { startsAt: "asc" } },
  });
  return picks.map((p) => p.session);
}

export const RESEND_INTERVAL_MS = 60_000;

/**
 * The buyer sends one ticket of their order again (to its current holder). At most once a
 * minute per ticket, counted from the audit log, so every app instance sees the same limit.
 */
export async function resendTicketEmail(orderId: string, ticketId: string, now: Date) {
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Ticket" WHERE id = ${ticketId} AND "orderId" = ${orderId} FOR UPDATE`;
    if (!row) failOn("ticketId", "ticket.not-in-order");
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: row.id }, select: { id: true, name: true, email: true, status: true } });
    if (ticket.status !== "VALID") failOn("ticketId", "ticket.not-valid", ticket.status);
    const last = await tx.auditLog.findFirst({
      where: { subject: `ticket:${ticket.id}`, action: "ticket.email.resent", createdAt: { gt: new Date(now.getTime() - RESEND_INTERVAL_MS) } },
      select: { createdAt: true },
      orderBy: { createdAt: "desc" },
    });
    if (last) {
      const wait = Math.max(1, Math.ceil((last.createdAt.getTime() + RESEND_INTERVAL_MS - now.getTime()) / 1000));
      failOn("ticketId", "ticket.resend-too-soon", wait);
    }
    await enqueueTicketEmail(tx, ticket);
    await audit(tx, { action: "ticket.email.resent", subject: `ticket:${ticket.id}`, after: { to: ticket.email, by: "buyer" } });
    return { name: ticket.name, email: ticket.email };
  });
}
