// The door without a network (ADR 0016). Each check-in device keeps a signed list of the edition's
// tickets, admits from it while offline, and sends its admissions when the connection returns.
// The rule for two devices that admitted one ticket: both entries are kept, the earliest time is
// the ticket's check-in, the later one is a second entry. The door is never blocked by it.
import { createHash, createHmac } from "node:crypto";
import type { TicketStatus } from "~/generated/prisma/enums";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import { QR_DIGEST_CHARS, type Admission, type DoorList, type SignedDoorList } from "~/validation/door";
import { admissionsSelect, doorTicketSelect, toDoor, type DoorTicket } from "./check-in.server";

/** What the device keeps instead of a QR secret: enough to match a scan, nothing that admits anyone elsewhere. */
export const qrDigest = (qrCode: string) => createHash("sha256").update(qrCode).digest("base64url").slice(0, QR_DIGEST_CHARS);

/**
 * The key a device checks its list with: one per login session, so a list copied from another
 * account or an earlier session, or edited by hand, fails the check. Sent with the page, never stored by us.
 */
export const doorListKey = (sessionId: string) => createHmac("sha256", env().SESSION_SECRET).update(`door-list:${sessionId}`).digest("base64url");

const sign = (body: string, key: string) => createHmac("sha256", Buffer.from(key, "base64url")).update(body).digest("base64url");

/** Every ticket of the edition (refused ones too, so they stay refused offline), compact and signed for this session. */
export async function signedDoorList(event: { id: string; timeZone: string }, user: { id: string; sessionId: string }, now: Date): Promise<SignedDoorList> {
  const rows = await db().ticket.findMany({
    where: { ticketType: { eventId: event.id } },
    select: { id: true, shortCode: true, qrCode: true, name: true, company: true, status: true, checkedInAt: true, ticketType: { select: { name: true } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const types: string[] = [];
  const typeIndex = (name: string) => (types.includes(name) ? types.indexOf(name) : types.push(name) - 1);
  const list: DoorList = {
    v: 1,
    eventId: event.id,
    userId: user.id,
    issuedAt: now.toISOString(),
    timeZone: event.timeZone,
    types,
    tickets: rows.map((t) => ({
      id: t.id,
      code: t.shortCode,
      qr: qrDigest(t.qrCode),
      name: t.name,
      company: t.company,
      type: typeIndex(t.ticketType.name),
      status: t.status,
      in: t.checkedInAt?.toISOString() ?? null,
    })),
  };
  const body = JSON.stringify(list);
  return { body, signature: sign(body, doorListKey(user.sessionId)) };
}

export type ReplayResult =
  | { clientId: string; outcome: "checked-in"; ticket: DoorTicket; at: Date }
  | { clientId: string; outcome: "second-entry"; ticket: DoorTicket; at: Date; first: DoorTicket["admissions"][number] }
  | { clientId: string; outcome: "refused"; ticket: DoorTicket; at: Date }
  | { clientId: string; outcome: "unknown" }
  | { clientId: string; outcome: "conflict" };

/**
 * Records a device's queued admissions, each in its own transaction. A batch sent again records
 * nothing twice and answers the same: the entry's clientId is unique. A time from a device whose
 * clock runs ahead is taken as the time it arrived.
 */
export async function recordAdmissions(eventId: string, deviceId: string, admissions: Admission[], userId: string, now: Date): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for (const admission of admissions) results.push(await recordAdmission(eventId, deviceId, admission, userId, now));
  return results;
}

async function recordAdmission(eventId: string, deviceId: string, admission: Admission, userId: string, now: Date): Promise<ReplayResult> {
  const { clientId, ticketId } = admission;
  const scannedAt = new Date(Math.min(new Date(admission.scannedAt).getTime(), now.getTime()));
  return db().$transaction(async (tx) => {
    // The ticket's row lock orders everything that admits, refunds or records this ticket.
    const [ticket] = await tx.$queryRaw<{ id: string; status: TicketStatus }[]>`
      SELECT t.id, t.status FROM "Ticket" t JOIN "TicketType" tt ON tt.id = t."ticketTypeId"
      WHERE t.id = ${ticketId} AND tt."eventId" = ${eventId} FOR UPDATE OF t`;
    if (!ticket) return { clientId, outcome: "unknown" as const };
    const refusedStatus = ticket.status === "VALID" ? null : ticket.status;
    const created = await tx.checkInEntry.createMany({ data: [{ ticketId, clientId, deviceId, scannedAt, recordedAt: now, userId, refusedStatus }], skipDuplicates: true });
    const entry = await tx.checkInEntry.findUniqueOrThrow({ where: { clientId }, select: { id: true, ticketId: true, scannedAt: true, refusedStatus: true } });
    if (entry.ticketId !== ticketId) return { clientId, outcome: "conflict" as const };
    if (created.count === 1) {
      const subject = `ticket:${ticketId}`;
      const offline = { deviceId, scannedAt: scannedAt.toISOString(), clientId };
      if (refusedStatus) {
        await audit(tx, { action: "ticket.check-in-refused", subject, actorId: userId, after: { status: refusedStatus, ...offline } });
      } else {
        // The earliest admission is the check-in, whichever device reports it first.
        const first = await tx.ticket.updateMany({
          where: { id: ticketId, OR: [{ checkedInAt: null }, { checkedInAt: { gt: scannedAt } }] },
          data: { checkedInAt: scannedAt, checkedInById: userId },
        });
        await audit(tx, { action: first.count === 1 ? "ticket.checked-in" : "ticket.admitted-again", subject, actorId: userId, after: offline });
      }
    }
    const ticketNow = toDoor(await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: doorTicketSelect }));
    if (entry.refusedStatus) return { clientId, outcome: "refused" as const, ticket: ticketNow, at: entry.scannedAt };
    const earliest = await tx.checkInEntry.findFirstOrThrow({ where: { ticketId, ...admissionsSelect.where }, orderBy: admissionsSelect.orderBy, select: { id: true } });
    if (earliest.id === entry.id) return { clientId, outcome: "checked-in" as const, ticket: ticketNow, at: entry.scannedAt };
    return { clientId, outcome: "second-entry" as const, ticket: ticketNow, at: entry.scannedAt, first: ticketNow.admissions[0]! };
  });
}
