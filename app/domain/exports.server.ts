// CSV exports for organisers: attendees, orders, sessions, invoices. The big lists are one SQL
// statement read through a cursor (1,000 rows per pull), the sessions keyset batches through
// Prisma; either way a batch is read only when the client has taken the last one (a pull stream),
// so 50,000 rows cost the memory of one batch.
import { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/audit.server";
import { cursorRows, db } from "~/services/db.server";
import { csvStream } from "./csv.server";
import { formatAmount } from "./money";
import { dayKey, timeKey } from "./time";

export const EXPORT_BATCH = 1000;

export type ExportKind = "attendees" | "orders" | "sessions" | "invoices";

type ExportSpec<Row> = {
  header: string[];
  batches: () => AsyncIterable<Row[]>;
  cells: (row: Row) => unknown[];
};

// A cancelled download returns this generator, and `for await` returns the cursor's in turn.
async function* asCells<Row>(spec: ExportSpec<Row>) {
  for await (const rows of spec.batches()) yield rows.map(spec.cells);
}

const exportStream = <Row,>(spec: ExportSpec<Row>) => csvStream(spec.header.map((header) => ({ header })), asCells(spec));

/** A whole SQL statement's rows, through a cursor. */
const cursorBatches = <Row,>(query: Prisma.Sql) => () => cursorRows<Row>(query.text, query.values, EXPORT_BATCH);

/** Prisma reads in keyset batches (`id > lastId`), for lists read with nested selects. */
function keysetBatches<Row extends { id: string }>(batch: (afterId: string | null, take: number) => Promise<Row[]>) {
  return async function* () {
    let lastId: string | null = null;
    for (;;) {
      const rows = await batch(lastId, EXPORT_BATCH);
      if (rows.length > 0) yield rows;
      if (rows.length < EXPORT_BATCH) return;
      lastId = rows[rows.length - 1]!.id;
    }
  };
}

const keyset = (afterId: string | null) => (afterId ? { id: { gt: afterId } } : {});

// The big lists read with one joined SQL statement: Prisma's nested selects cost several times
// more per row, and an export is all rows. Erased attendees are left out; an erased
// buyer's order stays in the orders list, anonymised, since the books need its amounts.
function attendeesSpec(event: { id: string }): ExportSpec<AttendeeRow> {
  return {
    header: ["Ticket ID", "Name", "Email", "Company", "Job title", "Country", "Ticket type", "Status", "Order", "Checked in at (UTC)", "Shares with sponsors", "Dietary needs", "Access needs"],
    batches: cursorBatches<AttendeeRow>(Prisma.sql`
      SELECT t.id, t.name, t.email, t.company, t."jobTitle", t.country, tt.name AS "typeName", t.status::text AS status,
        o.reference, t."checkedInAt", t."shareWithSponsors", t."dietaryNeeds", t."accessNeeds"
      FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" JOIN "TicketType" tt ON tt.id = t."ticketTypeId"
      WHERE o."eventId" = ${event.id} AND t."erasedAt" IS NULL
      ORDER BY t.id`),
    cells: (t) => [t.id, t.name, t.email, t.company, t.jobTitle, t.country, t.typeName, t.status, t.reference, t.checkedInAt, t.shareWithSponsors ? "yes" : "no", t.dietaryNeeds, t.accessNeeds],
  };
}

type AttendeeRow = {
  id: string;
  name: string;
  email: string;
  company: string;
  jobTitle: string;
  country: string;
  status: string;
  checkedInAt: Date | null;
  shareWithSponsors: boolean;
  dietaryNeeds: string;
  accessNeeds: string;
  typeName: string;
  reference: string;
};

type OrderRow = {
  id: string;
  reference: string;
  status: string;
  buyerName: string;
  buyerEmail: string;
  createdAt: Date;
  paidAt: Date | null;
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
  refundedCents: number;
  currency: string;
  code: string | null;
  tickets: number;
};

function ordersSpec(event: { id: string }): ExportSpec<OrderRow> {
  return {
    header: ["Reference", "Status", "Buyer", "Buyer email", "Created at (UTC)", "Paid at (UTC)", "Tickets", "Subtotal", "Discount", "Discount code", "Tax", "Total", "Refunded", "Net", "Currency"],
    batches: cursorBatches<OrderRow>(Prisma.sql`
      SELECT o.id, o.reference, o.status::text AS status, o."buyerName", o."buyerEmail", o."createdAt", o."paidAt",
        o."subtotalCents", o."discountCents", o."taxCents", o."totalCents", o."refundedCents", o.currency, d.code,
        (SELECT count(*)::int FROM "Ticket" k WHERE k."orderId" = o.id) AS tickets
      FROM "Order" o LEFT JOIN "DiscountCode" d ON d.id = o."discountCodeId"
      WHERE o."eventId" = ${event.id}
      ORDER BY o.id`),
    cells: (o) => [
      o.reference,
      o.status,
      o.buyerName,
      o.buyerEmail,
      o.createdAt,
      o.paidAt,
      o.tickets,
      formatAmount(o.subtotalCents),
      formatAmount(o.discountCents),
      o.code ?? "",
      formatAmount(o.taxCents),
      formatAmount(o.totalCents),
      formatAmount(o.refundedCents),
      formatAmount(o.totalCents - o.refundedCents),
      o.currency,
    ],
  };
}

type SessionRow = {
  id: string;
  title: string;
  kind: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  track: { name: string } | null;
  room: { name: string } | null;
  speakers: { role: string; speaker: { name: string } }[];
};

function sessionsSpec(event: { id: string; timeZone: string }): ExportSpec<SessionRow> {
  return {
    header: ["Title", "Kind", "Status", `Day (${event.timeZone})`, "Starts", "Ends", "Track", "Room", "Speakers"],
    batches: keysetBatches((afterId, take) =>
      db().session.findMany({
        where: { eventId: event.id, ...keyset(afterId) },
        select: {
          id: true,
          title: true,
          kind: true,
          status: true,
          startsAt: true,
          endsAt: true,
          track: { select: { name: true } },
          room: { select: { name: true } },
          speakers: { select: { role: true, speaker: { select: { name: true } } }, orderBy: { position: "asc" } },
        },
        orderBy: { id: "asc" },
        take,
      }),
    ),
    cells: (s) => [
        s.title,
        s.kind,
        s.status,
        dayKey(s.startsAt, event.timeZone),
        timeKey(s.startsAt, event.timeZone),
        timeKey(s.endsAt, event.timeZone),
        s.track?.name ?? "",
        s.room?.name ?? "",
        s.speakers.map((p) => (p.role === "Speaker" ? p.speaker.name : `${p.speaker.name} (${p.role})`)).join("; "),
      ],
  };
}

type InvoiceRow = {
  id: string;
  number: string;
  kind: string;
  issuedAt: Date;
  orderReference: string;
  buyerName: string;
  buyerEmail: string;
  buyerCompany: string;
  buyerTaxNumber: string;
  purchaseOrder: string;
  credits: string | null;
  taxName: string;
  taxRateBps: number;
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  totalCents: number;
};

/** Invoices and credit notes for the books: credit notes as negative amounts, so a column sums to the net. */
function invoicesSpec(event: { id: string; timeZone: string }): ExportSpec<InvoiceRow> {
  const signed = (row: InvoiceRow, cents: number) => formatAmount(row.kind === "CREDIT_NOTE" ? -cents : cents);
  return {
    header: ["Number", "Kind", `Date (${event.timeZone})`, "Order", "Buyer", "Email", "Company", "Buyer's tax number", "Purchase order", "Credits invoice", "Tax", "Rate (%)", "Net", "Tax amount", "Total"],
    batches: cursorBatches<InvoiceRow>(Prisma.sql`
      SELECT i.id, i.number, i.kind::text AS kind, i."issuedAt", i."orderReference", i."buyerName", i."buyerEmail", i."buyerCompany",
        i."buyerTaxNumber", i."purchaseOrder", c.number AS credits, i."taxName", i."taxRateBps", i."subtotalCents", i."discountCents", i."taxCents", i."totalCents"
      FROM "Invoice" i LEFT JOIN "Invoice" c ON c.id = i."creditedId"
      WHERE i."eventId" = ${event.id}
      ORDER BY i.id`),
    cells: (i) => [
      i.number,
      i.kind === "INVOICE" ? "Invoice" : "Credit note",
      dayKey(i.issuedAt, event.timeZone),
      i.orderReference,
      i.buyerName,
      i.buyerEmail,
      i.buyerCompany,
      i.buyerTaxNumber,
      i.purchaseOrder,
      i.credits ?? "",
      i.taxName,
      String(i.taxRateBps / 100),
      signed(i, i.subtotalCents - i.discountCents),
      signed(i, i.taxCents),
      signed(i, i.totalCents),
    ],
  };
}

function bodyOf(kind: ExportKind, event: { id: string; timeZone: string }) {
  if (kind === "invoices") return exportStream(invoicesSpec(event));
  if (kind === "attendees") return exportStream(attendeesSpec(event));
  if (kind === "orders") return exportStream(ordersSpec(event));
  return exportStream(sessionsSpec(event));
}

/**
 * An export: audited first (who took which list), then streamed. The file name carries the date so
 * repeated downloads do not overwrite each other.
 */
export async function exportCsv(kind: ExportKind, event: { id: string; slug: string; timeZone: string }, actorId: string, now: Date) {
  await audit(db(), { action: `export.${kind}`, subject: `export:${kind}`, actorId, after: { format: "csv" } });
  const filename = `${event.slug}-${kind}-${dayKey(now, event.timeZone)}.csv`;
  return { filename, body: bodyOf(kind, event) };
}
