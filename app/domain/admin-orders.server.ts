// Orders and attendees as organisers see and change them: search, detail with full history, and
// the actions (refund, cancel, resend, edit attendee, comp). Money moves only through
// refunds.server.ts and seats only through the same CHECK-guarded updates as checkout.
import { randomUUID } from "node:crypto";
import type { OrderStatus, Prisma, TicketStatus } from "~/generated/prisma/client";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { log } from "~/services/log.server";
import { enqueueEmail } from "~/services/outbox.server";
import type { CompInput, PeopleFilter } from "~/validation/admin-commerce";
import { ORDER_STATUSES, TICKET_STATUSES } from "~/validation/admin-commerce";
import { ATTENDEE_DETAIL_FIELDS, attendeeDetailColumns, type AttendeeDetails } from "~/validation/attendee";
import { fail, failOn } from "./errors";
import { fulfilOrder } from "./fulfilment.server";
import { HOLD_MINUTES } from "./checkout-timings";
import { expireOrders } from "./holds.server";
import { refundOrder } from "./refunds.server";
import { enqueueTicketEmail } from "./tickets.server";
import { violatedConstraint } from "./ticket-admin.server";
import { orderReference, secretToken } from "./tokens.server";
import { billingColumns } from "./invoices.server";

export const PAGE_SIZE = 25;

const COMP_ACTION = "order.comp.issued";

const contains = (q: string) => ({ contains: q, mode: "insensitive" as const });

function ticketMatches(q: string): Prisma.TicketWhereInput {
  return { OR: [{ name: contains(q) }, { email: contains(q) }, { company: contains(q) }] };
}

const isOrderStatus = (s: string | undefined): s is OrderStatus => ORDER_STATUSES.includes(s as OrderStatus);
const isTicketStatus = (s: string | undefined): s is TicketStatus => TICKET_STATUSES.includes(s as TicketStatus);

