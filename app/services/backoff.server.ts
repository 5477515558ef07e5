/**
 * The wait before try number `attempt` (1 for the first retry): `firstMs`, doubling each time,
 * never more than `longestMs`. The outbox, stored Stripe events and Stripe's rate limits use it.
 */
export function doublingDelayMs(attempt: number, firstMs: number, longestMs: number): number {
  return Math.min(firstMs * 2 ** Math.max(0, attempt - 1), longestMs);
}
