import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findConflicts, saveSession, SessionConflicts } from "~/domain/agenda-admin.server";
import { deleteRoom, deleteSpeaker, deleteTier, saveRoom, slugify } from "~/domain/content-admin.server";
import { currentEvent } from "~/domain/event.server";
import { zonedTimeToUtc } from "~/domain/time";
import * as rooms from "~/routes/admin.rooms.$id";
import * as roomList from "~/routes/admin.rooms._index";
import * as session from "~/routes/admin.sessions.$id";
import * as sessionList from "~/routes/admin.sessions._index";
import * as speaker from "~/routes/admin.speakers.$id";
import * as speakerList from "~/routes/admin.speakers._index";
import * as sponsor from "~/routes/admin.sponsors.$id";
import * as sponsorList from "~/routes/admin.sponsors._index";
import * as tier from "~/routes/admin.tiers.$id";
import * as tierList from "~/routes/admin.tiers._index";
import * as timetable from "~/routes/admin.timetable";
import * as track from "~/routes/admin.tracks.$id";
import * as trackList from "~/routes/admin.tracks._index";
import { loader as agendaLoader } from "~/routes/agenda";
import { loader as uploadLoader } from "~/routes/uploads.$";
import { db } from "~/services/db.server";
import type { SessionInput } from "~/validation/agenda-admin";
import { cookieFor, request, statusOf } from "../support/auth";
import { args } from "../support/outcomes";

// Uploaded files go to a throwaway folder; env() reads it lazily, on the first upload.
const uploadsDir = mkdtempSync(path.join(os.tmpdir(), "re3m-uploads-"));
process.env.UPLOADS_DIR = uploadsDir;

const TZ = "America/Toronto";
const at = (day: string, time: string) => zonedTimeToUtc(day, time, TZ);

describe("local times", () => {
  it("turns Toronto wall-clock times into UTC on both sides of the DST change", () => {
    expect(at("2025-09-09", "09:00").toISOString()).toBe("2025-09-09T13:00:00.000Z");
    expect(at("2025-12-01", "09:00").toISOString()).toBe("2025-12-01T14:00:00.000Z");
  });
});

describe("findConflicts", () => {
  const facts = {
    timeZone: TZ,
    days: ["2025-09-09", "2025-09-10"],
    others: [{ id: "keynote", title: "Opening keynote", startsAt: at("2025-09-09", "09:00"), endsAt: at("2025-09-09", "10:00"), roomId: "hall", speakerIds: ["ada"] }],
    roomNames: new Map([["hall", "Plenary Hall"]]),
    speakerNames: new Map([["ada", "Ada Lovelace"]]),
  };
  const planned = (o: Partial<Parameters<typeof findConflicts>[0]> = {}) => ({
    startsAt: at("2025-09-09", "09:30"),
    endsAt: at("2025-09-09", "10:30"),
    roomId: "room-a",
    speakerIds: [] as string[],
    ...o,
  });

  it("finds a room used twice at once", () => {
    expect(findConflicts(planned({ roomId: "hall" }), facts)).toEqual([
      expect.objectContaining({ kind: "room", overridable: true, sessionId: "keynote", message: expect.stringContaining("Plenary Hall is already used by “Opening keynote”") }),
    ]);
  });

  it("finds a speaker in two places at once", () => {
    expect(findConflicts(planned({ speakerIds: ["ada"] }), facts)).toEqual([expect.objectContaining({ kind: "speaker", message: expect.stringContaining("Ada Lovelace is also in") })]);
  });

  it("finds a session outside the event days", () => {
    expect(findConflicts(planned({ startsAt: at("2025-09-11", "09:00"), endsAt: at("2025-09-11", "10:00") }), facts)).toEqual([
      expect.objectContaining({ kind: "outside-event", overridable: true }),
    ]);
  });

  it("never allows an end before the start", () => {
    expect(findConflicts(planned({ endsAt: at("2025-09-09", "09:00") }), facts)).toEqual([expect.objectContaining({ kind: "end-before-start", overridable: false })]);
  });

  it("lets back-to-back sessions and the session itself through", () => {
    expect(findConflicts(planned({ roomId: "hall", startsAt: at("2025-09-09", "10:00"), endsAt: at("2025-09-09", "11:00") }), facts)).toEqual([]);
    expect(findConflicts(planned({ id: "keynote", roomId: "hall", speakerIds: ["ada"] }), facts)).toEqual([]);
  });
});

