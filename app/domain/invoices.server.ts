// Tax invoices and credit notes. An invoice is issued in the transaction that confirms a payment,
// a credit note in the one that applies a refund; both are numbered from a counter row taken in
// that transaction (a rollback gives the number back: no gaps, no duplicates) and never change.
// What a document says is copied onto its row when issued, so a later change of the settings,
// the order or the buyer's details never rewrites a document already sent.
import type { Prisma } from "~/generated/prisma/client";
import type { InvoiceKind } from "~/generated/prisma/enums";
import type { Tx } from "~/services/audit.server";
import { audit } from "~/services/audit.server";
import { db, prismaSql, type Sql } from "~/services/db.server";
import { renderPdf } from "~/services/pdf.server";
import type { BillingDetails } from "~/validation/checkout";
import { fail } from "./errors";
import { formatMoney, formatRate } from "./money";
import { dayKey, formatDayKey, zonedTimeToUtc } from "./time";

export type InvoiceLine = { description: string; quantity: number; unitCents: number; amountCents: number };

/** "INV-00042" for an invoice, "INV-CN-00003" for a credit note. */
export const invoiceNumber = (prefix: string, kind: InvoiceKind, sequence: number) =>
  `${prefix}${kind === "CREDIT_NOTE" ? "CN-" : ""}${String(sequence).padStart(5, "0")}`;

/**
 * The next number of a kind for an event. The row stays locked until the issuing transaction ends,
 * so issues are numbered in commit order; take it last, just before the commit.
 */
async function takeSequence(sql: Sql, eventId: string, kind: InvoiceKind): Promise<number> {
  const [row] = await sql.rows<{ taken: number }>(TAKE_SEQUENCE, [eventId, kind]);
  return row!.taken;
}

const TAKE_SEQUENCE = `
  INSERT INTO "InvoiceCounter" ("eventId", kind, next) VALUES ($1, $2::"InvoiceKind", 2)
  ON CONFLICT ("eventId", kind) DO UPDATE SET next = "InvoiceCounter".next + 1
  RETURNING next - 1 AS taken`;

const sellerSelect = { id: true, name: true, organiser: true, legalName: true, legalAddress: true, taxNumber: true, invoicePrefix: true } as const;

function seller(event: { organiser: string; legalName: string; legalAddress: string; taxNumber: string | null }) {
  return { sellerName: event.legalName || event.organiser, sellerAddress: event.legalAddress, sellerTaxNumber: event.taxNumber };
}

/**
 * The tax invoice of a paid order, in the transaction that records the payment. Orders that cost
 * nothing (free tickets, comps) get none. Returns the invoice, or null.
 */
export async function issueInvoice(tx: Tx, orderId: string, now: Date) {
  const sql = prismaSql(tx);
  const prepared = await prepareInvoice(sql, orderId);
  return prepared ? issuePrepared(sql, prepared, now) : null;
}

export type PreparedInvoice = NonNullable<Awaited<ReturnType<typeof prepareInvoice>>>;

/**
 * What the order's invoice will say, read without taking its number; null when it gets none. A
 * fulfilment prepares it first and issues it last, so that the counter row, which every paid order
 * of the event updates, stays locked only until the commit.
 */
export async function prepareInvoice(sql: Sql, orderId: string) {
  const [row] = await sql.rows<InvoiceSource>(INVOICE_SOURCE, [orderId]);
  if (!row) throw new Error(`order ${orderId} not found`);
  if (row.totalCents <= 0) return null;
  // One standing invoice per order: a new one only once the last is credited in full.
  if (row.standingCents !== null && row.creditedCents < row.standingCents) return null;
  const { items, event, ...order } = row;
  const lines: InvoiceLine[] = items.map((i) => ({
    description: `${event.name}: ${i.name}`,
    quantity: i.quantity,
    unitCents: i.unitCents,
    amountCents: i.unitCents * i.quantity,
  }));
  return { orderId, order: { ...order, event }, lines };
}

