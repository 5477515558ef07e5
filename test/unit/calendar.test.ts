import { describe, expect, it } from "vitest";
import { eventCalendar, foldByOctets, sessionsCalendar } from "~/domain/calendar.server";
import { currentEvent } from "~/domain/event.server";
import { clockIn, readCalendar } from "../support/calendars";

const TZ = "America/Toronto";
const origin = "https://tickets.re3m.example";

function session(overrides: Partial<Parameters<typeof sessionsCalendar>[2][number]> = {}) {
  return {
    id: "s1",
    slug: "opening-keynote",
    title: "Opening keynote: Nd₂Fe₁₄B, supply; demand",
    summary: "Where magnets come from.\n\nAnd where they go.",
    startsAt: new Date("2025-09-09T13:00:00Z"),
    endsAt: new Date("2025-09-09T13:45:00Z"),
    kind: "KEYNOTE",
    room: { name: "Plenary Hall" },
    track: { name: "Magnets, materials; motors" },
    speakers: [{ speaker: { name: "Tomáš Novák" } }],
    ...overrides,
  };
}

/** "2025-09-10": the calendar day of an all-day entry, as both parsers place it (local midnight). */
const localDay = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

describe("calendar line folding", () => {
  it("folds long lines at 75 octets without splitting a character, and unfolds to the same text", () => {
    const long = `DESCRIPTION:${"Tomáš Novák measures Nd₂Fe₁₄B at 180 °C; ".repeat(6)}`;
    const folded = foldByOctets(`BEGIN:VEVENT\r\n${long}\r\nEND:VEVENT`);
    const lines = folded.split("\r\n");
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(lines.slice(2, -1).every((l) => l.startsWith(" "))).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(`BEGIN:VEVENT\r\n${long}\r\nEND:VEVENT`);
    expect(folded).not.toContain("\uFFFD");
  });
});

describe("calendars as ical.js (Thunderbird) and node-ical read them", () => {
  it("gives each session its title, its start in Toronto time, its place and an organiser with an address", async () => {
    const event = await currentEvent();
    const lunch = session({ id: "s2", slug: "lunch", title: "Lunch", startsAt: new Date("2025-09-09T16:00:00Z"), endsAt: new Date("2025-09-09T17:00:00Z"), room: null, track: null, speakers: [] });
    const calendar = readCalendar(sessionsCalendar(event, origin, [session(), lunch]));
    expect(calendar).toMatchObject({ method: "PUBLISH", version: "2.0" });
    // Written in UTC, which every reader converts to its own zone.
    expect(calendar.startZones).toEqual(["UTC", "UTC"]);
    const [keynote, meal] = calendar.events;
    expect(keynote).toMatchObject({
      uid: "session-s1@tickets.re3m.example",
      summary: "Opening keynote: Nd₂Fe₁₄B, supply; demand",
      location: "Plenary Hall, The Lakeshore Grand Hotel, 1 Harbourview Promenade, Toronto, ON M5J 0Z9",
      organizerName: "Adamas Intelligence",
      organizerAddress: "mailto:info@re3m.example",
      allDay: false,
    });
    expect(clockIn(keynote!.start, TZ)).toBe("09:00");
    expect(clockIn(keynote!.end, TZ)).toBe("09:45");
    expect(keynote!.description).toBe(`Where magnets come from.\n\nAnd where they go.\n\nSpeakers: Tomáš Novák\n\n${origin}/sessions/opening-keynote`);
    expect(meal).toMatchObject({ summary: "Lunch", location: "The Lakeshore Grand Hotel, 1 Harbourview Promenade, Toronto, ON M5J 0Z9" });
    expect(clockIn(meal!.start, TZ)).toBe("12:00");
  });

  it("gives the ticket's calendar one entry per day: timed from the first session to the last, or all day", () => {
    const info = { id: "e1", name: "Rare Earth Mines, Magnets & Motors 2025", venueName: "The Lakeshore Grand Hotel", venueAddress: "1 Harbourview Promenade", organiser: "Adamas Intelligence", contactEmail: "" };
    const days = [
      { key: "2025-09-09", startsAt: new Date("2025-09-09T12:30:00Z"), endsAt: new Date("2025-09-09T21:30:00Z") },
      { key: "2025-09-10", startsAt: null, endsAt: null },
    ];
    const [first, second] = readCalendar(eventCalendar(info, origin, days)).events;
    expect(first).toMatchObject({ summary: "Rare Earth Mines, Magnets & Motors 2025 (day 1 of 2)", location: "The Lakeshore Grand Hotel, 1 Harbourview Promenade", organizerAddress: "mailto:tickets@re3m.example", allDay: false });
    expect([clockIn(first!.start, TZ), clockIn(first!.end, TZ)]).toEqual(["08:30", "17:30"]);
    expect(second).toMatchObject({ summary: "Rare Earth Mines, Magnets & Motors 2025 (day 2 of 2)", allDay: true });
    expect(localDay(second!.start)).toBe("2025-09-10");
  });

  it("keeps control characters, line breaks and bidi overrides that were stored out of every line", async () => {
    const event = { ...(await currentEvent()), organiser: 'Adamas "AI"\r\nX-Injected yes', venueName: "Lakeshore\u202Ellah" };
    const nasty = session({
      title: "Talk\r\nDTSTART:19700101T000000Z",
      summary: "Line one\rLine two\u0000",
      speakers: [{ speaker: { name: "Eve\u0007\u202EMallory" } }],
      track: { name: "Tab\there" },
    });
    const ics = sessionsCalendar(event, origin, [nasty]);
    expect(ics).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Bidi_Control}]/u);
    expect(ics.split("\r\n").filter((line) => /^(DTSTART|X-Injected)/.test(line))).toEqual(["DTSTART:20250909T130000Z"]);
    const [read] = readCalendar(ics).events;
    expect(read).toMatchObject({ summary: "Talk DTSTART:19700101T000000Z", organizerName: "Adamas 'AI' X-Injected yes", organizerAddress: "mailto:info@re3m.example" });
    expect(read!.start.toISOString()).toBe("2025-09-09T13:00:00.000Z");
    expect(read!.location).toContain("Lakeshorellah");
    expect(read!.description).toContain("Line one\nLine two\n\nSpeakers: Eve Mallory");
  });
});
