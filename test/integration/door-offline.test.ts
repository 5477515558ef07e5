// The door without a network (ADR 0016): a device downloads a signed list of the edition's tickets,
// admits from it offline, and sends its queued check-ins when the connection returns. Sent twice,
// a batch records nothing twice; two devices admitting one ticket both keep their time.
import { createHash, createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { action as checkInAction, loader as pageLoader } from "~/routes/admin.check-in";
import { loader as listLoader } from "~/routes/admin.check-in_.list";
import { action as replayAction } from "~/routes/admin.check-in_.replay";
import { db } from "~/services/db.server";
import { doorListSchema, MAX_REPLAY_BATCH, type DoorList } from "~/validation/door";
import { cookieFor, request, statusOf } from "../support/auth";
import { minutes, seededEvent } from "../support/factories";
import { issuedTickets } from "../support/issued-tickets";
import { args, settle } from "../support/outcomes";

type Report = { clientId: string; outcome: string; tone: string; title: string; name: string | null; message: string };

async function downloadList(cookie: string) {
  const { response } = await settle(() => listLoader(args(request("/admin/check-in/list", { cookie }))));
  expect(response!.status).toBe(200);
  expect(response!.headers.get("Cache-Control")).toBe("private, no-store");
  return (await response!.json()) as { body: string; signature: string };
}

async function listKeyOf(cookie: string) {
  const page = await settle(() => pageLoader(args(request("/admin/check-in", { cookie }))));
  return (page.body as { door: { listKey: string } }).door.listKey;
}

/** The device's check, as the page's script makes it (HMAC-SHA256 of the text with the session's key). */
const signatureOf = (body: string, listKey: string) => createHmac("sha256", Buffer.from(listKey, "base64url")).update(body).digest("base64url");

async function replay(cookie: string, deviceId: string, entries: unknown, raw?: Record<string, string>) {
  const form = raw ?? { deviceId, entries: JSON.stringify(entries) };
  const { response } = await settle(() => replayAction(args(request("/admin/check-in/replay", { cookie, form }))));
  return { status: response!.status, body: (await response!.json()) as { ok: boolean; message?: string; results?: Report[] } };
}

const admission = (ticketId: string, scannedAt: Date, clientId = randomUUID()) => ({ clientId, ticketId, scannedAt: scannedAt.toISOString() });

const entriesOf = (ticketId: string) =>
  db().checkInEntry.findMany({ where: { ticketId }, orderBy: { scannedAt: "asc" }, select: { deviceId: true, scannedAt: true, userId: true, refusedStatus: true } });

describe("the door's ticket list for working offline", () => {
  it("gives door staff every ticket of the edition, refused ones too, signed for their session, without QR secrets or emails", async () => {
    const event = await seededEvent();
    const [valid, refunded] = await issuedTickets([{ name: "Offline Olga", company: "Neodymium North" }, { name: "Refunded Rita" }]);
    await db().ticket.update({ where: { id: refunded!.id }, data: { status: "REFUNDED" } });
    const { cookie, user } = await cookieFor("CHECKIN");
    const signed = await downloadList(cookie);
    expect(signatureOf(signed.body, await listKeyOf(cookie))).toBe(signed.signature);

    const list: DoorList = doorListSchema.parse(JSON.parse(signed.body));
    expect(list).toMatchObject({ eventId: event.id, userId: user.id, timeZone: "America/Toronto" });
    expect(list.tickets).toHaveLength(await db().ticket.count({ where: { ticketType: { eventId: event.id } } }));
    const olga = list.tickets.find((t) => t.id === valid!.id)!;
    expect(olga).toMatchObject({ code: valid!.shortCode, name: "Offline Olga", company: "Neodymium North", status: "VALID", in: null });
    expect(olga.qr).toBe(createHash("sha256").update(valid!.qrCode).digest("base64url").slice(0, 22));
    expect(list.types[olga.type]).toBeTruthy();
    expect(list.tickets.find((t) => t.id === refunded!.id)).toMatchObject({ status: "REFUNDED" });
    expect(signed.body).not.toContain(valid!.qrCode);
    expect(signed.body).not.toContain(valid!.email);
  });

  it("fails the device's check when the kept copy was changed, or comes from another session", async () => {
    const [ticket] = await issuedTickets([{ name: "Tampered Tess" }]);
    await db().ticket.update({ where: { id: ticket!.id }, data: { status: "CANCELLED" } });
    const { cookie } = await cookieFor("CHECKIN");
    const signed = await downloadList(cookie);
    const key = await listKeyOf(cookie);
    // Someone makes the cancelled ticket valid again in the kept copy.
    const edited = signed.body.replace(/("name":"Tampered Tess"[^}]*"status":)"CANCELLED"/, '$1"VALID"');
    expect(edited).not.toBe(signed.body);
    expect(signatureOf(edited, key)).not.toBe(signed.signature);
    const other = await cookieFor("CHECKIN");
    expect(signatureOf(signed.body, await listKeyOf(other.cookie))).not.toBe(signed.signature);
  });

  it("is only for door staff and organisers", async () => {
    expect(await statusOf(() => listLoader(args(request("/admin/check-in/list"))))).toBe(302);
    const sponsor = await cookieFor("SPONSOR", (await db().sponsor.findFirstOrThrow({ select: { id: true } })).id);
    expect(await statusOf(() => listLoader(args(request("/admin/check-in/list", { cookie: sponsor.cookie }))))).toBe(403);
    const [ticket] = await issuedTickets([{}]);
    const form = { deviceId: "SPON", entries: JSON.stringify([admission(ticket!.id, new Date())]) };
    expect(await statusOf(() => replayAction(args(request("/admin/check-in/replay", { cookie: sponsor.cookie, form }))))).toBe(403);
    expect(await entriesOf(ticket!.id)).toEqual([]);
  });
});