type InvoiceSource = {
  reference: string;
  buyerName: string;
  buyerEmail: string;
  billingCompany: string;
  billingAddress: string;
  billingCountry: string;
  purchaseOrder: string;
  buyerTaxNumber: string;
  currency: string;
  taxName: string;
  taxRateBps: number;
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  items: { quantity: number; unitCents: number; name: string }[];
  event: { id: string; name: string; organiser: string; legalName: string; legalAddress: string; taxNumber: string | null; invoicePrefix: string };
  /** The total of the order's last invoice (null: none yet) and what credit notes have returned of it. */
  standingCents: number | null;
  creditedCents: number;
};

/** What an order's invoice copies, and whether a standing invoice already covers it: one round trip. */
const INVOICE_SOURCE = `
  SELECT o.reference, o."buyerName", o."buyerEmail", o."billingCompany", o."billingAddress", o."billingCountry", o."purchaseOrder",
    o."buyerTaxNumber", o.currency, o."taxName", o."taxRateBps", o."subtotalCents", o."discountCents", o."taxCents", o."totalCents",
    coalesce((SELECT json_agg(json_build_object('quantity', i.quantity, 'unitCents', i."unitCents", 'name', t.name) ORDER BY i.id)
      FROM "OrderItem" i JOIN "TicketType" t ON t.id = i."ticketTypeId" WHERE i."orderId" = o.id), '[]') AS items,
    json_build_object('id', e.id, 'name', e.name, 'organiser', e.organiser, 'legalName', e."legalName", 'legalAddress', e."legalAddress",
      'taxNumber', e."taxNumber", 'invoicePrefix', e."invoicePrefix") AS event,
    s."totalCents" AS "standingCents",
    (SELECT coalesce(sum(c."totalCents"), 0)::int FROM "Invoice" c WHERE c."creditedId" = s.id) AS "creditedCents"
  FROM "Order" o
  JOIN "Event" e ON e.id = o."eventId"
  LEFT JOIN LATERAL (
    SELECT id, "totalCents" FROM "Invoice" WHERE "orderId" = o.id AND kind = 'INVOICE' ORDER BY sequence DESC LIMIT 1
  ) s ON true
  WHERE o.id = $1`;

/** Numbers a prepared invoice and stores it with its audit row: last in the transaction. */
export async function issuePrepared(sql: Sql, { orderId, order, lines }: PreparedInvoice, now: Date) {
  const sequence = await takeSequence(sql, order.event.id, "INVOICE");
  const number = invoiceNumber(order.event.invoicePrefix, "INVOICE", sequence);
  const { sellerName, sellerAddress, sellerTaxNumber } = seller(order.event);
  // One statement: the counter row is locked from takeSequence to the commit.
  const [invoice] = await sql.rows<{ id: string; number: string }>(ISSUE_INVOICE, [
    order.event.id, orderId, sequence, number, now.toISOString(), sellerName, sellerAddress, sellerTaxNumber,
    order.buyerName, order.buyerEmail, order.billingCompany, order.billingAddress, order.billingCountry, order.buyerTaxNumber,
    order.purchaseOrder, order.reference, order.currency, order.taxName, order.taxRateBps, JSON.stringify(lines),
    order.subtotalCents, order.discountCents, order.taxCents, order.totalCents,
    JSON.stringify({ number, totalCents: order.totalCents }),
  ]);
  return invoice!;
}

const ISSUE_INVOICE = `
  WITH issued AS (
    INSERT INTO "Invoice" (id, "eventId", "orderId", kind, sequence, number, "issuedAt", "sellerName", "sellerAddress", "sellerTaxNumber",
      "buyerName", "buyerEmail", "buyerCompany", "buyerAddress", "buyerCountry", "buyerTaxNumber", "purchaseOrder", "orderReference",
      currency, "taxName", "taxRateBps", lines, "subtotalCents", "discountCents", "taxCents", "totalCents")
    VALUES (gen_random_uuid()::text, $1, $2, 'INVOICE', $3, $4, $5::timestamp, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
      $17, $18, $19, $20::jsonb, $21, $22, $23, $24)
    RETURNING id, number
  ), audited AS (
    INSERT INTO "AuditLog" (id, action, subject, after)
    SELECT gen_random_uuid()::text, 'invoice.issued', 'order:' || $2::text, $25::jsonb FROM issued
  )
  SELECT id, number FROM issued`;

