import { describe, expect, it } from "vitest";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import { openPayment, startCheckout } from "~/domain/checkout-session.server";
import { expireHolds, expireOrders } from "~/domain/holds.server";
import { reconcile, settlePaidWhileAway } from "~/domain/reconciliation.server";
import { refundOrder } from "~/domain/refunds.server";
import { db } from "~/services/db.server";
import { stripe } from "~/services/stripe.server";
import { useStripeEmulator } from "../support/checkout";
import { attendee, minutes, order, seats, seededEvent, ticketType } from "../support/factories";
import { ruleOf } from "../support/outcomes";

const harness = useStripeEmulator();
const NO_FAULTS = { duplicates: 1, shuffle: false, drop: false, delayMs: 0 };
const urls = { successUrl: "http://localhost/orders/x?k=y", cancelUrl: "http://localhost/orders/x/cancel?k=y" };

async function checkout(quantities: Record<string, number>, now = new Date()) {
  const event = await seededEvent();
  const placed = await placeOrder(event, order(quantities), now);
  const url = await startCheckout(placed, event, urls);
  const sessionId = (await db().order.findUniqueOrThrow({ where: { id: placed.id } })).stripeSessionId!;
  return { placed, url, sessionId };
}

async function outboxFor(orderId: string) {
  const rows = await db().emailOutbox.findMany({ where: { template: { in: ["order-confirmation", "ticket"] } } });
  const ticketIds = (await db().ticket.findMany({ where: { orderId }, select: { id: true } })).map((t) => t.id);
  return rows.filter((r) => {
    const p = r.payload as { orderId?: string; ticketId?: string };
    return p.orderId === orderId || (p.ticketId !== undefined && ticketIds.includes(p.ticketId));
  });
}

describe("seat holds", () => {
  it("sells exactly the last 50 seats to 200 concurrent buyers", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 50 });
    const results = await Promise.all(
      Array.from({ length: 200 }, () => ruleOf(placeOrder(event, order({ [type.slug]: 1 }), new Date()))),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(50);
    expect(results.filter((r) => r !== "ok").every((r) => r === "ticket-type.sold-out" || r === "ticket-type.not-enough")).toBe(true);
    expect(await seats(type.id)).toEqual({ held: 50, sold: 0, capacity: 50 });
    expect(await db().order.count({ where: { items: { some: { ticketTypeId: type.id } } } })).toBe(50);
  });

  it("holds seats for many buyers at once, each order exactly as asked", async () => {
    const event = await seededEvent();
    const passes = await ticketType({ capacity: 100, priceCents: 10_000 });
    const workshops = await ticketType({ capacity: 100, priceCents: 2_500 });
    const asked = Array.from({ length: 40 }, (_, i) => ({ [passes.slug]: 1 + (i % 3), ...(i % 2 ? { [workshops.slug]: 1 } : {}) }));
    const codeUses = async () => (await db().discountCode.findFirstOrThrow({ where: { code: "MAGNET15" } })).used;
    const usedBefore = await codeUses();
    // Placed in the same turn, so their holds are written together.
    const placed = await Promise.all(asked.map((quantities, i) => placeOrder(event, order(quantities, { code: i < 10 ? "MAGNET15" : undefined }), new Date())));
    const sum = (slug: string) => asked.reduce((total, q) => total + (q[slug] ?? 0), 0);
    expect(await seats(passes.id)).toMatchObject({ held: sum(passes.slug) });
    expect(await seats(workshops.id)).toMatchObject({ held: sum(workshops.slug) });
    for (const [i, p] of placed.entries()) {
      const row = await db().order.findUniqueOrThrow({ where: { id: p.id }, include: { items: true, discountCode: true, attendees: true } });
      expect(row).toMatchObject({ status: "PENDING", reference: p.reference, totalCents: p.totalCents, discountCents: p.priced.discountCents });
      expect(row.expiresAt.getTime()).toBe(p.expiresAt.getTime());
      expect(row.discountCode?.code ?? null).toBe(i < 10 ? "MAGNET15" : null);
      expect(Object.fromEntries(row.items.map((item) => [item.ticketTypeId === passes.id ? passes.slug : workshops.slug, item.quantity]))).toEqual(asked[i]);
      expect(row.attendees).toHaveLength(Object.values(asked[i]!).reduce((a, b) => a + b, 0));
    }
    expect(await db().auditLog.count({ where: { action: "order.created", subject: { in: placed.map((p) => `order:${p.id}`) } } })).toBe(40);
    expect((await codeUses()) - usedBefore).toBe(10);
  });

  it("refuses more than remain, and says how many are left", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 3 });
    await placeOrder(event, order({ [type.slug]: 2 }), new Date());
    await expect(placeOrder(event, order({ [type.slug]: 2 }), new Date())).rejects.toThrow("Only 1 ");
    expect(await seats(type.id)).toMatchObject({ held: 2, sold: 0 });
  });

  it("returns the seats of expired holds exactly once, however many sweepers run", async () => {
    const type = await ticketType({ capacity: 10 });
    const { placed } = await checkout({ [type.slug]: 3 });
    const later = minutes(31);
    const runs = await Promise.all([expireHolds(later), expireHolds(later), expireHolds(later)]);
    expect(runs.flat().filter((o) => o.id === placed.id)).toHaveLength(1);
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 0 });
    expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status).toBe("EXPIRED");
    // The Stripe session was expired too, so it can no longer be paid.
    const session = await stripe().checkout.sessions.retrieve((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).stripeSessionId!);
    expect(session.status).toBe("expired");
  });
});

