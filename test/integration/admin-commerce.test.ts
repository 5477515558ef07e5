import { describe, expect, it } from "vitest";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import { startCheckout } from "~/domain/checkout-session.server";
import { db } from "~/services/db.server";
import { cookieFor, request, statusOf } from "../support/auth";
import { useStripeEmulator } from "../support/checkout";
import { order, seats, seededEvent, ticketType } from "../support/factories";

const harness = useStripeEmulator();

type Args = { request: Request; params: Record<string, string>; context: object };
type Handler = (args: Args) => Promise<unknown>;

const route = (name: string) => import(/* @vite-ignore */ `~/routes/${name}`) as Promise<{ loader?: Handler; action?: Handler }>;

// Every page and action of this area, with a path and params that reach it.
const surfaces: { file: string; path: string; params?: Record<string, string>; form?: Record<string, string> }[] = [
  { file: "admin._index", path: "/admin" },
  { file: "admin.orders._index", path: "/admin/orders" },
  { file: "admin.orders.$id", path: "/admin/orders/x", params: { id: "x" }, form: { intent: "cancel" } },
  { file: "admin.orders.comp", path: "/admin/orders/comp", form: { ticketTypeId: "x", name: "A", email: "a@example.com", reason: "r" } },
  { file: "admin.attendees._index", path: "/admin/attendees" },
  { file: "admin.attendees.$id", path: "/admin/attendees/x", params: { id: "x" }, form: { name: "A", email: "a@example.com" } },
  { file: "admin.ticket-types._index", path: "/admin/ticket-types" },
  { file: "admin.ticket-types.$id", path: "/admin/ticket-types/new", params: { id: "new" }, form: { name: "X" } },
  { file: "admin.discount-codes._index", path: "/admin/discount-codes" },
  { file: "admin.discount-codes.$id", path: "/admin/discount-codes/new", params: { id: "new" }, form: { code: "X" } },
  { file: "admin.exports._index", path: "/admin/exports" },
  { file: "admin.exports.attendees[.csv]", path: "/admin/exports/attendees.csv" },
  { file: "admin.exports.orders[.csv]", path: "/admin/exports/orders.csv" },
  { file: "admin.exports.sessions[.csv]", path: "/admin/exports/sessions.csv" },
];

async function as(role: "ORGANISER") {
  return (await cookieFor(role)).cookie;
}

async function run(file: string, kind: "loader" | "action", path: string, init: { cookie?: string; form?: Record<string, string> }, params: Record<string, string> = {}) {
  const handler = (await route(file))[kind]!;
  return handler({ request: request(path, init), params, context: {} });
}

/** A response's body, following Remix's `data()` wrapper. */
function payload<T>(result: unknown): T {
  return ((result as { data?: unknown }).data ?? result) as T;
}

describe("permissions", () => {
  it("refuses anonymous visitors (302 to login) and the wrong roles (403) on every page and action", async () => {
    const checkin = (await cookieFor("CHECKIN")).cookie;
    const sponsor = (await cookieFor("SPONSOR")).cookie;
    for (const s of surfaces) {
      for (const kind of ["loader", "action"] as const) {
        if (!(await route(s.file))[kind]) continue;
        const form = kind === "action" ? (s.form ?? {}) : undefined;
        expect(await statusOf(() => run(s.file, kind, s.path, { form, method: kind === "action" ? "POST" : "GET" } as never, s.params)), `${s.file} ${kind} anonymous`).toBe(302);
        // Door staff reach the dashboard only to be sent on to check-in; its actions are not theirs.
        const doorStaff = s.file === "admin._index" && kind === "loader" ? 302 : 403;
        expect(await statusOf(() => run(s.file, kind, s.path, { cookie: checkin, form }, s.params)), `${s.file} ${kind} CHECKIN`).toBe(doorStaff);
        expect(await statusOf(() => run(s.file, kind, s.path, { cookie: sponsor, form }, s.params)), `${s.file} ${kind} SPONSOR`).toBe(403);
      }
    }
  });

  it("lets organisers see every page", async () => {
    const cookie = await as("ORGANISER");
    for (const s of surfaces) {
      if (s.file.endsWith("[.csv]")) continue;
      const status = await statusOf(() => run(s.file, "loader", s.path, { cookie }, s.params));
      expect(status, s.file).toBe(s.params?.id === "x" ? 404 : 200);
    }
  });
});

