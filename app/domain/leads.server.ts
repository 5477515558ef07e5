// A sponsor's leads, consent first: badge scans at its booth, plus every consenting attendee when
// its tier includes the attendee list. Opt-in leads are computed on read, never copied, and contact
// details are read live from the ticket, so withdrawn consent vanishes from every later view.
import { Prisma } from "~/generated/prisma/client";
import type { LeadRating } from "~/generated/prisma/enums";
import { audit, type Tx } from "~/services/audit.server";
import type { LeadSort } from "~/validation/sponsor";
import { cursorRows, db } from "~/services/db.server";
import { RateLimit, retryAfterSeconds } from "~/services/rate-limit.server";
import { ticketCodeWhere } from "./check-in.server";
import { csvStream } from "./csv.server";
import { DomainError, fail, type Rule } from "./errors";

export type LeadRow = {
  ticketId: string;
  leadId: string | null;
  source: "BADGE_SCAN" | "OPT_IN";
  name: string;
  company: string;
  jobTitle: string;
  /** Only with the attendee's consent. */
  email: string | null;
  country: string | null;
  notes: string;
  rating: LeadRating | null;
  scannedAt: Date | null;
  scannedBy: string | null;
};


const orderBy: Record<LeadSort, Prisma.Sql> = {
  recent: Prisma.sql`l."createdAt" DESC NULLS LAST, t.name ASC, t.id ASC`,
  name: Prisma.sql`t.name ASC, t.id ASC`,
  company: Prisma.sql`t.company ASC, t.name ASC, t.id ASC`,
  rating: Prisma.sql`CASE l.rating WHEN 'HOT' THEN 0 WHEN 'WARM' THEN 1 WHEN 'COLD' THEN 2 ELSE 3 END, t.name ASC, t.id ASC`,
};

/**
 * The one definition of what a sponsor may see. The sponsor's id is in the WHERE clause itself, and
 * email and country are blanked in SQL unless the attendee consents today. An erased attendee is
 * nobody's lead.
 */
function visibleLeads(sponsorId: string, filter: Prisma.Sql, order: Prisma.Sql, page: { limit: number; offset?: number; withTotal?: boolean } | null) {
  return Prisma.sql`
    SELECT t.id AS "ticketId", l.id AS "leadId", COALESCE(l.source::text, 'OPT_IN') AS source,
      t.name, t.company, t."jobTitle",
      CASE WHEN t."shareWithSponsors" THEN t.email END AS email,
      CASE WHEN t."shareWithSponsors" THEN t.country END AS country,
      COALESCE(l.notes, '') AS notes, l.rating::text AS rating,
      CASE WHEN l.source = 'BADGE_SCAN' THEN l."createdAt" END AS "scannedAt", u.name AS "scannedBy"
      ${page?.withTotal ? Prisma.sql`, count(*) OVER () AS total` : Prisma.empty}
    FROM "Sponsor" s
    JOIN "SponsorTier" st ON st.id = s."tierId"
    JOIN "TicketType" tt ON tt."eventId" = s."eventId"
    JOIN "Ticket" t ON t."ticketTypeId" = tt.id
    LEFT JOIN "Lead" l ON l."ticketId" = t.id AND l."sponsorId" = s.id
    LEFT JOIN "User" u ON u.id = l."scannedById"
    WHERE s.id = ${sponsorId} AND t."erasedAt" IS NULL
      AND (l.id IS NOT NULL OR (st."includesAttendeeList" AND t."shareWithSponsors" AND t.status = 'VALID'))
      ${filter}
    ORDER BY ${order}
    ${page ? Prisma.sql`LIMIT ${page.limit} OFFSET ${page.offset ?? 0}` : Prisma.empty}`;
}

function searchFilter(q: string) {
  const query = q.trim();
  if (!query) return Prisma.empty;
  const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // Email is searchable only where it may be shown, or a search would reveal it one letter at a time.
  return Prisma.sql`AND (t.name ILIKE ${like} OR t.company ILIKE ${like} OR t."jobTitle" ILIKE ${like} OR l.notes ILIKE ${like}
    OR (t."shareWithSponsors" AND t.email ILIKE ${like}))`;
}

