import type { ActionFunctionArgs } from "@remix-run/node";
import { WebhookNotReady } from "~/domain/stripe-webhooks.server";
import { DELIVERY_WAIT_MS, handleStoredEvent, handleStoredEventsSoon, storeStripeEvent } from "~/domain/stripe-events.server";
import { clock } from "~/services/clock.server";
import { log } from "~/services/log.server";
import { stripe, webhookSecret } from "~/services/stripe.server";
import { webhookQueue } from "~/services/work-queue.server";

const text = (body: string, status: number) => new Response(body, { status, headers: { "Content-Type": "text/plain" } });

// Stripe's webhooks: the signature is checked on the raw body, the event is stored once, then
// handled now if a turn comes within DELIVERY_WAIT_MS, or acknowledged and left to the job.
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
    if ((await storeStripeEvent(event)) === "handled") return text("duplicate\n", 200);
  } catch (error) {
    log.error("could not store a Stripe event", { event: event.id, error: String(error) });
    return text("Could not take the event now\n", 503);
  }
  const leave = await webhookQueue.enterWithin(DELIVERY_WAIT_MS);
  if (!leave) {
    // Busy (thousands of payments at once): Stripe hears back well within its 10 s limit that the
    // event is safe with us, and the job handles it.
    await handleStoredEventsSoon([event.id]).catch((error) => log.warn("could not move a Stripe event's job forward", { event: event.id, error: String(error) }));
    return text("queued\n", 200);
  }
  try {
    const result = await handleStoredEvent(event.id, clock.now());
    // "not-claimed": another delivery of it, or the job, is handling it right now.
    return text(`${result}\n`, 200);
  } catch (error) {
    // Stripe sends it again, and the job tries it too; handlers are idempotent, so that is safe.
    const fields = { event: event.id, type: event.type, error: error instanceof Error ? error.stack : String(error) };
    if (error instanceof WebhookNotReady) log.info("webhook arrived before the state it needs", fields);
    else log.error("webhook handling failed", fields);
    return text("Could not handle the event now\n", 500);
  } finally {
    leave();
  }
}

export function loader() {
  return text("Stripe webhooks are POSTed here.\n", 405);
}
