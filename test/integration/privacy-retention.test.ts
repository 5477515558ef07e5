// The event's retention period (issue 17): "keep attendee data for N days after the event" at
// /admin/settings, the dry run on /admin/privacy, and the daily job that erases the event's people
// when their day comes, keeping invoices and other events' data. Its own file: the job erases
// everyone of the seeded event.
import { describe, expect, it } from "vitest";
import { forgetCurrentEvent } from "~/domain/event.server";
import { RETENTION_JOB, schedule } from "~/domain/jobs.server";
import { placeOrder } from "~/domain/orders.server";
import { eraseExpiredEventData, retentionDay, retentionPlan, RETENTION_NOTICE_DAYS } from "~/domain/privacy.server";
import { dayKey, zonedTimeToUtc } from "~/domain/time";
import { db } from "~/services/db.server";
import { cookieFor, request } from "../support/auth";
import { paidOrder } from "../support/emails";
import { attendee, order, seededEvent, ticketType } from "../support/factories";
import { payload, save } from "../support/settings";

const eventRow = () => db().event.findFirstOrThrow({ orderBy: { startsOn: "desc" } });
const DAY = 86_400_000;

/** An earlier edition, whose people the seeded event's retention must not touch. */
async function earlierEdition() {
  const event = await db().event.create({
    data: {
      slug: "re3m-2024",
      name: "Rare Earth Mines, Magnets & Motors 2024",
      shortName: "RE3M 2024",
      tagline: "Sample earlier edition",
      description: "A sample earlier edition.",
      timeZone: "America/Toronto",
      startsOn: new Date("2024-09-10T00:00:00Z"),
      endsOn: new Date("2024-09-11T00:00:00Z"),
      venueName: "Sample Hall",
      venueAddress: "1 Sample St",
      city: "Toronto",
      country: "Canada",
      organiser: "Adamas Intelligence",
      themes: [],
    },
  });
  const type = await db().ticketType.create({ data: { eventId: event.id, slug: "pass", name: "2024 Pass", description: "", includes: [], priceCents: 0, capacity: 10, sold: 1 } });
  const placed = await db().order.create({
    data: { eventId: event.id, reference: "RE3M-OLD1", accessToken: "old-order-token", status: "PAID", buyerName: "Rosa Returning", buyerEmail: "rosa.returning@example.com", subtotalCents: 0, taxCents: 0, totalCents: 0, taxName: "HST", taxRateBps: 1300, expiresAt: new Date("2024-08-01T00:00:00Z") },
  });
  await db().ticket.create({
    data: { orderId: placed.id, ticketTypeId: type.id, name: "Rosa Returning", email: "rosa.returning@example.com", qrCode: "old-qr", shortCode: "OLDCODE1", manageToken: "old-manage-token" },
  });
  return event;
}