describe("bad input changes nothing", () => {
  it("refuses unknown and hidden types, oversized quantities, tampered totals and missing attendees", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 10, maxPerOrder: 2 });
    const hidden = await ticketType({ isPublic: false });
    const before = await db().order.count();
    expect(await ruleOf(placeOrder(event, order({ "no-such-type": 1 }), new Date()))).toBe("ticket-type.unknown");
    expect(await ruleOf(placeOrder(event, order({ [hidden.slug]: 1 }), new Date()))).toBe("ticket-type.unknown");
    expect(await ruleOf(placeOrder(event, order({ [type.slug]: 3 }), new Date()))).toBe("ticket-type.max-per-order");
    expect(await ruleOf(placeOrder(event, order({ [type.slug]: 0 }), new Date()))).toBe("order.empty");
    expect(await ruleOf(placeOrder(event, order({ [type.slug]: 1 }, { expectedTotalCents: 1 }), new Date()))).toBe("order.changed");
    expect(await ruleOf(placeOrder(event, order({ [type.slug]: 2 }, { attendees: [attendee()] }), new Date()))).toBe("order.attendees-mismatch");
    expect(await ruleOf(placeOrder(event, order({ [type.slug]: 1 }, { code: "NOPE" }), new Date()))).toBe("discount.unknown");
    expect(await db().order.count()).toBe(before);
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 0 });
  });

  it("sells a type only inside its sales window, to the millisecond, whatever the server's time zone", async () => {
    const event = await seededEvent();
    const zone = process.env.TZ;
    // Stored without a zone, as UTC; read back as local time, Toronto would shift them by hours.
    process.env.TZ = "America/Toronto";
    try {
      const now = new Date();
      const type = await ticketType({ capacity: 10 });
      const window = async (start: number | null, end: number | null) =>
        db().ticketType.update({
          where: { id: type.id },
          data: { salesStartAt: start === null ? null : new Date(now.getTime() + start), salesEndAt: end === null ? null : new Date(now.getTime() + end) },
        });
      await window(1, null);
      expect(await ruleOf(placeOrder(event, order({ [type.slug]: 1 }), now))).toBe("ticket-type.not-on-sale");
      await window(null, 0);
      expect(await ruleOf(placeOrder(event, order({ [type.slug]: 1 }), now))).toBe("ticket-type.not-on-sale");
      await window(0, 1);
      const placed = await placeOrder(event, order({ [type.slug]: 1 }), now);
      // The hold's end is stored to the millisecond, in UTC.
      expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).expiresAt.getTime()).toBe(placed.expiresAt.getTime());
      expect(await seats(type.id)).toMatchObject({ held: 1 });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("counts a discount code's last use only once under concurrency", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 20 });
    await db().discountCode.create({ data: { eventId: event.id, code: "LASTONE", kind: "PERCENT", amount: 1000, maxUses: 1 } });
    const results = await Promise.all(Array.from({ length: 6 }, () => ruleOf(placeOrder(event, order({ [type.slug]: 1 }, { code: "LASTONE" }), new Date()))));
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "discount.exhausted")).toHaveLength(5);
    expect(await seats(type.id)).toMatchObject({ held: 1 });
  });
});

