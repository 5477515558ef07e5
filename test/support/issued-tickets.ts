// Real tickets for door and lead tests: a free order (100% code) placed and fulfilled, no payment.
import { expect } from "vitest";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import { db } from "~/services/db.server";
import type { AttendeeInput } from "~/validation/attendee";
import { attendee, order, seededEvent, ticketType } from "./factories";

export async function issuedTickets(people: Partial<AttendeeInput>[]) {
  const event = await seededEvent();
  const type = await ticketType({ priceCents: 50_000 });
  const placed = await placeOrder(event, order({ [type.slug]: people.length }, { code: "SPEAKERGUEST", attendees: people.map((p) => attendee(p)) }), new Date());
  expect(await fulfilOrder(placed.id, "free", new Date())).toEqual({ outcome: "fulfilled" });
  return db().ticket.findMany({
    where: { orderId: placed.id },
    select: { id: true, name: true, email: true, company: true, jobTitle: true, country: true, qrCode: true, shortCode: true, shareWithSponsors: true, status: true },
    orderBy: { createdAt: "asc" },
  });
}
