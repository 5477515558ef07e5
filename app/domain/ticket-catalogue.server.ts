// The ticket types a visitor can see, with their prices, tax and availability.
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/services/db.server";
import { MAX_TICKETS_PER_ORDER } from "~/validation/checkout";
import { taxOn } from "./money";

export type Availability = "on-sale" | "few-left" | "sold-out" | "not-yet" | "ended";

/** "Few left" from this share of capacity (or 10 seats, whichever is larger). */
const FEW_LEFT_SHARE = 0.1;

export function availabilityOf(
  type: { capacity: number; held: number; sold: number; salesStartAt: Date | null; salesEndAt: Date | null },
  now: Date,
): { state: Availability; remaining: number } {
  const remaining = Math.max(0, type.capacity - type.held - type.sold);
  if (type.salesStartAt && now < type.salesStartAt) return { state: "not-yet", remaining };
  if (type.salesEndAt && now >= type.salesEndAt) return { state: "ended", remaining };
  if (remaining === 0) return { state: "sold-out", remaining };
  if (remaining <= Math.max(10, Math.ceil(type.capacity * FEW_LEFT_SHARE))) return { state: "few-left", remaining };
  return { state: "on-sale", remaining };
}

/** What a ticket type on sale shows a buyer: price, what it includes, seats and sales window. */
export const ticketTypeSaleSelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  includes: true,
  priceCents: true,
  currency: true,
  capacity: true,
  held: true,
  sold: true,
  salesStartAt: true,
  salesEndAt: true,
  maxPerOrder: true,
} satisfies Prisma.TicketTypeSelect;

/** Public types, plus the hidden ones a valid code unlocks. */
export async function publicTicketTypes(event: { id: string; taxRateBps: number }, now: Date, unlockedIds: string[] = []) {
  const types = await db().ticketType.findMany({
    where: { eventId: event.id, OR: [{ isPublic: true }, { id: { in: unlockedIds } }] },
    select: ticketTypeSaleSelect,
    orderBy: [{ position: "asc" }, { priceCents: "desc" }],
  });
  return types.map(({ capacity, held, sold, ...type }) => {
    const { state, remaining } = availabilityOf({ capacity, held, sold, ...type }, now);
    const taxCents = taxOn(type.priceCents, event.taxRateBps);
    return {
      ...type,
      taxCents,
      totalCents: type.priceCents + taxCents,
      state,
      remaining: state === "few-left" ? remaining : null,
      // How many the quantity picker offers.
      selectable: state === "on-sale" || state === "few-left" ? Math.min(type.maxPerOrder, remaining, MAX_TICKETS_PER_ORDER) : 0,
    };
  });
}