describe("ticket types", () => {
  const form = (overrides: Record<string, string> = {}) => ({
    name: "Investor Day",
    description: "A day for investors.",
    includes: "Lunch\nReception",
    price: "1,250.50",
    capacity: "40",
    visibility: "public",
    maxPerOrder: "4",
    position: "9",
    startsAt: "2025-06-01T09:00",
    endsAt: "",
    ...overrides,
  });

  it("creates a type with its price in cents and its sales window in Toronto time, and audits it", async () => {
    const cookie = await as("ORGANISER");
    const result = await run("admin.ticket-types.$id", "action", "/admin/ticket-types/new", { cookie, form: form() }, { id: "new" });
    expect((result as Response).status).toBe(302);
    const created = await db().ticketType.findFirstOrThrow({ where: { name: "Investor Day" } });
    expect(created).toMatchObject({ priceCents: 125_050, capacity: 40, maxPerOrder: 4, isPublic: true, includes: ["Lunch", "Reception"] });
    // 9:00 in Toronto in June is 13:00 UTC (EDT).
    expect(created.salesStartAt?.toISOString()).toBe("2025-06-01T13:00:00.000Z");
    expect(await db().auditLog.count({ where: { subject: `ticket-type:${created.id}`, action: "ticket-type.created" } })).toBe(1);
  });

  it("refuses a capacity below the seats sold and held, with the numbers, and changes nothing", async () => {
    const cookie = await as("ORGANISER");
    const event = await seededEvent();
    const type = await ticketType({ capacity: 10 });
    const paid = await placeOrder(event, order({ [type.slug]: 3 }, { code: "SPEAKERGUEST" }), new Date());
    await fulfilOrder(paid.id, "free", new Date());
    await placeOrder(event, order({ [type.slug]: 2 }), new Date());
    expect(await seats(type.id)).toMatchObject({ sold: 3, held: 2 });
    const result = await run("admin.ticket-types.$id", "action", `/admin/ticket-types/${type.id}`, { cookie, form: form({ name: type.name, capacity: "4" }) }, { id: type.id });
    const reply = payload<{ result: { error: Record<string, string[]> } }>(result);
    expect(reply.result.error.capacity?.[0]).toContain("5 seats already taken (3 sold, 2 held");
    expect(await seats(type.id)).toMatchObject({ capacity: 10 });
    // Exactly sold + held is allowed.
    await run("admin.ticket-types.$id", "action", `/admin/ticket-types/${type.id}`, { cookie, form: form({ name: type.name, capacity: "5" }) }, { id: type.id });
    expect(await seats(type.id)).toMatchObject({ capacity: 5 });
  });

  it("keeps the price of placed orders when the price changes", async () => {
    const cookie = await as("ORGANISER");
    const event = await seededEvent();
    const type = await ticketType({ priceCents: 50_000 });
    const placed = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
    await run("admin.ticket-types.$id", "action", `/admin/ticket-types/${type.id}`, { cookie, form: form({ name: type.name, price: "999" }) }, { id: type.id });
    expect((await db().ticketType.findUniqueOrThrow({ where: { id: type.id } })).priceCents).toBe(99_900);
    const item = await db().orderItem.findFirstOrThrow({ where: { orderId: placed.id } });
    expect(item.unitCents).toBe(50_000);
    expect((await db().order.findUniqueOrThrow({ where: { id: placed.id } })).totalCents).toBe(placed.totalCents);
  });

  it("explains bad input per field", async () => {
    const cookie = await as("ORGANISER");
    const errorsOf = async (overrides: Record<string, string>) =>
      payload<{ result: { error: Record<string, string[]> } }>(await run("admin.ticket-types.$id", "action", "/admin/ticket-types/new", { cookie, form: form(overrides) }, { id: "new" })).result.error;
    const errors = await errorsOf({ price: "12.345", capacity: "-1" });
    expect(errors.price?.[0]).toMatch(/amount in dollars/);
    expect(errors.capacity?.[0]).toMatch(/at least 0/);
    expect((await errorsOf({ endsAt: "2025-05-01T09:00" })).endsAt?.[0]).toMatch(/end after/);
    expect(await db().ticketType.count({ where: { name: "Investor Day", priceCents: { not: 125_050 } } })).toBe(0);
  });
});

