// The door on the day: find a ticket by its QR secret or by searching, and let its holder in once.
// Every admission is also a CheckInEntry (door-offline.server.ts records those made offline).
import { randomUUID } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import type { TicketStatus } from "~/generated/prisma/enums";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { typedShortCode } from "~/validation/door";

/** Admissions of a ticket in the order they happened, the first being its check-in. */
export const admissionsSelect = {
  where: { refusedStatus: null },
  orderBy: [{ scannedAt: "asc" }, { recordedAt: "asc" }, { id: "asc" }],
  select: { scannedAt: true, deviceId: true, user: { select: { name: true } } },
  take: 10,
} satisfies Prisma.Ticket$checkInEntriesArgs;

export const doorTicketSelect = {
  id: true,
  name: true,
  company: true,
  shortCode: true,
  status: true,
  checkedInAt: true,
  ticketType: { select: { name: true } },
  checkInEntries: admissionsSelect,
} satisfies Prisma.TicketSelect;

export type Admission = { at: Date; deviceId: string; by: string | null };

export type DoorTicket = {
  id: string;
  name: string;
  company: string;
  shortCode: string;
  ticketType: string;
  status: TicketStatus;
  checkedInAt: Date | null;
  /** Every admission, earliest first: more than one when devices admitted the ticket offline. */
  admissions: Admission[];
};

export type CheckInResult =
  | { outcome: "checked-in"; ticket: DoorTicket }
  | { outcome: "already"; ticket: DoorTicket }
  | { outcome: "refused"; ticket: DoorTicket }
  | { outcome: "unknown" };

type Found = {
  id: string;
  name: string;
  company: string;
  shortCode: string;
  status: TicketStatus;
  checkedInAt: Date | null;
  ticketType: { name: string };
  checkInEntries: { scannedAt: Date; deviceId: string; user: { name: string } | null }[];
};
export const toDoor = ({ ticketType, checkInEntries, ...t }: Found): DoorTicket => ({
  ...t,
  ticketType: ticketType.name,
  admissions: checkInEntries.map((e) => ({ at: e.scannedAt, deviceId: e.deviceId, by: e.user?.name ?? null })),
});

/**
 * Matches a scanned QR secret or a typed badge short code ("k7q2 mx9p" as well as "K7Q2MX9P").
 * Short codes are 8 characters: shorter or longer input only ever matches a QR secret.
 */
export function ticketCodeWhere(code: string) {
  const short = typedShortCode(code);
  return short ? { OR: [{ qrCode: code.trim() }, { shortCode: short }] } : { qrCode: code.trim() };
}

/**
 * Checks a ticket in, identified by its QR secret or short code (a scan) or its id (a search result). The write
 * is one conditional update, so two doors scanning the same badge at once admit it exactly once.
 * `deviceId` is the check-in page's device, when its script sent one.
 */
export async function checkIn(eventId: string, by: { code: string } | { ticketId: string }, actorId: string, now: Date, deviceId = ""): Promise<CheckInResult> {
  const where = { ...("code" in by ? ticketCodeWhere(by.code) : { id: by.ticketId }), ticketType: { eventId } };
  return db().$transaction(async (tx) => {
    const found = await tx.ticket.findFirst({ where, select: { id: true } });
    if (!found) return { outcome: "unknown" as const };
    const admitted = await tx.ticket.updateMany({ where: { id: found.id, checkedInAt: null, status: "VALID" }, data: { checkedInAt: now, checkedInById: actorId } });
    if (admitted.count === 1) await tx.checkInEntry.create({ data: { ticketId: found.id, clientId: randomUUID(), deviceId, scannedAt: now, recordedAt: now, userId: actorId } });
    const ticket = toDoor(await tx.ticket.findUniqueOrThrow({ where: { id: found.id }, select: doorTicketSelect }));
    if (admitted.count === 1) {
      await audit(tx, { action: "ticket.checked-in", subject: `ticket:${ticket.id}`, actorId, before: { checkedInAt: null }, after: { checkedInAt: now.toISOString() } });
      return { outcome: "checked-in" as const, ticket };
    }
    if (ticket.status !== "VALID") {
      await audit(tx, { action: "ticket.check-in-refused", subject: `ticket:${ticket.id}`, actorId, after: { status: ticket.status } });
      return { outcome: "refused" as const, ticket };
    }
    return { outcome: "already" as const, ticket };
  });
}

/** Tickets whose holder matches a name, email, company or badge short code, for the door's search. */
export async function searchDoor(eventId: string, query: string, take = 20): Promise<DoorTicket[]> {
  const q = query.trim();
  if (q.length < 2) return [];
  const rows = await db().ticket.findMany({
    where: {
      ticketType: { eventId },
      OR: [
        { name: { contains: q, mode: "insensitive" } },
        { email: { contains: q, mode: "insensitive" } },
        { company: { contains: q, mode: "insensitive" } },
        { shortCode: q.toUpperCase() },
      ],
    },
    select: doorTicketSelect,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take,
  });
  return rows.map(toDoor);
}

/** Checked in out of valid tickets, for the live counter at the door. */
export async function doorCounts(eventId: string) {
  const [checkedIn, valid] = await Promise.all([
    db().ticket.count({ where: { ticketType: { eventId }, status: "VALID", checkedInAt: { not: null } } }),
    db().ticket.count({ where: { ticketType: { eventId }, status: "VALID" } }),
  ]);
  return { checkedIn, valid };
}