/** The tax inside an amount that includes it, to the cent: what a credit note returns of each. */
export function taxIncluded(amountCents: number, rateBps: number) {
  const net = Math.round((amountCents * 10_000) / (10_000 + rateBps));
  return { netCents: net, taxCents: amountCents - net };
}

/**
 * The credit note of a refund, in the transaction that applies it: it names the invoice it
 * corrects and returns the refunded amount with its share of tax. A refund of an order that had
 * no invoice (nothing was charged) issues nothing.
 */
async function creditedCents(tx: Tx, invoiceId: string) {
  const sum = await tx.invoice.aggregate({ where: { creditedId: invoiceId }, _sum: { totalCents: true, taxCents: true } });
  return { totalCents: sum._sum.totalCents ?? 0, taxCents: sum._sum.taxCents ?? 0 };
}

type Credit = {
  orderId: string;
  amountCents: number;
  /** The refund it records (null for a cancelled invoice) and the tickets it refunded. */
  id: string | null;
  ticketIds: string[];
  /** The line's text when it is not a refund of tickets. */
  description?: string;
};

export async function issueCreditNote(tx: Tx, refund: Credit, now: Date) {
  if (refund.amountCents <= 0) return null;
  const invoice = await tx.invoice.findFirst({
    where: { orderId: refund.orderId, kind: "INVOICE" },
    orderBy: { sequence: "desc" },
    include: { event: { select: sellerSelect } },
  });
  if (!invoice) return null;
  // The last refund takes what the invoice has left, so its credit notes add up to it to the cent.
  const before = await creditedCents(tx, invoice.id);
  const { netCents, taxCents } =
    before.totalCents + refund.amountCents >= invoice.totalCents
      ? { taxCents: invoice.taxCents - before.taxCents, netCents: refund.amountCents - (invoice.taxCents - before.taxCents) }
      : taxIncluded(refund.amountCents, invoice.taxRateBps);
  const tickets = refund.ticketIds.length
    ? await tx.ticket.findMany({ where: { id: { in: refund.ticketIds } }, select: { name: true, ticketType: { select: { name: true } } } })
    : [];
  const lines: InvoiceLine[] = refund.description
    ? [{ description: refund.description, quantity: 1, unitCents: netCents, amountCents: netCents }]
    : tickets.length > 0
      ? [{ description: `Refund: ${tickets.map((t) => `${t.ticketType.name} (${t.name})`).join(", ")}`, quantity: 1, unitCents: netCents, amountCents: netCents }]
      : [{ description: `Refund of order ${invoice.orderReference}`, quantity: 1, unitCents: netCents, amountCents: netCents }];
  const sequence = await takeSequence(prismaSql(tx), invoice.eventId, "CREDIT_NOTE");
  const note = await tx.invoice.create({
    data: {
      eventId: invoice.eventId,
      orderId: refund.orderId,
      kind: "CREDIT_NOTE",
      sequence,
      number: invoiceNumber(invoice.event.invoicePrefix, "CREDIT_NOTE", sequence),
      issuedAt: now,
      creditedId: invoice.id,
      refundId: refund.id,
      // The parties as the invoice named them: a credit note corrects that document.
      sellerName: invoice.sellerName,
      sellerAddress: invoice.sellerAddress,
      sellerTaxNumber: invoice.sellerTaxNumber,
      buyerName: invoice.buyerName,
      buyerEmail: invoice.buyerEmail,
      buyerCompany: invoice.buyerCompany,
      buyerAddress: invoice.buyerAddress,
      buyerCountry: invoice.buyerCountry,
      buyerTaxNumber: invoice.buyerTaxNumber,
      purchaseOrder: invoice.purchaseOrder,
      orderReference: invoice.orderReference,
      currency: invoice.currency,
      taxName: invoice.taxName,
      taxRateBps: invoice.taxRateBps,
      lines: lines as Prisma.InputJsonValue,
      subtotalCents: netCents,
      taxCents,
      totalCents: refund.amountCents,
    },
    select: { id: true, number: true },
  });
  await audit(tx, { action: "credit-note.issued", subject: `order:${refund.orderId}`, after: { number: note.number, credits: invoice.number, totalCents: refund.amountCents } });
  return note;
}

