// Real tickets for door and lead tests: a free order (100% code) placed and fulfilled, no payment.
import { expect } from "vitest";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import { db } from "~/services/db.server";
import type { AttendeeInput } from "~/validation/attendee";
import { attendee, order, seededEvent, ticketType } from "./factories";

export async function issuedTickets(people: Partial<AttendeeInput>[]) {
  const event = await seededEvent();
  const type = await ticketType({ priceCents: 50_000 });
  const placed = await placeOrder(event, order({ [type.slug]: people.length }, { code: "SPEAKERGUEST", attendees: people.map((p) => attendee(p)) }), new Date());
  expect(await fulfilOrder(placed.id, "free", new Date())).toEqual({ outcome: "fulfilled" });
  return db().ticket.findMany({
    where: { orderId: placed.id },
    select: { id: true, name: true, email: true, company: true, jobTitle: true, country: true, qrCode: true, shortCode: true, shareWithSponsors: true, status: true },
    orderBy: { createdAt: "asc" },
  });
}

/** What a loader or action threw or returned, as status and body. */
export async function settle(run: () => Promise<unknown>) {
  let outcome: unknown;
  try {
    outcome = await run();
  } catch (thrown) {
    outcome = thrown;
  }
  if (outcome instanceof Response) return { status: outcome.status, body: null as unknown, response: outcome };
  const wrapped = outcome as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (wrapped?.type === "DataWithResponseInit") return { status: wrapped.init?.status ?? 200, body: wrapped.data, response: null };
  if (outcome instanceof Error) throw outcome;
  return { status: 200, body: outcome, response: null };
}

export const args = (req: Request, params: Record<string, string> = {}) => ({ request: req, params, context: {} });
