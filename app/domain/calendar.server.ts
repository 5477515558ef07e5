// RFC 5545 calendars (built with `ics`) for the whole agenda, one session, and later a ticket.
import { createEvents, type EventAttributes } from "ics";
import { mailFromAddress } from "~/services/env.server";
import { oneLine, plainLines } from "./plain-text";
import type { CurrentEvent } from "./event.server";

type CalendarSession = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  startsAt: Date;
  endsAt: Date;
  updatedAt?: Date;
  kind: string;
  room: { name: string } | null;
  track: { name: string } | null;
  speakers: { speaker: { name: string } }[];
};

export class CalendarError extends Error {}

// What people and organisers typed goes through oneLine/plainLines: `ics` escapes line breaks, but
// a lone CR or another control would still break the line for every calendar reader.

/**
 * RFC 5545 wants ORGANIZER to be an address (ical.js refuses one without): the organiser's contact
 * address from the settings, or else the address emails come from. A parameter value cannot hold a
 * double quote, and `ics` backslash-escapes it, which readers refuse, so one becomes an apostrophe.
 */
const organizer = (event: { organiser: string; contactEmail: string }) => ({
  name: oneLine(event.organiser).replaceAll('"', "'"),
  email: event.contactEmail || mailFromAddress(),
});

/** CATEGORIES is a comma-separated list that `ics` joins without escaping its values. */
const category = (name: string) => oneLine(name).replace(/[\\;,]/g, (c) => `\\${c}`);

function sessionEvent(event: CurrentEvent, origin: string, s: CalendarSession): EventAttributes {
  const speakers = s.speakers.map((x) => oneLine(x.speaker.name)).join(", ");
  const url = `${origin}/sessions/${s.slug}`;
  return {
    uid: `session-${s.id}@${new URL(origin).hostname}`,
    title: oneLine(s.title),
    description: [plainLines(s.summary), speakers && `Speakers: ${speakers}`, url].filter(Boolean).join("\n\n"),
    location: oneLine([s.room?.name, event.venueName, event.venueAddress].filter(Boolean).join(", ")),
    url,
    start: s.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: s.endsAt.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    categories: [s.kind.toLowerCase(), ...(s.track ? [s.track.name] : [])].map(category),
    status: "CONFIRMED",
    busyStatus: "BUSY",
    organizer: organizer(event),
    ...(s.updatedAt ? { lastModified: s.updatedAt.getTime() } : {}),
  };
}

export function sessionsCalendar(event: CurrentEvent, origin: string, sessions: CalendarSession[], name?: string): string {
  const { error, value } = createEvents(
    sessions.map((s) => sessionEvent(event, origin, s)),
    { productId: "-//RE3M//Registration//EN", calName: oneLine(name ?? `${event.shortName} agenda`), method: "PUBLISH" },
  );
  if (error || !value) throw new CalendarError(`Could not build the calendar: ${error?.message ?? "no output"}`);
  return foldByOctets(value);
}

/**
 * RFC 5545 §3.1: content lines longer than 75 octets are folded. `ics` folds by characters, so
 * lines with accented names or symbols (Tomáš, 180 °C, Nd₂Fe₁₄B) came out up to 84 octets long.
 * Unfold, then fold again by UTF-8 octets without splitting a character.
 */
export function foldByOctets(calendar: string): string {
  const lines = calendar.replace(/\r\n[ \t]/g, "").split("\r\n");
  return lines
    .map((line) => {
      const parts: string[] = [];
      let current = "";
      let octets = 0;
      for (const ch of line) {
        const size = Buffer.byteLength(ch);
        // Continuation lines start with a space, which counts towards their 75 octets.
        const limit = parts.length === 0 ? 75 : 74;
        if (octets + size > limit) {
          parts.push(current);
          current = "";
          octets = 0;
        }
        current += ch;
        octets += size;
      }
      parts.push(current);
      return parts.join("\r\n ");
    })
    .join("\r\n");
}

/** One day of the event: from its first session to its last, or the whole day when none is set. */
export type EventDay = { key: string; startsAt: Date | null; endsAt: Date | null };

type CalendarEventInfo = { id: string; name: string; venueName: string; venueAddress: string; organiser: string; contactEmail: string };

/** The event itself, one entry per day (for the ticket email's "add to calendar" attachment). */
export function eventCalendar(event: CalendarEventInfo, origin: string, days: EventDay[]): string {
  const host = new URL(origin).hostname;
  const entries = days.map((day, i) => {
    const next = new Date(`${day.key}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const dateArray = (date: Date) => [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()] as [number, number, number];
    const when =
      day.startsAt && day.endsAt
        ? { start: day.startsAt.getTime(), startInputType: "utc", startOutputType: "utc", end: day.endsAt.getTime(), endInputType: "utc", endOutputType: "utc" }
        : { start: dateArray(new Date(`${day.key}T00:00:00Z`)), end: dateArray(next) };
    return {
      uid: `event-${event.id}-day-${day.key}@${host}`,
      title: oneLine(days.length > 1 ? `${event.name} (day ${i + 1} of ${days.length})` : event.name),
      description: `Agenda: ${origin}/agenda?day=${day.key}`,
      location: oneLine(`${event.venueName}, ${event.venueAddress}`),
      url: `${origin}/agenda?day=${day.key}`,
      status: "CONFIRMED",
      busyStatus: "BUSY",
      organizer: organizer(event),
      ...when,
    } as EventAttributes;
  });
  const { error, value } = createEvents(entries, { productId: "-//RE3M//Registration//EN", calName: oneLine(event.name), method: "PUBLISH" });
  if (error || !value) throw new CalendarError(`Could not build the calendar: ${error?.message ?? "no output"}`);
  return foldByOctets(value);
}