async function busySlot() {
  const event = await currentEvent();
  const taken = await db().session.findFirstOrThrow({
    where: { eventId: event.id, status: "PUBLISHED", roomId: { not: null } },
    select: { id: true, startsAt: true, endsAt: true, roomId: true },
    orderBy: { startsAt: "asc" },
  });
  const day = taken.startsAt.toISOString().slice(0, 10);
  const time = (d: Date) => new Intl.DateTimeFormat("en-GB", { timeZone: TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
  return { event, taken, day, start: time(taken.startsAt), end: time(taken.endsAt) };
}

const sessionInput = (o: Partial<SessionInput>): SessionInput => ({
  title: "Test session",
  summary: "",
  kind: "TALK",
  status: "DRAFT",
  day: "2025-09-09",
  start: "06:00",
  end: "06:30",
  trackId: null,
  roomId: null,
  speakers: [],
  override: false,
  ...o,
});

describe("saving a session", () => {
  it("refuses a double-booked room unless the organiser saves anyway, and audits the save", async () => {
    const { event, taken, day, start, end } = await busySlot();
    const { user } = await cookieFor("ORGANISER");
    const input = sessionInput({ title: "Clashing talk", day, start, end, roomId: taken.roomId });
    await expect(saveSession(event, input, user.id)).rejects.toBeInstanceOf(SessionConflicts);
    expect(await db().session.count({ where: { title: "Clashing talk" } })).toBe(0);
    const saved = await saveSession(event, { ...input, override: true }, user.id);
    expect(saved.slug).toBe("clashing-talk");
    const row = await db().auditLog.findFirstOrThrow({ where: { action: "session.created", subject: `session:${saved.id}` } });
    expect(row.actorId).toBe(user.id);
    expect(row.after).toMatchObject({ title: "Clashing talk", status: "DRAFT" });
  });

  it("does not let “Save anyway” excuse an end before the start", async () => {
    const event = await currentEvent();
    const { user } = await cookieFor("ORGANISER");
    await expect(saveSession(event, sessionInput({ start: "10:00", end: "09:00", override: true }), user.id)).rejects.toBeInstanceOf(SessionConflicts);
  });

  it("shows the clash on the form before saving (409) and keeps what was typed", async () => {
    const { taken, day, start, end } = await busySlot();
    const { cookie } = await cookieFor("ORGANISER");
    const form = { title: "Shown clash", kind: "TALK", status: "DRAFT", day, start, end, roomId: taken.roomId! };
    const result = await session.action(args(request("/admin/sessions/new", { cookie, form }), { id: "new" }));
    expect(await statusOf(async () => result)).toBe(409);
    const body = (result as unknown as { data: { conflicts: { kind: string }[]; result: { initialValue: Record<string, unknown> } } }).data;
    expect(new Set(body.conflicts.map((c) => c.kind))).toEqual(new Set(["room"]));
    expect(body.result.initialValue.title).toBe("Shown clash");
  });

  it("a published draft appears on the public agenda at once", async () => {
    const event = await currentEvent();
    const { cookie } = await cookieFor("ORGANISER");
    const created = (await session.action(args(request("/admin/sessions/new", { cookie, form: { title: "Late addition", kind: "TALK", status: "DRAFT", day: "2025-09-10", start: "07:00", end: "07:30" } }), { id: "new" }))) as Response;
    expect(created.status).toBe(302);
    const id = created.headers.get("Location")!.split("/").pop()!.split("?")[0]!;
    const titles = async () => ((await agendaLoader(args(request("/agenda?day=2025-09-10")))) as unknown as { data: { sessions: { title: string }[] } }).data.sessions.map((s) => s.title);
    expect(await titles()).not.toContain("Late addition");
    const published = (await sessionList.action(args(request("/admin/sessions?index", { cookie, form: { intent: "publish", sessionId: id } })))) as Response;
    expect(published.status).toBe(302);
    expect(await titles()).toContain("Late addition");
    expect(await db().auditLog.count({ where: { action: "session.published", subject: `session:${id}` } })).toBe(1);
    // Published on the public edition, the one the agenda shows.
    expect(await db().session.findUniqueOrThrow({ where: { id }, select: { eventId: true, status: true } })).toEqual({ eventId: event.id, status: "PUBLISHED" });
  });

  it("moves a session on the timetable only when the new slot is free", async () => {
    const { taken, day, start } = await busySlot();
    const { cookie } = await cookieFor("ORGANISER");
    const mine = (await session.action(args(request("/admin/sessions/new", { cookie, form: { title: "Movable", kind: "TALK", day, start: "06:00", end: "06:30" } }), { id: "new" }))) as Response;
    const id = mine.headers.get("Location")!.split("/").pop()!.split("?")[0]!;
    const move = (extra: Record<string, string> = {}) => timetable.action(args(request("/admin/timetable", { cookie, form: { sessionId: id, day, start, roomId: taken.roomId!, ...extra } })));
    expect(await statusOf(() => move())).toBe(409);
    expect(await statusOf(() => move({ override: "on" }))).toBe(302);
    const moved = await db().session.findUniqueOrThrow({ where: { id }, select: { startsAt: true, endsAt: true, roomId: true } });
    expect(moved).toEqual({ startsAt: taken.startsAt, endsAt: new Date(taken.startsAt.getTime() + 30 * 60_000), roomId: taken.roomId });
  });
});

describe("permissions", () => {
  const someId = "does-not-matter";
  const pages: [string, { loader: (a: never) => Promise<unknown>; action?: (a: never) => Promise<unknown> }, Record<string, string>][] = [
    ["/admin/sessions", sessionList, {}],
    ["/admin/sessions/new", session, { id: "new" }],
    ["/admin/timetable", timetable, {}],
    ["/admin/tracks", trackList, {}],
    ["/admin/tracks/new", track, { id: "new" }],
    ["/admin/rooms", roomList, {}],
    ["/admin/rooms/new", rooms, { id: "new" }],
    ["/admin/speakers", speakerList, {}],
    ["/admin/speakers/new", speaker, { id: "new" }],
    ["/admin/sponsors", sponsorList, {}],
    ["/admin/sponsors/new", sponsor, { id: "new" }],
    ["/admin/tiers", tierList, {}],
    ["/admin/tiers/new", tier, { id: "new" }],
  ];

  it("every agenda and content page refuses anonymous visitors and the wrong roles", async () => {
    const door = (await cookieFor("CHECKIN")).cookie;
    const sponsorCookie = (await cookieFor("SPONSOR", (await db().sponsor.findFirstOrThrow()).id)).cookie;
    const organiser = (await cookieFor("ORGANISER")).cookie;
    for (const [path, mod, params] of pages) {
      const run = (fn: (a: never) => Promise<unknown>, cookie?: string, post = false) =>
        statusOf(() => fn(args(request(path, { cookie, ...(post ? { form: { sessionId: someId } } : {}) }), params) as never));
      expect([path, await run(mod.loader)]).toEqual([path, 302]);
      expect([path, await run(mod.loader, door)]).toEqual([path, 403]);
      expect([path, await run(mod.loader, sponsorCookie)]).toEqual([path, 403]);
      expect([path, await run(mod.loader, organiser)]).toEqual([path, 200]);
      if (mod.action) {
        expect([path, "POST", await run(mod.action, undefined, true)]).toEqual([path, "POST", 302]);
        expect([path, "POST", await run(mod.action, door, true)]).toEqual([path, "POST", 403]);
        expect([path, "POST", await run(mod.action, sponsorCookie, true)]).toEqual([path, "POST", 403]);
      }
    }
  });
});

function multipart(path: string, cookie: string, fields: Record<string, string>, file?: { name: string; bytes: Uint8Array; type: string }) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (file) body.set("photo", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return new Request(`http://localhost:3000${path}`, { method: "POST", headers: { Origin: "http://localhost:3000", Cookie: cookie }, body });
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe("photo uploads", () => {
  const speakerFields = { name: "Photo Person", role: "Metallurgist", company: "Test Mines" };

  it("stores a PNG under a random name and serves it with a year of caching", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const response = (await speaker.action(args(multipart("/admin/speakers/new", cookie, speakerFields, { name: "me.png", bytes: PNG, type: "image/png" }), { id: "new" }))) as Response;
    expect(response.status).toBe(302);
    const saved = await db().speaker.findFirstOrThrow({ where: { name: "Photo Person" }, select: { photoUrl: true } });
    expect(saved.photoUrl).toMatch(/^\/uploads\/[0-9a-f]{32}\.png$/);
    const served = await uploadLoader(args(request(saved.photoUrl!), { "*": saved.photoUrl!.slice("/uploads/".length) }));
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG);
    expect((await uploadLoader(args(request("/uploads/../../etc/passwd"), { "*": "../../etc/passwd" }))).status).toBe(404);
  });

  it("refuses an SVG or a renamed text file, whatever its name says, and saves nothing", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const before = readdirSync(uploadsDir).length;
    for (const file of [
      { name: "logo.svg", bytes: new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"), type: "image/svg+xml" },
      { name: "photo.png", bytes: new TextEncoder().encode("just text"), type: "image/png" },
    ]) {
      const result = await speaker.action(args(multipart("/admin/speakers/new", cookie, speakerFields, file), { id: "new" }));
      expect(await statusOf(async () => result)).toBe(409);
      expect(JSON.stringify(result)).toContain("not a PNG, JPEG or WebP image");
    }
    expect(readdirSync(uploadsDir).length).toBe(before);
    expect(await db().speaker.count({ where: { name: "Photo Person", company: "Test Mines", photoUrl: { not: null } } })).toBeLessThanOrEqual(1);
  });

  it("refuses an image over 2 MB with a message on the field", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const big = new Uint8Array(2 * 1024 * 1024 + 10);
    big.set(PNG);
    const result = await speaker.action(args(multipart("/admin/speakers/new", cookie, speakerFields, { name: "big.png", bytes: big, type: "image/png" }), { id: "new" }));
    expect(await statusOf(async () => result)).toBe(413);
    expect(JSON.stringify(result)).toContain("at most 2 MB");
  });
});

