// A person's data as the organisers' page lists it and as the export's ZIP holds it: one section
// per kind, each as JSON (for machines) and CSV (for spreadsheets, through the one CSV writer).
import { strToU8, zipSync } from "fflate";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { csvDocument, type CsvColumn } from "./csv.server";
import { fail } from "./errors";
import { formatAmount } from "./money";
import { erasureBlocker, holdsErasable, INVOICES_KEPT, normalised, openRequest, personData, type PersonData } from "./privacy.server";
import { dayKey } from "./time";

type SectionColumn = CsvColumn & { key: string };
export type PersonSection = {
  /** The file names in the ZIP: `<file>.json`, `<file>.csv`. */
  file: string;
  title: string;
  /** Columns the organisers' page shows; the files have them all. */
  shown: string[];
  note?: string;
  columns: SectionColumn[];
  rows: Record<string, unknown>[];
};

const col = (key: string, header: string, multiline = false): SectionColumn => ({ key, header, multiline });
const money = (cents: number) => formatAmount(cents);

/** Everything held, as the export's files and the organisers' page list it. */
export function personSections(data: PersonData): PersonSection[] {
  return [
    {
      file: "orders",
      title: "Orders they bought",
      shown: ["reference", "status", "total", "placedAt"],
      columns: [
        col("reference", "Order"),
        col("event", "Event"),
        col("status", "Status"),
        col("paymentMethod", "Payment"),
        col("buyerName", "Buyer"),
        col("buyerEmail", "Buyer email"),
        col("billingCompany", "Company billed"),
        col("billingAddress", "Billing address", true),
        col("billingCountry", "Billing country"),
        col("purchaseOrder", "Purchase order"),
        col("buyerTaxNumber", "Buyer's tax number"),
        col("total", "Total"),
        col("refunded", "Refunded"),
        col("currency", "Currency"),
        col("placedAt", "Placed at (UTC)"),
        col("paidAt", "Paid at (UTC)"),
      ],
      rows: data.orders.map((o) => ({
        id: o.id,
        reference: o.reference,
        event: o.event.name,
        status: o.status,
        paymentMethod: o.paymentMethod,
        buyerName: o.buyerName,
        buyerEmail: o.buyerEmail,
        billingCompany: o.billingCompany,
        billingAddress: o.billingAddress,
        billingCountry: o.billingCountry,
        purchaseOrder: o.purchaseOrder,
        buyerTaxNumber: o.buyerTaxNumber,
        total: money(o.totalCents),
        refunded: money(o.refundedCents),
        currency: o.currency,
        placedAt: o.createdAt,
        paidAt: o.paidAt,
      })),
    },
    {
      file: "tickets",
      title: "Tickets they hold",
      shown: ["name", "type", "status", "order"],
      columns: [
        col("id", "Ticket"),
        col("event", "Event"),
        col("order", "Order"),
        col("type", "Ticket type"),
        col("status", "Status"),
        col("name", "Name"),
        col("email", "Email"),
        col("company", "Company"),
        col("jobTitle", "Job title"),
        col("country", "Country"),
        col("dietaryNeeds", "Dietary needs"),
        col("accessNeeds", "Access needs"),
        col("sharesWithSponsors", "Shares with sponsors"),
        col("consentAt", "Consent given at (UTC)"),
        col("checkedInAt", "Checked in at (UTC)"),
        col("issuedAt", "Issued at (UTC)"),
      ],
      rows: data.tickets.map((t) => ({
        id: t.id,
        event: t.order.event.name,
        order: t.order.reference,
        type: t.ticketType.name,
        status: t.status,
        name: t.name,
        email: t.email,
        company: t.company,
        jobTitle: t.jobTitle,
        country: t.country,
        dietaryNeeds: t.dietaryNeeds,
        accessNeeds: t.accessNeeds,
        sharesWithSponsors: t.shareWithSponsors ? "yes" : "no",
        consentAt: t.consentAt,
        checkedInAt: t.checkedInAt,
        issuedAt: t.createdAt,
      })),
    },
    {
      file: "checkout-entries",
      title: "Named as an attendee at checkout",
      shown: ["order", "name", "type", "orderStatus"],
      columns: [
        col("order", "Order"),
        col("position", "Place in the order"),
        col("type", "Ticket type"),
        col("orderStatus", "Order status"),
        col("name", "Name"),
        col("email", "Email"),
        col("company", "Company"),
        col("jobTitle", "Job title"),
        col("country", "Country"),
        col("dietaryNeeds", "Dietary needs"),
        col("accessNeeds", "Access needs"),
        col("sharesWithSponsors", "Shares with sponsors"),
      ],
      rows: data.attendees.map((a) => ({
        id: `${a.orderId}-${a.position}`,
        order: a.order.reference,
        position: a.position + 1,
        type: a.ticketType.name,
        orderStatus: a.order.status,
        name: a.name,
        email: a.email,
        company: a.company,
        jobTitle: a.jobTitle,
        country: a.country,
        dietaryNeeds: a.dietaryNeeds,
        accessNeeds: a.accessNeeds,
        sharesWithSponsors: a.shareWithSponsors ? "yes" : "no",
      })),
    },
    {
      file: "sponsor-leads",
      title: "Sponsor leads of them",
      shown: ["sponsor", "source", "rating", "recordedAt"],
      columns: [col("sponsor", "Sponsor"), col("ticket", "Ticket"), col("source", "Source"), col("rating", "Rating"), col("notes", "Sponsor's notes", true), col("recordedAt", "Recorded at (UTC)"), col("updatedAt", "Updated at (UTC)")],
      rows: data.leads.map((l) => ({
        id: l.id,
        sponsor: l.sponsor.name,
        ticket: l.ticketId,
        source: l.source === "BADGE_SCAN" ? "Badge scan" : "Attendee list",
        rating: l.rating ?? "",
        notes: l.notes,
        recordedAt: l.createdAt,
        updatedAt: l.updatedAt,
      })),
    },
    {
      file: "agenda-picks",
      title: "Agenda picks",
      shown: ["session", "startsAt"],
      columns: [col("ticket", "Ticket"), col("session", "Session"), col("startsAt", "Starts at (UTC)"), col("pickedAt", "Picked at (UTC)")],
      rows: data.tickets.flatMap((t) =>
        t.agendaPicks.map((p) => ({ id: `${t.id}-${p.session.title}`, ticket: t.id, session: p.session.title, startsAt: p.session.startsAt, pickedAt: p.createdAt })),
      ),
    },
    {
      file: "emails",
      title: "Emails sent to them",
      shown: ["subject", "status", "queuedAt"],
      columns: [col("id", "Email"), col("template", "Kind"), col("to", "To"), col("subject", "Subject"), col("status", "Status"), col("queuedAt", "Queued at (UTC)"), col("sentAt", "Sent at (UTC)"), col("payload", "What it was about")],
      rows: data.emails.map((e) => ({ id: e.id, template: e.template, to: e.toAddress, subject: e.subject, status: e.status, queuedAt: e.createdAt, sentAt: e.sentAt, payload: e.payload })),
    },
    {
      file: "waiting-lists",
      title: "Waiting lists",
      shown: ["type", "joinedAt", "offeredAt"],
      columns: [col("type", "Ticket type"), col("name", "Name"), col("email", "Email"), col("joinedAt", "Joined at (UTC)"), col("offeredAt", "Offered a seat at (UTC)"), col("offerExpiresAt", "Offer expired at (UTC)"), col("closedAt", "Closed at (UTC)")],
      rows: data.waitlist.map((w) => ({
        id: w.id,
        type: w.ticketType.name,
        name: w.name,
        email: w.email,
        joinedAt: w.createdAt,
        offeredAt: w.offeredAt,
        offerExpiresAt: w.offerExpiresAt,
        closedAt: w.closedAt,
      })),
    },
    {
      file: "invoices",
      title: "Invoices and credit notes",
      shown: ["number", "kind", "issuedAt", "total"],
      note: `Kept when the person is erased: ${INVOICES_KEPT}`,
      columns: [
        col("number", "Number"),
        col("kind", "Kind"),
        col("issuedAt", "Issued at (UTC)"),
        col("order", "Order"),
        col("buyerName", "Buyer"),
        col("buyerEmail", "Buyer email"),
        col("buyerCompany", "Company"),
        col("buyerAddress", "Address", true),
        col("buyerCountry", "Country"),
        col("buyerTaxNumber", "Buyer's tax number"),
        col("purchaseOrder", "Purchase order"),
        col("tax", "Tax"),
        col("total", "Total"),
        col("currency", "Currency"),
      ],
      rows: data.invoices.map((i) => ({
        id: i.number,
        number: i.number,
        kind: i.kind === "INVOICE" ? "Tax invoice" : "Credit note",
        issuedAt: i.issuedAt,
        order: i.orderReference,
        buyerName: i.buyerName,
        buyerEmail: i.buyerEmail,
        buyerCompany: i.buyerCompany,
        buyerAddress: i.buyerAddress,
        buyerCountry: i.buyerCountry,
        buyerTaxNumber: i.buyerTaxNumber,
        purchaseOrder: i.purchaseOrder,
        tax: money(i.taxCents),
        total: money(i.totalCents),
        currency: i.currency,
      })),
    },
    {
      file: "audit-log",
      title: "Audit entries about them",
      shown: ["at", "action", "subject"],
      columns: [col("id", "Entry"), col("at", "At (UTC)"), col("action", "Action"), col("subject", "Subject"), col("before", "Before"), col("after", "After")],
      rows: data.audit.map((a) => ({ id: a.id, at: a.createdAt, action: a.action, subject: a.subject, before: a.before, after: a.after })),
    },
    {
      file: "privacy-requests",
      title: "Privacy requests",
      shown: ["kind", "status", "askedAt"],
      columns: [col("kind", "Kind"), col("status", "Status"), col("from", "Asked through"), col("askedAt", "Asked at (UTC)"), col("handledAt", "Handled at (UTC)"), col("note", "Note", true)],
      rows: data.requests.map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        from: r.origin === "ATTENDEE" ? "Ticket page" : "An organiser",
        askedAt: r.createdAt,
        handledAt: r.handledAt,
        note: r.note,
      })),
    },
  ];
}

