// Privacy requests (PIPEDA, GDPR): everything held about one email address, found and erased
// (privacy-export.server.ts makes its ZIP), the requests attendees make from their ticket page,
// and each event's retention period. A person is an email address, matched without regard to
// case (ADR 0015).
//
// Erasure, in one transaction per person that locks their orders and tickets first:
// - deleted: the leads sponsors recorded of them and their agenda picks;
// - anonymised: their tickets, the attendee entries of checkout, the orders they bought (buyer and
//   billing details; the amounts stay for the books), their waiting-list places, the emails to
//   them (address replaced, payload cleared, names taken out of subjects), and their values in the
//   audit rows about them;
// - kept as issued: Invoice rows, buyer details included. Canadian tax law asks six years, and an
//   invoice is never changed once issued (ADR 0013);
// - refused while an order of theirs awaits payment: the payment is matched to its buyer.
// Every kind erased writes one audit row with counts, never values.
import { Prisma } from "~/generated/prisma/client";
import { audit, type Tx } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { log } from "~/services/log.server";
import type { PrivacyKind } from "~/validation/privacy";
import { eventEndsAt } from "./event-settings.server";
import { DomainError, fail, messages } from "./errors";
import { ticketByManageToken } from "./tickets.server";
import { dayKey, zonedTimeToUtc } from "./time";

export const ERASED_ATTENDEE = "Erased attendee";
export const ERASED_BUYER = "Erased buyer";
const ERASED_VALUE = "[erased]";
const ERASED_DOMAIN = "erased.invalid";
/** A row's placeholder address: unique (the row's id) and never routable (RFC 2606's .invalid). */
const erasedAddress = (id: string) => `erased+${id}@${ERASED_DOMAIN}`;
/** The same, made by an UPDATE from the row's own columns. */
const erasedAddressSql = (id: Prisma.Sql) => Prisma.sql`'erased+' || ${id} || ${`@${ERASED_DOMAIN}`}`;
const ERASED_ADDRESS_LIKE = `erased+%@${ERASED_DOMAIN}`;
/** Days between setting a retention period and the first erasure it makes, so the dry run is seen first. */
export const RETENTION_NOTICE_DAYS = 7;
/** Invoices are kept this long after the end of the year they concern (Income Tax Act, s. 230(4)). */
export const INVOICE_RETENTION_YEARS = 6;
export const INVOICES_KEPT = `Invoices and credit notes keep the buyer's details as issued: Canadian tax law requires them for ${INVOICE_RETENTION_YEARS} years.`;

type Client = Tx | ReturnType<typeof db>;
/** Whose data: an address, in every event or in one. */
export type Scope = { email: string; eventId?: string };

export const normalised = (email: string) => email.trim().toLowerCase();
const sameAddress = (email: string) => ({ equals: email, mode: "insensitive" as const });

type EmailRow = {
  id: string;
  template: string;
  toAddress: string;
  subject: string;
  payload: Prisma.JsonValue;
  status: string;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};
type AuditRow = { id: string; action: string; subject: string; createdAt: Date; before: Prisma.JsonValue; after: Prisma.JsonValue };

/**
 * Emails to the address, or whose payload names it (the previous holder of a transferred ticket).
 * Within an event: those about its orders, tickets and waiting lists.
 */
function emailsOf(client: Client, { email, eventId }: Scope) {
  const aboutEvent = eventId
    ? Prisma.sql`AND (e.payload->>'orderId' IN (SELECT id FROM "Order" WHERE "eventId" = ${eventId})
        OR e.payload->>'ticketId' IN (SELECT t.id FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" WHERE o."eventId" = ${eventId})
        OR e.payload->>'waitlistEntryId' IN (SELECT w.id FROM "WaitlistEntry" w JOIN "TicketType" tt ON tt.id = w."ticketTypeId" WHERE tt."eventId" = ${eventId}))`
    : Prisma.empty;
  return client.$queryRaw<EmailRow[]>`
    SELECT e.id, e.template, e."toAddress", e.subject, e.payload, e.status::text AS status, e."lastError", e."createdAt", e."sentAt"
    FROM "EmailOutbox" e
    WHERE (lower(e."toAddress") = ${email} OR strpos(lower(e.payload::text), ${email}) > 0) ${aboutEvent}
    ORDER BY e."createdAt", e.id`;
}

