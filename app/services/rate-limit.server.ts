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
