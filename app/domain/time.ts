// Times are stored in UTC and always shown in the event's own time zone, labelled as such.

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building an Intl.DateTimeFormat costs far more than using one: each is built once.
function formatter(timeZone: string, options: Intl.DateTimeFormatOptions, locale = "en-CA") {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

// Offsets from UTC change only at transitions, which fall on quarter hours, so one Intl lookup
// per zone and quarter hour serves every instant in it. Intl is slow enough that the agenda spent
// a tenth of its time here before.
const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();

function offsetMs(instant: number, timeZone: string): number {
  const bucket = Math.floor(instant / QUARTER_HOUR) * QUARTER_HOUR;
  const key = `${timeZone}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts = formatter(timeZone, {
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    }).formatToParts(new Date(bucket));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    offset = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute")) - bucket;
    offsets.set(key, offset);
  }
  return offset;
}

/** The wall-clock fields of an instant in a time zone, read with getUTC* methods. */
function wallClock(date: Date | string, timeZone: string): Date {
  const instant = new Date(date).getTime();
  return new Date(instant + offsetMs(instant, timeZone));
}

/** "2025-09-09": the calendar day of an instant in a time zone. */
export function dayKey(date: Date | string, timeZone: string): string {
  return wallClock(date, timeZone).toISOString().slice(0, 10);
}

/** "2025-09-09T08:30:00-04:00": an instant in ISO 8601 with the zone's UTC offset at that instant. */
export function isoWithOffset(date: Date | string, timeZone: string): string {
  const instant = new Date(date).getTime();
  const offset = offsetMs(instant, timeZone);
  const minutes = Math.abs(offset) / 60_000;
  const pad = (n: number) => String(n).padStart(2, "0");
  const wall = new Date(instant + offset).toISOString().slice(0, 19);
  return `${wall}${offset < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Minutes since local midnight in the time zone. */
export function minuteOfDay(date: Date | string, timeZone: string): number {
  const wall = wallClock(date, timeZone);
  return wall.getUTCHours() * 60 + wall.getUTCMinutes();
}

/**
 * The UTC instant of a wall-clock time ("2025-09-09", "14:30") in a time zone, as organisers type
 * it. Two passes because the offset to apply is the one in force at the answer, not at the guess.
 */
export function zonedTimeToUtc(day: string, time: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const first = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(first, timeZone));
}

/** "14:30": the 24-hour wall-clock time of an instant in a time zone, for time inputs. */
export function timeKey(date: Date | string, timeZone: string): string {
  return wallClock(date, timeZone).toISOString().slice(11, 16);
}

/** "9:30 a.m." */
export function formatTime(date: Date | string, timeZone: string): string {
  return formatter(timeZone, { hour: "numeric", minute: "2-digit" }).format(new Date(date));
}

/** "9:30 a.m." for minutes since midnight, with no time zone involved. */
export function formatMinuteOfDay(minute: number): string {
  return formatTime(new Date(Date.UTC(2000, 0, 1, Math.floor(minute / 60), minute % 60)), "UTC");
}

export function formatTimeRange(start: Date | string, end: Date | string, timeZone: string): string {
  return `${formatTime(start, timeZone)} – ${formatTime(end, timeZone)}`;
}

/** "Tuesday, September 9, 2025" for a day key such as "2025-09-09". */
export function formatDayKey(key: string, style: "long" | "short" = "long"): string {
  const date = new Date(`${key}T12:00:00Z`);
  return formatter("UTC", {
    weekday: style === "long" ? "long" : "short",
    month: style === "long" ? "long" : "short",
    day: "numeric",
    ...(style === "long" ? { year: "numeric" } : {}),
  }).format(date);
}

/** "9:42 a.m. EDT": a time read by people on the day (at the door), in the event's own zone. */
export const formatTimeWithZone = (date: Date | string, timeZone: string) => `${formatTime(date, timeZone)} ${zoneAbbreviation(date, timeZone)}`;

/** "EDT" or "EST": the zone's abbreviation at that instant. */
export function zoneAbbreviation(date: Date | string, timeZone: string): string {
  const parts = formatter(timeZone, { timeZoneName: "short" }, "en-US").formatToParts(new Date(date));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/** "September 9–10, 2025" for the event's first and last day keys. */
export function formatDateSpan(firstKey: string, lastKey: string): string {
  const [y1, m1, d1] = firstKey.split("-");
  const [y2, m2, d2] = lastKey.split("-");
  const month = (m: string) => formatter("UTC", { month: "long" }).format(new Date(`2000-${m}-15T12:00:00Z`));
  if (firstKey === lastKey) return `${month(m1)} ${Number(d1)}, ${y1}`;
  if (y1 === y2 && m1 === m2) return `${month(m1)} ${Number(d1)}–${Number(d2)}, ${y1}`;
  if (y1 === y2) return `${month(m1)} ${Number(d1)} – ${month(m2)} ${Number(d2)}, ${y1}`;
  return `${month(m1)} ${Number(d1)}, ${y1} – ${month(m2)} ${Number(d2)}, ${y2}`;
}

/** Every day key from the first to the last, inclusive. */
export function daysBetween(firstKey: string, lastKey: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${firstKey}T00:00:00Z`); d <= new Date(`${lastKey}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(d.toISOString().slice(0, 10));
  }
  return days;
}