describe("Stripe Checkout", () => {
  it("charges exactly our total: lines, discount and 13% HST to the cent", async () => {
    const event = await seededEvent();
    const type = await ticketType({ priceCents: 149_500 });
    await db().discountCode.create({ data: { eventId: event.id, code: "THIRD", kind: "PERCENT", amount: 3333 } });
    const placed = await placeOrder(event, order({ [type.slug]: 3 }, { code: "THIRD" }), new Date());
    expect(placed.priced).toMatchObject({ subtotalCents: 448_500, discountCents: 149_485, taxCents: 38_872, totalCents: 337_887 });
    await startCheckout(placed, event, urls);
    const row = await db().order.findUniqueOrThrow({ where: { id: placed.id } });
    const session = await stripe().checkout.sessions.retrieve(row.stripeSessionId!);
    expect(session.amount_total).toBe(337_887);
    expect(session.total_details?.amount_discount).toBe(149_485);
    expect(session.client_reference_id).toBe(placed.id);
    expect(session.metadata?.orderId).toBe(placed.id);
    expect(session.customer_email).toBe("buyer@example.com");
    // The session is opened a moment after the seats were held, and Stripe wants 30 minutes
    // from its own clock: it lives 20 minutes past the hold, which the sweeper ends.
    expect(session.expires_at).toBe(Math.floor(placed.expiresAt.getTime() / 1000) + 20 * 60);
  });

  it("keeps the hold and says so when Stripe cannot be reached; the next try opens the payment page", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 5 });
    const placed = await placeOrder(event, order({ [type.slug]: 2 }), new Date());
    harness.emulator.failNext("POST", "/v1/checkout/sessions", 3);
    expect(await ruleOf(startCheckout(placed, event, urls))).toBe("payment.unavailable");
    expect(await seats(type.id)).toMatchObject({ held: 2, sold: 0 });
    expect(await db().order.findUniqueOrThrow({ where: { id: placed.id } })).toMatchObject({ status: "PENDING", checkoutUrl: null });
    const url = await startCheckout(placed, event, urls);
    expect(url).toContain(harness.emulator.url);
    expect(harness.emulator.sessions().filter((s) => s.client_reference_id === placed.id)).toHaveLength(1);
  });

  it("opens one Stripe page per order, however often the payment step is visited", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 5 });
    const placed = await placeOrder(event, order({ [type.slug]: 1 }, { code: "MAGNET15" }), new Date());
    const pending = async () => ({ ...placed, ...(await db().order.findUniqueOrThrow({ where: { id: placed.id }, select: { status: true, checkoutUrl: true } })) });
    // A double click: two visits at once, before either has a session to reuse.
    const [first, second] = await Promise.all([openPayment(await pending(), event, urls, new Date()), openPayment(await pending(), event, urls, new Date())]);
    expect(first).toContain(harness.emulator.url);
    expect(second).toBe(first);
    expect(await openPayment(await pending(), event, urls, new Date())).toBe(first);
    expect(harness.emulator.sessions().filter((s) => s.client_reference_id === placed.id)).toHaveLength(1);
  });

  it("has nothing to pay for a paid order, and ends a hold too close to its end to start paying", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 5 });
    const lateStart = await placeOrder(event, order({ [type.slug]: 2 }), new Date());
    const state = async (id: string) => db().order.findUniqueOrThrow({ where: { id }, select: { status: true, checkoutUrl: true } });
    // 20 minutes into a 30-minute hold, with no Stripe page opened yet.
    expect(await openPayment({ ...lateStart, ...(await state(lateStart.id)) }, event, urls, minutes(20))).toBeNull();
    expect(await state(lateStart.id)).toMatchObject({ status: "EXPIRED", checkoutUrl: null });
    expect(await seats(type.id)).toMatchObject({ held: 0 });
    expect(harness.emulator.sessions().filter((s) => s.client_reference_id === lateStart.id)).toHaveLength(0);

    // Once opened, the Stripe page is the buyer's until the hold ends.
    const { placed, url, sessionId } = await checkout({ [type.slug]: 1 });
    expect(await openPayment({ ...placed, ...(await state(placed.id)) }, event, urls, minutes(20))).toBe(url);
    harness.emulator.pay(sessionId, "success");
    await harness.emulator.webhooksIdle();
    expect(await state(placed.id)).toMatchObject({ status: "PAID" });
    expect(await openPayment({ ...placed, ...(await state(placed.id)) }, event, urls, new Date())).toBeNull();
  });

  it("keeps the seats held while Stripe says too many requests, and starts checkout once it answers", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 5 });
    const placed = await placeOrder(event, order({ [type.slug]: 2 }, { code: "MAGNET15" }), new Date());
    const rateLimited = { status: 429, type: "rate_limit_error" as const, code: "rate_limit", message: "Request rate limit exceeded." };
    harness.emulator.failNext("POST", "/v1/coupons", 1, rateLimited);
    harness.emulator.failNext("POST", "/v1/checkout/sessions", 3, rateLimited);
    const url = await startCheckout(placed, event, urls);
    expect(url).toContain(harness.emulator.url);
    const row = await db().order.findUniqueOrThrow({ where: { id: placed.id } });
    expect(row).toMatchObject({ status: "PENDING", checkoutUrl: url });
    expect(await seats(type.id)).toMatchObject({ held: 2, sold: 0 });
    // One session for the order, however many times Stripe was asked.
    expect(harness.emulator.sessions().filter((s) => s.client_reference_id === placed.id)).toHaveLength(1);
    expect((await stripe().checkout.sessions.retrieve(row.stripeSessionId!)).amount_total).toBe(placed.totalCents);
  });

  it("confirms free orders at once, without Stripe", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 5 });
    const placed = await placeOrder(event, order({ [type.slug]: 2 }, { code: "SPEAKERGUEST" }), new Date());
    expect(placed.totalCents).toBe(0);
    expect(await fulfilOrder(placed.id, "free", new Date())).toEqual({ outcome: "fulfilled" });
    expect(await db().ticket.count({ where: { orderId: placed.id } })).toBe(2);
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 2 });
  });

  it("issues each ticket with every detail its attendee entered, of the type of their place in the order", async () => {
    const event = await seededEvent();
    const passes = await ticketType({ capacity: 5 });
    const workshops = await ticketType({ capacity: 5 });
    const people = [
      attendee({ company: "Sample Magnetics", jobTitle: "Chemist", country: "France", dietaryNeeds: "Vegetarian", shareWithSponsors: true }),
      attendee({ company: "", jobTitle: "", country: "", accessNeeds: "Step-free access" }),
      attendee({ dietaryNeeds: "No nuts", accessNeeds: "Hearing loop" }),
    ];
    const now = new Date();
    const placed = await placeOrder(event, order({ [passes.slug]: 2, [workshops.slug]: 1 }, { code: "SPEAKERGUEST", attendees: people }), now);
    await fulfilOrder(placed.id, "free", now);
    const tickets = await db().ticket.findMany({
      where: { orderId: placed.id },
      select: { ticketTypeId: true, name: true, email: true, company: true, jobTitle: true, country: true, dietaryNeeds: true, accessNeeds: true, shareWithSponsors: true, consentAt: true },
    });
    const types = [passes.id, passes.id, workshops.id];
    const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);
    expect(tickets.sort(byEmail)).toEqual(
      people.map((p, i) => ({ ...p, ticketTypeId: types[i], consentAt: p.shareWithSponsors ? now : null })).sort(byEmail),
    );
  });
});

