import { POOL_SIZE } from "./db.server";

/**
 * Runs at most `limit` tasks at once and starts the rest in arrival order. In a ticket rush
 * thousands of checkouts arrive together; interleaving all of them would make every buyer wait
 * for every other buyer's queries. Letting a few through at a time finishes each one quickly,
 * so seats are held, and refusals answered, in the order buyers asked.
 */
export function workQueue(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, or is given back.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * Seat reservations: as many at once as the database pool has connections; the rest wait their
 * turn. Only the database work queues here, not the call to Stripe that follows it: that call
 * waits on the network, not on this machine.
 */
export const checkoutQueue = workQueue(POOL_SIZE);
