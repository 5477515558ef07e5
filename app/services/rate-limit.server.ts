// Limits per client address. In memory, so each app instance counts on its own: with N instances
// a client gets at most N times the allowance, which still stops scripted abuse.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export const checkoutLimiter = new RateLimiterMemory({ keyPrefix: "checkout", points: 20, duration: 10 * 60 });

/** Seconds until the client may try again, or 0 when this attempt is allowed. */
export async function retryAfterSeconds(limiter: RateLimiterMemory, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

/**
 * Counts one attempt that may turn out not to count (take it back with `limiter.reward`), and
 * answers like `retryAfterSeconds`. Counting before the outcome is known means parallel
 * attempts cannot all slip in under the limit.
 */
export async function countAttempt(limiter: RateLimiterMemory, key: string): Promise<number> {
  const state = await limiter.penalty(key);
  if (state.consumedPoints <= limiter.points) return 0;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