describe("webhooks", () => {
  it("fulfils once when every event is delivered five times in random order", async () => {
    const type = await ticketType({ capacity: 10 });
    const { placed, sessionId } = await checkout({ [type.slug]: 3 });
    harness.emulator.webhooks.mode = "manual";
    harness.emulator.setWebhookFaults({ duplicates: 5, shuffle: true });
    try {
      harness.emulator.pay(sessionId, "success");
      await harness.emulator.flushWebhooks();
    } finally {
      harness.emulator.webhooks.mode = "immediate";
      harness.emulator.setWebhookFaults(NO_FAULTS);
    }
    const paid = await db().order.findUniqueOrThrow({ where: { id: placed.id } });
    expect(paid.status).toBe("PAID");
    expect(await db().ticket.count({ where: { orderId: placed.id } })).toBe(3);
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 3 });
    const emails = await outboxFor(placed.id);
    expect(emails.filter((e) => e.template === "order-confirmation")).toHaveLength(1);
    expect(emails.filter((e) => e.template === "ticket")).toHaveLength(3);
    expect(await db().auditLog.count({ where: { subject: `order:${placed.id}`, action: "order.payment.confirmed" } })).toBe(1);
  });

  it("refuses a bad signature with 400 and changes nothing", async () => {
    const { action } = await import("~/routes/webhooks.stripe");
    const body = JSON.stringify({ id: "evt_forged", type: "checkout.session.completed", data: { object: {} } });
    const response = await action({
      request: new Request("http://localhost/webhooks/stripe", { method: "POST", body, headers: { "Stripe-Signature": "t=1,v1=forged" } }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(400);
    expect(await db().stripeEvent.findUnique({ where: { id: "evt_forged" } })).toBeNull();
  });

  it("keeps the seats while a delayed payment is confirmed, then issues tickets", async () => {
    const type = await ticketType({ capacity: 4 });
    const { placed, sessionId } = await checkout({ [type.slug]: 1 });
    harness.emulator.pay(sessionId, "delayed");
    await harness.emulator.webhooksIdle();
    const processing = await db().order.findUniqueOrThrow({ where: { id: placed.id } });
    expect(processing.status).toBe("PENDING");
    expect(processing.expiresAt.getTime()).toBeGreaterThan(minutes(60).getTime());
    await expect.poll(async () => (await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status, { timeout: 5000 }).toBe("PAID");
  });
});

describe("payments that arrive after the hold expired", () => {
  it("re-reserves the seats when some remain", async () => {
    const type = await ticketType({ capacity: 5 });
    const { placed, sessionId } = await checkout({ [type.slug]: 2 });
    // The sweeper ends the hold but cannot reach Stripe to close the session, and the buyer pays.
    harness.emulator.failNext("POST", `/v1/checkout/sessions/${sessionId}/expire`, 3);
    await expireOrders({ orderIds: [placed.id] }, "EXPIRED", "hold-expired");
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 0 });
    harness.emulator.forcePay(sessionId);
    await harness.emulator.webhooksIdle();
    expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status).toBe("PAID");
    expect(await seats(type.id)).toMatchObject({ held: 0, sold: 2 });
    expect(await db().ticket.count({ where: { orderId: placed.id } })).toBe(2);
  });

  it("refunds automatically and tells the buyer when the seats are gone", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 2 });
    const { placed, sessionId } = await checkout({ [type.slug]: 2 });
    harness.emulator.failNext("POST", `/v1/checkout/sessions/${sessionId}/expire`, 3);
    await expireOrders({ orderIds: [placed.id] }, "EXPIRED", "hold-expired");
    await placeOrder(event, order({ [type.slug]: 2 }), new Date());
    harness.emulator.forcePay(sessionId);
    await harness.emulator.webhooksIdle();
    const late = await db().order.findUniqueOrThrow({ where: { id: placed.id }, include: { refunds: true, tickets: true } });
    expect(late.status).toBe("REFUNDED");
    expect(late.refundedCents).toBe(late.totalCents);
    expect(late.tickets).toHaveLength(0);
    expect(late.refunds).toMatchObject([{ status: "SUCCEEDED", amountCents: late.totalCents }]);
    expect(await seats(type.id)).toMatchObject({ held: 2, sold: 0, capacity: 2 });
    expect(await db().emailOutbox.count({ where: { template: "late-payment-refunded", toAddress: "buyer@example.com" } })).toBeGreaterThan(0);
    const stripeRefunds = await stripe().refunds.list({ payment_intent: late.stripePaymentId! });
    expect(stripeRefunds.data.reduce((s, r) => s + r.amount, 0)).toBe(late.totalCents);
  });
});

