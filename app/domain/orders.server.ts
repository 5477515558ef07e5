// Orders from selection to PENDING hold, and holds that end (expiry, cancellation).
import { randomUUID } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import type { DiscountKind } from "~/generated/prisma/enums";
import { db, hotQuery } from "~/services/db.server";
import { audit } from "~/services/audit.server";
import { enqueueEmail } from "~/services/outbox.server";
import { batched } from "~/services/batch.server";
import { attendeeDetailColumns, emptyAttendee, type AttendeeInput } from "~/validation/attendee";
import { MAX_TICKETS_PER_ORDER, type BillingDetails } from "~/validation/checkout";
import { HOLD_MINUTES } from "./checkout-timings";
import { DomainError, fail, failOn } from "./errors";
import { eventShortName } from "./event.server";
import { releaseHeld, remainingSeats } from "./inventory.server";
import { billingColumns, creditRemaining } from "./invoices.server";
import { priceOrder, type Discount, type PricedOrder } from "./pricing";
import { dayKey, formatDayKey, formatTime, zoneAbbreviation } from "./time";
import { orderReference, secretToken } from "./tokens.server";

export type Selection = { quantities: Record<string, number>; code?: string; offer?: string };

type OrderableType = {
  id: string;
  eventId: string;
  slug: string;
  name: string;
  priceCents: number;
  currency: string;
  capacity: number;
  held: number;
  sold: number;
  salesStartAt: Date | null;
  salesEndAt: Date | null;
  maxPerOrder: number;
  isPublic: boolean;
};

// Raw SQL on the checkout path: in a rush every buyer runs these, and a raw query skips Prisma's
// query compiler, which cost more CPU than the query itself (see the rush benchmark). The two that
// every buyer runs are prepared statements (hotQuery).
const TYPE_COLUMNS = Prisma.sql`id, "eventId", slug, name, "priceCents", currency, capacity, held, sold, "salesStartAt", "salesEndAt", "maxPerOrder", "isPublic"`;

function typesById(ids: string[]) {
  return db().$queryRaw<OrderableType[]>`SELECT ${TYPE_COLUMNS} FROM "TicketType" WHERE id = ANY(${ids}::text[])`;
}

/**
 * The types a selection names. Checkouts that ask in the same turn of the event loop share one
 * query (in a rush, many do); each still gets the rows as they are at that moment. Timestamps are
 * stored as UTC without a zone (Prisma's way) and read back as such.
 */
