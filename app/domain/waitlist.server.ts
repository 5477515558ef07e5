// Waitlists for sold-out types. A returning seat is held for the first person waiting, who gets
// an email with a private link to buy it before the offer runs out.
import { db } from "~/services/db.server";
import { audit } from "~/services/audit.server";
import { enqueueEmail } from "~/services/outbox.server";
import { failOn } from "./errors";
import { holdSeats, releaseHeld, remainingSeats } from "./inventory.server";
import { secretToken } from "./tokens.server";
import { eventShortName } from "./event.server";

export const OFFER_HOURS = 24;

export async function joinWaitlist(eventId: string, typeSlug: string, person: { name: string; email: string }) {
  const type = await db().ticketType.findUnique({
    where: { eventId_slug: { eventId, slug: typeSlug } },
    select: { id: true, name: true, capacity: true, held: true, sold: true, isPublic: true },
  });
  if (!type || !type.isPublic) failOn("ticketType", "ticket-type.unknown");
  if (remainingSeats(type) > 0) failOn("ticketType", "waitlist.not-sold-out", type.name);
  const entry = await db().waitlistEntry.upsert({
    where: { ticketTypeId_email: { ticketTypeId: type.id, email: person.email } },
    create: { ticketTypeId: type.id, name: person.name, email: person.email },
    update: {},
    select: { id: true, createdAt: true },
  });
  const position = await db().waitlistEntry.count({
    where: { ticketTypeId: type.id, offeredAt: null, closedAt: null, createdAt: { lte: entry.createdAt } },
  });
  return { position, typeName: type.name };
}

/** Offers every free seat of a type to the people waiting, first come first served. */
export async function offerReturnedSeats(ticketTypeId: string, now: Date) {
  for (;;) {
    const offered = await db().$transaction(async (tx) => {
      const [next] = await tx.$queryRaw<{ id: string; email: string; name: string }[]>`
        SELECT id, email, name FROM "WaitlistEntry"
        WHERE "ticketTypeId" = ${ticketTypeId} AND "offeredAt" IS NULL AND "closedAt" IS NULL
        ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
      if (!next) return false;
      if (!(await holdSeats(tx, { ticketTypeId, quantity: 1 }))) return false;
      const expiresAt = new Date(now.getTime() + OFFER_HOURS * 3600_000);
      const token = secretToken();
      await tx.waitlistEntry.update({ where: { id: next.id }, data: { offerToken: token, offeredAt: now, offerExpiresAt: expiresAt } });
      await audit(tx, { action: "waitlist.offered", subject: `waitlist:${next.id}`, after: { ticketTypeId, expiresAt } });
      await enqueueEmail(tx, {
        template: "waitlist-offer",
        to: next.email,
        subject: `A seat is available for you at ${await eventShortName(tx)}`,
        payload: { waitlistEntryId: next.id, offerToken: token, expiresAt: expiresAt.toISOString() },
      });
      return true;
    });
    if (!offered) return;
  }
}

/** Offers nobody took up in time: the held seat returns and goes to the next person. */
export async function expireWaitlistOffers(now: Date) {
  const types = await db().$transaction(async (tx) => {
    const lapsed = await tx.$queryRaw<{ id: string; ticketTypeId: string }[]>`
      SELECT id, "ticketTypeId" FROM "WaitlistEntry"
      WHERE "offerExpiresAt" < ${now} AND "orderId" IS NULL AND "closedAt" IS NULL
      FOR UPDATE SKIP LOCKED`;
    for (const entry of lapsed) {
      await tx.waitlistEntry.update({ where: { id: entry.id }, data: { closedAt: now } });
      await releaseHeld(tx, { ticketTypeId: entry.ticketTypeId, quantity: 1 });
      await audit(tx, { action: "waitlist.offer-lapsed", subject: `waitlist:${entry.id}` });
    }
    return [...new Set(lapsed.map((e) => e.ticketTypeId))];
  });
  for (const typeId of types) await offerReturnedSeats(typeId, now);
  return types.length;
}