/** Orders by buyer, attendee (name, email, company) or reference; newest first. */
export async function searchOrders(eventId: string, f: PeopleFilter) {
  const where: Prisma.OrderWhereInput = {
    eventId,
    ...(isOrderStatus(f.status) ? { status: f.status } : {}),
    ...(f.type ? { items: { some: { ticketTypeId: f.type } } } : {}),
    ...(f.q
      ? { OR: [{ reference: contains(f.q) }, { buyerName: contains(f.q) }, { buyerEmail: contains(f.q) }, { tickets: { some: ticketMatches(f.q) } }] }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().order.findMany({
      where,
      select: {
        id: true,
        reference: true,
        status: true,
        buyerName: true,
        buyerEmail: true,
        totalCents: true,
        refundedCents: true,
        currency: true,
        createdAt: true,
        isComp: true,
        items: { select: { quantity: true, ticketType: { select: { name: true } } } },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (f.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
    db().order.count({ where }),
  ]);
  return { rows, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** Attendees (tickets) by name, email, company or order reference. */
export async function searchAttendees(eventId: string, f: PeopleFilter) {
  const where: Prisma.TicketWhereInput = {
    order: { eventId },
    ...(isTicketStatus(f.status) ? { status: f.status } : {}),
    ...(f.type ? { ticketTypeId: f.type } : {}),
    ...(f.q ? { OR: [...ticketMatches(f.q).OR!, { order: { reference: contains(f.q) } }] } : {}),
  };
  const [rows, total] = await Promise.all([
    db().ticket.findMany({
      where,
      select: {
        id: true,
        name: true,
        email: true,
        company: true,
        status: true,
        checkedInAt: true,
        ticketType: { select: { name: true } },
        order: { select: { id: true, reference: true } },
      },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (f.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
    db().ticket.count({ where }),
  ]);
  return { rows, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** Everything that happened to an order and its tickets (audit rows), oldest first, and its emails. */
async function historyOf(orderId: string | null, ticketIds: string[]) {
  const subjects = [...(orderId ? [`order:${orderId}`] : []), ...ticketIds.map((id) => `ticket:${id}`)];
  const [events, emails] = await Promise.all([
    db().auditLog.findMany({
      where: { subject: { in: subjects } },
      select: { id: true, action: true, subject: true, before: true, after: true, createdAt: true, actor: { select: { email: true, name: true } } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db().emailOutbox.findMany({
      where: {
        OR: [
          ...(orderId ? [{ payload: { path: ["orderId"], equals: orderId } }] : []),
          ...ticketIds.map((id) => ({ payload: { path: ["ticketId"], equals: id } })),
        ],
      },
      select: { id: true, template: true, toAddress: true, subject: true, status: true, createdAt: true, sentAt: true },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  return { events, emails };
}

export async function orderDetail(eventId: string, id: string) {
  const order = await db().order.findFirst({
    where: { id, eventId },
    select: {
      id: true,
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
      stripePaymentId: true,
      expiresAt: true,
      paidAt: true,
      cancelledAt: true,
      paymentMethod: true,
      dueAt: true,
      remindersSent: true,
      payments: { select: { id: true, amountCents: true, receivedOn: true, method: true, reference: true, createdAt: true }, orderBy: { createdAt: "asc" } },
      createdAt: true,
      isComp: true,
      discountCode: { select: { code: true } },
      items: { select: { id: true, quantity: true, unitCents: true, ticketType: { select: { name: true } } } },
      tickets: {
        select: { id: true, name: true, email: true, company: true, status: true, checkedInAt: true, ticketType: { select: { name: true } } },
        orderBy: { createdAt: "asc" },
      },
      refunds: { select: { id: true, amountCents: true, status: true, reason: true, createdAt: true, ticketIds: true }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!order) return null;
  const history = await historyOf(order.id, order.tickets.map((t) => t.id));
  return { ...order, history };
}

const attendeeColumns = {
  id: true,
  ...attendeeDetailColumns,
  shareWithSponsors: true,
  consentAt: true,
  status: true,
  checkedInAt: true,
  shortCode: true,
  ticketType: { select: { name: true } },
  order: { select: { id: true, reference: true, status: true, buyerName: true, buyerEmail: true } },
} as const;

export async function attendeeDetail(eventId: string, id: string) {
  const ticket = await db().ticket.findFirst({ where: { id, order: { eventId } }, select: attendeeColumns });
  if (!ticket) return null;
  return { ...ticket, history: await historyOf(null, [ticket.id]) };
}

async function ownedOrder(eventId: string, orderId: string) {
  const order = await db().order.findFirst({ where: { id: orderId, eventId }, select: { id: true, status: true, reference: true, buyerEmail: true } });
  if (!order) fail("order.not-found");
  return order;
}

/** A whole order (ticketId omitted) or one ticket back through Stripe; free orders only cancel. */
export async function refundFromAdmin(eventId: string, orderId: string, ticketId: string | null, actorId: string) {
  await ownedOrder(eventId, orderId);
  try {
    return await refundOrder(orderId, ticketId ? [ticketId] : null, actorId);
  } catch (error) {
    // The refund row exists (PENDING); reconciliation sends it to Stripe again later.
    if (error instanceof Error && error.name.startsWith("Stripe")) {
      log.warn("refund could not reach Stripe", { orderId, error: String(error) });
      fail("refund.provider-unavailable");
    }
    throw error;
  }
}

/** Ends an unpaid order's hold at once; its Stripe session can no longer be paid. */
export async function cancelPendingOrder(eventId: string, orderId: string, actorId: string) {
  const order = await ownedOrder(eventId, orderId);
  if (order.status !== "PENDING") fail("order.cancel-not-pending", order.status);
  const ended = await expireOrders({ orderIds: [orderId] }, "CANCELLED", "organiser-cancelled");
  // Paid or expired in the meantime: tell the organiser what it is now.
  if (ended.length === 0) {
    const now = await db().order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true } });
    fail("order.cancel-not-pending", now.status);
  }
  // endHolds writes the state change; this row records who asked for it.
  await audit(db(), { action: "order.cancel.requested", subject: `order:${orderId}`, actorId, after: { by: "organiser" } });
}

export async function resendOrderConfirmation(eventId: string, orderId: string, actorId: string) {
  const order = await ownedOrder(eventId, orderId);
  if (order.status !== "PAID") fail("refund.not-paid");
  await db().$transaction(async (tx) => {
    await enqueueEmail(tx, {
      template: "order-confirmation",
      to: order.buyerEmail,
      subject: `Your order ${order.reference}: RE3M 2025 tickets confirmed`,
      payload: { orderId },
    });
    await audit(tx, { action: "order.email.resent", subject: `order:${orderId}`, actorId, after: { to: order.buyerEmail } });
  });
  return order.buyerEmail;
}

export async function resendTicket(eventId: string, ticketId: string, actorId: string) {
  const ticket = await db().ticket.findFirst({ where: { id: ticketId, order: { eventId } }, select: { id: true, name: true, email: true, status: true } });
  if (!ticket) failOn("ticketId", "ticket.not-in-order");
  if (ticket.status !== "VALID") failOn("ticketId", "ticket.not-valid", ticket.status);
  await db().$transaction(async (tx) => {
    await enqueueTicketEmail(tx, ticket);
    await audit(tx, { action: "ticket.email.resent", subject: `ticket:${ticket.id}`, actorId, after: { to: ticket.email, by: "organiser" } });
  });
  return ticket.email;
}

/**
 * An organiser corrects an attendee's details (no deadline applies to them). The audit row keeps
 * before and after of each changed field; a changed email gets the ticket sent to it.
 */
export async function editAttendee(eventId: string, ticketId: string, input: AttendeeDetails, actorId: string) {
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      SELECT t.id FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" WHERE t.id = ${ticketId} AND o."eventId" = ${eventId} FOR UPDATE OF t`;
    if (!row) fail("ticket.not-found");
    const before = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { ...Object.fromEntries(ATTENDEE_DETAIL_FIELDS.map((f) => [f, true])), status: true } as { [K in keyof AttendeeDetails | "status"]: true } });
    const changed = ATTENDEE_DETAIL_FIELDS.filter((f) => before[f] !== input[f]);
    if (changed.length === 0) return { changed };
    await tx.ticket.update({ where: { id: ticketId }, data: Object.fromEntries(changed.map((f) => [f, input[f]])) });
    await audit(tx, {
      action: "ticket.details.updated",
      subject: `ticket:${ticketId}`,
      actorId,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: { ...Object.fromEntries(changed.map((f) => [f, input[f]])), by: "organiser" },
    });
    if (changed.includes("email") && before.status === "VALID") await enqueueTicketEmail(tx, { id: ticketId, name: input.name, email: input.email });
    return { changed };
  });
}

/**
 * A free ticket issued by an organiser (speakers, press, partners), of any type including hidden
 * ones. The seat is taken like any order's: one increment that the database's CHECK
 * (`held + sold <= capacity`) refuses when the type is full. Then it is fulfilled as a free order,
 * so tickets and emails come from the one fulfilment path.
 */
export async function issueComp(event: { id: string; currency: string; taxName: string; taxRateBps: number }, input: CompInput, actorId: string, now: Date) {
  const type = await db().ticketType.findFirst({ where: { id: input.ticketTypeId, eventId: event.id }, select: { id: true, name: true } });
  if (!type) failOn("ticketTypeId", "ticket-type.unknown");
  const id = randomUUID();
  try {
    await db().$transaction(async (tx) => {
      await tx.order.create({
        data: {
          id,
          eventId: event.id,
          reference: orderReference(),
          accessToken: secretToken(),
          buyerName: input.name,
          buyerEmail: input.email,
          subtotalCents: 0,
          taxCents: 0,
          totalCents: 0,
          currency: event.currency,
          taxName: event.taxName,
          taxRateBps: event.taxRateBps,
          isComp: true,
          attendees: { create: [{ position: 0, ticketTypeId: type.id, name: input.name, email: input.email, company: input.company, jobTitle: input.jobTitle }] },
          expiresAt: new Date(now.getTime() + HOLD_MINUTES * 60_000),
          items: { create: [{ ticketTypeId: type.id, quantity: 1, unitCents: 0 }] },
        },
        select: { id: true },
      });
      await audit(tx, { action: COMP_ACTION, subject: `order:${id}`, actorId, after: { ticketType: type.name, to: input.email, reason: input.reason } });
      await tx.$executeRaw`UPDATE "TicketType" SET held = held + 1, "updatedAt" = now() WHERE id = ${type.id}`;
    });
  } catch (error) {
    if (violatedConstraint(error) === "TicketType_seats_check") failOn("ticketTypeId", "comp.type-full", type.name);
    throw error;
  }
  await fulfilOrder(id, "free", now);
  return { id };
}
