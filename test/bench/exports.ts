// Attendee export at scale: 50,000 tickets streamed as CSV through the real loader, timed, with
// the process's peak RSS sampled while the body is read. A throwaway embedded database holds them.
import { measureStream, seededBenchDatabase, type Row } from "./support";

export async function exportsBench({ rows = 50_000 }: { rows?: number } = {}): Promise<Row[]> {
  const cluster = await seededBenchDatabase("bench-exports");
  const { db, disconnectDb } = await import("~/services/db.server");
  const { exportCsv } = await import("~/domain/exports.server");
  const { currentEvent } = await import("~/domain/event.server");
  const { placeOrder } = await import("~/domain/orders.server");
  const { order, ticketType } = await import("../support/factories");
  try {
    const event = await currentEvent();
    const type = await ticketType({ capacity: rows + 10 });
    const placed = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    const admin = await db().user.findFirstOrThrow({ select: { id: true } });
    await db().$executeRaw`
      INSERT INTO "Ticket" (id, "orderId", "ticketTypeId", name, email, company, "jobTitle", country, "qrCode", "shortCode", "manageToken", "updatedAt")
      SELECT 'bench' || lpad(n::text, 7, '0'), ${placed.id}, ${type.id}, 'Attendee ' || n, 'attendee' || n || '@example.com',
        'Sample Magnetics ' || (n % 500), 'Engineer', 'Canada', 'qr' || n, 'sc' || n, 'mt' || n, now()
      FROM generate_series(1, ${rows}) AS n`;
    await db().$executeRaw`ANALYZE "Ticket"`;

    const measure = async () => {
      const m = await measureStream(async () => (await exportCsv("attendees", event, admin.id, new Date())).body);
      // The header line plus one per ticket.
      if (m.lines !== rows + 1) throw new Error(`exported ${m.lines - 1} rows, expected ${rows}`);
      return m;
    };
    await measure(); // warm-up: module loading, query compilation, JIT
    const m = await measure();
    return [
      {
        export: "attendees.csv",
        rows,
        MB: Number((m.bytes / 1e6).toFixed(1)),
        seconds: Number(m.seconds.toFixed(2)),
        "rows/s": Math.round(rows / m.seconds),
        "RSS before (MB)": Math.round(m.before / 1e6),
        "peak RSS (MB)": Math.round(m.peak / 1e6),
        "growth (MB)": Math.round((m.peak - m.before) / 1e6),
      },
    ];
  } finally {
    await disconnectDb();
    await cluster.stop();
  }
}
