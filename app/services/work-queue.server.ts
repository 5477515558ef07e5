import { POOL_SIZE } from "./db.server";

export type WorkQueue = {
  /** Waits for a turn; the function returned ends it (calling it again does nothing). */
  enter(): Promise<() => void>;
  /** Waits at most `ms` for a turn: the function that ends it, or null if none came in time. */
  enterWithin(ms: number): Promise<(() => void) | null>;
  /** Runs `task` in a turn of its own. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Resolves once no turn is taken and nobody waits for one, or after `ms` at the latest. */
  whenIdle(ms: number): Promise<void>;
  /** Turns taken and callers waiting for one, now (the metrics endpoint). */
  stats(): { active: number; waiting: number };
};

/**
 * Lets at most `limit` callers work at once and gives the next turn to whoever has waited
 * longest. In a ticket rush thousands of checkouts arrive together; interleaving all of them would
 * make every buyer wait for every other buyer's work. Letting a few through at a time finishes
 * each one quickly, so seats are held, and refusals answered, in the order buyers asked.
 */
export function workQueue(limit: number): WorkQueue {
  let active = 0;
  const waiting: Array<() => void> = [];
  let idle: Array<() => void> = [];
  async function enter() {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    return turn();
  }
  async function enterWithin(ms: number) {
    if (active < limit) {
      active++;
      return turn();
    }
    const given = await new Promise<boolean>((resolve) => {
      const take = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(take), 1);
        resolve(false);
      }, ms);
      waiting.push(take);
    });
    return given ? turn() : null;
  }
  function turn() {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      // The turn passes straight to the next in line, or is given back.
      const next = waiting.shift();
      if (next) next();
      else active--;
      if (active === 0 && idle.length > 0) {
        const resolvers = idle;
        idle = [];
        for (const resolve of resolvers) resolve();
      }
    };
  }
  return {
    enter,
    enterWithin,
    stats: () => ({ active, waiting: waiting.length }),
    whenIdle(ms) {
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          idle = idle.filter((q) => q !== done);
          resolve();
        }, ms);
        idle.push(done);
      });
    },
    async run(task) {
      const leave = await enter();
      try {
        return await task();
      } finally {
        leave();
      }
    },
  };
}

/**
 * How many checkout posts are worked on at once. More than the pool's connections (the database
 * work queues for those anyway), so that buyers at different steps overlap and share batched
 * queries; few enough that a buyer's request is not interleaved with thousands of others. The
 * number was chosen with the rush benchmark; the runs are in ADR 0005.
 */
export const CHECKOUT_TURNS = 64;

/**
 * Checkout posts take turns: server.ts queues them before Remix reads them (`checkoutAdmission`),
 * so a buyer's request, from parsing the form to holding the seats, runs with few others
 * interleaved, and buyers are served in the order they came. The turn ends before the call to
 * Stripe that follows: that waits on the network, not on this machine.
 */
export const checkoutQueue = workQueue(CHECKOUT_TURNS);

/**
 * Stripe events are handled in turns, as many at once as the pool has connections, whether a
 * webhook delivery or the Stripe event job handles them. When thousands of buyers pay within a
 * minute, Stripe sends thousands of events at once; each fulfilment is a transaction, and without
 * turns they all queued for a connection inside Prisma, where those that waited longer than its
 * 15 s limit failed. A delivery waits a few seconds for its turn, then leaves its stored event to
 * the job (stripe-events.server.ts).
 */
export const webhookQueue = workQueue(POOL_SIZE);
