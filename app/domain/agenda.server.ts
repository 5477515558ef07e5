// What the public agenda, session and speaker pages show. Only PUBLISHED sessions are public.
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/services/db.server";
import type { CurrentEvent } from "./event.server";
import { dayKey, daysBetween, minuteOfDay } from "./time";

const speakerCard = { slug: true, name: true, role: true, company: true, photoUrl: true } as const;

/** A session's name and place in time: what every list of sessions starts from. */
export const sessionTimeSelect = {
  id: true,
  slug: true,
  title: true,
  kind: true,
  startsAt: true,
  endsAt: true,
} satisfies Prisma.SessionSelect;

// What a session shows in a list; pages and calendars add the summary.
const sessionListItem = {
  ...sessionTimeSelect,
  track: { select: { slug: true, name: true, color: true } },
  room: { select: { id: true, name: true, position: true } },
  speakers: { select: { role: true, speaker: { select: { slug: true, name: true } } }, orderBy: { position: "asc" } },
} as const;

const sessionCard = { ...sessionListItem, summary: true, updatedAt: true } as const;

export const publicSessionWhere = (eventId: string) => ({ eventId, status: "PUBLISHED" as const });

export async function tracksAndRooms(eventId: string) {
  const [tracks, rooms] = await Promise.all([
    db().track.findMany({ where: { eventId }, select: { slug: true, name: true, color: true }, orderBy: { position: "asc" } }),
    db().room.findMany({ where: { eventId }, select: { id: true, name: true, position: true }, orderBy: { position: "asc" } }),
  ]);
  return { tracks, rooms };
}

export type AgendaSession = Awaited<ReturnType<typeof publishedListItems>>[number] & {
  startMinute: number;
  endMinute: number;
  /** No other session runs at the same time: the timetable gives it the whole row. */
  spansAllRooms: boolean;
};

// One SQL query with JSON aggregation instead of one query per relation.
const JOIN = "join" as const;

function publishedListItems(eventId: string) {
  return db().session.findMany({
    relationLoadStrategy: JOIN,
    where: publicSessionWhere(eventId),
    select: sessionListItem,
    orderBy: [{ startsAt: "asc" }, { room: { position: "asc" } }],
  });
}

/**
 * One day of the agenda, optionally narrowed to a track. Plenary sessions (no track: keynotes,
 * breaks, networking) stay in every track's view, since everyone attends them.
 */
export async function agendaDay(event: CurrentEvent, day: string, trackSlug: string | null) {
  const all = await publishedListItems(event.id);
  const ofDay = all.filter((s) => dayKey(s.startsAt, event.timeZone) === day);
  const shown = trackSlug ? ofDay.filter((s) => !s.track || s.track.slug === trackSlug) : ofDay;
  const sessions: AgendaSession[] = shown.map((s) => {
    const startMinute = minuteOfDay(s.startsAt, event.timeZone);
    const endMinute = minuteOfDay(s.endsAt, event.timeZone) || 24 * 60;
    return { ...s, startMinute, endMinute, spansAllRooms: false };
  });
  for (const s of sessions) {
    s.spansAllRooms = !sessions.some((o) => o !== s && o.startMinute < s.endMinute && s.startMinute < o.endMinute);
  }
  const countsByDay = Object.fromEntries(event.days.map((d) => [d, 0]));
  for (const s of all) {
    const key = dayKey(s.startsAt, event.timeZone);
    countsByDay[key] = (countsByDay[key] ?? 0) + 1;
  }
  return { sessions, countsByDay };
}

/** Every published session with its summary, for the calendar file and the sitemap. */
export async function allPublishedSessions(eventId: string) {
  return db().session.findMany({
    relationLoadStrategy: JOIN,
    where: publicSessionWhere(eventId),
    select: sessionCard,
    orderBy: [{ startsAt: "asc" }, { room: { position: "asc" } }],
  });
}

export async function sessionBySlug(eventId: string, slug: string) {
  return db().session.findFirst({
    relationLoadStrategy: JOIN,
    where: { ...publicSessionWhere(eventId), slug },
    select: {
      ...sessionCard,
      speakers: {
        select: { role: true, speaker: { select: { ...speakerCard, bio: true } } },
        orderBy: { position: "asc" },
      },
    },
  });
}

/** Speakers who have at least one published session, so drafts do not leak names early. */
export async function publicSpeakers(eventId: string) {
  return db().speaker.findMany({
    where: { eventId, sessions: { some: { session: publicSessionWhere(eventId) } } },
    select: { ...speakerCard, featured: true },
    orderBy: [{ name: "asc" }],
  });
}

export async function featuredSpeakers(eventId: string, take = 8) {
  return db().speaker.findMany({
    where: { eventId, featured: true, sessions: { some: { session: publicSessionWhere(eventId) } } },
    select: speakerCard,
    orderBy: { name: "asc" },
    take,
  });
}

export async function speakerBySlug(eventId: string, slug: string) {
  return db().speaker.findFirst({
    relationLoadStrategy: JOIN,
    where: { eventId, slug, sessions: { some: { session: publicSessionWhere(eventId) } } },
    select: {
      ...speakerCard,
      bio: true,
      sessions: {
        where: { session: publicSessionWhere(eventId) },
        select: { role: true, session: { select: sessionListItem } },
        orderBy: { session: { startsAt: "asc" } },
      },
    },
  });
}

/** The special guest's speaker record and first published session, when there is one. */
export async function guestAppearance(eventId: string, name: string) {
  return db().speaker.findFirst({
    where: { eventId, name, sessions: { some: { session: publicSessionWhere(eventId) } } },
    select: {
      ...speakerCard,
      sessions: {
        where: { session: publicSessionWhere(eventId) },
        select: { session: { select: { slug: true, title: true, startsAt: true } } },
        orderBy: { session: { startsAt: "asc" } },
        take: 1,
      },
    },
  });
}

/**
 * Each day of the event from its first published session to its last (null times: no sessions
 * yet), for calendar files of the event itself.
 */
export async function eventDays(event: { id: string; timeZone: string; startsOn: Date; endsOn: Date }) {
  const sessions = await db().session.findMany({ where: publicSessionWhere(event.id), select: { startsAt: true, endsAt: true } });
  const keyOf = (date: Date) => date.toISOString().slice(0, 10);
  return daysBetween(keyOf(event.startsOn), keyOf(event.endsOn)).map((key) => {
    const today = sessions.filter((s) => dayKey(s.startsAt, event.timeZone) === key);
    if (today.length === 0) return { key, startsAt: null, endsAt: null };
    return {
      key,
      startsAt: new Date(Math.min(...today.map((s) => s.startsAt.getTime()))),
      endsAt: new Date(Math.max(...today.map((s) => s.endsAt.getTime()))),
    };
  });
}
