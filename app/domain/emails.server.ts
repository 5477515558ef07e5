// What each email says: turns an outbox row into a message. The row holds only ids (and the few
// facts that are gone from the database once the change is made, such as a ticket's previous
// holder); everything else is read here, at send time, so a resent or retried email shows the
// current state. Rendering the React element and sending it belong to services/mailer.server.ts.
import * as z from "zod";
import type { EmailEvent } from "../../emails/components/layout";
import { db, hotQuery } from "~/services/db.server";
import { env } from "~/services/env.server";
import { renderEmailContent, type EmailContent, type RenderedEmail } from "~/services/mailer.server";
import type { EmailTemplate } from "~/services/outbox.server";
import { qrPng } from "~/services/qr-png.server";
import { eventDays } from "./agenda.server";
import { eventCalendar } from "./calendar.server";
import { currentEvent, recentEvent } from "./event.server";
import { invoicePdf, orderDocumentOfKind } from "./invoices.server";
import { formatMoney, formatRate } from "./money";
import { oneLine } from "./plain-text";
import { fillPlaceholders, parseMarkdown } from "./markdown";
import { isUnsubscribed, unsubscribeUrl } from "./messages.server";
import { dayKey, formatDateSpan, formatDayKey, formatTime, formatTimeRange, zoneAbbreviation } from "./time";

export type OutboxMessage = { template: string; payload: unknown; toAddress: string; subject: string };

/** The row cannot be rendered now (unknown template, bad payload, missing rows); retrying may help. */
export class EmailRenderError extends Error {
  override name = "EmailRenderError";
}

/**
 * The row must never be sent: its recipient no longer holds the ticket it would carry, or the
 * ticket no longer works. Sending it would hand someone else's QR code or link to the wrong person.
 */
export class UndeliverableEmail extends EmailRenderError {
  override name = "UndeliverableEmail";
}

/**
 * The line a receipt prints for the seller's tax registration ("HST registration no. 123456789 RT0001"),
 * from the event settings; null until an admin enters the number (the dashboard asks for it).
 */
export function taxNumberOf(event: { taxNumber: string | null }, taxName: string): string | null {
  const number = event.taxNumber;
  return number ? `${taxName} registration no. ${number.slice(0, 9)} ${number.slice(9)}` : null;
}
/**
 * What {{link}} opens for one person, as it is now: their ticket page (only while the ticket is
 * still theirs: a transferred ticket's link belongs to its new holder), their order, or the portal.
 */
async function personalLink(target: string, email: string) {
  const [kind, targetId] = target.split(":");
  if (kind === "ticket" && targetId) {
    const ticket = await db().ticket.findUnique({ where: { id: targetId }, select: { email: true, manageToken: true, status: true } });
    if (ticket && ticket.status === "VALID" && sameAddress(ticket.email, email)) return manageUrl(ticket);
  }
  if (kind === "order" && targetId) {
    const order = await db().order.findUnique({ where: { id: targetId }, select: { reference: true, accessToken: true, buyerEmail: true } });
    if (order && sameAddress(order.buyerEmail, email)) return orderUrl(order);
  }
  if (kind === "sponsor") return `${env().APP_URL}/sponsor`;
  return env().APP_URL;
}

/** The inline QR image of a ticket email; the template's <img> points at `cid:ticket-qr`. */
export const TICKET_QR_CID = "ticket-qr";

const id = z.string().min(1);
const instant = z.iso.datetime({ offset: true });
const accountLink = z.object({ userId: id, token: z.string().min(16), expiresAt: instant });