describe("discount codes", () => {
  it("creates a percent code limited to a hidden type, which it then unlocks at checkout", async () => {
    const cookie = await as("ORGANISER");
    const event = await seededEvent();
    const hidden = await ticketType({ isPublic: false, priceCents: 10_000 });
    await run("admin.discount-codes.$id", "action", "/admin/discount-codes/new", { cookie, form: { code: "press25", kind: "PERCENT", amount: "25", ticketTypeIds: hidden.id } }, { id: "new" });
    const code = await db().discountCode.findFirstOrThrow({ where: { code: "PRESS25" }, include: { ticketTypes: true } });
    expect(code).toMatchObject({ kind: "PERCENT", amount: 2500 });
    expect(code.ticketTypes.map((t) => t.id)).toEqual([hidden.id]);
    const placed = await placeOrder(event, order({ [hidden.slug]: 1 }, { code: "PRESS25" }), new Date());
    expect(placed.priced.discountCents).toBe(2_500);
  });

  it("refuses a duplicate code and a maximum below the uses so far", async () => {
    const cookie = await as("ORGANISER");
    const event = await seededEvent();
    const type = await ticketType();
    const dup = await run("admin.discount-codes.$id", "action", "/admin/discount-codes/new", { cookie, form: { code: "SPEAKERGUEST", kind: "FIXED", amount: "10" } }, { id: "new" });
    expect(payload<{ result: { error: Record<string, string[]> } }>(dup).result.error.code?.[0]).toContain("already a code");
    const code = await db().discountCode.create({ data: { eventId: event.id, code: "TWICE", kind: "PERCENT", amount: 1000 } });
    await placeOrder(event, order({ [type.slug]: 1 }, { code: "TWICE" }), new Date());
    await placeOrder(event, order({ [type.slug]: 1 }, { code: "TWICE" }), new Date());
    const low = await run("admin.discount-codes.$id", "action", `/admin/discount-codes/${code.id}`, { cookie, form: { code: "TWICE", kind: "PERCENT", amount: "10", maxUses: "1" } }, { id: code.id });
    expect(payload<{ result: { error: Record<string, string[]> } }>(low).result.error.maxUses?.[0]).toContain("used 2 times");
    expect((await db().discountCode.findUniqueOrThrow({ where: { id: code.id } })).maxUses).toBeNull();
  });
});

