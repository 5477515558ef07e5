// The dashboard's figures: seats and money by ticket type, daily sales, check-in progress, and
// Stripe events not handled yet. Money comes from what orders stored (unit prices, discounts,
// tax, refunds), never from today's prices.
import { db } from "~/services/db.server";
import { remainingSeats } from "./inventory.server";
import { failedJobCount } from "~/services/job-queue.server";
import { stripeEventsNeedingAttention } from "./stripe-events.server";
import { invoiceHoldsOverview } from "./invoice-orders.server";

type Event = { id: string; timeZone: string };

export async function salesByType(event: Event) {
  // Per type: list price of paid lines, and the order's discount spread over its lines in
  // proportion (the same split pricing.ts makes, to within a cent per line).
  return db().$queryRaw<
    { id: string; name: string; capacity: number; held: number; sold: number; isPublic: boolean; refunded: number; grossCents: number; discountCents: number }[]
  >`
    SELECT t.id, t.name, t.capacity, t.held, t.sold, t."isPublic",
      (SELECT count(*)::int FROM "Ticket" k WHERE k."ticketTypeId" = t.id AND k.status = 'REFUNDED') AS refunded,
      COALESCE(SUM(i.quantity * i."unitCents"), 0)::int AS "grossCents",
      COALESCE(SUM(CASE WHEN o."subtotalCents" > 0 THEN (i.quantity * i."unitCents"::bigint * o."discountCents") / o."subtotalCents" ELSE 0 END), 0)::int AS "discountCents"
    FROM "TicketType" t
    LEFT JOIN "OrderItem" i ON i."ticketTypeId" = t.id
      AND EXISTS (SELECT 1 FROM "Order" p WHERE p.id = i."orderId" AND p."paidAt" IS NOT NULL)
    LEFT JOIN "Order" o ON o.id = i."orderId"
    WHERE t."eventId" = ${event.id}
    GROUP BY t.id
    ORDER BY t.position, t.name`;
}

export async function moneyTotals(event: Event) {
  const sum = await db().order.aggregate({
    where: { eventId: event.id, paidAt: { not: null } },
    _sum: { subtotalCents: true, discountCents: true, taxCents: true, totalCents: true, refundedCents: true },
    _count: true,
  });
  const gross = sum._sum.totalCents ?? 0;
  const refunds = sum._sum.refundedCents ?? 0;
  return {
    orders: sum._count,
    subtotal: sum._sum.subtotalCents ?? 0,
    discounts: sum._sum.discountCents ?? 0,
    tax: sum._sum.taxCents ?? 0,
    gross,
    refunds,
    net: gross - refunds,
  };
}

/** Tickets sold and money taken per calendar day of the event's time zone, from the first sale. */
export async function dailySales(event: Event) {
  const rows = await db().$queryRaw<{ day: string; tickets: number; revenueCents: number }[]>`
    SELECT to_char(o."paidAt" AT TIME ZONE ${event.timeZone}, 'YYYY-MM-DD') AS day,
      SUM((SELECT COALESCE(SUM(i.quantity), 0) FROM "OrderItem" i WHERE i."orderId" = o.id))::int AS tickets,
      SUM(o."totalCents")::int AS "revenueCents"
    FROM "Order" o
    WHERE o."eventId" = ${event.id} AND o."paidAt" IS NOT NULL
    GROUP BY 1 ORDER BY 1`;
  return rows;
}

export async function checkInProgress(event: Event) {
  const [valid, checkedIn] = await Promise.all([
    db().ticket.count({ where: { order: { eventId: event.id }, status: "VALID" } }),
    db().ticket.count({ where: { order: { eventId: event.id }, status: "VALID", checkedInAt: { not: null } } }),
  ]);
  return { valid, checkedIn };
}

export async function dashboard(event: Event, now: Date) {
  const [types, totals, daily, checkIn, stripeEvents, failedJobs, invoices] = await Promise.all([
    salesByType(event),
    moneyTotals(event),
    dailySales(event),
    checkInProgress(event),
    stripeEventsNeedingAttention(),
    failedJobCount(),
    invoiceHoldsOverview(event.id, now),
  ]);
  return {
    stripeEvents,
    failedJobs,
    // Seats held by orders awaiting payment by invoice are counted apart from checkout holds:
    // they last days, not minutes.
    types: types.map((t) => {
      const awaitingInvoice = invoices.heldByType.get(t.id) ?? 0;
      return { ...t, heldAtCheckout: Math.max(0, t.held - awaitingInvoice), awaitingInvoice, available: remainingSeats(t), netCents: t.grossCents - t.discountCents };
    }),
    invoicesPastDue: invoices.pastDue,
    totals,
    daily,
    checkIn,
    ticketsSold: types.reduce((s, t) => s + t.sold, 0),
  };
}
