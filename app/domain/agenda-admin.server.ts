// The organisers' side of the agenda: sessions are created, edited, moved and published here, and
// every save is checked against the rest of the agenda before anything is written.
import { audit, type Tx } from "~/services/audit.server";
import { db } from "~/services/db.server";
import type { MoveInput, SessionInput } from "~/validation/agenda-admin";
import { fail } from "./errors";
import type { CurrentEvent } from "./event.server";
import { uniqueSlug } from "./content-admin.server";
import { dayKey, formatDayKey, formatTimeRange, timeKey, zonedTimeToUtc } from "./time";

export type ConflictKind = "end-before-start" | "outside-event" | "room" | "speaker";

export type Conflict = {
  kind: ConflictKind;
  message: string;
  /** False for a problem that no tick of "Save anyway" can excuse. */
  overridable: boolean;
  /** The other session involved, when there is one. */
  sessionId?: string;
};

export type PlannedSession = {
  id?: string;
  startsAt: Date;
  endsAt: Date;
  roomId: string | null;
  speakerIds: string[];
};

export type ScheduledSession = PlannedSession & { id: string; title: string };

type AgendaFacts = {
  timeZone: string;
  days: string[];
  others: ScheduledSession[];
  roomNames: Map<string, string>;
  speakerNames: Map<string, string>;
};

const overlaps = (a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }) => a.startsAt < b.endsAt && b.startsAt < a.endsAt;

/**
 * Everything wrong with putting this session on the agenda as planned, given the other sessions
 * (drafts included: a draft is a room booking in progress). Pure, so the rules are tested alone.
 */
export function findConflicts(planned: PlannedSession, facts: AgendaFacts): Conflict[] {
  if (planned.endsAt <= planned.startsAt) {
    return [{ kind: "end-before-start", overridable: false, message: "The session must end after it starts." }];
  }
  const conflicts: Conflict[] = [];
  const startDay = dayKey(planned.startsAt, facts.timeZone);
  const endDay = dayKey(new Date(planned.endsAt.getTime() - 1), facts.timeZone);
  if (!facts.days.includes(startDay) || !facts.days.includes(endDay)) {
    conflicts.push({
      kind: "outside-event",
      overridable: true,
      message: `The event runs on ${facts.days.map((d) => formatDayKey(d)).join(" and ")}; this session is on ${formatDayKey(startDay)}.`,
    });
  }
  const when = (s: ScheduledSession) => formatTimeRange(s.startsAt, s.endsAt, facts.timeZone);
  for (const other of facts.others) {
    if (other.id === planned.id || !overlaps(planned, other)) continue;
    if (planned.roomId && other.roomId === planned.roomId) {
      conflicts.push({
        kind: "room",
        overridable: true,
        sessionId: other.id,
        message: `${facts.roomNames.get(planned.roomId) ?? "The room"} is already used by “${other.title}” (${when(other)}).`,
      });
    }
    for (const speakerId of planned.speakerIds.filter((id) => other.speakerIds.includes(id))) {
      conflicts.push({
        kind: "speaker",
        overridable: true,
        sessionId: other.id,
        message: `${facts.speakerNames.get(speakerId) ?? "A speaker"} is also in “${other.title}” (${when(other)}).`,
      });
    }
  }
  return conflicts;
}

/** The agenda as findConflicts needs it: every other session of the event with its room and speakers. */
async function agendaFacts(event: CurrentEvent, client: Tx | ReturnType<typeof db> = db()): Promise<AgendaFacts> {
  const [sessions, rooms, speakers] = await Promise.all([
    client.session.findMany({
      where: { eventId: event.id },
      select: { id: true, title: true, startsAt: true, endsAt: true, roomId: true, speakers: { select: { speakerId: true } } },
    }),
    client.room.findMany({ where: { eventId: event.id }, select: { id: true, name: true } }),
    client.speaker.findMany({ where: { eventId: event.id }, select: { id: true, name: true } }),
  ]);
  return {
    timeZone: event.timeZone,
    days: event.days,
    others: sessions.map(({ speakers: s, ...rest }) => ({ ...rest, speakerIds: s.map((x) => x.speakerId) })),
    roomNames: new Map(rooms.map((r) => [r.id, r.name])),
    speakerNames: new Map(speakers.map((s) => [s.id, s.name])),
  };
}

/** A conflict blocks the save unless all are excusable and the organiser ticked "Save anyway". */
export class SessionConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super("The session clashes with the agenda.");
    this.name = "SessionConflicts";
  }
}

function checkConflicts(planned: PlannedSession, facts: AgendaFacts, override: boolean) {
  const conflicts = findConflicts(planned, facts);
  if (conflicts.length > 0 && (!override || conflicts.some((c) => !c.overridable))) throw new SessionConflicts(conflicts);
}