describe("orders", () => {
  async function paidOrder(quantity: number, priceCents = 69_500) {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 10, priceCents });
    const placed = await placeOrder(event, order({ [type.slug]: quantity }, { buyer: { name: "Rhea Earth", email: "rhea@example.com" } }), new Date());
    await startCheckout(placed, event, { successUrl: "http://localhost/s", cancelUrl: "http://localhost/c" });
    const sessionId = (await db().order.findUniqueOrThrow({ where: { id: placed.id } })).stripeSessionId!;
    harness.emulator.pay(sessionId, "success");
    await harness.emulator.webhooksIdle();
    return { placed, type };
  }

  it("finds orders by reference, buyer and attendee company, filtered by status and type", async () => {
    const cookie = await as("ORGANISER");
    const { placed, type } = await paidOrder(1);
    const find = async (query: string) =>
      payload<{ rows: { id: string }[] }>(await run("admin.orders._index", "loader", `/admin/orders?${query}`, { cookie })).rows.map((r) => r.id);
    expect(await find(`q=${placed.reference.toLowerCase()}`)).toEqual([placed.id]);
    expect(await find("q=rhea")).toContain(placed.id);
    expect(await find(`q=sample+magnetics&type=${type.id}`)).toEqual([placed.id]);
    expect(await find(`type=${type.id}&status=PENDING`)).toEqual([]);
    const attendees = payload<{ rows: { order: { id: string } }[] }>(await run("admin.attendees._index", "loader", `/admin/attendees?q=${placed.reference}`, { cookie })).rows;
    expect(attendees.map((a) => a.order.id)).toEqual([placed.id]);
  });

  it("refunds one ticket and then the whole order through Stripe, with history", async () => {
    const { cookie, user } = await cookieFor("ORGANISER");
    const { placed, type } = await paidOrder(2);
    const tickets = await db().ticket.findMany({ where: { orderId: placed.id }, orderBy: { createdAt: "asc" } });
    const act = (form: Record<string, string>) => run("admin.orders.$id", "action", `/admin/orders/${placed.id}`, { cookie, form }, { id: placed.id });

    expect(payload<{ ok: string }>(await act({ intent: "refund-ticket", ticketId: tickets[0]!.id })).ok).toMatch(/refunded|sent to Stripe/);
    await harness.emulator.webhooksIdle();
    expect((await db().ticket.findUniqueOrThrow({ where: { id: tickets[0]!.id } })).status).toBe("REFUNDED");
    expect(await seats(type.id)).toMatchObject({ sold: 1 });

    await act({ intent: "refund" });
    await harness.emulator.webhooksIdle();
    const row = await db().order.findUniqueOrThrow({ where: { id: placed.id } });
    expect(row).toMatchObject({ status: "REFUNDED", refundedCents: row.totalCents });
    expect(await seats(type.id)).toMatchObject({ sold: 0, held: 0 });

    // A second refund is refused with the rule's message, not a 500.
    const again = await act({ intent: "refund" });
    expect(await statusOf(async () => again)).toBe(409);
    expect(payload<{ error: string }>(again).error).toBe("Only paid orders can be refunded.");

    const page = payload<{ order: { history: { events: { action: string; actor: { email: string } | null }[] } } }>(
      await run("admin.orders.$id", "loader", `/admin/orders/${placed.id}`, { cookie }, { id: placed.id }),
    );
    const actions = page.order.history.events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["order.created", "order.payment.confirmed", "order.refunded-partially", "order.refunded"]));
    expect(page.order.history.events.find((e) => e.action === "order.refunded")?.actor?.email).toBe(user.email);
  });

  it("cancels a pending order and releases its seats, and refuses to cancel a paid one", async () => {
    const cookie = await as("ORGANISER");
    const event = await seededEvent();
    const type = await ticketType({ capacity: 5 });
    const pending = await placeOrder(event, order({ [type.slug]: 2 }), new Date());
    const act = (id: string, form: Record<string, string>) => run("admin.orders.$id", "action", `/admin/orders/${id}`, { cookie, form }, { id });
    expect(payload<{ ok: string }>(await act(pending.id, { intent: "cancel" })).ok).toMatch(/cancelled/);
    expect((await db().order.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("CANCELLED");
    expect(await seats(type.id)).toMatchObject({ held: 0 });
    const { placed } = await paidOrder(1);
    expect(payload<{ error: string }>(await act(placed.id, { intent: "cancel" })).error).toMatch(/Only unpaid/);
  });

  it("resends the confirmation and a ticket, audited with who asked", async () => {
    const { cookie, user } = await cookieFor("ORGANISER");
    const { placed } = await paidOrder(1);
    const ticket = await db().ticket.findFirstOrThrow({ where: { orderId: placed.id } });
    const before = await db().emailOutbox.count();
    await run("admin.orders.$id", "action", `/admin/orders/${placed.id}`, { cookie, form: { intent: "resend-confirmation" } }, { id: placed.id });
    await run("admin.orders.$id", "action", `/admin/orders/${placed.id}`, { cookie, form: { intent: "resend-ticket", ticketId: ticket.id } }, { id: placed.id });
    expect(await db().emailOutbox.count()).toBe(before + 2);
    expect(await db().auditLog.count({ where: { actorId: user.id, action: { in: ["order.email.resent", "ticket.email.resent"] } } })).toBe(2);
  });

  it("lets an organiser correct an attendee, with before and after in the audit log", async () => {
    const { cookie, user } = await cookieFor("ORGANISER");
    const { placed } = await paidOrder(1);
    const ticket = await db().ticket.findFirstOrThrow({ where: { orderId: placed.id } });
    const form = { name: "Rhea D. Earth", email: ticket.email, company: "Neodymium Works", jobTitle: "", country: "Canada", dietaryNeeds: "", accessNeeds: "" };
    await run("admin.attendees.$id", "action", `/admin/attendees/${ticket.id}`, { cookie, form }, { id: ticket.id });
    const saved = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(saved).toMatchObject({ name: "Rhea D. Earth", company: "Neodymium Works", jobTitle: "" });
    const row = await db().auditLog.findFirstOrThrow({ where: { subject: `ticket:${ticket.id}`, action: "ticket.details.updated" } });
    expect(row.actorId).toBe(user.id);
    expect(row.before).toMatchObject({ name: ticket.name, company: ticket.company });
    expect(row.after).toMatchObject({ name: "Rhea D. Earth", company: "Neodymium Works" });
    const bad = await run("admin.attendees.$id", "action", `/admin/attendees/${ticket.id}`, { cookie, form: { ...form, email: "not-an-email" } }, { id: ticket.id });
    expect(await statusOf(async () => bad)).toBe(400);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).email).toBe(ticket.email);
  });
});