/** A cell as a CSV holds it: structured values (an email's payload, an audit row) as JSON text. */
const flatCell = (value: unknown) => (value !== null && typeof value === "object" && !(value instanceof Date) ? JSON.stringify(value) : value);

/** The person's data as a ZIP: a README, then each kind as JSON (for machines) and CSV (for spreadsheets). */
export function personZip(data: PersonData, event: { name: string }, now: Date): Uint8Array {
  const sections = personSections(data);
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const add = (name: string, text: string) => (files[name] = [strToU8(text), { mtime: now }]);
  add(
    "README.txt",
    [
      `Personal data held by the registration platform of ${event.name} about ${data.email}`,
      `Exported ${now.toISOString()} (times in the files are UTC).`,
      "",
      "Each kind of record is in two files: .json and .csv (the same rows).",
      ...sections.map((s) => `- ${s.file}: ${s.title} (${s.rows.length})${s.note ? `. ${s.note}` : ""}`),
      "",
    ].join("\r\n"),
  );
  for (const section of sections) {
    const records = section.rows.map((row) => Object.fromEntries(section.columns.map((c) => [c.key, row[c.key] ?? null])));
    add(`${section.file}.json`, `${JSON.stringify(records, null, 2)}\n`);
    add(`${section.file}.csv`, csvDocument(section.columns, section.rows.map((row) => section.columns.map((c) => flatCell(row[c.key])))));
  }
  return zipSync(files, { level: 6 });
}