describe("reconciliation", () => {
  it("fulfils a paid order whose webhooks were lost", async () => {
    const type = await ticketType({ capacity: 5 });
    const { placed, sessionId } = await checkout({ [type.slug]: 1 });
    harness.emulator.setWebhookFaults({ drop: true });
    try {
      harness.emulator.pay(sessionId, "success");
      await harness.emulator.webhooksIdle();
    } finally {
      harness.emulator.setWebhookFaults(NO_FAULTS);
    }
    expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status).toBe("PENDING");
    const summary = await reconcile(minutes(2));
    expect(summary.fulfilled).toBeGreaterThanOrEqual(1);
    expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).status).toBe("PAID");
    expect(await db().ticket.count({ where: { orderId: placed.id } })).toBe(1);
  });

  it("settles at start-up the holds paid while no instance took webhooks, from one listing of Stripe's sessions", async () => {
    const type = await ticketType({ capacity: 10 });
    const paid = [await checkout({ [type.slug]: 1 }), await checkout({ [type.slug]: 2 })];
    const open = await checkout({ [type.slug]: 1 });
    harness.emulator.setWebhookFaults({ drop: true });
    try {
      for (const { sessionId } of paid) harness.emulator.pay(sessionId, "success");
      await harness.emulator.webhooksIdle();
    } finally {
      harness.emulator.setWebhookFaults(NO_FAULTS);
    }
    // Asking about each hold on its own would fail here: the listing alone must do.
    for (const { sessionId } of [...paid, open]) harness.emulator.failNext("GET", `/v1/checkout/sessions/${sessionId}`);
    expect(await settlePaidWhileAway(new Date())).toBe(2);
    const status = async (id: string) => (await db().order.findUniqueOrThrow({ where: { id } })).status;
    expect(await Promise.all([...paid, open].map(({ placed }) => status(placed.id)))).toEqual(["PAID", "PAID", "PENDING"]);
    expect(await db().ticket.count({ where: { orderId: { in: paid.map(({ placed }) => placed.id) } } })).toBe(3);
    expect(await seats(type.id)).toMatchObject({ sold: 3, held: 1 });
  });
});