describe("comp tickets", () => {
  it("issues a free ticket of a hidden type, counts it against capacity, and refuses when full", async () => {
    const { cookie, user } = await cookieFor("ORGANISER");
    const type = await ticketType({ capacity: 1, isPublic: false });
    const form = { ticketTypeId: type.id, name: "Guest Speaker", email: "Guest@Example.com", company: "Lanthanide Labs", jobTitle: "CTO", reason: "Keynote speaker" };
    const issued = await run("admin.orders.comp", "action", "/admin/orders/comp", { cookie, form });
    expect((issued as Response).status).toBe(302);
    const comp = await db().order.findFirstOrThrow({ where: { items: { some: { ticketTypeId: type.id } } }, include: { tickets: true } });
    expect(comp).toMatchObject({ status: "PAID", totalCents: 0, buyerEmail: "guest@example.com", isComp: true });
    expect(comp.tickets).toHaveLength(1);
    expect(await seats(type.id)).toMatchObject({ sold: 1, held: 0 });
    expect(await db().auditLog.count({ where: { subject: `order:${comp.id}`, action: "order.comp.issued", actorId: user.id } })).toBe(1);
    expect(await db().emailOutbox.count({ where: { template: "ticket", toAddress: "guest@example.com" } })).toBe(1);

    const full = await run("admin.orders.comp", "action", "/admin/orders/comp", { cookie, form: { ...form, email: "second@example.com" } });
    expect(payload<{ result: { error: Record<string, string[]> } }>(full).result.error.ticketTypeId?.[0]).toContain("is full");
    expect(await db().order.count({ where: { items: { some: { ticketTypeId: type.id } } } })).toBe(1);
    expect(await seats(type.id)).toMatchObject({ sold: 1, held: 0 });

    // A free order's "refund" cancels its ticket and gives the seat back.
    await run("admin.orders.$id", "action", `/admin/orders/${comp.id}`, { cookie, form: { intent: "refund" } }, { id: comp.id });
    expect(await seats(type.id)).toMatchObject({ sold: 0 });
  });
});
