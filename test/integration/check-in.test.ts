// The door on the day: tickets are admitted once, refused when cancelled or refunded, and found by
// name or code; only door staff and organisers can use it.
import { describe, expect, it } from "vitest";
import { checkIn, doorCounts, searchDoor } from "~/domain/check-in.server";
import { action, loader } from "~/routes/admin.check-in";
import { db } from "~/services/db.server";
import { cookieFor, request, statusOf } from "../support/auth";
import { seededEvent } from "../support/factories";
import { issuedTickets } from "../support/issued-tickets";
import { args, settle } from "../support/outcomes";

const scan = (cookie: string, fields: Record<string, string>) => settle(() => action(args(request("/admin/check-in", { cookie, form: fields }))));

describe("checking tickets in at the door", () => {
  it("admits a ticket on the first scan and warns with the Toronto time of the first on the second", async () => {
    const [ticket] = await issuedTickets([{ name: "Ada Door", company: "Lovelace Magnets" }]);
    const { cookie, user } = await cookieFor("CHECKIN");
    const first = await scan(cookie, { intent: "scan", code: ticket!.qrCode });
    expect(first.body).toMatchObject({ outcome: "checked-in", ticket: { name: "Ada Door", company: "Lovelace Magnets", status: "VALID" } });
    const stored = await db().ticket.findUniqueOrThrow({ where: { id: ticket!.id }, select: { checkedInAt: true, checkedInById: true } });
    expect(stored.checkedInAt).not.toBeNull();
    expect(stored.checkedInById).toBe(user.id);
    const again = await scan(cookie, { intent: "scan", code: ticket!.qrCode });
    expect(again.body).toMatchObject({ outcome: "already" });
    expect((again.body as { message: string }).message).toMatch(/Already checked in at \d{1,2}:\d{2} [ap]\.m\. E[DS]T/);
    const rows = await db().auditLog.findMany({ where: { subject: `ticket:${ticket!.id}`, action: "ticket.checked-in" }, select: { actorId: true } });
    expect(rows).toEqual([{ actorId: user.id }]);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket!.id }, select: { checkedInAt: true } })).checkedInAt).toEqual(stored.checkedInAt);
  });

  it("admits a ticket exactly once when two doors scan it at the same moment", async () => {
    const event = await seededEvent();
    const [ticket] = await issuedTickets([{}]);
    const { user } = await cookieFor("CHECKIN");
    const results = await Promise.all(Array.from({ length: 8 }, () => checkIn(event.id, { code: ticket!.qrCode }, user.id, new Date())));
    expect(results.filter((r) => r.outcome === "checked-in")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "already")).toHaveLength(7);
  });

  it("refuses cancelled and refunded tickets and says which", async () => {
    const [cancelled, refunded] = await issuedTickets([{}, {}]);
    await db().ticket.update({ where: { id: cancelled!.id }, data: { status: "CANCELLED" } });
    await db().ticket.update({ where: { id: refunded!.id }, data: { status: "REFUNDED" } });
    const { cookie } = await cookieFor("CHECKIN");
    expect((await scan(cookie, { intent: "scan", code: cancelled!.qrCode })).body).toMatchObject({ outcome: "refused", message: expect.stringContaining("cancelled") });
    expect((await scan(cookie, { intent: "admit", ticketId: refunded!.id })).body).toMatchObject({ outcome: "refused", message: expect.stringContaining("refunded") });
    const stored = await db().ticket.findMany({ where: { id: { in: [cancelled!.id, refunded!.id] } }, select: { checkedInAt: true } });
    expect(stored.every((t) => t.checkedInAt === null)).toBe(true);
  });

  it("says so for an unknown code and rejects an empty one without a 500", async () => {
    const { cookie } = await cookieFor("CHECKIN");
    expect((await scan(cookie, { intent: "scan", code: "not-a-ticket" })).body).toMatchObject({ outcome: "unknown" });
    expect(await scan(cookie, { intent: "scan", code: "" })).toMatchObject({ status: 400 });
    expect(await scan(cookie, { intent: "bogus" })).toMatchObject({ status: 400 });
  });

  it("accepts the short code typed from the badge, in any case and with spaces", async () => {
    const [ticket] = await issuedTickets([{}]);
    const { cookie } = await cookieFor("CHECKIN");
    const typed = `${ticket!.shortCode.slice(0, 4).toLowerCase()} ${ticket!.shortCode.slice(4)}`;
    expect((await scan(cookie, { intent: "scan", code: typed })).body).toMatchObject({ outcome: "checked-in" });
  });

  it("finds tickets by name, email, company and short code, and counts checked-in out of valid", async () => {
    const event = await seededEvent();
    const [ticket] = await issuedTickets([{ name: "Grace Searchable", email: "grace.search@example.com", company: "Hopper Rotors" }]);
    for (const q of ["grace search", "grace.search@", "hopper rot", ticket!.shortCode.toLowerCase()]) {
      const found = await searchDoor(event.id, q.replace("grace search", "Grace Search"));
      expect(found.map((t) => t.id), q).toContain(ticket!.id);
    }
    const before = await doorCounts(event.id);
    const { cookie } = await cookieFor("ORGANISER");
    await scan(cookie, { intent: "admit", ticketId: ticket!.id });
    const after = await doorCounts(event.id);
    expect(after).toEqual({ checkedIn: before.checkedIn + 1, valid: before.valid });
    const page = await settle(() => loader(args(request("/admin/check-in?q=Hopper", { cookie }))));
    expect(page.body).toMatchObject({ counts: after, results: [{ id: ticket!.id, checkedInAt: expect.stringMatching(/E[DS]T$/) }] });
  });

  it("is closed to anonymous visitors and to sponsors", async () => {
    expect(await statusOf(() => loader(args(request("/admin/check-in"))))).toBe(302);
    const { cookie } = await cookieFor("SPONSOR", (await db().sponsor.findFirstOrThrow({ select: { id: true } })).id);
    expect(await statusOf(() => loader(args(request("/admin/check-in", { cookie }))))).toBe(403);
    expect(await statusOf(() => action(args(request("/admin/check-in", { cookie, form: { intent: "scan", code: "x" } }))))).toBe(403);
  });
});