describe("delete guards", () => {
  it("refuses to delete a room with sessions, a tier with sponsors and a speaker with sessions, saying why", async () => {
    const event = await currentEvent();
    const { user } = await cookieFor("ORGANISER");
    const busyRoom = await db().room.findFirstOrThrow({ where: { eventId: event.id, sessions: { some: {} } }, select: { id: true } });
    await expect(deleteRoom(event.id, busyRoom.id, user.id)).rejects.toThrow(/This room cannot be deleted: \d+ sessions are scheduled in it/);
    const busyTier = await db().sponsorTier.findFirstOrThrow({ where: { eventId: event.id, sponsors: { some: {} } }, select: { id: true } });
    await expect(deleteTier(event.id, busyTier.id, user.id)).rejects.toThrow(/sponsor tier cannot be deleted: \d+ sponsors? belongs? to it/);
    const busySpeaker = await db().speaker.findFirstOrThrow({ where: { eventId: event.id, sessions: { some: {} } }, select: { id: true } });
    await expect(deleteSpeaker(event.id, busySpeaker.id, user.id)).rejects.toThrow(/they are listed on \d+ sessions?/);
  });

  it("deletes an unused room after the tick, with an audit row, and asks for the tick first", async () => {
    const event = await currentEvent();
    const { user, cookie } = await cookieFor("ORGANISER");
    const room = await saveRoom(event.id, { name: "Spare Room", capacity: 20, position: 9 }, user.id);
    const post = (form: Record<string, string>) => rooms.action(args(request(`/admin/rooms/${room.id}`, { cookie, form }), { id: room.id }));
    expect(await statusOf(() => post({ intent: "delete" }))).toBe(400);
    expect(await statusOf(() => post({ intent: "delete", confirm: "on" }))).toBe(302);
    expect(await db().room.count({ where: { id: room.id } })).toBe(0);
    expect(await db().auditLog.findFirst({ where: { action: "room.deleted", subject: `room:${room.id}` }, select: { before: true } })).toMatchObject({ before: { name: "Spare Room" } });
  });

  it("says so when the session to delete is already gone, deleted by someone else a moment before", async () => {
    // Found by the fuzz: the domain's refusal went out of the action, a 500.
    const { cookie } = await cookieFor("ORGANISER");
    const result = await session.action(args(request("/admin/sessions/gone", { cookie, form: { intent: "delete", confirm: "on" } }), { id: "gone" }));
    expect(await statusOf(async () => result)).toBe(409);
    expect(JSON.stringify(result)).toContain("That session no longer exists");
  });

  it("says so when a room name is already taken", async () => {
    const { cookie } = await cookieFor("ORGANISER");
    const existing = await db().room.findFirstOrThrow({ select: { name: true } });
    const result = await rooms.action(args(request("/admin/rooms/new", { cookie, form: { name: existing.name, position: "0" } }), { id: "new" }));
    expect(await statusOf(async () => result)).toBe(409);
    expect(JSON.stringify(result)).toContain(`There is already a room called “${existing.name}”`);
  });

  it("makes unique slugs from names", () => {
    expect(slugify("Mine & Refine: Ore to Oxide")).toBe("mine-and-refine-ore-to-oxide");
    expect(slugify("Émilie Côté")).toBe("emilie-cote");
  });
});
