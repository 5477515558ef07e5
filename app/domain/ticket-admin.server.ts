// Ticket types and discount codes as organisers manage them. Seat counts (`held`, `sold`) are
// never written here: they belong to orders. Orders store their own unit prices, so a price
// change affects only orders placed after it.
import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import type { DiscountCodeInput, TicketTypeInput } from "~/validation/admin-commerce";
import { failOn } from "./errors";
import { remainingSeats } from "./inventory.server";
import { ticketTypeSaleSelect } from "./ticket-catalogue.server";
import { dayKey, timeKey, zonedTimeToUtc } from "./time";

type EventZone = { id: string; timeZone: string };

/** "2025-06-01T09:00" typed in the event's time zone, to UTC. */
const toUtc = (local: string | undefined, timeZone: string) =>
  local ? zonedTimeToUtc(local.slice(0, 10), local.slice(11, 16), timeZone) : null;
/** The other way, for a `datetime-local` input's value. */
export const toLocalInput = (at: Date | null, timeZone: string) => (at ? `${dayKey(at, timeZone)}T${timeKey(at, timeZone)}` : "");

const typeColumns = { ...ticketTypeSaleSelect, isPublic: true, position: true } satisfies Prisma.TicketTypeSelect;

export async function ticketTypesWithCounts(eventId: string) {
  const types = await db().ticketType.findMany({ where: { eventId }, select: typeColumns, orderBy: [{ position: "asc" }, { name: "asc" }] });
  return types.map((t) => ({ ...t, available: remainingSeats(t) }));
}

export async function ticketTypeForEdit(eventId: string, id: string) {
  return db().ticketType.findFirst({ where: { id, eventId }, select: typeColumns });
}

function typeData(input: TicketTypeInput, timeZone: string) {
  return {
    name: input.name,
    description: input.description,
    includes: input.includes,
    priceCents: input.price,
    capacity: input.capacity,
    salesStartAt: toUtc(input.startsAt, timeZone),
    salesEndAt: toUtc(input.endsAt, timeZone),
    isPublic: input.visibility === "public",
    maxPerOrder: input.maxPerOrder,
    position: input.position,
  };
}

const slugFrom = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "ticket";

/** The name of the CHECK or unique constraint a failed write violated, if that is why it failed. */
export function violatedConstraint(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const text = `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}`;
  const check = /(TicketType_seats_check|DiscountCode_uses_check)/.exec(text)?.[1];
  if (check) return check;
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" ? "unique" : null;
}

/**
 * Creates or updates a ticket type. Lowering the capacity below the seats sold and held is
 * refused by the database's CHECK (`held + sold <= capacity`) in the same statement, so a sale
 * that lands while the form is open cannot slip under the new capacity.
 */
export async function saveTicketType(event: EventZone, id: string | null, input: TicketTypeInput, actorId: string) {
  const data = typeData(input, event.timeZone);
  try {
    return await db().$transaction(async (tx) => {
      if (!id) {
        const base = slugFrom(input.name);
        const taken = await tx.ticketType.count({ where: { eventId: event.id, slug: base } });
        const slug = taken ? `${base}-${randomUUID().slice(0, 4)}` : base;
        const created = await tx.ticketType.create({ data: { ...data, eventId: event.id, slug }, select: { id: true } });
        await audit(tx, { action: "ticket-type.created", subject: `ticket-type:${created.id}`, actorId, after: { ...data, slug } });
        return created;
      }
      const before = await tx.ticketType.findFirst({ where: { id, eventId: event.id }, select: typeColumns });
      if (!before) failOn("name", "content.not-found", "ticket type");
      await tx.ticketType.update({ where: { id }, data, select: { id: true } });
      const changed = Object.fromEntries(Object.entries(data).filter(([k, v]) => JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(v)));
      await audit(tx, {
        action: "ticket-type.updated",
        subject: `ticket-type:${id}`,
        actorId,
        before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k as keyof typeof before]])),
        after: changed,
      });
      return { id };
    });
  } catch (error) {
    if (violatedConstraint(error) === "TicketType_seats_check" && id) {
      const now = await db().ticketType.findUniqueOrThrow({ where: { id }, select: { sold: true, held: true } });
      failOn("capacity", "ticket-type.capacity-below-taken", now.sold, now.held);
    }
    throw error;
  }
}

const codeColumns = {
  id: true,
  code: true,
  kind: true,
  amount: true,
  maxUses: true,
  used: true,
  validFrom: true,
  validUntil: true,
  ticketTypes: { select: { id: true, name: true, isPublic: true }, orderBy: { position: "asc" } },
} as const;

export function discountCodes(eventId: string) {
  return db().discountCode.findMany({ where: { eventId }, select: codeColumns, orderBy: { code: "asc" } });
}

export function discountCodeForEdit(eventId: string, id: string) {
  return db().discountCode.findFirst({ where: { id, eventId }, select: codeColumns });
}

/**
 * Creates or updates a code. Its list of ticket types limits what it discounts and also unlocks
 * hidden (code-only) types for whoever enters it. Lowering `maxUses` below the uses already
 * counted is refused by the database's CHECK.
 */
export async function saveDiscountCode(event: EventZone, id: string | null, input: DiscountCodeInput, actorId: string) {
  const data = {
    code: input.code,
    kind: input.kind,
    amount: input.amount,
    maxUses: input.maxUses ?? null,
    validFrom: toUtc(input.startsAt, event.timeZone),
    validUntil: toUtc(input.endsAt, event.timeZone),
  };
  try {
    return await db().$transaction(async (tx) => {
      const types = await tx.ticketType.count({ where: { eventId: event.id, id: { in: input.ticketTypeIds } } });
      if (types !== new Set(input.ticketTypeIds).size) failOn("ticketTypeIds", "discount.unknown-type");
      const ticketTypes = input.ticketTypeIds.map((t) => ({ id: t }));
      if (!id) {
        const created = await tx.discountCode.create({ data: { ...data, eventId: event.id, ticketTypes: { connect: ticketTypes } }, select: { id: true } });
        await audit(tx, { action: "discount-code.created", subject: `discount-code:${created.id}`, actorId, after: { ...data, ticketTypeIds: input.ticketTypeIds } });
        return created;
      }
      const before = await tx.discountCode.findFirst({ where: { id, eventId: event.id }, select: { ...codeColumns, ticketTypes: { select: { id: true } } } });
      if (!before) failOn("code", "content.not-found", "discount code");
      await tx.discountCode.update({ where: { id }, data: { ...data, ticketTypes: { set: ticketTypes } }, select: { id: true } });
      const { ticketTypes: beforeTypes, id: _id, used: _used, ...beforeData } = before;
      await audit(tx, {
        action: "discount-code.updated",
        subject: `discount-code:${id}`,
        actorId,
        before: { ...beforeData, ticketTypeIds: beforeTypes.map((t) => t.id) },
        after: { ...data, ticketTypeIds: input.ticketTypeIds },
      });
      return { id };
    });
  } catch (error) {
    const violated = violatedConstraint(error);
    if (violated === "DiscountCode_uses_check" && id) {
      const now = await db().discountCode.findUniqueOrThrow({ where: { id }, select: { used: true } });
      failOn("maxUses", "discount.max-below-used", now.used);
    }
    if (violated === "unique") failOn("code", "discount.code-taken", input.code);
    throw error;
  }
}