describe("sending the check-ins a device queued offline", () => {
  it("records a queued batch once: sent again it records nothing more and answers the same", async () => {
    const [ada, bob] = await issuedTickets([{ name: "Queued Ada" }, { name: "Queued Bob" }]);
    const { cookie, user } = await cookieFor("CHECKIN");
    const batch = [admission(ada!.id, minutes(-12)), admission(bob!.id, minutes(-11))];
    const first = await replay(cookie, "K7Q2", batch);
    expect(first.status).toBe(200);
    expect(first.body.results!.map((r) => [r.clientId, r.outcome, r.name])).toEqual([
      [batch[0]!.clientId, "checked-in", "Queued Ada"],
      [batch[1]!.clientId, "checked-in", "Queued Bob"],
    ]);
    expect(first.body.results![0]!.message).toMatch(/^Queued Ada: checked in at \d{1,2}:\d{2} [ap]\.m\. E[DS]T\.$/);
    const again = await replay(cookie, "K7Q2", batch);
    expect(again).toEqual(first);
    expect(await entriesOf(ada!.id)).toEqual([{ deviceId: "K7Q2", scannedAt: new Date(batch[0]!.scannedAt), userId: user.id, refusedStatus: null }]);
    const stored = await db().ticket.findUniqueOrThrow({ where: { id: ada!.id }, select: { checkedInAt: true, checkedInById: true } });
    expect(stored).toEqual({ checkedInAt: new Date(batch[0]!.scannedAt), checkedInById: user.id });
    expect(await db().auditLog.count({ where: { subject: `ticket:${ada!.id}`, action: "ticket.checked-in" } })).toBe(1);
  });

  it("keeps both times when two devices admitted one ticket offline: the earliest is the check-in, the later a second entry", async () => {
    const [ticket] = await issuedTickets([{ name: "Twice Tomas", company: "Dysprosium Dynamics" }]);
    const deviceA = await cookieFor("CHECKIN");
    const deviceB = await cookieFor("CHECKIN");
    const atA = minutes(-20);
    const atB = minutes(-16);
    // B's connection returns first, with the later admission.
    const fromB = admission(ticket!.id, atB);
    expect((await replay(deviceB.cookie, "BBBB", [fromB])).body.results![0]).toMatchObject({ outcome: "checked-in" });
    const fromA = await replay(deviceA.cookie, "AAAA", [admission(ticket!.id, atA)]);
    expect(fromA.body.results![0]).toMatchObject({ outcome: "checked-in", tone: "ok" });

    expect(await entriesOf(ticket!.id)).toEqual([
      { deviceId: "AAAA", scannedAt: atA, userId: deviceA.user.id, refusedStatus: null },
      { deviceId: "BBBB", scannedAt: atB, userId: deviceB.user.id, refusedStatus: null },
    ]);
    expect(await db().ticket.findUniqueOrThrow({ where: { id: ticket!.id }, select: { checkedInAt: true, checkedInById: true } })).toEqual({ checkedInAt: atA, checkedInById: deviceA.user.id });
    // B, sending again (its answer was cut off), now learns that its admission came second.
    const bAgain = (await replay(deviceB.cookie, "BBBB", [fromB])).body.results![0]!;
    expect(bAgain).toMatchObject({ outcome: "second-entry", tone: "warn", title: "Second entry" });
    expect(bAgain.message).toMatch(/^Twice Tomas: also admitted at .+ on this device\. First checked in at .+ on device AAAA \(Test checkin\)\. Both entries are kept\.$/);
    // The search at the door shows the second entry beside the first.
    const page = await settle(() => pageLoader(args(request("/admin/check-in?q=Twice%20Tomas", { cookie: deviceA.cookie }))));
    expect(page.body).toMatchObject({ results: [{ id: ticket!.id, checkedInAt: expect.stringMatching(/E[DS]T$/), alsoAdmitted: [expect.stringMatching(/^Also admitted at .+ on device BBBB \(Test checkin\)$/)] }] });
    expect(await db().auditLog.findMany({ where: { subject: `ticket:${ticket!.id}` }, select: { action: true }, orderBy: { createdAt: "asc" } })).toEqual([
      { action: "ticket.checked-in" },
      { action: "ticket.checked-in" },
    ]);
  });

  it("puts an offline admission before an online check-in made later, and the online scan writes its entry too", async () => {
    const [ticket] = await issuedTickets([{ name: "Online Later" }]);
    const { cookie } = await cookieFor("CHECKIN");
    const online = await settle(() => checkInAction(args(request("/admin/check-in", { cookie, form: { intent: "scan", code: ticket!.qrCode, deviceId: "WEBB" } }))));
    expect(online.body).toMatchObject({ outcome: "checked-in" });
    const earlier = minutes(-30);
    const sent = await replay(cookie, "OFFL", [admission(ticket!.id, earlier)]);
    expect(sent.body.results![0]).toMatchObject({ outcome: "checked-in" });
    expect((await entriesOf(ticket!.id)).map((e) => e.deviceId)).toEqual(["OFFL", "WEBB"]);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket!.id }, select: { checkedInAt: true } })).checkedInAt).toEqual(earlier);
    const rescanned = await settle(() => checkInAction(args(request("/admin/check-in", { cookie, form: { intent: "scan", code: ticket!.shortCode } }))));
    expect(rescanned.body).toMatchObject({ outcome: "already", ticket: { alsoAdmitted: [expect.stringContaining("on device WEBB")] } });
  });

  it("reports plainly an admission of a ticket refunded while the device was offline, which does not count as checked in", async () => {
    const [ticket] = await issuedTickets([{ name: "Refunded Meanwhile" }]);
    const { cookie } = await cookieFor("CHECKIN");
    await db().ticket.update({ where: { id: ticket!.id }, data: { status: "REFUNDED" } });
    const sent = await replay(cookie, "K7Q2", [admission(ticket!.id, minutes(-5))]);
    expect(sent.status).toBe(200);
    const report = sent.body.results![0]!;
    expect(report).toMatchObject({ outcome: "refused", tone: "danger", title: "Ticket refunded", name: "Refunded Meanwhile" });
    expect(report.message).toMatch(/^Refunded Meanwhile was let in at .+, but the ticket was refunded before this check-in reached the server\. It does not count as checked in/);
    expect(await entriesOf(ticket!.id)).toEqual([expect.objectContaining({ refusedStatus: "REFUNDED" })]);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket!.id }, select: { checkedInAt: true } })).checkedInAt).toBeNull();
    expect(await db().auditLog.count({ where: { subject: `ticket:${ticket!.id}`, action: "ticket.check-in-refused" } })).toBe(1);
  });

  it("records nothing for a ticket of no edition it knows, nor for a check-in id already used for another ticket", async () => {
    const [first, second] = await issuedTickets([{ name: "First Holder" }, { name: "Second Holder" }]);
    const { cookie } = await cookieFor("CHECKIN");
    const clientId = randomUUID();
    await replay(cookie, "K7Q2", [admission(first!.id, minutes(-3), clientId)]);
    const sent = await replay(cookie, "K7Q2", [admission("nosuchticket", minutes(-2)), admission(second!.id, minutes(-1), clientId)]);
    expect(sent.body.results!.map((r) => r.outcome)).toEqual(["unknown", "conflict"]);
    expect(await entriesOf(second!.id)).toEqual([]);
  });

  it("takes a device clock running ahead as the time the check-in arrived", async () => {
    const [ticket] = await issuedTickets([{}]);
    const { cookie } = await cookieFor("CHECKIN");
    const before = new Date();
    await replay(cookie, "FAST", [admission(ticket!.id, minutes(90))]);
    const [entry] = await entriesOf(ticket!.id);
    expect(entry!.scannedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(entry!.scannedAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("refuses a batch the page never sends with a 400 that says what is wrong, and changes nothing", async () => {
    const [ticket] = await issuedTickets([{}]);
    const { cookie } = await cookieFor("CHECKIN");
    const good = admission(ticket!.id, minutes(-1));
    const before = await db().checkInEntry.count();
    const cases: [Record<string, string>, RegExp][] = [
      [{ deviceId: "K7Q2" }, /no check-ins/],
      [{ deviceId: "K7Q2", entries: "not json" }, /not valid JSON/],
      [{ deviceId: "K7Q2", entries: "{}" }, /not one it makes/],
      [{ deviceId: "K7Q2", entries: "[]" }, /has no check-ins/],
      [{ deviceId: "K7Q2", entries: JSON.stringify(Array.from({ length: MAX_REPLAY_BATCH + 1 }, () => admission(ticket!.id, minutes(-1)))) }, /at most 200/],
      [{ deviceId: "K7Q2", entries: JSON.stringify([good, { ...good, clientId: "x" }]) }, /its id from the device/],
      [{ deviceId: "K7Q2", entries: JSON.stringify([{ ...good, scannedAt: "yesterday" }]) }, /time it was made/],
      [{ deviceId: "K7Q2", entries: JSON.stringify([{ ...good, ticketId: "'; DROP TABLE" }]) }, /letters and digits/],
      [{ deviceId: "k7 q2", entries: JSON.stringify([good]) }, /device id/],
      [{ entries: JSON.stringify([good]) }, /./],
    ];
    for (const [form, says] of cases) {
      const answer = await replay(cookie, "", null, form);
      expect(answer.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(answer.body).toEqual({ ok: false, message: expect.stringMatching(says) });
    }
    expect(await db().checkInEntry.count()).toBe(before);
  });
});