const sessionAuditSelect = {
  id: true,
  slug: true,
  title: true,
  summary: true,
  kind: true,
  status: true,
  startsAt: true,
  endsAt: true,
  trackId: true,
  roomId: true,
  speakers: { select: { speakerId: true, role: true, position: true }, orderBy: { position: "asc" } },
} as const;

async function snapshot(tx: Tx, eventId: string, id: string) {
  const session = await tx.session.findFirst({ where: { id, eventId }, select: sessionAuditSelect });
  if (!session) fail("content.not-found", "session");
  return session;
}

/** The references in a form must belong to this event; checked so a stale form cannot 500. */
async function assertReferences(tx: Tx, eventId: string, input: Pick<SessionInput, "trackId" | "roomId"> & { speakerIds: string[] }) {
  const [track, room, speakers] = await Promise.all([
    input.trackId ? tx.track.count({ where: { id: input.trackId, eventId } }) : 1,
    input.roomId ? tx.room.count({ where: { id: input.roomId, eventId } }) : 1,
    input.speakerIds.length ? tx.speaker.count({ where: { id: { in: input.speakerIds }, eventId } }) : 0,
  ]);
  if (track !== 1 || room !== 1 || speakers !== input.speakerIds.length) fail("session.unknown-reference");
}

function plannedFrom(event: CurrentEvent, input: SessionInput, id?: string): PlannedSession {
  return {
    id,
    startsAt: zonedTimeToUtc(input.day, input.start, event.timeZone),
    endsAt: zonedTimeToUtc(input.day, input.end, event.timeZone),
    roomId: input.roomId,
    speakerIds: input.speakers.map((s) => s.speakerId),
  };
}

/**
 * Creates (no id) or updates a session after checking it against the agenda. Throws
 * SessionConflicts with the list to show, or DomainError for a stale reference.
 */
export async function saveSession(event: CurrentEvent, input: SessionInput, actorId: string, id?: string) {
  const planned = plannedFrom(event, input, id);
  return db().$transaction(async (tx) => {
    await assertReferences(tx, event.id, { ...input, speakerIds: planned.speakerIds });
    checkConflicts(planned, await agendaFacts(event, tx), input.override);
    const before = id ? await snapshot(tx, event.id, id) : null;
    const fields = {
      title: input.title,
      summary: input.summary,
      kind: input.kind,
      status: input.status,
      startsAt: planned.startsAt,
      endsAt: planned.endsAt,
      trackId: input.trackId,
      roomId: input.roomId,
    };
    const speakers = input.speakers.map((s, position) => ({ speakerId: s.speakerId, role: s.role, position }));
    const saved = id
      ? await tx.session.update({ where: { id }, data: { ...fields, speakers: { deleteMany: {}, create: speakers } }, select: { id: true } })
      : await tx.session.create({
          data: { ...fields, eventId: event.id, slug: await uniqueSlug(tx, "session", event.id, input.title), speakers: { create: speakers } },
          select: { id: true },
        });
    const after = await snapshot(tx, event.id, saved.id);
    await audit(tx, { action: id ? "session.updated" : "session.created", subject: `session:${saved.id}`, actorId, before, after });
    return after;
  });
}

/** Moves a session to a new start (keeping its length) and maybe another room, re-checking the agenda. */
export async function moveSession(event: CurrentEvent, input: MoveInput, actorId: string) {
  return db().$transaction(async (tx) => {
    const before = await snapshot(tx, event.id, input.sessionId);
    await assertReferences(tx, event.id, { trackId: null, roomId: input.roomId, speakerIds: [] });
    const startsAt = zonedTimeToUtc(input.day, input.start, event.timeZone);
    const endsAt = new Date(startsAt.getTime() + (before.endsAt.getTime() - before.startsAt.getTime()));
    const planned = { id: before.id, startsAt, endsAt, roomId: input.roomId, speakerIds: before.speakers.map((s) => s.speakerId) };
    checkConflicts(planned, await agendaFacts(event, tx), input.override);
    await tx.session.update({ where: { id: before.id }, data: { startsAt, endsAt, roomId: input.roomId }, select: { id: true } });
    const after = await snapshot(tx, event.id, before.id);
    await audit(tx, { action: "session.moved", subject: `session:${before.id}`, actorId, before, after });
    return after;
  });
}

export async function setSessionStatus(eventId: string, id: string, status: "DRAFT" | "PUBLISHED", actorId: string) {
  return db().$transaction(async (tx) => {
    const before = await snapshot(tx, eventId, id);
    const { count } = await tx.session.updateMany({ where: { id, eventId }, data: { status } });
    if (count !== 1) fail("content.not-found", "session");
    await audit(tx, { action: status === "PUBLISHED" ? "session.published" : "session.unpublished", subject: `session:${id}`, actorId, before: { status: before.status }, after: { status } });
  });
}

