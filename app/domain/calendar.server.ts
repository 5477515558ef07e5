// RFC 5545 calendars (built with `ics`) for the whole agenda, one session, and later a ticket.
import { createEvents, type EventAttributes } from "ics";
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

function sessionEvent(event: CurrentEvent, origin: string, s: CalendarSession): EventAttributes {
  const speakers = s.speakers.map((x) => x.speaker.name).join(", ");
  const url = `${origin}/sessions/${s.slug}`;
  return {
    uid: `session-${s.id}@${new URL(origin).hostname}`,
    title: s.title,
    description: [s.summary, speakers && `Speakers: ${speakers}`, url].filter(Boolean).join("\n\n"),
    location: [s.room?.name, event.venueName, event.venueAddress].filter(Boolean).join(", "),
    url,
    start: s.startsAt.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: s.endsAt.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    categories: [s.kind.toLowerCase(), ...(s.track ? [s.track.name] : [])],
    status: "CONFIRMED",
    busyStatus: "BUSY",
    organizer: { name: event.organiser },
    ...(s.updatedAt ? { lastModified: s.updatedAt.getTime() } : {}),
  };
}

export function sessionsCalendar(event: CurrentEvent, origin: string, sessions: CalendarSession[], name?: string): string {
  const { error, value } = createEvents(
    sessions.map((s) => sessionEvent(event, origin, s)),
    { productId: "-//RE3M//Registration//EN", calName: name ?? `${event.shortName} agenda`, method: "PUBLISH" },
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

export function calendarResponse(body: string, filename: string, extraHeaders: Record<string, string> = {}) {
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      ...extraHeaders,
    },
  });
}