describe("the retention period", () => {
  it("is set at /admin/settings as a whole number of days or left empty, refused otherwise, and starts its notice when it changes", async () => {
    for (const [value, message] of [
      ["abc", "digits"],
      ["-1", "digits"],
      ["1.5", "digits"],
      ["99999", "at most 3650 days"],
      ["4000", "at most 3650 days"],
    ] as const) {
      const { status, result } = await save({ retentionDays: value });
      expect([value, status]).toEqual([value, 400]);
      expect(result!.result.error?.retentionDays?.join(" ")).toContain(message);
    }
    expect(await eventRow()).toMatchObject({ retentionDays: null, retentionSetAt: null });

    const before = Date.now();
    expect((await save({ retentionDays: "30" })).status).toBe(303);
    const set = await eventRow();
    expect(set.retentionDays).toBe(30);
    expect(set.retentionSetAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const entry = await db().auditLog.findFirstOrThrow({ where: { action: "event.settings.changed" }, orderBy: { createdAt: "desc" } });
    expect(entry.after).toEqual({ retentionDays: 30 });
    // Saved again unchanged: the notice does not start over.
    await save({});
    expect((await eventRow()).retentionSetAt).toEqual(set.retentionSetAt);
    expect((await save({ retentionDays: "" })).status).toBe(303);
    expect(await eventRow()).toMatchObject({ retentionDays: null });
    forgetCurrentEvent();
  });

  it("is erased by the daily job on its day, after a dry run that counted the same people, keeping invoices and other events", async () => {
    expect(schedule).toContainEqual({ task: RETENTION_JOB, match: "0 8 * * *", identifier: RETENTION_JOB });
    const event = await seededEvent();
    const type = await ticketType({ priceCents: 30_000 });
    const earlier = await earlierEdition();
    // Rosa came last year too; Omar bought for himself and Pia; Una's order still awaits payment.
    await paidOrder({ [type.slug]: 1 }, { buyer: { name: "Rosa Returning", email: "rosa.returning@example.com" }, attendees: [attendee({ name: "Rosa Returning", email: "rosa.returning@example.com" })] });
    const omar = await paidOrder({ [type.slug]: 2 }, { buyer: { name: "Omar Owner", email: "omar.owner@example.com" }, attendees: [attendee({ name: "Omar Owner", email: "omar.owner@example.com" }), attendee({ name: "Pia Plus", email: "pia.plus@example.com" })] });
    await placeOrder(event, order({ [type.slug]: 1 }, { buyer: { name: "Una Unpaid", email: "una.unpaid@example.com" }, attendees: [attendee({ name: "Una Unpaid", email: "una.unpaid@example.com" })] }), new Date());
    const invoices = await db().invoice.findMany({ where: { orderId: omar.id } });
    expect(invoices).toHaveLength(1);

    // Set today: the event ended long ago, so the notice decides the day.
    const now = new Date();
    await db().event.update({ where: { id: event.id }, data: { retentionDays: 30, retentionSetAt: now } });
    forgetCurrentEvent();
    const row = await db().event.findUniqueOrThrow({ where: { id: event.id } });
    const day = retentionDay(row)!;
    expect(day).toBe(dayKey(new Date(now.getTime() + (RETENTION_NOTICE_DAYS + 1) * DAY), row.timeZone));
    const plan = await retentionPlan(row);
    const everyone = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(DISTINCT lower(e)) AS n FROM (
        SELECT t.email AS e FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" WHERE o."eventId" = ${event.id}
        UNION ALL SELECT "buyerEmail" FROM "Order" WHERE "eventId" = ${event.id}
        UNION ALL SELECT a.email FROM "OrderAttendee" a JOIN "Order" o ON o.id = a."orderId" WHERE o."eventId" = ${event.id}) p`;
    expect(plan).toEqual({ days: 30, day, people: Number(everyone[0]!.n), awaitingPayment: 1 });
    expect(plan.people).toBeGreaterThanOrEqual(4);

    // The dry run, as the organisers' page shows it.
    const { loader } = await import("~/routes/admin.privacy");
    const { cookie } = await cookieFor("ADMIN");
    const page = payload<{ retention: { people: number; dayLabel: string } }>(await loader({ request: request("/admin/privacy", { cookie }), params: {}, context: {} }));
    expect(page.retention).toMatchObject({ people: plan.people, dayLabel: expect.stringContaining(day.slice(0, 4)) });

    // Before its day, nothing happens.
    const dayStarts = zonedTimeToUtc(day, "00:00", row.timeZone);
    expect(await eraseExpiredEventData(new Date(dayStarts.getTime() - 60_000))).toEqual([]);
    expect(await db().ticket.count({ where: { email: "omar.owner@example.com" } })).toBe(1);

    const results = await eraseExpiredEventData(new Date(dayStarts.getTime() + 8 * 3600_000));
    expect(results).toEqual([{ eventId: event.id, erased: plan.people - 1, heldBack: 1 }]);
    for (const email of ["omar.owner@example.com", "pia.plus@example.com"]) {
      expect(await db().ticket.count({ where: { email } })).toBe(0);
      expect(await db().orderAttendee.count({ where: { email } })).toBe(0);
      expect(await db().emailOutbox.count({ where: { toAddress: email } })).toBe(0);
    }
    expect(await db().order.findUniqueOrThrow({ where: { id: omar.id } })).toMatchObject({ buyerName: "Erased buyer", status: "PAID" });
    expect(await db().invoice.findMany({ where: { orderId: omar.id } })).toEqual(invoices);
    // Rosa's ticket of this year is erased, last year's is that event's to keep.
    expect(await db().ticket.findMany({ where: { email: "rosa.returning@example.com" }, select: { order: { select: { eventId: true } } } })).toEqual([
      { order: { eventId: earlier.id } },
    ]);
    expect(await db().ticket.count({ where: { erasedAt: null, order: { eventId: event.id } } })).toBe(0);
    // Una is left until her order is paid or cancelled.
    expect(await db().order.count({ where: { buyerEmail: "una.unpaid@example.com", status: "PENDING" } })).toBe(1);

    // Audited under the event, with counts only.
    const steps = await db().auditLog.findMany({ where: { subject: `event:${event.id}`, action: { startsWith: "privacy." } }, select: { action: true, after: true, actorId: true } });
    expect(steps.map((s) => s.action)).toEqual(expect.arrayContaining(["privacy.erased.tickets", "privacy.erased.orders", "privacy.kept.invoices"]));
    expect(JSON.stringify(steps)).not.toMatch(/omar|pia|rosa/i);

    // Run again (the next day): only Una is left, and still held back.
    expect(await eraseExpiredEventData(new Date(dayStarts.getTime() + 32 * 3600_000))).toEqual([{ eventId: event.id, erased: 0, heldBack: 1 }]);
    expect(await retentionPlan(row)).toMatchObject({ people: 1, awaitingPayment: 1 });
  });
});
