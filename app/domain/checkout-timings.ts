// How long a buyer's checkout lasts, in one place, because the numbers depend on each other:
//
//   hold start ──────── HOLD_MINUTES (30) ─────────► hold end ── STRIPE_GRACE (20) ──► session ends
//                 payment may start ─┤◄─ PAYMENT_START_MARGIN (11) ─►│
//
// Stripe refuses a Checkout Session whose `expires_at` is less than 30 minutes after it creates
// the session. The session is created at the payment step, after the hold began, so it lives
// STRIPE_GRACE past the hold; the sweeper ends the hold (and expires the session) on time, and a
// payment that still lands takes the late-payment path. The payment step opens a session only
// while the session would still have Stripe's 30 minutes ahead of it, with a minute to spare for
// the two clocks; past that, the hold is ended instead.

/** The least time Stripe allows between creating a Checkout Session and its `expires_at`. */
export const STRIPE_MIN_SESSION_MS = 30 * 60_000;

/** How long a buyer's seats are held while they pay. */
export const HOLD_MINUTES = 30;

/** How much longer than the hold a Checkout Session lives. */
export const STRIPE_GRACE_SECONDS = 20 * 60;

/** Our clock and Stripe's may disagree by this much when Stripe checks `expires_at`. */
const CLOCK_LEEWAY_MS = 60_000;

/**
 * A Checkout Session is opened only while this much of the hold remains (11 minutes): later,
 * Stripe would refuse its `expires_at`.
 */
export const PAYMENT_START_MARGIN_MS = STRIPE_MIN_SESSION_MS - STRIPE_GRACE_SECONDS * 1000 + CLOCK_LEEWAY_MS;

/**
 * A payment that Stripe reports as still processing (3-D Secure, bank debits) keeps its seats this
 * long while the bank decides.
 */
export const PROCESSING_HOLD_MS = 72 * 3600_000;

/** The `expires_at` (Unix seconds) of the Checkout Session for a hold ending at `holdEnd`. */
export const sessionExpiresAt = (holdEnd: Date) => Math.floor(holdEnd.getTime() / 1000) + STRIPE_GRACE_SECONDS;

/** Whether a Checkout Session may still be opened for a hold ending at `holdEnd`. */
export const paymentMayStart = (holdEnd: Date, now: Date) => now.getTime() < holdEnd.getTime() - PAYMENT_START_MARGIN_MS;
