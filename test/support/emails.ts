// Paid orders and outbox helpers for the email and outbox tests (and the outbox benchmark).
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder, type PlaceOrderInput } from "~/domain/orders.server";
import { db } from "~/services/db.server";
import { order, seededEvent } from "./factories";

/**
 * An order paid in full without Stripe (no payment intent, as for a comp order): tickets issued and
 * its emails in the outbox, exactly as fulfilment writes them.
 */
export async function paidOrder(quantities: Record<string, number>, overrides: Partial<PlaceOrderInput> = {}, now = new Date()) {
  const event = await seededEvent();
  const placed = await placeOrder(event, order(quantities, overrides), now);
  const outcome = await fulfilOrder(placed.id, { amountCents: placed.totalCents }, now);
  if (outcome.outcome !== "fulfilled") throw new Error(`could not fulfil the test order: ${outcome.outcome}`);
  return db().order.findUniqueOrThrow({
    where: { id: placed.id },
    select: {
      id: true,
      reference: true,
      accessToken: true,
      totalCents: true,
      subtotalCents: true,
      discountCents: true,
      taxCents: true,
      currency: true,
      buyerName: true,
      buyerEmail: true,
      tickets: { select: { id: true, name: true, email: true, qrCode: true, shortCode: true, manageToken: true }, orderBy: { createdAt: "asc" } },
    },
  });
}

/** The outbox rows whose payload names this id (an order, ticket, waitlist entry or user). */
export async function emailsAbout(id: string, template?: string) {
  const rows = await db().emailOutbox.findMany({ where: template ? { template } : {}, orderBy: { createdAt: "asc" } });
  return rows.filter((r) => Object.values(r.payload as Record<string, unknown>).includes(id));
}

/** Every link of an HTML email, entities decoded. */
export function linksIn(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
}
