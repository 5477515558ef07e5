import type { ActionFunctionArgs } from "@remix-run/node";
import { handleStripeEvent } from "~/domain/payments.server";
import { clock } from "~/services/clock.server";
import { log } from "~/services/log.server";
import { stripe, webhookSecret } from "~/services/stripe.server";
import { webhookQueue } from "~/services/work-queue.server";

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain" } });

// Events being handled by this instance. Stripe delivers an event again when its first delivery
// is slow to answer; the second delivery waits for the first rather than doing the work twice.
const inFlight = new Map<string, ReturnType<typeof handleStripeEvent>>();

/** Handles an event in its turn (webhookQueue), once per instance however often it arrives meanwhile. */
function handleOnce(event: Parameters<typeof handleStripeEvent>[0]) {
  let handling = inFlight.get(event.id);
  if (!handling) {
    handling = webhookQueue.run(() => handleStripeEvent(event, clock.now())).finally(() => inFlight.delete(event.id));
    inFlight.set(event.id, handling);
  }
  return handling;
}

// Stripe's webhooks: the signature is checked on the raw body, then the event is handled once.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return text("Method not allowed\n", 405);
  const signature = request.headers.get("Stripe-Signature");
  const body = await request.text();
  let event;
  try {
    if (!signature) throw new Error("missing Stripe-Signature header");
    event = stripe().webhooks.constructEvent(body, signature, webhookSecret());
  } catch (error) {
    log.warn("webhook refused", { reason: error instanceof Error ? error.message : String(error) });
    return text("Invalid signature\n", 400);
  }
  try {
    const result = await handleOnce(event);
    return text(`${result}\n`, 200);
  } catch (error) {
    // Stripe retries a failed delivery; handlers are idempotent, so that is safe.
    log.error("webhook handling failed", { event: event.id, type: event.type, error: error instanceof Error ? error.stack : String(error) });
    return text("Could not handle the event now\n", 500);
  }
}

export function loader() {
  return text("Stripe webhooks are POSTed here.\n", 405);
}