/**
 * An organiser downloads what is held about an address, directly or for an attendee's request
 * (which stays open until it is marked as sent). Audited before the file leaves.
 */
export async function exportPerson(input: { eventId: string; email?: string; requestId?: string }, event: { name: string; slug: string }, actorId: string, now: Date) {
  const request = input.requestId ? await openRequest(db(), input.eventId, input.requestId, "EXPORT") : null;
  const email = normalised(request?.email ?? input.email ?? "");
  const data = await personData(db(), { email });
  if (!request && !holdsErasable(data) && data.invoices.length === 0) fail("privacy.nothing-held", "export");
  await db().$transaction((tx) =>
    audit(tx, {
      action: "privacy.exported",
      subject: "export:privacy",
      actorId,
      after: { email, requestId: request?.id ?? null, counts: Object.fromEntries(personSections(data).map((s) => [s.file, s.rows.length])) },
    }),
  );
  return { filename: `${event.slug}-personal-data-${dayKey(now, "UTC")}.zip`, body: personZip(data, event, now) };
}

/** Rows the organisers' page shows per kind; the download has them all. */
export const SHOWN_ROWS = 50;

/** "2025-09-09 13:00 UTC" for times, text for the rest: a cell of the organisers' page. */
function shownCell(value: unknown) {
  if (value instanceof Date) return `${value.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  if (value === null || value === undefined) return "";
  return String(value);
}

/** What the organisers' page shows about an address: each kind with its count, and whether (and why not) it can be erased now. */
export async function personOverview(email: string) {
  const data = await personData(db(), { email });
  const sections = personSections(data).map((s) => ({
    file: s.file,
    title: s.title,
    note: s.note ?? null,
    count: s.rows.length,
    columns: s.columns.filter((c) => s.shown.includes(c.key)).map((c) => ({ key: c.key, header: c.header })),
    rows: s.rows.slice(0, SHOWN_ROWS).map((row, i) => ({ id: `${String(row.id ?? "")}-${i}`, cells: Object.fromEntries(s.shown.map((key) => [key, shownCell(row[key])])) })),
  }));
  return { email: data.email, sections, held: holdsErasable(data) || data.invoices.length > 0, erasable: holdsErasable(data), blocker: erasureBlocker(data) };
}
