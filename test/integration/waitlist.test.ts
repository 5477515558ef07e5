import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import { expireOrders } from "~/domain/holds.server";
import { refundOrder } from "~/domain/refunds.server";
import { expireWaitlistOffers, joinWaitlist } from "~/domain/waitlist.server";
import { db } from "~/services/db.server";
import { useStripeEmulator } from "../support/checkout";
import { minutes, order, seats, seededEvent, ticketType } from "../support/factories";

useStripeEmulator();

async function soldOutType() {
  const event = await seededEvent();
  const type = await ticketType({ capacity: 1, priceCents: 0 });
  const first = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
  await fulfilOrder(first.id, "free", new Date());
  return { event, type, first };
}

describe("waitlist", () => {
  it("is open only when a type is sold out, and joining twice keeps one place", async () => {
    const event = await seededEvent();
    const open = await ticketType({ capacity: 5 });
    await expect(joinWaitlist(event.id, open.slug, { name: "Early", email: "early@example.com" })).rejects.toThrow(DomainError);
    const { type } = await soldOutType();
    expect(await joinWaitlist(event.id, type.slug, { name: "Ana", email: "ana@example.com" })).toMatchObject({ position: 1 });
    expect(await joinWaitlist(event.id, type.slug, { name: "Ben", email: "ben@example.com" })).toMatchObject({ position: 2 });
    expect(await joinWaitlist(event.id, type.slug, { name: "Ana", email: "ana@example.com" })).toMatchObject({ position: 1 });
    expect(await db().waitlistEntry.count({ where: { ticketTypeId: type.id } })).toBe(2);
  });

  it("holds a returning seat for the first person waiting, who can buy it with the emailed link", async () => {
    const { event, type, first } = await soldOutType();
    await joinWaitlist(event.id, type.slug, { name: "Ana", email: "ana@example.com" });
    await joinWaitlist(event.id, type.slug, { name: "Ben", email: "ben@example.com" });

    await refundOrder(first.id, null, null);
    const ana = await db().waitlistEntry.findFirstOrThrow({ where: { ticketTypeId: type.id, email: "ana@example.com" } });
    expect(ana.offerToken).toBeTruthy();
    expect(await seats(type.id)).toMatchObject({ held: 1, sold: 0 });
    const offerEmail = await db().emailOutbox.findFirst({ where: { template: "waitlist-offer", toAddress: "ana@example.com" } });
    expect((offerEmail?.payload as { offerToken: string }).offerToken).toBe(ana.offerToken);

    // A stranger cannot take the held seat; Ana can, with her offer.
    await expect(placeOrder(event, order({ [type.slug]: 1 }), new Date())).rejects.toThrow(/sold out/);
    const hers = await placeOrder(event, order({ [type.slug]: 1 }, { offer: ana.offerToken! }), new Date());
    await fulfilOrder(hers.id, "free", new Date());
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 1 });
    await expect(placeOrder(event, order({ [type.slug]: 1 }, { offer: ana.offerToken! }), new Date())).rejects.toThrow(/expired or was already used/);
  });

  it("passes a lapsed offer on to the next person", async () => {
    const { event, type, first } = await soldOutType();
    await joinWaitlist(event.id, type.slug, { name: "Ana", email: "ana@example.com" });
    await joinWaitlist(event.id, type.slug, { name: "Ben", email: "ben@example.com" });
    await refundOrder(first.id, null, null);
    await expireWaitlistOffers(minutes(25 * 60));
    const [ana, ben] = await Promise.all(
      ["ana@example.com", "ben@example.com"].map((email) => db().waitlistEntry.findFirstOrThrow({ where: { ticketTypeId: type.id, email } })),
    );
    expect(ana!.closedAt).not.toBeNull();
    expect(ben!.offerToken).toBeTruthy();
    expect(await seats(type.id)).toMatchObject({ held: 1, sold: 0 });
  });

  it("offers seats freed by an expired hold", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 1 });
    const pending = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    await joinWaitlist(event.id, type.slug, { name: "Cy", email: "cy@example.com" });
    await expireOrders({ orderIds: [pending.id] }, "EXPIRED", "hold-expired");
    const cy = await db().waitlistEntry.findFirstOrThrow({ where: { ticketTypeId: type.id } });
    expect(cy.offerToken).toBeTruthy();
    expect(await seats(type.id)).toMatchObject({ held: 1, sold: 0 });
  });
});
