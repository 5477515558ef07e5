// Lead list export: 50,000 leads streamed as CSV the way /sponsor/leads.csv does, timed, with the
// process's peak resident memory sampled while it runs. One sponsor has 50,000 badge scans (rows
// in Lead); another gets 25,000 consenting attendees computed on read from its tier.
import { measureStream, seededBenchDatabase, type Row } from "./support";

export async function leadsBench({ leads = 50_000 }: { leads?: number } = {}): Promise<Row[]> {
  const cluster = await seededBenchDatabase("bench-leads");
  const { db, disconnectDb } = await import("~/services/db.server");
  const { leadsCsv } = await import("~/domain/leads.server");
  const { ticketType } = await import("../support/factories");
  try {
    const type = await ticketType({ capacity: leads });
    const scanner = await db().sponsor.findFirstOrThrow({ where: { tier: { includesAttendeeList: false } }, select: { id: true } });
    const listed = await db().sponsor.findFirstOrThrow({ where: { tier: { includesAttendeeList: true } }, select: { id: true } });
    const actor = await db().user.findFirstOrThrow({ select: { id: true } });
    // Rows made in SQL: going through checkout 50,000 times would measure checkout, not the export.
    await db().$executeRawUnsafe(
      `INSERT INTO "Order" (id, "eventId", reference, "accessToken", status, "buyerName", "buyerEmail", "subtotalCents", "taxCents", "totalCents", "taxName", "taxRateBps", "expiresAt", "paidAt", "updatedAt")
       VALUES ('bench-order', $1, 'RE3M-BENCH', 'bench-token', 'PAID', 'Bench', 'bench@example.com', 0, 0, 0, 'HST', 1300, now(), now(), now())`,
      type.eventId,
    );
    await db().$executeRawUnsafe(
      `INSERT INTO "Ticket" (id, "orderId", "ticketTypeId", name, email, company, "jobTitle", country, "shareWithSponsors", "qrCode", "shortCode", "manageToken", "updatedAt")
       SELECT 'bench-t-' || i, 'bench-order', $1, 'Attendée ' || i, 'person' || i || '@example.com', CASE WHEN i % 97 = 0 THEN '=cmd|calc' ELSE 'Sample Magnets ' || (i % 500) END,
         'Engineer', 'Canada', i % 2 = 0, 'bench-qr-' || i, lpad(i::text, 8, '0'), 'bench-manage-' || i, now()
       FROM generate_series(1, $2) AS i`,
      type.id,
      leads,
    );
    await db().$executeRawUnsafe(
      `INSERT INTO "Lead" (id, "sponsorId", "ticketId", source, notes, rating, "scannedById", "updatedAt")
       SELECT 'bench-l-' || i, $1, 'bench-t-' || i, 'BADGE_SCAN', 'Met at the booth, "keen" on samples, call back', 'WARM', $2, now()
       FROM generate_series(1, $3) AS i`,
      scanner.id,
      actor.id,
      leads,
    );

    const exportOnce = async (sponsorId: string) => {
      const m = await measureStream(() => leadsCsv(sponsorId, actor.id));
      // Less the header line.
      return { ...m, rows: m.lines - 1 };
    };
    const row = (list: string, r: Awaited<ReturnType<typeof exportOnce>>): Row => ({
      list,
      rows: r.rows,
      seconds: Number(r.seconds.toFixed(2)),
      "rows/s": Math.round(r.rows / r.seconds),
      "CSV MB": Number((r.bytes / 1e6).toFixed(1)),
      "RSS before MB": Math.round(r.before / 1e6),
      "peak RSS MB": Math.round(r.peak / 1e6),
    });
    await exportOnce(scanner.id); // Warm-up: query compiler and JIT.
    const scans = await exportOnce(scanner.id);
    if (scans.rows !== leads) throw new Error(`exported ${scans.rows} rows, expected ${leads}`);
    const optIn = await exportOnce(listed.id);
    return [row(`${leads} badge scans`, scans), row(`${optIn.rows} opted-in attendees (computed on read)`, optIn)];
  } finally {
    await disconnectDb();
    await cluster.stop();
  }
}
