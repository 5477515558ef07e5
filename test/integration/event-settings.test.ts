// The event settings (/admin/settings): admins only, checked, audited field by field, read at
// once by pages, receipts and calendars, and never rewriting what orders already hold.
import { describe, expect, it } from "vitest";
import { currentEvent, forgetCurrentEvent } from "~/domain/event.server";
import { refundAmountFor } from "~/domain/refunds.server";
import { renderEmail } from "~/domain/emails.server";
import { outboxMessage } from "~/services/mailer.server";
import { db } from "~/services/db.server";
import { cookieFor, request, statusOf } from "../support/auth";
import { paidOrder } from "../support/emails";
import { seededEvent, ticketType } from "../support/factories";
import { payload, save, settingsRoute, type Handler } from "../support/settings";

const dashboardRoute = () => import("~/routes/admin._index") as Promise<{ loader: Handler; action: Handler }>;

const eventRow = async () => db().event.findFirstOrThrow({ orderBy: { startsOn: "desc" } });
const auditCount = () => db().auditLog.count({ where: { action: "event.settings.changed" } });

describe("event settings", () => {
  it("are for admins only: an organiser gets a 403 and changes nothing", async () => {
    const before = await eventRow();
    const { loader } = await settingsRoute();
    const organiser = (await cookieFor("ORGANISER")).cookie;
    expect(await statusOf(() => loader({ request: request("/admin/settings", { cookie: organiser }), params: {}, context: {} }))).toBe(403);
    expect((await save({ name: "Taken over" }, "ORGANISER")).status).toBe(403);
    expect((await eventRow()).name).toBe(before.name);
  });

  it("refuse a malformed registration number, a tax rate over 100% and days in the wrong order, with a message on the field, changing nothing", async () => {
    const before = await eventRow();
    const audits = await auditCount();
    for (const [changes, field, message] of [
      [{ taxNumber: "12345678RT0001" }, "taxNumber", "9 digits, RT and 4 digits"],
      [{ taxNumber: "123456789RP0001" }, "taxNumber", "9 digits, RT and 4 digits"],
      [{ taxNumber: "x".repeat(10_000) }, "taxNumber", "15 characters"],
      [{ taxRate: "130" }, "taxRate", "between 0 and 100"],
      [{ taxRate: "thirteen" }, "taxRate", "between 0 and 100"],
      [{ endsOn: "2025-09-01" }, "endsOn", "cannot be before the first day"],
      [{ startsOn: "2025-02-30" }, "startsOn", "not a real date"],
      [{ timeZone: "Mars/Olympus_Mons" }, "timeZone", "Choose a time zone"],
      [{ contactEmail: "not an address" }, "contactEmail", "valid email address"],
      [{ legalName: "Adamas\u202EInc" }, "legalName", "hidden control character"],
    ] as const) {
      const { status, result } = await save(changes);
      expect(status, JSON.stringify(changes).slice(0, 80)).toBe(400);
      expect(result!.result.error?.[field]?.join(" ")).toContain(message);
    }
    expect(await eventRow()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it("store the registration number without spaces, audit each changed field, and say so when nothing changed", async () => {
    const before = await eventRow();
    const { status, result } = await save({ taxNumber: " 123456789 rt 0001 ", legalName: "Adamas Intelligence Inc.", contactEmail: "Hello@Adamas.example" });
    expect(status).toBe(303);
    const after = await eventRow();
    expect(after).toMatchObject({ taxNumber: "123456789RT0001", legalName: "Adamas Intelligence Inc.", contactEmail: "hello@adamas.example" });
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "event.settings.changed" }, orderBy: { createdAt: "desc" } });
    expect(Object.keys(entry.after as object).sort()).toEqual(
      ["contactEmail", "legalName", "taxNumber"].filter((f) => (before as Record<string, unknown>)[f] !== (after as Record<string, unknown>)[f]).sort(),
    );
    expect(result!.changed).toBe(Object.keys(entry.after as object).length);

    const audits = await auditCount();
    expect((await save({})).result!.changed).toBe(0);
    expect(await auditCount()).toBe(audits);
  });

  it("change the tax of new orders only: a placed order's receipt and refunds keep the rate it was charged", async () => {
    await seededEvent();
    const type = await ticketType({ priceCents: 100_000 });
    const paid = await paidOrder({ [type.slug]: 2 });
    expect(paid.taxCents).toBe(26_000);
    await save({ taxRate: "15" });
    try {
      const event = await currentEvent();
      expect(event.taxRateBps).toBe(1500);
      // One of two tickets: half the order, with the 13% it was charged.
      const ticket = await db().ticket.findFirstOrThrow({ where: { orderId: paid.id } });
      expect((await refundAmountFor(paid.id, [ticket.id])).amountCents).toBe(113_000);
      const row = await db().emailOutbox.findFirstOrThrow({ where: { template: "order-confirmation", payload: { path: ["orderId"], equals: paid.id } } });
      const email = await renderEmail(row);
      expect(email.text).toContain("HST 13%");
    } finally {
      await save({ taxRate: "13" });
    }
  });

  it("give every email the organiser's contact address to reply to", async () => {
    const type = await ticketType();
    const paid = await paidOrder({ [type.slug]: 1 });
    await save({ contactEmail: "desk@adamas.example" });
    // Another instance would see it within seconds; this one at once.
    const row = await db().emailOutbox.findFirstOrThrow({ where: { template: "order-confirmation", payload: { path: ["orderId"], equals: paid.id } } });
    const message = outboxMessage(row.id, row.toAddress, await renderEmail(row));
    expect(message.replyTo).toBe("desk@adamas.example");
  });

  it("list the sessions that new dates leave outside the event, and the agenda's days follow the dates", async () => {
    const event = await eventRow();
    const first = event.startsOn.toISOString().slice(0, 10);
    const last = event.endsOn.toISOString().slice(0, 10);
    const published = await db().session.count({ where: { eventId: event.id } });
    expect(published).toBeGreaterThan(0);
    // One day only: the second day's sessions fall outside.
    await save({ endsOn: first });
    try {
      expect((await currentEvent()).days).toEqual([first]);
      const { loader } = await settingsRoute();
      const { cookie } = await cookieFor("ADMIN");
      const { outside } = payload<{ outside: { title: string; day: string }[] }>(await loader({ request: request("/admin/settings", { cookie }), params: {}, context: {} }));
      const onSecondDay = await db().session.count({ where: { eventId: event.id, startsAt: { gte: new Date(`${last}T04:00:00Z`) } } });
      expect(outside.length).toBe(onSecondDay);
      expect(outside.length).toBeGreaterThan(0);
    } finally {
      await save({ endsOn: last });
    }
  });

  it("make the dashboard warn when tickets are on sale after the event ended, and its button closes them, audited", async () => {
    const event = await eventRow();
    const type = await ticketType();
    const { loader, action } = await dashboardRoute();
    const { cookie } = await cookieFor("ORGANISER");
    const dashboard = async () => payload<{ stillOnSale: string[] }>(await loader({ request: request("/admin", { cookie }), params: {}, context: {} }));
    // An event long over, whatever the machine's clock says.
    const ended = { startsOn: new Date("2020-01-01T00:00:00Z"), endsOn: new Date("2020-01-02T00:00:00Z") };
    await db().event.update({ where: { id: event.id }, data: ended });
    forgetCurrentEvent();
    try {
      expect((await dashboard()).stillOnSale).toContain(type.name);
      expect(await statusOf(() => action({ request: request("/admin", { cookie, form: { intent: "something-else" } }), params: {}, context: {} }))).toBe(400);
      const closed = payload<{ closed: number }>(await action({ request: request("/admin", { cookie, form: { intent: "close-sales" } }), params: {}, context: {} }));
      expect(closed.closed).toBeGreaterThan(0);
      expect((await dashboard()).stillOnSale).toEqual([]);
      expect((await db().ticketType.findUniqueOrThrow({ where: { id: type.id } })).salesEndAt).not.toBeNull();
      expect(await db().auditLog.count({ where: { action: "ticket-types.sales-closed" } })).toBe(1);
    } finally {
      await db().event.update({ where: { id: event.id }, data: { startsOn: event.startsOn, endsOn: event.endsOn } });
      forgetCurrentEvent();
    }
  });
});
