// Calendar files read back the way other programs read them: with ical.js (Thunderbird's parser,
// which refuses what it cannot parse) and with node-ical, which must agree with it.
import ICAL from "ical.js";
import nodeIcal from "node-ical";
import { expect } from "vitest";

/** One VEVENT as a calendar shows it. */
export type ReadEvent = {
  uid: string;
  summary: string;
  description: string;
  location: string;
  start: Date;
  end: Date;
  /** The date-only form (VALUE=DATE) of an all-day entry. */
  allDay: boolean;
  organizerName: string;
  /** Lower-cased, e.g. "mailto:info@re3m.example". */
  organizerAddress: string;
};

export type ReadCalendar = { method: string; version: string; events: ReadEvent[]; startZones: string[] };

function withIcalJs(ics: string): ReadCalendar {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevents = calendar.getAllSubcomponents("vevent");
  return {
    method: String(calendar.getFirstPropertyValue("method")),
    version: String(calendar.getFirstPropertyValue("version")),
    startZones: vevents.map((v) => new ICAL.Event(v).startDate.zone?.tzid ?? "floating"),
    events: vevents.map((vevent) => {
      const event = new ICAL.Event(vevent);
      const organizer = vevent.getFirstProperty("organizer");
      return {
        uid: event.uid,
        summary: event.summary,
        description: event.description,
        location: event.location,
        start: event.startDate.toJSDate(),
        end: event.endDate.toJSDate(),
        allDay: event.startDate.isDate,
        organizerName: String(organizer?.getParameter("cn") ?? ""),
        organizerAddress: String(organizer?.getFirstValue() ?? "").toLowerCase(),
      };
    }),
  };
}

/** node-ical gives a property with parameters as `{ params, val }`, one without as its value. */
const valueOf = (property: unknown): string =>
  typeof property === "object" && property !== null && "val" in property ? String((property as { val: unknown }).val) : String(property ?? "");

function withNodeIcal(ics: string): ReadEvent[] {
  const parsed = nodeIcal.sync.parseICS(ics);
  return Object.values(parsed)
    .filter((c): c is nodeIcal.VEvent => c?.type === "VEVENT")
    .map((e) => ({
      uid: e.uid,
      summary: valueOf(e.summary),
      description: valueOf(e.description),
      location: valueOf(e.location),
      start: new Date(e.start.getTime()),
      end: new Date((e.end ?? e.start).getTime()),
      allDay: e.datetype === "date",
      organizerName: String((e.organizer as { params?: { CN?: string } } | undefined)?.params?.CN ?? "").replace(/^"|"$/g, ""),
      organizerAddress: valueOf(e.organizer).toLowerCase(),
    }));
}

/** Reads a calendar with both parsers and checks they read the same events. */
export function readCalendar(ics: string): ReadCalendar {
  const read = withIcalJs(ics);
  expect(withNodeIcal(ics)).toEqual(read.events);
  return read;
}

/** "09:00": the wall-clock time of an instant in a time zone. */
export function clockIn(date: Date, timeZone: string) {
  return new Intl.DateTimeFormat("en-CA", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(date);
}