/**
 * Cancels what an order's standing invoice still asks for (an invoice order cancelled unpaid): a
 * credit note for the rest of the invoice, in the transaction that cancels the order.
 */
export async function creditRemaining(tx: Tx, orderId: string, description: string, now: Date) {
  const standing = await tx.invoice.findFirst({ where: { orderId, kind: "INVOICE" }, orderBy: { sequence: "desc" }, select: { id: true, number: true, totalCents: true } });
  if (!standing) return null;
  const rest = standing.totalCents - (await creditedCents(tx, standing.id)).totalCents;
  return issueCreditNote(tx, { id: null, orderId, amountCents: rest, ticketIds: [], description: `Cancels invoice ${standing.number}: ${description}` }, now);
}

/** A company buyer's billing details on the order (checkout's "buying for a company"): its columns, and a form's values as them. */
export const billingColumns = { billingCompany: true, billingAddress: true, billingCountry: true, purchaseOrder: true, buyerTaxNumber: true } as const;
const billingRow = (b: BillingDetails) => ({ billingCompany: b.company, billingAddress: b.address, billingCountry: b.country, purchaseOrder: b.purchaseOrder, buyerTaxNumber: b.taxNumber });

/** An order's invoices and credit notes, oldest first. */
export function documentsOfOrder(orderId: string) {
  return db().invoice.findMany({
    where: { orderId },
    select: { id: true, kind: true, number: true, issuedAt: true, totalCents: true, currency: true },
    orderBy: [{ issuedAt: "asc" }, { sequence: "asc" }],
  });
}

type StoredDocument = NonNullable<Awaited<ReturnType<typeof storedDocument>>>;

const storedDocument = (where: Prisma.InvoiceWhereInput) =>
  db().invoice.findFirst({ where, include: { credited: { select: { number: true, issuedAt: true } }, event: { select: { timeZone: true } } } });

/** One document as it is shown and printed: every amount formatted, every date in the event's zone. */
export function invoiceView(doc: StoredDocument) {
  const money = (cents: number) => formatMoney(cents, doc.currency);
  const day = (date: Date) => formatDayKey(dayKey(date, doc.event.timeZone));
  const lines = doc.lines as InvoiceLine[];
  return {
    kind: doc.kind,
    title: doc.kind === "INVOICE" ? "Tax invoice" : "Credit note",
    number: doc.number,
    issuedOn: day(doc.issuedAt),
    credits: doc.credited ? { number: doc.credited.number, issuedOn: day(doc.credited.issuedAt) } : null,
    seller: { name: doc.sellerName, address: doc.sellerAddress, taxNumber: doc.sellerTaxNumber ? `${doc.sellerTaxNumber.slice(0, 9)} ${doc.sellerTaxNumber.slice(9)}` : null },
    buyer: {
      name: doc.buyerName,
      email: doc.buyerEmail,
      company: doc.buyerCompany,
      address: doc.buyerAddress,
      country: doc.buyerCountry,
      taxNumber: doc.buyerTaxNumber,
      purchaseOrder: doc.purchaseOrder,
    },
    orderReference: doc.orderReference,
    currency: doc.currency,
    lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPrice: money(l.unitCents), amount: money(l.amountCents) })),
    subtotal: money(doc.subtotalCents),
    discount: doc.discountCents > 0 ? money(doc.discountCents) : null,
    taxLabel: `${doc.taxName} ${formatRate(doc.taxRateBps)}`,
    tax: money(doc.taxCents),
    total: money(doc.totalCents),
  };
}

export type InvoiceView = ReturnType<typeof invoiceView>;