const typesBySlug = batched(async (asks: { eventId: string; slugs: string[] }[]) => {
  const { rows } = await hotQuery<OrderableType>(
    "checkout-types-by-slug",
    `SELECT id, "eventId", slug, name, "priceCents", currency, capacity, held, sold,
       "salesStartAt" AT TIME ZONE 'UTC' AS "salesStartAt", "salesEndAt" AT TIME ZONE 'UTC' AS "salesEndAt", "maxPerOrder", "isPublic"
     FROM "TicketType"
     WHERE ("eventId", slug) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [asks.flatMap((a) => a.slugs.map(() => a.eventId)), asks.flatMap((a) => a.slugs)],
  );
  return asks.map((ask) => rows.filter((row) => row.eventId === ask.eventId && ask.slugs.includes(row.slug)));
});

type EventForOrder = { id: string; taxName: string; taxRateBps: number; currency: string };

/**
 * Checks a selection against the rules and prices it, without writing anything: the checkout
 * page shows this, and placeOrder checks it again just before it writes.
 */
export async function quoteSelection(event: EventForOrder, selection: Selection, now: Date) {
  const code = selection.code ? await loadDiscount(event.id, selection.code, now) : null;
  const offer = selection.offer ? await loadOffer(selection.offer, now) : null;
  const wanted = Object.entries(selection.quantities).filter(([, q]) => q > 0);
  if (wanted.length === 0) fail("order.empty");
  const count = wanted.reduce((sum, [, q]) => sum + q, 0);
  if (count > MAX_TICKETS_PER_ORDER) fail("order.too-many", MAX_TICKETS_PER_ORDER);

  const types = await typesBySlug({ eventId: event.id, slugs: wanted.map(([slug]) => slug) });
  const lines = wanted.map(([slug, quantity]) => {
    const type = types.find((t) => t.slug === slug);
    const unlocked = type && (type.isPublic || code?.ticketTypeIds.includes(type.id) || offer?.ticketTypeId === type.id);
    if (!type || !unlocked) failOn(`quantities.${slug}`, "ticket-type.unknown");
    if ((type.salesStartAt && now < type.salesStartAt) || (type.salesEndAt && now >= type.salesEndAt)) {
      failOn(`quantities.${slug}`, "ticket-type.not-on-sale", type.name);
    }
    if (quantity > type.maxPerOrder) failOn(`quantities.${slug}`, "ticket-type.max-per-order", type.name, type.maxPerOrder);
    // A waitlist offer already holds one seat of its type for this buyer.
    const own = offer?.ticketTypeId === type.id ? 1 : 0;
    const left = remainingSeats(type) + own;
    if (left === 0) failOn(`quantities.${slug}`, "ticket-type.sold-out", type.name);
    if (quantity > left) failOn(`quantities.${slug}`, "ticket-type.not-enough", type.name, left);
    return { type, quantity };
  });
  const discount: Discount | null = code
    ? { code: code.code, kind: code.kind, amount: code.amount, ticketTypeIds: code.ticketTypeIds }
    : null;
  if (discount && discount.ticketTypeIds.length > 0 && !lines.some((l) => discount.ticketTypeIds.includes(l.type.id))) {
    failOn("code", "discount.not-applicable", discount.code);
  }
  const priced = priceOrder(
    lines.map((l) => ({ ticketTypeId: l.type.id, name: l.type.name, unitCents: l.type.priceCents, quantity: l.quantity })),
    discount,
    event.taxRateBps,
  );
  return { lines, priced, code, offer, ticketCount: count };
}

/** A discount code that can be used now, or a DomainError saying why not. */
export async function loadDiscount(eventId: string, raw: string, now: Date) {
  const code = raw.trim().toUpperCase();
  // "_DiscountCodeToTicketType" is the join table Prisma made for DiscountCode.ticketTypes: "A" the
  // code, "B" the type (its implicit many-to-many naming).
  const [found] = await db().$queryRaw<DiscountRow[]>`
    SELECT d.id, d.code, d.kind::text AS kind, d.amount, d."maxUses", d.used, d."validFrom", d."validUntil",
      coalesce(array_agg(l."B") FILTER (WHERE l."B" IS NOT NULL), '{}') AS "ticketTypeIds"
    FROM "DiscountCode" d LEFT JOIN "_DiscountCodeToTicketType" l ON l."A" = d.id
    WHERE d."eventId" = ${eventId} AND d.code = ${code}
    GROUP BY d.id`;
  if (!found) failOn("code", "discount.unknown", code);
  if (found.validFrom && now < found.validFrom) failOn("code", "discount.not-yet", code);
  if (found.validUntil && now >= found.validUntil) failOn("code", "discount.expired", code);
  if (found.maxUses !== null && found.used >= found.maxUses) failOn("code", "discount.exhausted", code);
  return found;
}

type DiscountRow = {
  id: string;
  code: string;
  kind: DiscountKind;
  amount: number;
  maxUses: number | null;
  used: number;
  validFrom: Date | null;
  validUntil: Date | null;
  ticketTypeIds: string[];
};

async function loadOffer(token: string, now: Date) {
  const offer = await db().waitlistEntry.findUnique({
    where: { offerToken: token },
    select: { id: true, ticketTypeId: true, offerExpiresAt: true, orderId: true, closedAt: true },
  });
  if (!offer || offer.orderId || offer.closedAt || !offer.offerExpiresAt || offer.offerExpiresAt <= now) {
    failOn("offer", "waitlist.offer-invalid");
  }
  return offer;
}

export type PlaceOrderInput = Selection & {
  buyer: { name: string; email: string };
  /** A company buyer's invoice details (checkout's "buying for a company"). */
  billing?: BillingDetails;
  attendees: AttendeeInput[];
  /** Pay by invoice with the attendees named later: each ticket goes to the buyer, who names it. */
  namesLater?: boolean;
  expectedTotalCents?: number;
};

export type PlacedOrder = {
  id: string;
  reference: string;
  accessToken: string;
  totalCents: number;
  currency: string;
  taxName: string;
  expiresAt: Date;
  priced: PricedOrder;
  buyerEmail: string;
  discountCode: string | null;
};

/**
 * Reserves the seats and creates the PENDING order as one SQL statement, so one round trip and
 * its own transaction: either every seat is held and the order exists, or nothing changed. The
 * database's CHECK constraints are the atomic test (`held + sold <= capacity`,
 * `used <= "maxUses"`): the increments run unconditionally and a violation fails the whole
 * statement, however many buyers and app instances race. The seat rows, the hottest rows in a
 * rush, stay locked only until that one statement commits. Codes are counted when used, not
 * when paid, so a code with one use left cannot be redeemed twice at once.
 */
export async function placeOrder(event: EventForOrder, input: PlaceOrderInput, now: Date): Promise<PlacedOrder> {
  const { lines, priced, code, offer, ticketCount } = await quoteSelection(event, input, now);
  const attendees = input.namesLater ? unnamedAttendees(ticketCount, input.buyer.email) : input.attendees;
  if (attendees.length !== ticketCount) fail("order.attendees-mismatch");
  if (input.expectedTotalCents !== undefined && input.expectedTotalCents !== priced.totalCents) fail("order.changed");

  const typeIds = lines.map((l) => l.type.id);
  const quantities = lines.map((l) => l.quantity);
  // A waitlist offer already holds one seat of its type for this buyer.
  const toHold = lines.map((l) => (offer?.ticketTypeId === l.type.id ? l.quantity - 1 : l.quantity));
  const units = lines.map((l) => l.type.priceCents);
  const expiresAt = new Date(now.getTime() + HOLD_MINUTES * 60_000);
  const attendeesJson = JSON.stringify(attendeeRows(lines, attendees, input.namesLater ?? false));

  for (let attempt = 0; ; attempt++) {
    const id = randomUUID();
    const reference = orderReference();
    const accessToken = secretToken();
    const auditAfter = JSON.stringify({ reference, totalCents: priced.totalCents, lines: lines.map((l) => [l.type.slug, l.quantity]) });
    try {
      const hold: Hold = {
        id, eventId: event.id, reference, accessToken, buyerName: input.buyer.name, buyerEmail: input.buyer.email,
        subtotalCents: priced.subtotalCents, discountCents: priced.discountCents, taxCents: priced.taxCents,
        totalCents: priced.totalCents, currency: event.currency, taxName: event.taxName, taxRateBps: priced.taxRateBps, billing: JSON.stringify(input.billing ?? {}), codeId: code?.id ?? null, expiresAt: expiresAt.toISOString(),
        attendees: attendeesJson, offerId: offer?.id ?? null, auditAfter, typeIds, toHold, quantities, units,
      };
      // Together with the orders placed in the same turn, or else on its own (its own answer).
      if (!(await holdTogether(hold))) await placeAll([hold]);
      return { id, reference, accessToken, totalCents: priced.totalCents, currency: event.currency, taxName: event.taxName, expiresAt, buyerEmail: input.buyer.email, priced, discountCode: code?.code ?? null };
    } catch (error) {
      const violated = refusalOf(error);
      if (violated === "TicketType_seats_check") await explainShortage(lines, offer?.ticketTypeId);
      if (violated === "DiscountCode_uses_check") failOn("code", "discount.exhausted", code!.code);
      // Order references are short, so two orders can draw the same one; draw again. Two orders
      // for the same two types can lock their rows in opposite orders; PostgreSQL then refuses
      // one with a deadlock, which is worth a second try.
      if ((violated !== "Order_reference_key" && violated !== "deadlock") || attempt >= 4) throw error;
    }
  }
}

type Hold = {
  id: string;
  eventId: string;
  reference: string;
  accessToken: string;
  buyerName: string;
  buyerEmail: string;
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  currency: string;
  /** The tax the order was priced with, kept on it (the event's rate may change later). */
  taxName: string;
  taxRateBps: number;
  /** The billing details as a JSON object (one parameter per order, like the attendees). */
  billing: string;
  codeId: string | null;
  /** The hold's end, an ISO string in UTC: a zone given to a column without one is ignored, so UTC is stored, as Prisma stores it. */
  expiresAt: string;
  /** The order's attendees as a JSON array of OrderAttendee rows (see attendeeRows). */
  attendees: string;
  offerId: string | null;
  auditAfter: string;
  typeIds: string[];
  /** Seats to hold per type: a waitlist offer already holds one. */
  toHold: number[];
  quantities: number[];
  units: number[];
};

// For each order: the seats, the code use, the order, its items and attendees, the waitlist offer
// taken and the audit row, as one statement, for every order of the batch at once. Each order's
// attendees come as one JSON array, unpacked here, so they add no parameter per row.
const PLACE_ORDERS = `
  WITH o AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[],
      $9::int[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $22::text[], $23::int[], $24::text[])
      AS o(id, event_id, reference, access_token, buyer_name, buyer_email, subtotal, discount, tax, total, currency,
        code_id, expires_at, attendees, offer_id, audit_after, tax_name, tax_rate, billing)
  ), l AS (
    SELECT * FROM unnest($17::text[], $18::text[], $19::int[], $20::int[], $21::int[]) AS l(order_id, type_id, qty, hold, unit)
  ), seats AS (
    UPDATE "TicketType" AS t SET held = t.held + w.hold, "updatedAt" = now()
    FROM (SELECT type_id, sum(hold)::int AS hold FROM l GROUP BY type_id) AS w
    WHERE t.id = w.type_id AND w.hold > 0
  ), codes AS (
    UPDATE "DiscountCode" AS d SET used = d.used + c.uses
    FROM (SELECT code_id, count(*)::int AS uses FROM o WHERE code_id IS NOT NULL GROUP BY code_id) AS c
    WHERE d.id = c.code_id
  ), placed AS (
    INSERT INTO "Order" (id, "eventId", reference, "accessToken", "buyerName", "buyerEmail", "subtotalCents",
      "discountCents", "taxCents", "totalCents", currency, "taxName", "taxRateBps", "discountCodeId", "expiresAt", "updatedAt",
      "billingCompany", "billingAddress", "billingCountry", "purchaseOrder", "buyerTaxNumber")
    SELECT id, event_id, reference, access_token, buyer_name, buyer_email, subtotal, discount, tax, total, currency,
      tax_name, tax_rate, code_id, expires_at::timestamp, now(),
      coalesce(b.company, ''), coalesce(b.address, ''), coalesce(b.country, ''), coalesce(b."purchaseOrder", ''), coalesce(b."taxNumber", '')
    FROM o LEFT JOIN LATERAL jsonb_to_record(o.billing::jsonb) AS b(company text, address text, country text, "purchaseOrder" text, "taxNumber" text) ON true
  ), items AS (
    INSERT INTO "OrderItem" (id, "orderId", "ticketTypeId", quantity, "unitCents")
    SELECT gen_random_uuid()::text, order_id, type_id, qty, unit FROM l
  ), people AS (
    INSERT INTO "OrderAttendee" ("orderId", position, "ticketTypeId", name, email, company, "jobTitle", country,
      "dietaryNeeds", "accessNeeds", "shareWithSponsors", "toBeNamed")
    SELECT o.id, a.position, a."ticketTypeId", a.name, a.email, a.company, a."jobTitle", a.country,
      a."dietaryNeeds", a."accessNeeds", a."shareWithSponsors", a."toBeNamed"
    FROM o, jsonb_to_recordset(o.attendees::jsonb) AS a(position int, "ticketTypeId" text, name text, email text,
      company text, "jobTitle" text, country text, "dietaryNeeds" text, "accessNeeds" text, "shareWithSponsors" boolean, "toBeNamed" boolean)
  ), offers AS (
    UPDATE "WaitlistEntry" AS w SET "orderId" = o.id FROM o WHERE w.id = o.offer_id
  )
  INSERT INTO "AuditLog" (id, action, subject, after)
  SELECT gen_random_uuid()::text, 'order.created', 'order:' || id, audit_after::jsonb FROM o`;

function placeAll(holds: Hold[]) {
  const column = <K extends keyof Hold>(key: K) => holds.map((h) => h[key]);
  const lines = holds.flatMap((h) => h.typeIds.map((typeId, i) => ({ orderId: h.id, typeId, quantity: h.quantities[i]!, hold: h.toHold[i]!, unit: h.units[i]! })));
  return hotQuery("checkout-place-orders", PLACE_ORDERS, [
    column("id"), column("eventId"), column("reference"), column("accessToken"), column("buyerName"), column("buyerEmail"),
    column("subtotalCents"), column("discountCents"), column("taxCents"), column("totalCents"), column("currency"),
    column("codeId"), column("expiresAt"), column("attendees"), column("offerId"), column("auditAfter"),
    lines.map((l) => l.orderId), lines.map((l) => l.typeId), lines.map((l) => l.quantity), lines.map((l) => l.hold), lines.map((l) => l.unit),
    column("taxName"), column("taxRateBps"), column("billing"),
  ]);
}

/**
 * Holds seats for the orders placed in the same turn of the event loop with one statement: one
 * lock on each seat row and one commit for all of them. In a rush every buyer updates the same
 * seat row, so each hold waited for the one before it to commit; now a batch does. The batch is
 * all or nothing, like a single order. If it is refused (seats or a code's uses ran out for some,
 * a reference drawn twice, a deadlock), nothing was written: the orders that fit in the seats
 * left now are tried together, in the order they came. Resolves to true when the order's seats
 * are held, false when it must be placed on its own (alone in its turn, or refused with the
 * others), so each buyer gets the answer their own order deserves, and nobody waits for others'.
 */
const holdTogether = batched(async (holds: Hold[]): Promise<boolean[]> => {
  if (holds.length === 1) return [false];
  try {
    await placeAll(holds);
    return holds.map(() => true);
  } catch {
    // Some of them cannot be held: see below.
  }
  const { rows } = await hotQuery<{ id: string; left: number }>(
    "checkout-seats-left",
    `SELECT id, capacity - held - sold AS left FROM "TicketType" WHERE id = ANY($1::text[])`,
    [[...new Set(holds.flatMap((h) => h.typeIds))]],
  );
  const left = new Map(rows.map((r) => [r.id, r.left]));
  const fit = new Set(
    holds.filter((h) => {
      if (!h.typeIds.every((id, i) => (left.get(id) ?? 0) >= h.toHold[i]!)) return false;
      h.typeIds.forEach((id, i) => left.set(id, left.get(id)! - h.toHold[i]!));
      return true;
    }),
  );
  const together = fit.size > 1 && (await placeAll([...fit]).then(() => true, () => false));
  return holds.map((h) => together && fit.has(h));
});

/** Why a statement failed when we can do something about it: the constraint it violated, or a deadlock. */
function refusalOf(error: unknown): string | null {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}` : "";
  if (/40P01|deadlock detected/.test(text)) return "deadlock";
  return /(TicketType_seats_check|DiscountCode_uses_check|Order_reference_key)/.exec(text)?.[1] ?? null;
}

/** After a refused hold: which type ran short, and how many seats it has now. */
async function explainShortage(lines: { type: { id: string; slug: string; name: string }; quantity: number }[], offerTypeId?: string): Promise<never> {
  // One seat of one type refused means none was left: nothing to look up. In a rush that is
  // every buyer who lost the race.
  const [only] = lines;
  if (lines.length === 1 && only!.quantity === 1) failOn(`quantities.${only!.type.slug}`, "ticket-type.sold-out", only!.type.name);
  const fresh = await typesById(lines.map((l) => l.type.id));
  for (const { type, quantity } of lines) {
    const now = fresh.find((f) => f.id === type.id)!;
    const left = remainingSeats(now) + (offerTypeId === type.id ? 1 : 0);
    if (left === 0) failOn(`quantities.${type.slug}`, "ticket-type.sold-out", type.name);
    if (left < quantity) failOn(`quantities.${type.slug}`, "ticket-type.not-enough", type.name, left);
  }
  // Seats came back between the refusal and this look: ask the buyer to try again.
  fail("order.changed");
}

/** The attendee forms come in the order of the lines: the first n attendees get the first type. */
function attendeeRows(lines: { type: { id: string }; quantity: number }[], attendees: AttendeeInput[], toBeNamed: boolean): Omit<Prisma.OrderAttendeeCreateManyInput, "orderId">[] {
  const typeIds = lines.flatMap((l) => Array.from({ length: l.quantity }, () => l.type.id));
  return attendees.map((a, position) => ({ ...a, position, ticketTypeId: typeIds[position]!, toBeNamed }));
}

/** Placeholders for attendees named later: the buyer holds each ticket until they name it. */
function unnamedAttendees(count: number, buyerEmail: string): AttendeeInput[] {
  return Array.from({ length: count }, (_, i) => ({ ...emptyAttendee, name: `Attendee ${i + 1} (to be named)`, email: buyerEmail }));
}

/** An order's attendees as entered, in their order: what tickets are issued from and checkout is refilled with. */
export const orderAttendeesSelect = {
  select: { ticketTypeId: true, ...attendeeDetailColumns, shareWithSponsors: true, toBeNamed: true },
  orderBy: { position: "asc" },
} satisfies Prisma.Order$attendeesArgs;

/**
 * Ends PENDING holds: their seats and code uses return, exactly once (the row lock and the status
 * check make a second caller a no-op). Returns the orders that ended, for the caller to expire
 * their Stripe sessions and offer the seats to waitlists. The time-based sweep ends card holds
 * only; an order awaiting payment by invoice ends by its own sweep (invoice-orders.server.ts) or
 * by name, and then its invoice is cancelled by a credit note and the buyer is told.
 */
export async function endHolds(
  where: { orderIds?: string[]; expiredBefore?: Date },
  outcome: "EXPIRED" | "CANCELLED",
  reason: string,
  limit = 100,
) {
  return db().$transaction(async (tx) => {
    const ids = where.orderIds
      ? await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM "Order" WHERE id = ANY(${where.orderIds}) AND status = 'PENDING' FOR UPDATE SKIP LOCKED`
      : await tx.$queryRaw<{ id: string }[]>`
          SELECT id FROM "Order" WHERE status = 'PENDING' AND "expiresAt" < ${where.expiredBefore} AND "paymentMethod" = 'CARD'
          ORDER BY "expiresAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    const ended = [];
    for (const { id } of ids) {
      const order = await tx.order.update({
        where: { id },
        data: { status: outcome, ...(outcome === "CANCELLED" ? { cancelledAt: new Date() } : {}) },
        select: {
          id: true, reference: true, stripeSessionId: true, discountCodeId: true, buyerEmail: true, buyerName: true, paymentMethod: true,
          items: { select: { ticketTypeId: true, quantity: true } },
        },
      });
      for (const item of order.items) await releaseHeld(tx, item);
      if (order.discountCodeId) {
        await tx.$executeRaw`UPDATE "DiscountCode" SET used = used - 1 WHERE id = ${order.discountCodeId} AND used > 0`;
      }
      await tx.waitlistEntry.updateMany({ where: { orderId: id }, data: { closedAt: new Date() } });
      await audit(tx, { action: outcome === "EXPIRED" ? "order.expired" : "order.cancelled", subject: `order:${id}`, after: { reason } });
      if (order.paymentMethod === "INVOICE") {
        await enqueueEmail(tx, {
          template: "invoice-payment",
          to: order.buyerEmail,
          subject: `Order ${order.reference} cancelled: ${await eventShortName(tx)}`,
          payload: { orderId: id, kind: "cancelled", reason },
        });
        // Last: the credit note's number stays taken only until the commit.
        await creditRemaining(tx, id, cancellationNote[reason] ?? "order cancelled", new Date());
      }
      ended.push(order);
    }
    return ended;
  });
}

/** What a credit note says when an unpaid invoice order is cancelled, by the reason it ended. */
const cancellationNote: Record<string, string> = {
  "invoice-overdue": "not paid by the due date",
  "organiser-cancelled": "order cancelled by the organiser",
  "buyer-cancelled": "order cancelled by the buyer",
};

export async function orderForBuyer(reference: string, accessToken: string) {
  const order = await db().order.findUnique({
    where: { reference },
    select: {
      id: true,
      eventId: true,
      reference: true,
      accessToken: true,
      status: true,
      buyerName: true,
      buyerEmail: true,
      subtotalCents: true,
      discountCents: true,
      taxCents: true,
      totalCents: true,
      refundedCents: true,
      currency: true,
      taxName: true,
      taxRateBps: true,
      ...billingColumns,
      expiresAt: true,
      paidAt: true,
      createdAt: true,
      paymentMethod: true,
      dueAt: true,
      payments: { select: { amountCents: true } },
      stripeSessionId: true,
      checkoutUrl: true,
      attendees: orderAttendeesSelect,
      discountCode: { select: { code: true } },
      items: { select: { quantity: true, unitCents: true, ticketType: { select: { name: true, slug: true } } } },
      tickets: {
        select: { id: true, name: true, email: true, status: true, manageToken: true, toBeNamed: true, ticketType: { select: { name: true } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  // Same answer for a wrong token as for no order: the link is the only key.
  if (!order || !timingSafeEqualStrings(order.accessToken, accessToken)) return null;
  return order;
}


/** What the payment step reads of a buyer's order (orderForPayment). */
export type PaymentOrder = Pick<PlacedOrder, "id" | "reference" | "buyerEmail" | "currency" | "totalCents" | "expiresAt" | "discountCode"> & {
  eventId: string;
  accessToken: string;
  status: string;
  paymentMethod: string;
  checkoutUrl: string | null;
  taxName: string;
  priced: { discountCents: number; taxCents: number; taxRateBps: number; lines: { name: string; unitCents: number; quantity: number }[] };
};

const ORDER_FOR_PAYMENT = `
  SELECT o.id, o."eventId", o.reference, o."accessToken", o.status::text AS status, o."paymentMethod"::text AS "paymentMethod",
    o."buyerEmail", o.currency, o."taxName", o."totalCents", o."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", o."checkoutUrl",
    d.code AS "discountCode",
    json_build_object('discountCents', o."discountCents", 'taxCents', o."taxCents", 'taxRateBps', o."taxRateBps", 'lines',
      coalesce((SELECT json_agg(json_build_object('name', t.name, 'unitCents', i."unitCents", 'quantity', i.quantity) ORDER BY i.id)
        FROM "OrderItem" i JOIN "TicketType" t ON t.id = i."ticketTypeId" WHERE i."orderId" = o.id), '[]')) AS priced
  FROM "Order" o LEFT JOIN "DiscountCode" d ON d.id = o."discountCodeId"
  WHERE o.reference = $1`;

/**
 * What the payment step needs of a buyer's order, in one prepared statement (hotQuery): every
 * buyer whose seats a rush held comes to it at once, and orderForBuyer's read through Prisma cost
 * several times more. Null for a wrong key, as orderForBuyer.
 */
export async function orderForPayment(reference: string, accessToken: string): Promise<PaymentOrder | null> {
  const { rows } = await hotQuery<PaymentOrder>("order-for-payment", ORDER_FOR_PAYMENT, [reference]);
  const order = rows[0];
  if (!order || !timingSafeEqualStrings(order.accessToken, accessToken)) return null;
  return order;
}

export type BuyerOrder = NonNullable<Awaited<ReturnType<typeof orderForBuyer>>>;

/** What the buyer's pages show of an order: its summary, and when its hold ends in the event's zone. */
export function orderSummaryFor(order: BuyerOrder, timeZone: string) {
  const expires = order.expiresAt;
  return {
    reference: order.reference,
    lines: order.items.map((i) => ({ name: i.ticketType.name, quantity: i.quantity, unitCents: i.unitCents, lineCents: i.unitCents * i.quantity })),
    subtotalCents: order.subtotalCents,
    discountCents: order.discountCents,
    taxCents: order.taxCents,
    totalCents: order.totalCents,
    taxName: order.taxName,
    taxRateBps: order.taxRateBps,
    code: order.discountCode?.code ?? null,
    holdEnds: `${formatTime(expires, timeZone)} ${zoneAbbreviation(expires, timeZone)} on ${formatDayKey(dayKey(expires, timeZone), "short")}`,
  };
}

function timingSafeEqualStrings(a: string, b: string) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