/**
 * Audit rows about the person: those whose subject is one of their rows, and (across events) any
 * whose values name their address, such as a transfer's or a resent email's.
 */
function auditOf(client: Client, { email, eventId }: Scope, subjects: string[]) {
  const naming = eventId ? Prisma.empty : Prisma.sql`OR strpos(lower(a.before::text), ${email}) > 0 OR strpos(lower(a.after::text), ${email}) > 0`;
  return client.$queryRaw<AuditRow[]>`
    SELECT a.id, a.action, a.subject, a."createdAt", a.before, a.after FROM "AuditLog" a
    WHERE a.subject = ANY(${subjects}::text[]) ${naming}
    ORDER BY a."createdAt", a.id`;
}

/** Everything held about one address, read in `client` (an erasure's transaction, after its locks). */
export async function personData(client: Client, scope: Scope) {
  const email = normalised(scope.email);
  const event = scope.eventId ? { eventId: scope.eventId } : {};
  const ofEvent = scope.eventId ? { order: { eventId: scope.eventId } } : {};
  const orders = await client.order.findMany({
    where: { buyerEmail: sameAddress(email), ...event },
    select: {
      id: true,
      reference: true,
      status: true,
      paymentMethod: true,
      buyerName: true,
      buyerEmail: true,
      billingCompany: true,
      billingAddress: true,
      billingCountry: true,
      purchaseOrder: true,
      buyerTaxNumber: true,
      totalCents: true,
      refundedCents: true,
      currency: true,
      createdAt: true,
      paidAt: true,
      event: { select: { name: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  const tickets = await client.ticket.findMany({
    where: { email: sameAddress(email), ...ofEvent },
    select: {
      id: true,
      status: true,
      name: true,
      email: true,
      company: true,
      jobTitle: true,
      country: true,
      dietaryNeeds: true,
      accessNeeds: true,
      shareWithSponsors: true,
      consentAt: true,
      checkedInAt: true,
      createdAt: true,
      ticketType: { select: { name: true } },
      order: { select: { reference: true, event: { select: { name: true } } } },
      agendaPicks: { select: { createdAt: true, session: { select: { title: true, startsAt: true } } }, orderBy: { session: { startsAt: "asc" } } },
      leads: { select: { id: true, source: true, notes: true, rating: true, createdAt: true, updatedAt: true, sponsor: { select: { name: true } } }, orderBy: { createdAt: "asc" } },
    },
    orderBy: { createdAt: "asc" },
  });
  const attendees = await client.orderAttendee.findMany({
    where: { email: sameAddress(email), ...ofEvent },
    select: {
      orderId: true,
      position: true,
      name: true,
      email: true,
      company: true,
      jobTitle: true,
      country: true,
      dietaryNeeds: true,
      accessNeeds: true,
      shareWithSponsors: true,
      ticketType: { select: { name: true } },
      order: { select: { reference: true, status: true, paymentMethod: true } },
    },
    orderBy: [{ orderId: "asc" }, { position: "asc" }],
  });
  const waitlist = await client.waitlistEntry.findMany({
    where: { email: sameAddress(email), ...(scope.eventId ? { ticketType: { eventId: scope.eventId } } : {}) },
    select: { id: true, name: true, email: true, createdAt: true, offeredAt: true, offerExpiresAt: true, closedAt: true, ticketType: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  });
  const requests = await client.privacyRequest.findMany({
    where: { email: sameAddress(email), ...event },
    select: { id: true, kind: true, status: true, origin: true, createdAt: true, handledAt: true, note: true },
    orderBy: { createdAt: "asc" },
  });
  const invoices = await client.invoice.findMany({
    where: { OR: [{ buyerEmail: sameAddress(email) }, { orderId: { in: orders.map((o) => o.id) } }], ...event },
    select: {
      number: true,
      kind: true,
      issuedAt: true,
      orderReference: true,
      buyerName: true,
      buyerEmail: true,
      buyerCompany: true,
      buyerAddress: true,
      buyerCountry: true,
      buyerTaxNumber: true,
      purchaseOrder: true,
      totalCents: true,
      taxCents: true,
      currency: true,
    },
    orderBy: [{ issuedAt: "asc" }, { number: "asc" }],
  });
  const emails = await emailsOf(client, { email, eventId: scope.eventId });
  const leads = tickets.flatMap((t) => t.leads.map((lead) => ({ ...lead, ticketId: t.id })));
  const subjects = [
    ...orders.map((o) => `order:${o.id}`),
    ...tickets.map((t) => `ticket:${t.id}`),
    ...leads.map((l) => `lead:${l.id}`),
    ...waitlist.map((w) => `waitlist:${w.id}`),
    ...emails.map((e) => `email:${e.id}`),
    ...requests.map((r) => `privacy-request:${r.id}`),
  ];
  const auditRows = await auditOf(client, { email, eventId: scope.eventId }, subjects);
  return { email, orders, tickets, attendees, leads, waitlist, requests, invoices, emails, audit: auditRows };
}

export type PersonData = Awaited<ReturnType<typeof personData>>;

/** Whether erasing would change anything: all but the invoices, which are kept. */
export const holdsErasable = (data: PersonData) =>
  data.orders.length + data.tickets.length + data.attendees.length + data.waitlist.length + data.emails.length + data.audit.length > 0;

/** The orders that block an erasure: theirs, or naming them as an attendee, awaiting payment. */
function awaitingPayment(data: PersonData) {
  const references = new Set<string>();
  for (const o of data.orders) if (o.status === "PENDING") references.add(o.reference);
  for (const a of data.attendees) if (a.order.status === "PENDING") references.add(a.order.reference);
  return [...references];
}

const describeOrders = (references: string[]) => (references.length === 1 ? `order ${references[0]}` : `orders ${references.join(", ")}`);

// ---- Requests -----------------------------------------------------------------------------------

const pendingKey = (kind: PrivacyKind, eventId: string, email: string) => `${kind}:${eventId}:${normalised(email)}`;

/**
 * A request of this event (locked when `forUpdate`), refused unless it is of this kind (null: any)
 * and still waiting; an export that is done may still be downloaded again.
 */
export async function openRequest(client: Client, eventId: string, id: string, kind: PrivacyKind | null, { forUpdate = false } = {}) {
  const [request] = await client.$queryRaw<{ id: string; email: string; kind: PrivacyKind; status: string }[]>`
    SELECT id, email, kind::text AS kind, status::text AS status FROM "PrivacyRequest" WHERE id = ${id} AND "eventId" = ${eventId}
    ${forUpdate ? Prisma.sql`FOR UPDATE` : Prisma.empty}`;
  if (!request) fail("privacy.request-not-found");
  if (kind && request.kind !== kind) fail("privacy.request-kind", request.kind === "EXPORT" ? "a copy of their data" : "erasure");
  const downloadAgain = request.kind === "EXPORT" && request.status === "DONE" && !forUpdate;
  if (request.status !== "PENDING" && !downloadAgain) fail("privacy.request-handled", request.status === "DONE" ? "done" : "refused");
  return request;
}

/**
 * The holder of the ticket behind `token` asks, from its page, for a copy of their data or its
 * erasure. Asking again while one is waiting changes nothing. Says whether this made a new request.
 */
export async function requestFromTicket(token: string, kind: PrivacyKind, now: Date) {
  const ticket = await ticketByManageToken(token);
  if (!ticket) fail("ticket.not-found");
  if (ticket.erasedAt) fail("privacy.ticket-erased");
  const eventId = ticket.order.event.id;
  const key = pendingKey(kind, eventId, ticket.email);
  const waiting = () => db().privacyRequest.findUnique({ where: { pendingKey: key }, select: { id: true, createdAt: true } });
  const existing = await waiting();
  if (existing) return { created: false, ...existing };
  try {
    return await db().$transaction(async (tx) => {
      const request = await tx.privacyRequest.create({
        data: { eventId, email: normalised(ticket.email), kind, origin: "ATTENDEE", pendingKey: key, createdAt: now },
        select: { id: true, createdAt: true },
      });
      await audit(tx, { action: "privacy.requested", subject: `privacy-request:${request.id}`, after: { kind, ticketId: ticket.id } });
      return { created: true, ...request };
    });
  } catch (error) {
    // Two clicks at once: the other one made it.
    const made = error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" ? await waiting() : null;
    if (made) return { created: false, ...made };
    throw error;
  }
}

/** What the ticket page says about the holder's waiting requests. */
export async function waitingRequests(eventId: string, email: string) {
  const rows = await db().privacyRequest.findMany({
    where: { pendingKey: { in: (["EXPORT", "ERASURE"] as const).map((kind) => pendingKey(kind, eventId, email)) } },
    select: { kind: true, createdAt: true },
  });
  return Object.fromEntries(rows.map((r) => [r.kind, r.createdAt])) as Partial<Record<PrivacyKind, Date>>;
}

/** The organisers' list: waiting requests first (oldest first), then the latest handled. */
export async function privacyRequests(eventId: string) {
  const select = { id: true, email: true, kind: true, status: true, origin: true, createdAt: true, handledAt: true, note: true, handledBy: { select: { name: true } } } as const;
  const [waiting, handled] = await Promise.all([
    db().privacyRequest.findMany({ where: { eventId, status: "PENDING" }, select, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    db().privacyRequest.findMany({ where: { eventId, status: { not: "PENDING" } }, select, orderBy: [{ handledAt: "desc" }, { id: "desc" }], take: 20 }),
  ]);
  return { waiting, handled };
}

/** Closes a waiting request as refused (with the reason) or, for an export that has been sent, as done. */
export async function closeRequest(eventId: string, id: string, outcome: "REFUSED" | "DONE", note: string, actorId: string, now: Date) {
  return db().$transaction(async (tx) => {
    // Only an export is "done" by hand: an erasure is done by erasing.
    const request = await openRequest(tx, eventId, id, outcome === "DONE" ? "EXPORT" : null, { forUpdate: true });
    await tx.privacyRequest.update({ where: { id }, data: { status: outcome, pendingKey: null, handledAt: now, handledById: actorId, note } });
    await audit(tx, { action: outcome === "DONE" ? "privacy.request.done" : "privacy.request.refused", subject: `privacy-request:${id}`, actorId, after: { kind: request.kind } });
    return request.kind;
  });
}

// ---- Erasure ------------------------------------------------------------------------------------

export type ErasureCounts = {
  tickets: number;
  orders: number;
  checkoutEntries: number;
  leads: number;
  agendaPicks: number;
  waitingList: number;
  emails: number;
  auditEntries: number;
  paymentEvents: number;
  requests: number;
  /** Kept, not erased. */
  invoicesKept: number;
};

/** The person's values, as the audit log and email subjects may hold them. */
function personalValues(data: PersonData) {
  const names = new Set<string>();
  const others = new Set<string>();
  const keep = (set: Set<string>, value: string | null | undefined) => {
    const v = value?.trim().toLowerCase();
    // Too short to take out of a text without taking out other words with it.
    if (v && v.length >= 3 && v !== ERASED_ATTENDEE.toLowerCase() && v !== ERASED_BUYER.toLowerCase()) set.add(v);
  };
  for (const t of data.tickets) {
    keep(names, t.name);
    for (const v of [t.company, t.jobTitle, t.country, t.dietaryNeeds, t.accessNeeds]) keep(others, v);
  }
  for (const a of data.attendees) {
    keep(names, a.name);
    for (const v of [a.company, a.jobTitle, a.country, a.dietaryNeeds, a.accessNeeds]) keep(others, v);
  }
  for (const o of data.orders) {
    keep(names, o.buyerName);
    for (const v of [o.billingCompany, o.billingAddress, o.billingCountry, o.purchaseOrder, o.buyerTaxNumber]) keep(others, v);
  }
  for (const w of data.waitlist) keep(names, w.name);
  // Longest first, so that "Ada Lovelace" goes before "Ada" would split it.
  const inText = [data.email, ...names].sort((a, b) => b.length - a.length);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const source = inText.map(escape).join("|");
  const everywhere = new RegExp(source, "gi");
  const anywhere = new RegExp(source, "i");
  return {
    /** Takes their address and names out of a text ("Ada gave you their ticket" → "[erased] gave you…"). */
    text: (s: string) => s.replace(everywhere, ERASED_VALUE),
    /** A JSON value with each string that names them, or is one of their values, replaced. */
    json: function redact(value: Prisma.JsonValue): Prisma.JsonValue {
      if (typeof value === "string") {
        return others.has(value.trim().toLowerCase()) || anywhere.test(value) ? ERASED_VALUE : value;
      }
      if (Array.isArray(value)) return value.map(redact);
      if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v ?? null)]));
      return value;
    },
  };
}

const asJson = (value: Prisma.JsonValue) => (value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue));
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/**
 * Erases one person within `tx`: locks their orders and tickets, refuses while one awaits payment,
 * then erases kind by kind, auditing each under `subject`.
 */
async function eraseInTransaction(tx: Tx, scope: Scope, { subject, actorId, now }: { subject: string; actorId: string | null; now: Date }) {
  const email = normalised(scope.email);
  const eventOnly = scope.eventId ? Prisma.sql`AND "eventId" = ${scope.eventId}` : Prisma.empty;
  // A payment or a transfer that commits first is seen; one that comes later waits for this.
  await tx.$queryRaw`SELECT id FROM "Order" WHERE lower("buyerEmail") = ${email} ${eventOnly} FOR UPDATE`;
  await tx.$queryRaw`
    SELECT t.id FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId"
    WHERE lower(t.email) = ${email} ${scope.eventId ? Prisma.sql`AND o."eventId" = ${scope.eventId}` : Prisma.empty} FOR UPDATE OF t`;
  const data = await personData(tx, { email, eventId: scope.eventId });
  const unpaid = awaitingPayment(data);
  if (unpaid.length > 0) fail("privacy.awaiting-payment", describeOrders(unpaid));
  const redact = personalValues(data);
  const ticketIds = ids(data.tickets);
  const orderIds = ids(data.orders);

  const counts: ErasureCounts = {
    leads: await tx.lead.deleteMany({ where: { ticketId: { in: ticketIds } } }).then((r) => r.count),
    agendaPicks: await tx.agendaPick.deleteMany({ where: { ticketId: { in: ticketIds } } }).then((r) => r.count),
    tickets: await tx.$executeRaw`
      UPDATE "Ticket" SET name = ${ERASED_ATTENDEE}, email = ${erasedAddressSql(Prisma.sql`id`)}, company = '', "jobTitle" = '', country = '',
        "dietaryNeeds" = '', "accessNeeds" = '', "shareWithSponsors" = false, "consentAt" = NULL, "toBeNamed" = false,
        "erasedAt" = ${now}, "updatedAt" = ${now}
      WHERE id = ANY(${ticketIds}::text[])`,
    checkoutEntries: await tx.$executeRaw`
      UPDATE "OrderAttendee" a SET name = ${ERASED_ATTENDEE}, email = ${erasedAddressSql(Prisma.sql`a."orderId" || '-' || a.position`)}, company = '', "jobTitle" = '',
        country = '', "dietaryNeeds" = '', "accessNeeds" = '', "shareWithSponsors" = false
      WHERE lower(a.email) = ${email} ${scope.eventId ? Prisma.sql`AND a."orderId" IN (SELECT id FROM "Order" WHERE "eventId" = ${scope.eventId})` : Prisma.empty}`,
    // The amounts stay for the books; the invoices keep their own copy of the buyer.
    orders: await tx.$executeRaw`
      UPDATE "Order" SET "buyerName" = ${ERASED_BUYER}, "buyerEmail" = ${erasedAddressSql(Prisma.sql`id`)}, "billingCompany" = '', "billingAddress" = '',
        "billingCountry" = '', "purchaseOrder" = '', "buyerTaxNumber" = '', "requestedFrom" = NULL, "erasedAt" = ${now}, "updatedAt" = ${now}
      WHERE id = ANY(${orderIds}::text[])`,
    // A place never offered closes; an offer already made runs out as usual, giving its seat back.
    waitingList: await tx.$executeRaw`
      UPDATE "WaitlistEntry" SET name = ${ERASED_ATTENDEE}, email = ${erasedAddressSql(Prisma.sql`id`)},
        "closedAt" = CASE WHEN "closedAt" IS NULL AND "offeredAt" IS NULL THEN ${now} ELSE "closedAt" END
      WHERE id = ANY(${ids(data.waitlist)}::text[])`,
    emails: 0,
    auditEntries: 0,
    // Stripe's events are emptied once handled; any handled one still naming them is emptied now.
    paymentEvents: await tx.$executeRaw`
      UPDATE "StripeEvent" SET payload = NULL WHERE "handledAt" IS NOT NULL AND payload IS NOT NULL AND strpos(lower(payload::text), ${email}) > 0`,
    requests: 0,
    invoicesKept: data.invoices.length,
  };

  for (const e of data.emails) {
    const toThem = normalised(e.toAddress) === email;
    const unsent = e.status === "PENDING" || e.status === "SENDING";
    await tx.emailOutbox.update({
      where: { id: e.id },
      data: toThem
        ? {
            toAddress: erasedAddress(e.id),
            subject: redact.text(e.subject),
            payload: {},
            // Never sent now: the job that would send it finds it no longer pending.
            ...(unsent ? { status: "FAILED" as const, lastError: "Not sent: the recipient's data was erased first." } : { lastError: e.lastError && redact.text(e.lastError) }),
          }
        : { subject: redact.text(e.subject), payload: redact.json(e.payload) as Prisma.InputJsonValue },
    });
  }
  counts.emails = data.emails.length;

  for (const row of data.audit) {
    const before = redact.json(row.before);
    const after = redact.json(row.after);
    if (JSON.stringify(before) === JSON.stringify(row.before) && JSON.stringify(after) === JSON.stringify(row.after)) continue;
    await tx.auditLog.update({ where: { id: row.id }, data: { before: asJson(before), after: asJson(after) } });
    counts.auditEntries++;
  }

  // Their other requests: the address goes, and one still waiting is closed (nothing is left to export).
  for (const request of data.requests) {
    await tx.privacyRequest.update({
      where: { id: request.id },
      data: {
        email: erasedAddress(request.id),
        ...(request.status === "PENDING" ? { status: "DONE" as const, pendingKey: null, handledAt: now, handledById: actorId, note: "Closed by the erasure of this person's data." } : {}),
      },
    });
  }
  counts.requests = data.requests.length;

  const labels: Record<keyof ErasureCounts, string> = {
    tickets: "privacy.erased.tickets",
    orders: "privacy.erased.orders",
    checkoutEntries: "privacy.erased.checkout-entries",
    leads: "privacy.erased.leads",
    agendaPicks: "privacy.erased.agenda-picks",
    waitingList: "privacy.erased.waiting-list",
    emails: "privacy.erased.emails",
    auditEntries: "privacy.erased.audit-entries",
    paymentEvents: "privacy.erased.payment-events",
    requests: "privacy.erased.requests",
    invoicesKept: "privacy.kept.invoices",
  };
  const rowIds: Partial<Record<keyof ErasureCounts, string[]>> = { tickets: ticketIds, orders: orderIds };
  for (const [kind, count] of Object.entries(counts) as [keyof ErasureCounts, number][]) {
    if (count === 0) continue;
    await audit(tx, {
      action: labels[kind],
      subject,
      actorId,
      after: { count, ...(rowIds[kind] ? { ids: rowIds[kind] } : {}), ...(kind === "invoicesKept" ? { reason: INVOICES_KEPT } : {}) },
    });
  }
  return counts;
}

const ERASURE_TX = { timeout: 60_000, maxWait: 10_000 };

/**
 * An organiser erases a person, on their request from the ticket page or on one received some
 * other way (which is then recorded as done). Across every event: a person who asks to be
 * forgotten asks it of the organiser, not of one edition.
 */
export async function erasePerson(input: { eventId: string; email: string; requestId?: string }, actorId: string, now: Date) {
  return db().$transaction(async (tx) => {
    const request = input.requestId ? await openRequest(tx, input.eventId, input.requestId, "ERASURE", { forUpdate: true }) : null;
    const email = normalised(request?.email ?? input.email);
    // An erasure asked some other way is recorded too (its address goes with the rest).
    const id =
      request?.id ??
      (
        await tx.privacyRequest.create({
          data: { eventId: input.eventId, email, kind: "ERASURE", origin: "ORGANISER", status: "DONE", handledAt: now, handledById: actorId, createdAt: now },
          select: { id: true },
        })
      ).id;
    const subject = `privacy-request:${id}`;
    const counts = await eraseInTransaction(tx, { email }, { subject, actorId, now });
    const erased = (Object.keys(counts) as (keyof ErasureCounts)[]).some((kind) => kind !== "invoicesKept" && kind !== "requests" && counts[kind] > 0);
    if (!erased && !request) fail("privacy.nothing-held", "erase");
    const kept = counts.invoicesKept === 1 ? "1 invoice" : `${counts.invoicesKept} invoices and credit notes`;
    const note = [erased ? "Erased." : "Nothing was held under this address.", counts.invoicesKept > 0 ? `Kept ${kept}: ${INVOICES_KEPT}` : ""].filter(Boolean).join(" ");
    await tx.privacyRequest.update({ where: { id }, data: { status: "DONE", pendingKey: null, handledAt: now, handledById: actorId, note } });
    await audit(tx, { action: "privacy.request.done", subject, actorId, after: { kind: "ERASURE" } });
    return { requestId: id, counts, erased };
  }, ERASURE_TX);
}

/** Whether erasing this address now would be refused, and why: the organisers' page says so before the button. */
export function erasureBlocker(data: PersonData): string | null {
  const unpaid = awaitingPayment(data);
  return unpaid.length === 0 ? null : messages["privacy.awaiting-payment"](describeOrders(unpaid));
}

// ---- Retention ----------------------------------------------------------------------------------

type RetentionEvent = { id: string; endsOn: Date; timeZone: string; retentionDays: number | null; retentionSetAt: Date | null };

const addDays = (key: string, days: number) => new Date(Date.parse(`${key}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The day the event's attendee data is erased: its retention period after the event ends, and
 * never sooner than a full notice period after the period was set, in the event's time zone.
 */
export function retentionDay(event: RetentionEvent): string | null {
  if (event.retentionDays === null) return null;
  const due = addDays(dayKey(eventEndsAt(event), event.timeZone), event.retentionDays);
  const notice = addDays(dayKey(event.retentionSetAt ?? new Date(0), event.timeZone), RETENTION_NOTICE_DAYS + 1);
  return due > notice ? due : notice;
}

/** Everyone of the event not yet erased, by address: holders, buyers, attendees at checkout, people waiting. */
function peopleOfEvent(eventId: string) {
  return db().$queryRaw<{ email: string; awaiting: boolean }[]>`
    SELECT lower(p.email) AS email, bool_or(p.awaiting) AS awaiting FROM (
      SELECT t.email, false AS awaiting FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" WHERE o."eventId" = ${eventId} AND t."erasedAt" IS NULL
      UNION ALL
      SELECT o."buyerEmail", o.status = 'PENDING' FROM "Order" o WHERE o."eventId" = ${eventId} AND o."erasedAt" IS NULL
      UNION ALL
      SELECT a.email, o.status = 'PENDING' FROM "OrderAttendee" a JOIN "Order" o ON o.id = a."orderId"
      WHERE o."eventId" = ${eventId} AND a.email NOT LIKE ${ERASED_ADDRESS_LIKE}
      UNION ALL
      SELECT w.email, false FROM "WaitlistEntry" w JOIN "TicketType" tt ON tt.id = w."ticketTypeId"
      WHERE tt."eventId" = ${eventId} AND w.email NOT LIKE ${ERASED_ADDRESS_LIKE}
    ) p GROUP BY lower(p.email) ORDER BY 1`;
}

/** The dry run: who the retention period would erase, and on which day (the organisers' page shows it). */
export async function retentionPlan(event: RetentionEvent) {
  const day = retentionDay(event);
  if (!day) return { days: null, day: null, people: 0, awaitingPayment: 0 };
  const people = await peopleOfEvent(event.id);
  return { days: event.retentionDays, day, people: people.length, awaitingPayment: people.filter((p) => p.awaiting).length };
}

/**
 * The daily job: erases the attendee data of every event whose retention day has come, one person
 * per transaction (each audited under the event), invoices kept. A person with an order awaiting
 * payment is left for the next run.
 */
export async function eraseExpiredEventData(now: Date) {
  const events = await db().event.findMany({
    where: { retentionDays: { not: null } },
    select: { id: true, endsOn: true, timeZone: true, retentionDays: true, retentionSetAt: true },
  });
  const results: { eventId: string; erased: number; heldBack: number }[] = [];
  for (const event of events) {
    const day = retentionDay(event);
    if (!day || now < zonedTimeToUtc(day, "00:00", event.timeZone)) continue;
    let erased = 0;
    let heldBack = 0;
    for (const { email } of await peopleOfEvent(event.id)) {
      try {
        await db().$transaction((tx) => eraseInTransaction(tx, { email, eventId: event.id }, { subject: `event:${event.id}`, actorId: null, now }), ERASURE_TX);
        erased++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        heldBack++;
      }
    }
    if (erased + heldBack > 0) log.info("retention: attendee data erased", { eventId: event.id, erased, heldBack });
    results.push({ eventId: event.id, erased, heldBack });
  }
  return results;
}