/** A document of an order, by its number (the buyer's links). */
export async function orderDocument(orderId: string, number: string) {
  const doc = await storedDocument({ orderId, number });
  return doc ? invoiceView(doc) : null;
}

/** The latest document of a kind of an order (the receipt email's invoice). */
export async function orderDocumentOfKind(orderId: string, kind: InvoiceKind) {
  const doc = await db().invoice.findFirst({
    where: { orderId, kind },
    orderBy: { sequence: "desc" },
    include: { credited: { select: { number: true, issuedAt: true } }, event: { select: { timeZone: true } } },
  });
  return doc ? invoiceView(doc) : null;
}

/** A document of the event, by id (the admin's links). */
export async function eventDocument(eventId: string, id: string) {
  const doc = await storedDocument({ eventId, id });
  return doc ? { ...invoiceView(doc), orderId: doc.orderId } : null;
}

/** A document as the PDF the buyer downloads and the receipt email carries. */
export function invoicePdf(view: InvoiceView, eventName: string) {
  const { kind: _kind, ...props } = view;
  return renderPdf("invoice", { ...props, eventName });
}

/**
 * An organiser corrects a company buyer's billing details. The order keeps the new details; an
 * invoice already issued is never changed: it is cancelled by a credit note and a new invoice is
 * issued with the new details, in one transaction. An invoice with refunds against it is left as
 * it is (the correction would have to split them), and the organiser is told so.
 */
export async function correctBillingDetails(eventId: string, orderId: string, billing: BillingDetails, actorId: string, now: Date) {
  return db().$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Order" WHERE id = ${orderId} AND "eventId" = ${eventId} FOR UPDATE`;
    if (!order) fail("order.not-found");
    const standing = await tx.invoice.findFirst({ where: { orderId, kind: "INVOICE" }, orderBy: { sequence: "desc" }, select: { id: true, number: true, totalCents: true } });
    const credited = standing ? await creditedCents(tx, standing.id) : null;
    if (standing && credited!.totalCents > 0) fail("invoice.refunds-recorded", standing.number);
    const before = await tx.order.findUniqueOrThrow({
      where: { id: orderId },
      select: billingColumns,
    });
    const after = billingRow(billing);
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((f) => before[f] !== after[f]);
    if (changed.length === 0) return { changed: 0, reissued: null };
    await tx.order.update({ where: { id: orderId }, data: after });
    await audit(tx, {
      action: "order.billing-corrected",
      subject: `order:${orderId}`,
      actorId,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: Object.fromEntries(changed.map((f) => [f, after[f]])),
    });
    if (!standing) return { changed: changed.length, reissued: null };
    await issueCreditNote(tx, { id: null, orderId, amountCents: standing.totalCents, ticketIds: [], description: `Cancels invoice ${standing.number}: billing details corrected` }, now);
    const reissued = await issueInvoice(tx, orderId, now);
    return { changed: changed.length, reissued: reissued?.number ?? null };
  });
}

/**
 * The buyer corrects their own billing details from the order page, as long as no invoice has been
 * issued for the order (before it is paid). After that, an organiser corrects them
 * (correctBillingDetails), which re-issues the invoice.
 */