/** What each template's outbox payload holds. Writers: fulfilment, payments, waitlist, tickets. */
export const emailPayloads = {
  "order-confirmation": z.object({ orderId: id }),
  ticket: z.object({ ticketId: id }),
  "order-refunded": z.object({ orderId: id, refundId: id }),
  "late-payment-refunded": z.object({ orderId: id, reason: z.enum(["no-seats", "amount-mismatch"]) }),
  "invoice-payment": z.object({ orderId: id, kind: z.enum(["issued", "reminder", "extended", "cancelled"]), reason: z.string().optional() }),
  message: z.object({ messageId: id, email: z.string().min(3), test: z.boolean().optional() }),
  "waitlist-offer": z.object({ waitlistEntryId: id, offerToken: z.string().min(16), expiresAt: instant }),
  "ticket-transferred": z.object({ ticketId: id, role: z.enum(["previous", "new"]), previousName: z.string(), previousEmail: z.string() }),
  invitation: accountLink,
  "password-reset": accountLink,
} satisfies Record<EmailTemplate, z.ZodType>;

/**
 * Whether an email of this template carries a link that sets the password of the account it was
 * sent to: whoever reads it can take that account over.
 */
export const carriesAccountLink = (template: string) => (emailPayloads as Record<string, z.ZodType>)[template] === accountLink;

export type EmailPayload<T extends EmailTemplate> = z.infer<(typeof emailPayloads)[T]>;

const eventSelect = {
  id: true,
  slug: true,
  name: true,
  shortName: true,
  timeZone: true,
  startsOn: true,
  endsOn: true,
  city: true,
  venueName: true,
  venueAddress: true,
  organiser: true,
  contactEmail: true,
} as const;

type EventRow = { id: string; slug: string; name: string; shortName: string; timeZone: string; startsOn: Date; endsOn: Date; city: string; venueName: string; venueAddress: string; organiser: string; contactEmail: string };

const dayKeyOf = (date: Date) => date.toISOString().slice(0, 10);

function emailEvent(event: EventRow): EmailEvent {
  return {
    name: event.name,
    shortName: event.shortName,
    dates: formatDateSpan(dayKeyOf(event.startsOn), dayKeyOf(event.endsOn)),
    city: event.city,
    venueName: event.venueName,
    venueAddress: event.venueAddress,
    organiser: event.organiser,
    siteUrl: env().APP_URL,
  };
}

/** "3:15 p.m. EDT on Wednesday, September 3, 2025", in the event's time zone. */
function formatMoment(date: Date, timeZone: string) {
  return `${formatTime(date, timeZone)} ${zoneAbbreviation(date, timeZone)} on ${formatDayKey(dayKey(date, timeZone))}`;
}

