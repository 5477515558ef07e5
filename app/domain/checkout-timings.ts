// How long a buyer's checkout lasts, in one place, because the numbers depend on each other:
//
//   minute 0 ............... 19 ............... 30 ......................... 50
//   seats held               last payment start hold ends                    Stripe session expires
//
// Stripe refuses a Checkout Session whose `expires_at` is less than 30 minutes after it creates
// the session. The session is created at the payment step, after the hold began, so it lives
// STRIPE_GRACE past the hold (minute 50); the sweeper ends the hold and expires the session at
// minute 30, and a payment that still lands takes the late-payment path. A session opened at
// minute 20 would have exactly Stripe's 30 minutes left: the payment step stops a minute earlier
// (PAYMENT_START_MARGIN before the hold ends), for the two clocks, and ends the hold instead.

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