export async function updateBillingBeforeInvoice(orderId: string, billing: BillingDetails) {
  return db().$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<{ id: string; eventId: string }[]>`SELECT id, "eventId" FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
    if (!order) fail("order.not-found");
    const issued = await tx.invoice.findFirst({ where: { orderId, kind: "INVOICE" }, select: { number: true } });
    if (issued) {
      const { contactEmail } = await tx.event.findUniqueOrThrow({ where: { id: order.eventId }, select: { contactEmail: true } });
      fail("invoice.already-issued", issued.number, contactEmail);
    }
    const before = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: billingColumns });
    const after = billingRow(billing);
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((f) => before[f] !== after[f]);
    if (changed.length === 0) return 0;
    await tx.order.update({ where: { id: orderId }, data: after });
    await audit(tx, {
      action: "order.billing-updated-by-buyer",
      subject: `order:${orderId}`,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: Object.fromEntries(changed.map((f) => [f, after[f]])),
    });
    return changed.length;
  });
}


/** The invoices list's filter: words, and a period of days in the event's time zone (both ends included). */
export type InvoiceFilter = { q: string; from: string | null; to: string | null; page: number };

export const INVOICES_PER_PAGE = 50;

function periodWhere(event: { timeZone: string }, filter: Pick<InvoiceFilter, "from" | "to">): Prisma.InvoiceWhereInput {
  const next = (day: string) => new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
  return {
    issuedAt: {
      ...(filter.from ? { gte: zonedTimeToUtc(filter.from, "00:00", event.timeZone) } : {}),
      ...(filter.to ? { lt: zonedTimeToUtc(next(filter.to), "00:00", event.timeZone) } : {}),
    },
  };
}

/** The organisers' list: newest first, searched by number, order, buyer, email, company or PO. */
export async function searchInvoices(event: { id: string; timeZone: string }, filter: InvoiceFilter) {
  const words = filter.q.trim();
  const where: Prisma.InvoiceWhereInput = {
    eventId: event.id,
    ...periodWhere(event, filter),
    ...(words
      ? {
          OR: (["number", "orderReference", "buyerName", "buyerEmail", "buyerCompany", "purchaseOrder"] as const).map((field) => ({
            [field]: { contains: words, mode: "insensitive" as const },
          })),
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().invoice.findMany({
      where,
      select: { id: true, kind: true, number: true, issuedAt: true, orderId: true, orderReference: true, buyerName: true, buyerCompany: true, currency: true, subtotalCents: true, discountCents: true, taxCents: true, totalCents: true },
      orderBy: [{ issuedAt: "desc" }, { sequence: "desc" }],
      skip: (filter.page - 1) * INVOICES_PER_PAGE,
      take: INVOICES_PER_PAGE,
    }),
    db().invoice.count({ where }),
  ]);
  return { rows: rows.map((r) => ({ ...r, issuedOn: dayKey(r.issuedAt, event.timeZone) })), total, pages: Math.max(1, Math.ceil(total / INVOICES_PER_PAGE)) };
}

/**
 * What the organiser's GST/HST return needs for a period, per tax and rate: sales and tax on the
 * invoices, the same on the credit notes, and the net of both.
 */
export async function taxSummary(event: { id: string; timeZone: string }, filter: Pick<InvoiceFilter, "from" | "to">) {
  const groups = await db().invoice.groupBy({
    by: ["kind", "taxName", "taxRateBps", "currency"],
    where: { eventId: event.id, ...periodWhere(event, filter) },
    _count: true,
    _sum: { subtotalCents: true, discountCents: true, taxCents: true, totalCents: true },
  });
  const rates = new Map<string, { taxName: string; taxRateBps: number; currency: string; invoices: number; creditNotes: number; salesCents: number; taxCents: number; creditedSalesCents: number; creditedTaxCents: number }>();
  for (const g of groups) {
    const key = `${g.taxName}|${g.taxRateBps}|${g.currency}`;
    const rate = rates.get(key) ?? { taxName: g.taxName, taxRateBps: g.taxRateBps, currency: g.currency, invoices: 0, creditNotes: 0, salesCents: 0, taxCents: 0, creditedSalesCents: 0, creditedTaxCents: 0 };
    const net = (g._sum.subtotalCents ?? 0) - (g._sum.discountCents ?? 0);
    if (g.kind === "INVOICE") Object.assign(rate, { invoices: g._count, salesCents: net, taxCents: g._sum.taxCents ?? 0 });
    else Object.assign(rate, { creditNotes: g._count, creditedSalesCents: net, creditedTaxCents: g._sum.taxCents ?? 0 });
    rates.set(key, rate);
  }
  return [...rates.values()].map((r) => ({
    ...r,
    label: `${r.taxName} ${formatRate(r.taxRateBps)}`,
    netSalesCents: r.salesCents - r.creditedSalesCents,
    netTaxCents: r.taxCents - r.creditedTaxCents,
  }));
}
