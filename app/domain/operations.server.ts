// What the metrics endpoint reports that every instance shares: the outbox, the job queue, and the
// public edition's orders and seats. A few counts per scrape (Prometheus asks every 15 to 60 s).
import { db } from "~/services/db.server";
import { jobCounts } from "~/services/job-queue.server";

export type OperationalFigures = {
  outbox: Record<string, number>;
  oldestPendingEmailSeconds: number;
  jobs: { queued: number; running: number; failed: number };
  orders: Record<string, number>;
  seats: { capacity: number; held: number; sold: number };
};

const EMAIL_STATUSES = ["PENDING", "SENDING", "SENT", "STORED", "FAILED"] as const;
const ORDER_STATUSES = ["PENDING", "PAID", "EXPIRED", "CANCELLED", "REFUNDED"] as const;

export async function operationalFigures(now = new Date()): Promise<OperationalFigures> {
  const [outboxRows, oldest, jobs, orderRows, seats] = await Promise.all([
    db().$queryRaw<{ status: string; count: bigint }[]>`SELECT status::text, count(*) AS count FROM "EmailOutbox" GROUP BY status`,
    db().$queryRaw<{ oldest: Date | null }[]>`SELECT min("createdAt") AS oldest FROM "EmailOutbox" WHERE status IN ('PENDING', 'SENDING')`,
    jobCounts(),
    db().$queryRaw<{ status: string; count: bigint }[]>`
      SELECT o.status::text, count(*) AS count FROM "Order" o JOIN "Event" e ON e.id = o."eventId"
      WHERE e.status = 'PUBLIC' GROUP BY o.status`,
    db().$queryRaw<{ capacity: bigint | null; held: bigint | null; sold: bigint | null }[]>`
      SELECT sum(t.capacity) AS capacity, sum(t.held) AS held, sum(t.sold) AS sold
      FROM "TicketType" t JOIN "Event" e ON e.id = t."eventId" WHERE e.status = 'PUBLIC'`,
  ]);
  // Every status is reported, 0 included, so that a series does not vanish when its count does.
  const counted = (statuses: readonly string[], rows: { status: string; count: bigint }[]) =>
    Object.fromEntries(statuses.map((status) => [status, Number(rows.find((r) => r.status === status)?.count ?? 0)]));
  const oldestAt = oldest[0]?.oldest;
  return {
    outbox: counted(EMAIL_STATUSES, outboxRows),
    oldestPendingEmailSeconds: oldestAt ? Math.max(0, Math.round((now.getTime() - oldestAt.getTime()) / 1000)) : 0,
    jobs,
    orders: counted(ORDER_STATUSES, orderRows),
    seats: { capacity: Number(seats[0]?.capacity ?? 0), held: Number(seats[0]?.held ?? 0), sold: Number(seats[0]?.sold ?? 0) },
  };
}