function found<T>(row: T | null, what: string): T {
  if (!row) throw new EmailRenderError(`${what} no longer exists`);
  return row;
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

const orderUrl = (order: { reference: string; accessToken: string }) =>
  `${env().APP_URL}/orders/${order.reference}?k=${encodeURIComponent(order.accessToken)}`;
const manageUrl = (ticket: { manageToken: string }) => `${env().APP_URL}/my/${ticket.manageToken}`;
// The set-password page belongs to the admin area; invitations and resets share it.
const setPasswordUrl = (token: string) => `${env().APP_URL}/set-password?token=${encodeURIComponent(token)}`;

type TicketRow = { name: string; email: string; status: string; qrCode: string; shortCode: string; manageToken: string; ticketType: string; reference: string; eventId: string };
// One statement, prepared once per connection, for the most frequent email of all.
const TICKET_QUERY = `
  SELECT t.name, t.email, t.status::text AS status, t."qrCode", t."shortCode", t."manageToken", tt.name AS "ticketType", o.reference, o."eventId"
  FROM "Ticket" t JOIN "TicketType" tt ON tt.id = t."ticketTypeId" JOIN "Order" o ON o.id = t."orderId"
  WHERE t.id = $1`;

// Every ticket email of an event shows the same days and carries the same calendar file: each
// instance builds them once per event for a few seconds, as it keeps the current event.
const EVENT_FACTS_MS = 5_000;
const eventFacts = new Map<string, { until: number; facts: ReturnType<typeof loadTicketEventFacts> }>();

function ticketEventFacts(eventId: string) {
  const now = Date.now();
  const kept = eventFacts.get(eventId);
  if (kept && kept.until > now) return kept.facts;
  const facts = loadTicketEventFacts(eventId);
  const entry = { until: now + EVENT_FACTS_MS, facts };
  eventFacts.set(eventId, entry);
  // A failed load is not kept: the next email asks again.
  facts.catch(() => eventFacts.get(eventId) === entry && eventFacts.delete(eventId));
  return facts;
}

async function loadTicketEventFacts(eventId: string) {
  const event = found(await db().event.findUnique({ where: { id: eventId }, select: eventSelect }), `Event ${eventId}`);
  const days = await eventDays(event);
  return {
    event: emailEvent(event),
    days: days.map((d) => ({
      date: formatDayKey(d.key),
      hours: d.startsAt && d.endsAt ? `${formatTimeRange(d.startsAt, d.endsAt, event.timeZone)} ${zoneAbbreviation(d.startsAt, event.timeZone)}` : null,
    })),
    calendarFile: `${event.slug}.ics`,
    calendar: Buffer.from(eventCalendar(event, env().APP_URL, days), "utf8"),
  };
}

type Builder<T extends EmailTemplate> = (payload: EmailPayload<T>, message: OutboxMessage) => Promise<EmailContent<T>>;

const builders: { [T in EmailTemplate]: Builder<T> } = {
  async "order-confirmation"({ orderId }) {
    const order = found(
      await db().order.findUnique({
        where: { id: orderId },
        select: {
          reference: true,
          accessToken: true,
          buyerName: true,
          currency: true,
          subtotalCents: true,
          discountCents: true,
          taxCents: true,
          totalCents: true,
          paidAt: true,
          createdAt: true,
          discountCode: { select: { code: true } },
          items: { select: { quantity: true, unitCents: true, ticketType: { select: { name: true } } }, orderBy: { id: "asc" } },
          tickets: { select: { name: true, email: true, ticketType: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
          taxName: true,
          taxRateBps: true,
          event: { select: { ...eventSelect, taxNumber: true, legalName: true } },
        },
      }),
      `Order ${orderId}`,
    );
    const money = (cents: number) => formatMoney(cents, order.currency);
    // The tax invoice goes with the receipt, as the PDF the order page offers.
    const invoice = await orderDocumentOfKind(orderId, "INVOICE");
    return {
      template: "order-confirmation",
      recipientName: order.buyerName,
      ...(invoice ? { attachments: [{ filename: `${invoice.number}.pdf`, content: await invoicePdf(invoice, order.event.name), contentType: "application/pdf" }] } : {}),
      props: {
        event: emailEvent(order.event),
        buyerName: order.buyerName,
        reference: order.reference,
        orderUrl: orderUrl(order),
        paidOn: formatDayKey(dayKey(order.paidAt ?? order.createdAt, order.event.timeZone)),
        currency: order.currency,
        lines: order.items.map((i) => ({ name: i.ticketType.name, quantity: i.quantity, unitPrice: money(i.unitCents), amount: money(i.unitCents * i.quantity) })),
        subtotal: money(order.subtotalCents),
        discount: order.discountCents > 0 ? { code: order.discountCode?.code ?? null, amount: money(order.discountCents) } : null,
        taxLabel: `${order.taxName} ${formatRate(order.taxRateBps)}`,
        tax: money(order.taxCents),
        total: money(order.totalCents),
        seller: order.event.legalName || order.event.organiser,
        taxNumber: taxNumberOf(order.event, order.taxName),
        attendees: order.tickets.map((t) => ({ name: t.name, email: t.email, ticketType: t.ticketType.name })),
      },
    };
  },

  async ticket({ ticketId }, message) {
    const { rows } = await hotQuery<TicketRow>("email-ticket", TICKET_QUERY, [ticketId]);
    const ticket = found(rows[0] ?? null, `Ticket ${ticketId}`);
    if (!sameAddress(ticket.email, message.toAddress)) {
      throw new UndeliverableEmail(`Ticket ${ticketId} is now held by another address; its QR code and link must not go to ${message.toAddress}`);
    }
    if (ticket.status !== "VALID") throw new UndeliverableEmail(`Ticket ${ticketId} is ${ticket.status.toLowerCase()}; its QR code no longer works`);
    const { event, days, calendarFile, calendar } = await ticketEventFacts(ticket.eventId);
    return {
      template: "ticket",
      recipientName: ticket.name,
      props: {
        event,
        attendeeName: ticket.name,
        ticketType: ticket.ticketType,
        reference: ticket.reference,
        days,
        qrSrc: `cid:${TICKET_QR_CID}`,
        shortCode: ticket.shortCode,
        manageUrl: manageUrl(ticket),
        calendarFile,
      },
      personal: ["attendeeName", "reference", "shortCode", "manageUrl"],
      attachments: [
        // About twice the displayed 220 px, so the code stays sharp on high-density screens.
        { filename: "ticket-qr.png", content: qrPng(ticket.qrCode), contentType: "image/png", cid: TICKET_QR_CID },
        { filename: calendarFile, content: calendar, contentType: "text/calendar; charset=utf-8; method=PUBLISH" },
      ],
    };
  },

  async "order-refunded"({ orderId, refundId }) {
    const refund = found(
      await db().refund.findFirst({
        where: { id: refundId, orderId },
        select: {
          amountCents: true,
          ticketIds: true,
          order: {
            select: {
              reference: true,
              accessToken: true,
              buyerName: true,
              currency: true,
              status: true,
              paymentMethod: true,
              totalCents: true,
              refundedCents: true,
              tickets: { select: { id: true, name: true, ticketType: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
              event: { select: eventSelect },
            },
          },
        },
      }),
      `Refund ${refundId} of order ${orderId}`,
    );
    const { order } = refund;
    // A refund without ticket ids is the whole order.
    const cancelled = refund.ticketIds.length > 0 ? order.tickets.filter((t) => refund.ticketIds.includes(t.id)) : order.tickets;
    return {
      template: "order-refunded",
      recipientName: order.buyerName,
      props: {
        event: emailEvent(order.event),
        buyerName: order.buyerName,
        reference: order.reference,
        orderUrl: orderUrl(order),
        currency: order.currency,
        amount: formatMoney(refund.amountCents, order.currency),
        refundedTotal: formatMoney(order.refundedCents, order.currency),
        orderTotal: formatMoney(order.totalCents, order.currency),
        wholeOrder: order.status === "REFUNDED",
        tickets: cancelled.map((t) => ({ name: t.name, ticketType: t.ticketType.name })),
        paidBy: order.paymentMethod === "INVOICE" ? "invoice" : "card",
      },
    };
  },

  async "late-payment-refunded"({ orderId, reason }) {
    const order = found(
      await db().order.findUnique({
        where: { id: orderId },
        select: {
          reference: true,
          buyerName: true,
          currency: true,
          event: { select: eventSelect },
          refunds: { where: { reason: { startsWith: "unfulfillable:" } }, select: { amountCents: true }, take: 1 },
        },
      }),
      `Order ${orderId}`,
    );
    const refund = found(order.refunds[0] ?? null, `The refund of order ${order.reference}`);
    return {
      template: "late-payment-refunded",
      recipientName: order.buyerName,
      props: {
        event: emailEvent(order.event),
        buyerName: order.buyerName,
        reference: order.reference,
        currency: order.currency,
        amount: formatMoney(refund.amountCents, order.currency),
        reason: reason,
        buyAgainUrl: `${env().APP_URL}/tickets`,
      },
    };
  },

  async "invoice-payment"({ orderId, kind, reason }) {
    const order = found(
      await db().order.findUnique({
        where: { id: orderId },
        select: {
          reference: true,
          accessToken: true,
          buyerName: true,
          billingCompany: true,
          currency: true,
          totalCents: true,
          dueAt: true,
          status: true,
          items: { select: { quantity: true, ticketType: { select: { name: true } } }, orderBy: { id: "asc" } },
          attendees: { where: { toBeNamed: true }, select: { position: true } },
          payments: { select: { amountCents: true } },
          event: { select: { ...eventSelect, paymentInstructions: true } },
        },
      }),
      `Order ${orderId}`,
    );
    // A reminder that lands after the order was paid or ended says nothing true: it is not sent.
    if (kind !== "cancelled" && order.status !== "PENDING") throw new UndeliverableEmail(`Order ${order.reference} is ${order.status.toLowerCase()}: no payment is due`);
    const money = (cents: number) => formatMoney(cents, order.currency);
    const paid = order.payments.reduce((sum, p) => sum + p.amountCents, 0);
    const invoice = await orderDocumentOfKind(orderId, "INVOICE");
    const attach = invoice && (kind === "issued" || kind === "reminder");
    return {
      template: "invoice-payment",
      recipientName: order.buyerName,
      ...(attach ? { attachments: [{ filename: `${invoice.number}.pdf`, content: await invoicePdf(invoice, order.event.name), contentType: "application/pdf" }] } : {}),
      props: {
        event: emailEvent(order.event),
        kind,
        buyerName: order.buyerName,
        company: order.billingCompany,
        reference: order.reference,
        orderUrl: orderUrl(order),
        invoiceNumber: invoice?.number ?? null,
        currency: order.currency,
        outstanding: money(Math.max(0, order.totalCents - paid)),
        total: money(order.totalCents),
        dueOn: order.dueAt ? formatDayKey(dayKey(order.dueAt, order.event.timeZone)) : "",
        instructions: order.event.paymentInstructions,
        seats: order.items.map((i) => ({ ticketType: i.ticketType.name, quantity: i.quantity })),
        toBeNamed: order.attendees.length,
        reason: reason ?? null,
        buyAgainUrl: `${env().APP_URL}/tickets`,
        contactEmail: order.event.contactEmail,
      },
    };
  },

  async message({ messageId, email, test }) {
    const message = found(
      await db().message.findUnique({ where: { id: messageId }, select: { subject: true, body: true, essential: true, audience: true, event: { select: eventSelect } } }),
      `Message ${messageId}`,
    );
    const person = test
      ? { name: (await db().user.findUnique({ where: { email }, select: { name: true } }))?.name ?? "", link: "" }
      : found(await db().messageRecipient.findUnique({ where: { messageId_email: { messageId, email } }, select: { name: true, link: true } }), `Recipient ${email} of message ${messageId}`);
    // After they asked for no more news, a non-essential message still queued is not sent.
    if (!test && !message.essential && (await isUnsubscribed(email))) throw new UndeliverableEmail(`${email} unsubscribed from non-essential messages`);
    const link = test ? `${env().APP_URL}/my/your-ticket-link` : await personalLink(person.link, email);
    const fill = (text: string) => fillPlaceholders(text, { name: person.name, link });
    const unsubscribe = message.essential ? null : unsubscribeUrl(email);
    const kind = (message.audience as { kind?: string }).kind;
    return {
      template: "message",
      recipientName: person.name || undefined,
      ...(unsubscribe ? { headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } } : {}),
      props: {
        event: emailEvent(message.event),
        subject: fill(message.subject),
        blocks: parseMarkdown(fill(message.body)),
        reason:
          kind === "buyers"
            ? `You received this email because you bought tickets for ${message.event.shortName}.`
            : kind === "sponsor-contacts"
              ? `You received this email because you staff a sponsor's booth at ${message.event.shortName}.`
              : `You received this email because you have a ticket for ${message.event.shortName}.`,
        unsubscribeUrl: unsubscribe,
        test: test ?? false,
      },
    };
  },

  async "waitlist-offer"({ waitlistEntryId, offerToken, expiresAt }) {
    const entry = found(
      await db().waitlistEntry.findUnique({
        where: { id: waitlistEntryId },
        select: { name: true, ticketType: { select: { name: true, slug: true, event: { select: eventSelect } } } },
      }),
      `Waiting list entry ${waitlistEntryId}`,
    );
    const { event } = entry.ticketType;
    const params = new URLSearchParams({ offer: offerToken, [`quantities.${entry.ticketType.slug}`]: "1" });
    return {
      template: "waitlist-offer",
      recipientName: entry.name,
      props: {
        event: emailEvent(event),
        name: entry.name,
        ticketType: entry.ticketType.name,
        heldUntil: formatMoment(new Date(expiresAt), event.timeZone),
        offerUrl: `${env().APP_URL}/tickets/checkout?${params}`,
      },
    };
  },

  async "ticket-transferred"({ ticketId, role, previousName }, message) {
    const ticket = found(
      await db().ticket.findUnique({
        where: { id: ticketId },
        select: { name: true, email: true, manageToken: true, ticketType: { select: { name: true } }, order: { select: { event: { select: eventSelect } } } },
      }),
      `Ticket ${ticketId}`,
    );
    const common = { event: emailEvent(ticket.order.event), ticketType: ticket.ticketType.name, fromName: previousName, toName: ticket.name };
    if (role === "previous") return { template: "ticket-transferred", recipientName: previousName, props: { ...common, role: "previous" } };
    if (!sameAddress(ticket.email, message.toAddress)) {
      throw new UndeliverableEmail(`Ticket ${ticketId} has changed hands again; its link must not go to ${message.toAddress}`);
    }
    return { template: "ticket-transferred", recipientName: ticket.name, props: { ...common, role: "new", manageUrl: manageUrl(ticket) } };
  },

  async invitation({ userId, token, expiresAt }) {
    const user = found(
      await db().user.findUnique({ where: { id: userId }, select: { name: true, role: true, sponsor: { select: { name: true } } } }),
      `User ${userId}`,
    );
    const event = await currentEvent();
    return {
      template: "invitation",
      recipientName: user.name,
      props: {
        event: emailEvent(event),
        name: user.name,
        role: user.role,
        sponsorName: user.sponsor?.name ?? null,
        setPasswordUrl: setPasswordUrl(token),
        expiresOn: formatDayKey(dayKey(new Date(expiresAt), event.timeZone)),
      },
    };
  },

  async "password-reset"({ userId, token, expiresAt }) {
    const user = found(await db().user.findUnique({ where: { id: userId }, select: { name: true } }), `User ${userId}`);
    const event = await currentEvent();
    return {
      template: "password-reset",
      recipientName: user.name,
      props: {
        event: emailEvent(event),
        name: user.name,
        resetUrl: setPasswordUrl(token),
        expiresAt: formatMoment(new Date(expiresAt), event.timeZone),
      },
    };
  },
};

const isTemplate = (name: string): name is EmailTemplate => Object.hasOwn(builders, name);

function build<T extends EmailTemplate>(template: T, message: OutboxMessage): Promise<EmailContent<T>> {
  const parsed = emailPayloads[template].safeParse(message.payload);
  if (!parsed.success) {
    throw new EmailRenderError(`The payload of this "${template}" email is not valid: ${z.prettifyError(parsed.error).replaceAll("\n", " ")}`);
  }
  return builders[template](parsed.data as EmailPayload<T>, message);
}

/**
 * Renders an outbox row to the message that is sent: subject, HTML, plain text, attachments and
 * the recipient's name. Name and subject become headers, so each is one clean line whatever was
 * stored before the forms refused line breaks and bidi controls.
 */
export async function renderEmail(message: OutboxMessage): Promise<RenderedEmail> {
  if (!isTemplate(message.template)) throw new EmailRenderError(`There is no email template called "${message.template}"`);
  const [email, event] = await Promise.all([renderEmailContent(message.subject, await build(message.template, message)), recentEvent()]);
  return {
    ...email,
    subject: oneLine(email.subject),
    recipientName: email.recipientName ? oneLine(email.recipientName) || null : null,
    // Replies reach the organiser (event settings), whoever the sending address is.
    ...(event.contactEmail ? { replyTo: event.contactEmail } : {}),
  };
}