export const PAGE_SIZE = 50;

/** One page of a sponsor's lead list, searched and sorted, with the total matching. */
export async function leadListFor(sponsorId: string, { q = "", sort = "recent", page = 1 }: { q?: string; sort?: LeadSort; page?: number } = {}) {
  const filter = searchFilter(q);
  const rows = await db().$queryRaw<(LeadRow & { total: bigint })[]>(
    visibleLeads(sponsorId, filter, orderBy[sort], { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, withTotal: true }),
  );
  const total = rows[0] ? Number(rows[0].total) : 0;
  return { leads: rows.map(({ total: _t, ...row }) => row), total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

/** One lead, if this sponsor may see it (scanned by it, or a consenting attendee it is entitled to). */
export async function leadFor(sponsorId: string, ticketId: string, tx: Tx | ReturnType<typeof db> = db()): Promise<LeadRow | null> {
  const rows = await tx.$queryRaw<LeadRow[]>(visibleLeads(sponsorId, Prisma.sql`AND t.id = ${ticketId}`, orderBy.name, { limit: 1 }));
  return rows[0] ?? null;
}

/** Lead counts for a sponsor's summary and the organisers' overview. */
export async function leadCounts(sponsorId: string) {
  const [row] = await db().$queryRaw<{ scans: bigint; optIn: bigint; hot: bigint }[]>(Prisma.sql`
    SELECT count(*) FILTER (WHERE v.source = 'BADGE_SCAN') AS scans, count(*) FILTER (WHERE v.source = 'OPT_IN') AS "optIn",
      count(*) FILTER (WHERE v.rating = 'HOT') AS hot
    FROM (${visibleLeads(sponsorId, Prisma.empty, Prisma.sql`t.id`, null)}) v`);
  return { scans: Number(row?.scans ?? 0), optIn: Number(row?.optIn ?? 0), hot: Number(row?.hot ?? 0) };
}

// Scanning is limited per sponsor user: 60 scans a minute leaves room for a queue of offline scans
// arriving at once. Codes that match no badge are limited further, but a real badge is always
// accepted: typos must not cost a booth its next ten minutes. Badge short codes are 8 characters
// from 30 (about 6.5e11 values), so even at the full scan rate a guess finds one of 2,000 badges
// about once in ten years.
const scansPerUser = new RateLimit({ keyPrefix: "lead-scan", points: 60, duration: 60 });
const missesPerUser = new RateLimit({ keyPrefix: "lead-scan-miss", points: 10, duration: 10 * 60 });

export type ScanResult = { ticketId: string; created: boolean };

/**
 * Saves a badge scan at once. The (sponsor, ticket) upsert is what makes a replayed offline scan
 * harmless: scanning again only refreshes who scanned, and never touches notes or rating.
 */
export async function scanBadge(sponsorId: string, code: string, scannedById: string, clientScanId?: string): Promise<ScanResult> {
  const wait = await retryAfterSeconds(scansPerUser, scannedById);
  if (wait > 0) fail("lead.scan-too-fast", wait);
  const saved = await db().$transaction(async (tx) => {
    // The attendee must hold a valid ticket to this sponsor's event; any other code gets one answer.
    const ticket = await tx.ticket.findFirst({
      where: { ...ticketCodeWhere(code), status: "VALID", erasedAt: null, ticketType: { event: { sponsors: { some: { id: sponsorId } } } } },
      select: { id: true },
    });
    if (!ticket) return null;
    const existing = await tx.lead.findUnique({ where: { sponsorId_ticketId: { sponsorId, ticketId: ticket.id } }, select: { id: true, source: true } });
    const lead = await tx.lead.upsert({
      where: { sponsorId_ticketId: { sponsorId, ticketId: ticket.id } },
      create: { sponsorId, ticketId: ticket.id, source: "BADGE_SCAN", scannedById },
      update: { source: "BADGE_SCAN", scannedById },
      select: { id: true },
    });
    await audit(tx, {
      action: existing ? "lead.rescanned" : "lead.scanned",
      subject: `lead:${lead.id}`,
      actorId: scannedById,
      before: existing ? { source: existing.source } : undefined,
      after: { sponsorId, ticketId: ticket.id, ...(clientScanId ? { clientScanId } : {}) },
    });
    return { ticketId: ticket.id, created: !existing };
  });
  if (saved) return saved;
  // Counted after the transaction, which would otherwise hold its connection while the count
  // waits for another one of the same pool (the counters live in PostgreSQL).
  const missesWait = await retryAfterSeconds(missesPerUser, scannedById);
  if (missesWait > 0) fail("lead.too-many-misses", Math.ceil(missesWait / 60));
  fail("lead.unknown-code");
}

/** Notes and rating on a lead; an entitled opt-in attendee gets a lead row on the first note. */
export async function saveLeadNotes(sponsorId: string, ticketId: string, input: { notes: string; rating: LeadRating | null }, actorId: string) {
  return db().$transaction(async (tx) => {
    const lead = await leadFor(sponsorId, ticketId, tx);
    if (!lead) fail("lead.not-found");
    const saved = await tx.lead.upsert({
      where: { sponsorId_ticketId: { sponsorId, ticketId } },
      create: { sponsorId, ticketId, source: "OPT_IN", notes: input.notes, rating: input.rating },
      update: { notes: input.notes, rating: input.rating },
      select: { id: true },
    });
    await audit(tx, {
      action: "lead.notes-updated",
      subject: `lead:${saved.id}`,
      actorId,
      before: { notes: lead.notes, rating: lead.rating },
      after: { notes: input.notes, rating: input.rating },
    });
  });
}

const csvColumns: { key: keyof LeadRow; header: string; multiline?: boolean }[] = [
  { key: "name", header: "Name" },
  { key: "company", header: "Company" },
  { key: "jobTitle", header: "Job title" },
  { key: "email", header: "Email" },
  { key: "country", header: "Country" },
  { key: "source", header: "Source" },
  { key: "rating", header: "Rating" },
  // Typed in a text area: its line breaks stay, inside the quoted cell.
  { key: "notes", header: "Notes", multiline: true },
  { key: "scannedAt", header: "Scanned at (UTC)" },
  { key: "scannedBy", header: "Scanned by" },
];

const BATCH = 2000;

/** All of a sponsor's leads in one statement, through a cursor: one plan, however many leads. */
async function* leadBatches(sponsorId: string) {
  const query = visibleLeads(sponsorId, Prisma.empty, Prisma.sql`t.id ASC`, null);
  for await (const rows of cursorRows<LeadRow>(query.text, query.values, BATCH)) yield rows.map((row) => csvColumns.map(({ key }) => row[key]));
}

/**
 * The lead list as CSV (csv.server.ts makes every cell safe to open), streamed in batches
 * so 50,000 leads never sit in memory at once. The download is audit-logged before the first byte
 * leaves.
 */
export async function leadsCsv(sponsorId: string, actorId: string): Promise<ReadableStream<Uint8Array>> {
  await db().$transaction((tx) => audit(tx, { action: "lead.exported", subject: `sponsor:${sponsorId}`, actorId }));
  return csvStream(csvColumns, leadBatches(sponsorId));
}

/** For organisers: each sponsor with its lead counts. */
export async function leadCountsBySponsor(eventId: string) {
  const sponsors = await db().sponsor.findMany({
    where: { eventId },
    select: { id: true, name: true, tier: { select: { name: true, rank: true, includesAttendeeList: true } } },
    orderBy: [{ tier: { rank: "asc" } }, { name: "asc" }],
  });
  return Promise.all(sponsors.map(async (s) => ({ ...s, counts: await leadCounts(s.id) })));
}

export type ScanOutcome = { ok: true; created: boolean; lead: LeadRow } | { ok: false; rule: Rule; message: string };

/** A scan as the booth pages report it: the saved lead as this sponsor may see it, or why not. */
export async function scanForBooth(sponsorId: string, code: string, userId: string, clientScanId?: string): Promise<ScanOutcome> {
  try {
    const scan = await scanBadge(sponsorId, code, userId, clientScanId);
    return { ok: true, created: scan.created, lead: (await leadFor(sponsorId, scan.ticketId))! };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false, rule: error.rule, message: error.message };
  }
}
