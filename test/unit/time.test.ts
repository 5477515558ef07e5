import { describe, expect, it } from "vitest";
import { dayKey, daysBetween, formatDateSpan, formatDayKey, formatMinuteOfDay, formatTimeRange, isoWithOffset, minuteOfDay, zoneAbbreviation } from "~/domain/time";

const TZ = "America/Toronto";

describe("event-local time", () => {
  it("places a UTC instant on the Toronto calendar day and clock", () => {
    // 02:30 UTC on the 10th is still the evening of the 9th in Toronto (EDT, UTC-4).
    expect(dayKey(new Date("2025-09-10T02:30:00Z"), TZ)).toBe("2025-09-09");
    expect(minuteOfDay(new Date("2025-09-10T02:30:00Z"), TZ)).toBe(22 * 60 + 30);
    expect(zoneAbbreviation(new Date("2025-09-09T13:00:00Z"), TZ)).toBe("EDT");
    expect(zoneAbbreviation(new Date("2025-12-09T13:00:00Z"), TZ)).toBe("EST");
  });

  it("formats times, ranges and days the way the agenda shows them", () => {
    expect(formatTimeRange(new Date("2025-09-09T13:00:00Z"), new Date("2025-09-09T13:45:00Z"), TZ)).toBe("9:00 a.m. – 9:45 a.m.");
    expect(formatMinuteOfDay(13 * 60 + 30)).toBe("1:30 p.m.");
    expect(formatDayKey("2025-09-09")).toBe("Tuesday, September 9, 2025");
    expect(formatDayKey("2025-09-10", "short")).toBe("Wed, Sep 10");
    expect(formatDateSpan("2025-09-09", "2025-09-10")).toBe("September 9–10, 2025");
    expect(formatDateSpan("2025-09-30", "2025-10-01")).toBe("September 30 – October 1, 2025");
  });

  it("writes an instant in ISO 8601 with the zone's offset at that instant", () => {
    expect(isoWithOffset(new Date("2025-09-09T12:30:00Z"), TZ)).toBe("2025-09-09T08:30:00-04:00");
    expect(isoWithOffset(new Date("2025-12-09T12:30:00Z"), TZ)).toBe("2025-12-09T07:30:00-05:00");
    expect(isoWithOffset(new Date("2025-09-09T12:30:45Z"), "Asia/Kolkata")).toBe("2025-09-09T18:00:45+05:30");
    expect(isoWithOffset(new Date("2025-09-09T12:30:00Z"), "UTC")).toBe("2025-09-09T12:30:00+00:00");
    for (const iso of ["2025-09-09T08:30:00-04:00", "2025-09-09T18:00:45+05:30"]) expect(new Date(isoWithOffset(new Date(iso), "America/Toronto")).toISOString()).toBe(new Date(iso).toISOString());
  });

  it("lists every day of the event", () => {
    expect(daysBetween("2025-09-09", "2025-09-10")).toEqual(["2025-09-09", "2025-09-10"]);
    expect(daysBetween("2025-09-09", "2025-09-09")).toEqual(["2025-09-09"]);
  });
});

describe("time zone offsets across daylight saving changes", () => {
  it("knows the local day and minute on both sides of a transition", () => {
    // Toronto falls back at 06:00Z on 2025-11-02 (02:00 EDT becomes 01:00 EST).
    expect(minuteOfDay(new Date("2025-11-02T05:59:00Z"), TZ)).toBe(60 + 59);
    expect(minuteOfDay(new Date("2025-11-02T06:00:00Z"), TZ)).toBe(60);
    // Springs forward at 07:00Z on 2025-03-09 (02:00 EST becomes 03:00 EDT).
    expect(minuteOfDay(new Date("2025-03-09T06:59:00Z"), TZ)).toBe(60 + 59);
    expect(minuteOfDay(new Date("2025-03-09T07:00:00Z"), TZ)).toBe(3 * 60);
    // A zone with a half-hour offset.
    expect(minuteOfDay(new Date("2025-09-09T13:00:00Z"), "Asia/Kolkata")).toBe(18 * 60 + 30);
    expect(dayKey(new Date("2025-09-09T20:00:00Z"), "Asia/Kolkata")).toBe("2025-09-10");
  });
});
