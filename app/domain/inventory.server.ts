// Seats. `held` counts seats of unexpired PENDING orders (and waitlist offers), `sold` seats of
// paid ones. Every change is one conditional UPDATE whose row count says whether it happened, so
// the check and the write are one atomic step however many buyers and app instances race; a
// CHECK constraint in the database refuses any oversell that slipped past anyway.
import type { Tx } from "~/services/audit.server";
import type { Sql } from "~/services/db.server";

export type SeatCount = { ticketTypeId: string; quantity: number };

/** Holds seats if enough remain; returns false (and changes nothing) otherwise. */
export async function holdSeats(tx: Tx, { ticketTypeId, quantity }: SeatCount): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE "TicketType" SET held = held + ${quantity}, "updatedAt" = now()
    WHERE id = ${ticketTypeId} AND held + sold + ${quantity} <= capacity`;
  return changed === 1;
}

/** Returns held seats (an order expired or was cancelled). */
export async function releaseHeld(tx: Tx, { ticketTypeId, quantity }: SeatCount) {
  await tx.$executeRaw`
    UPDATE "TicketType" SET held = held - ${quantity}, "updatedAt" = now() WHERE id = ${ticketTypeId}`;
}

/** Held seats become sold seats (a held order was paid). */
export async function sellHeld(sql: Sql, { ticketTypeId, quantity }: SeatCount) {
  await sql.rows(`UPDATE "TicketType" SET held = held - $2, sold = sold + $2, "updatedAt" = now() WHERE id = $1`, [ticketTypeId, quantity]);
}

/** Sells seats directly if enough remain (a payment that arrived after its hold expired). */
export async function sellIfAvailable(sql: Sql, { ticketTypeId, quantity }: SeatCount): Promise<boolean> {
  const sold = await sql.rows(
    `UPDATE "TicketType" SET sold = sold + $2, "updatedAt" = now() WHERE id = $1 AND held + sold + $2 <= capacity RETURNING id`,
    [ticketTypeId, quantity],
  );
  return sold.length === 1;
}

/** Returns sold seats (tickets refunded or cancelled). */
export async function releaseSold(tx: Tx, { ticketTypeId, quantity }: SeatCount) {
  await tx.$executeRaw`
    UPDATE "TicketType" SET sold = sold - ${quantity}, "updatedAt" = now() WHERE id = ${ticketTypeId}`;
}

export function remainingSeats(type: { capacity: number; held: number; sold: number }) {
  return Math.max(0, type.capacity - type.held - type.sold);
}
