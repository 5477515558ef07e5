import { describe, expect, it } from "vitest";
import {
  HOLD_MINUTES,
  PAYMENT_START_MARGIN_MS,
  STRIPE_MIN_SESSION_MS,
  paymentMayStart,
  sessionExpiresAt,
} from "~/domain/checkout-timings";

const MINUTE = 60_000;
const holdStart = new Date("2025-06-01T14:00:00Z");
const holdEnd = new Date(holdStart.getTime() + HOLD_MINUTES * MINUTE);

/** Every second of the hold, from the moment the seats are held to the moment it ends. */
const secondsOfTheHold = Array.from({ length: HOLD_MINUTES * 60 + 1 }, (_, s) => new Date(holdStart.getTime() + s * 1000));

describe("checkout timings", () => {
  it("opens a Stripe session only when its expires_at is at least Stripe's 30 minutes away", () => {
    const starts = secondsOfTheHold.filter((now) => paymentMayStart(holdEnd, now));
    expect(starts.length).toBeGreaterThan(0);
    for (const now of starts) {
      expect(sessionExpiresAt(holdEnd) * 1000 - now.getTime()).toBeGreaterThanOrEqual(STRIPE_MIN_SESSION_MS);
    }
  });

  it("keeps a minute to spare for the clocks at the last moment a payment may start", () => {
    const lastStart = secondsOfTheHold.filter((now) => paymentMayStart(holdEnd, now)).at(-1)!;
    expect(sessionExpiresAt(holdEnd) * 1000 - lastStart.getTime()).toBeGreaterThanOrEqual(STRIPE_MIN_SESSION_MS + MINUTE);
  });

  it("ends the hold before the Stripe session, so the sweeper closes the session on time", () => {
    expect(sessionExpiresAt(holdEnd) * 1000).toBeGreaterThan(holdEnd.getTime());
  });

  it("lets a buyer open the payment page as soon as the seats are held, and the last one still has ten minutes to pay", () => {
    expect(paymentMayStart(holdEnd, holdStart)).toBe(true);
    const lastStart = secondsOfTheHold.filter((now) => paymentMayStart(holdEnd, now)).at(-1)!;
    expect(holdEnd.getTime() - lastStart.getTime()).toBeGreaterThanOrEqual(10 * MINUTE);
  });

  it("holds seats for 30 minutes, the session lives 20 minutes past the hold, and payment starts up to 11 minutes before its end", () => {
    expect(HOLD_MINUTES).toBe(30);
    expect(PAYMENT_START_MARGIN_MS).toBe(11 * MINUTE);
    expect(sessionExpiresAt(holdEnd) * 1000 - holdEnd.getTime()).toBe(20 * MINUTE);
  });
});
