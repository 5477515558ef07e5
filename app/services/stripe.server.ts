// The one Stripe client. Real Stripe by default; STRIPE_API_BASE points it elsewhere (the local
// emulator that `npm start` runs when no key is configured).
import Stripe from "stripe";
import { env } from "./env.server";

let client: Stripe | undefined;

export function stripe(): Stripe {
  if (!client) {
    const { STRIPE_SECRET_KEY, STRIPE_API_BASE } = env();
    if (!STRIPE_SECRET_KEY) throw new Error("STRIPE_SECRET_KEY is not set: the server sets it when it starts the Stripe emulator");
    const base = STRIPE_API_BASE ? new URL(STRIPE_API_BASE) : null;
    client = new Stripe(STRIPE_SECRET_KEY, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      appInfo: { name: "re3m-registration" },
      ...(base
        ? {
            host: base.hostname,
            port: Number(base.port || (base.protocol === "https:" ? 443 : 80)),
            protocol: base.protocol.replace(":", "") as "http" | "https",
          }
        : {}),
    });
  }
  return client;
}

/** Forgets the client, so the next call reads the settings again (tests that start their own emulator). */
export function forgetStripeClient() {
  client = undefined;
}

export function webhookSecret(): string {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!secret) throw new Error("STRIPE_WEBHOOK_SECRET is not set");
  return secret;
}

/** The origin the buyer's browser is sent to for payment (for the form-action CSP). */
export function checkoutOrigin(): string {
  const base = env().STRIPE_API_BASE;
  return base ? new URL(base).origin : "https://checkout.stripe.com";
}

export { Stripe };