describe("refunds", () => {
  it("refunds one ticket, then the rest, returning seats and updating the order exactly", async () => {
    const type = await ticketType({ capacity: 10, priceCents: 69_500 });
    const { placed, sessionId } = await checkout({ [type.slug]: 3 });
    harness.emulator.pay(sessionId, "success");
    await harness.emulator.webhooksIdle();
    const tickets = await db().ticket.findMany({ where: { orderId: placed.id } });
    expect(tickets).toHaveLength(3);
    const one = await refundOrder(placed.id, [tickets[0]!.id], null);
    expect(one.amountCents).toBe(69_500 + 9_035);
    await harness.emulator.webhooksIdle();
    let row = await db().order.findUniqueOrThrow({ where: { id: placed.id } });
    expect(row.status).toBe("PAID");
    expect(row.refundedCents).toBe(78_535);
    expect(await seats(type.id)).toMatchObject({ sold: 2 });
    expect((await db().ticket.findUniqueOrThrow({ where: { id: tickets[0]!.id } })).status).toBe("REFUNDED");

    await refundOrder(placed.id, null, null);
    await harness.emulator.webhooksIdle();
    row = await db().order.findUniqueOrThrow({ where: { id: placed.id } });
    expect(row.status).toBe("REFUNDED");
    expect(row.refundedCents).toBe(row.totalCents);
    expect(await seats(type.id)).toMatchObject({ sold: 0, held: 0 });
    expect(await ruleOf(refundOrder(placed.id, null, null))).toBe("refund.not-paid");
  });
});