/** A draft copy with the same details, to be edited; it is checked for clashes when saved. */
export async function duplicateSession(eventId: string, id: string, actorId: string) {
  return db().$transaction(async (tx) => {
    const source = await snapshot(tx, eventId, id);
    const title = `${source.title} (copy)`;
    const copy = await tx.session.create({
      data: {
        eventId,
        slug: await uniqueSlug(tx, "session", eventId, title),
        title,
        summary: source.summary,
        kind: source.kind,
        status: "DRAFT",
        startsAt: source.startsAt,
        endsAt: source.endsAt,
        trackId: source.trackId,
        roomId: source.roomId,
        speakers: { create: source.speakers.map(({ speakerId, role, position }) => ({ speakerId, role, position })) },
      },
      select: { id: true },
    });
    const after = await snapshot(tx, eventId, copy.id);
    await audit(tx, { action: "session.duplicated", subject: `session:${copy.id}`, actorId, before: { from: source.id }, after });
    return copy;
  });
}

export async function deleteSession(eventId: string, id: string, actorId: string) {
  await db().$transaction(async (tx) => {
    const before = await snapshot(tx, eventId, id);
    const { count } = await tx.session.deleteMany({ where: { id, eventId } });
    if (count !== 1) fail("content.not-found", "session");
    await audit(tx, { action: "session.deleted", subject: `session:${id}`, actorId, before });
  });
}

/** The session as its edit form shows it: local day and times in the event's zone. */
export async function sessionForEditing(event: CurrentEvent, id: string) {
  const s = await db().session.findFirst({ where: { id, eventId: event.id }, select: sessionAuditSelect });
  if (!s) return null;
  return {
    ...s,
    day: dayKey(s.startsAt, event.timeZone),
    start: timeKey(s.startsAt, event.timeZone),
    end: timeKey(s.endsAt, event.timeZone),
  };
}

/** The choices every session form offers. */
export async function sessionFormChoices(eventId: string) {
  const [tracks, rooms, speakers] = await Promise.all([
    db().track.findMany({ where: { eventId }, select: { id: true, name: true }, orderBy: { position: "asc" } }),
    db().room.findMany({ where: { eventId }, select: { id: true, name: true }, orderBy: { position: "asc" } }),
    db().speaker.findMany({ where: { eventId }, select: { id: true, name: true, company: true }, orderBy: { name: "asc" } }),
  ]);
  return { tracks, rooms, speakers };
}

export type SessionFilters = { day?: string; trackId?: string; status?: "DRAFT" | "PUBLISHED" };

/** The organisers' list of sessions, with the clashes each one has right now. */
export async function adminSessionList(event: CurrentEvent, filters: SessionFilters) {
  const sessions = await db().session.findMany({
    where: { eventId: event.id, ...(filters.trackId ? { trackId: filters.trackId } : {}), ...(filters.status ? { status: filters.status } : {}) },
    select: {
      id: true,
      slug: true,
      title: true,
      kind: true,
      status: true,
      startsAt: true,
      endsAt: true,
      track: { select: { name: true, color: true } },
      room: { select: { name: true } },
      speakers: { select: { role: true, speaker: { select: { name: true } } }, orderBy: { position: "asc" } },
    },
    orderBy: [{ startsAt: "asc" }, { room: { position: "asc" } }],
  });
  const shown = filters.day ? sessions.filter((s) => dayKey(s.startsAt, event.timeZone) === filters.day) : sessions;
  const facts = await agendaFacts(event);
  const byId = new Map(facts.others.map((s) => [s.id, s]));
  return shown.map((s) => ({ ...s, day: dayKey(s.startsAt, event.timeZone), conflicts: findConflicts(byId.get(s.id)!, facts).length }));
}

/** One day of the timetable for organisers: drafts included, every room as a column. */
export async function adminTimetableDay(event: CurrentEvent, day: string) {
  const [rooms, sessions] = await Promise.all([
    db().room.findMany({ where: { eventId: event.id }, select: { id: true, name: true }, orderBy: { position: "asc" } }),
    db().session.findMany({
      where: { eventId: event.id },
      select: { id: true, title: true, status: true, kind: true, startsAt: true, endsAt: true, roomId: true, track: { select: { color: true } } },
      orderBy: { startsAt: "asc" },
    }),
  ]);
  return { rooms, sessions: sessions.filter((s) => dayKey(s.startsAt, event.timeZone) === day).map((s) => ({ ...s, start: timeKey(s.startsAt, event.timeZone) })) };
}
