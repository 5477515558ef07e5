import { randomUUID } from "node:crypto";
import { currentEvent } from "~/domain/event.server";
import type { PlaceOrderInput } from "~/domain/orders.server";
import { db } from "~/services/db.server";
import type { AttendeeInput } from "~/validation/attendee";

export async function seededEvent() {
  return currentEvent();
}

/** A fresh ticket type in the seeded event, so each test owns its seats. */
export async function ticketType(overrides: { capacity?: number; priceCents?: number; isPublic?: boolean; maxPerOrder?: number } = {}) {
  const event = await seededEvent();
  const slug = `test-${randomUUID().slice(0, 8)}`;
  return db().ticketType.create({
    data: {
      eventId: event.id,
      slug,
      name: `Test Pass ${slug.slice(5)}`,
      description: "A ticket type made by a test.",
      includes: [],
      priceCents: overrides.priceCents ?? 100_000,
      capacity: overrides.capacity ?? 100,
      maxPerOrder: overrides.maxPerOrder ?? 10,
      isPublic: overrides.isPublic ?? true,
    },
  });
}

let n = 0;
export function attendee(overrides: Partial<AttendeeInput> = {}): AttendeeInput {
  n++;
  return {
    name: `Attendee ${n}`,
    email: `attendee${n}@example.com`,
    company: "Sample Magnetics",
    jobTitle: "Engineer",
    country: "Canada",
    dietaryNeeds: "",
    accessNeeds: "",
    shareWithSponsors: false,
    ...overrides,
  };
}

export function order(quantities: Record<string, number>, overrides: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  const count = Object.values(quantities).reduce((a, b) => a + b, 0);
  return {
    quantities,
    buyer: { name: "Buyer Example", email: "buyer@example.com" },
    attendees: Array.from({ length: count }, () => attendee()),
    ...overrides,
  };
}

export async function seats(ticketTypeId: string) {
  return db().ticketType.findUniqueOrThrow({ where: { id: ticketTypeId }, select: { held: true, sold: true, capacity: true } });
}

export const minutes = (m: number, from = new Date()) => new Date(from.getTime() + m * 60_000);
