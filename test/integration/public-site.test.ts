import { describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import { loader as agendaLoader } from "~/routes/agenda";
import { loader as agendaIcsLoader } from "~/routes/agenda[.ics]";
import { loader as sessionLoader } from "~/routes/sessions.$slug";
import { loader as sessionIcsLoader } from "~/routes/sessions.$slug[.ics]";
import { loader as speakerLoader } from "~/routes/speakers.$slug";
import { loader as speakersLoader } from "~/routes/speakers._index";
import { loader as sponsorsLoader } from "~/routes/sponsors._index";
import { loader as sponsorLoader } from "~/routes/sponsors.$slug";
import { loader as ticketsLoader } from "~/routes/tickets._index";
import { loader as healthLoader } from "~/routes/healthz";
import { loader as sitemapLoader } from "~/routes/sitemap[.xml]";
import { loader as homeLoader } from "~/routes/_index";
import { loader as robotsLoader } from "~/routes/robots[.txt]";
import { statusOf } from "../support/auth";
import { clockIn, readCalendar } from "../support/calendars";
import { args } from "../support/outcomes";

/** A loader's arguments for a visitor's GET of `path`. */
const get = (path: string, params: Record<string, string> = {}) => args(new Request(`http://localhost${path}`), params);

type DataResult<T> = { data: T; init: ResponseInit | null };

describe("the public agenda", () => {
  it("shows only published sessions of the chosen day, in time order", async () => {
    const result = (await agendaLoader(get("/agenda?day=2025-09-09"))) as DataResult<Awaited<ReturnType<typeof agendaLoader>>["data"]>;
    const { sessions, days } = result.data;
    expect(days.map((d) => d.key)).toEqual(["2025-09-09", "2025-09-10"]);
    expect(sessions.length).toBeGreaterThan(15);
    const drafts = await db().session.findMany({ where: { status: "DRAFT" }, select: { slug: true } });
    expect(drafts.length).toBeGreaterThan(0);
    for (const draft of drafts) expect(sessions.map((s) => s.slug)).not.toContain(draft.slug);
    const starts = sessions.map((s) => new Date(s.startsAt).getTime());
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(sessions.some((s) => s.kind === "BREAK")).toBe(true);
  });

  it("narrows to one track but keeps the plenary sessions everyone attends", async () => {
    const track = await db().track.findFirstOrThrow({ select: { slug: true } });
    const result = (await agendaLoader(get(`/agenda?day=2025-09-10&track=${track.slug}`))) as DataResult<Awaited<ReturnType<typeof agendaLoader>>["data"]>;
    const { sessions } = result.data;
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) expect(s.track === null || s.track.slug === track.slug).toBe(true);
    expect(sessions.some((s) => s.track?.slug === track.slug)).toBe(true);
    expect(sessions.some((s) => s.track === null)).toBe(true);
  });

  it("answers unknown days and tracks with a 404, not a crash", async () => {
    expect(await statusOf(() => agendaLoader(get("/agenda?day=2025-09-11")))).toBe(404);
    expect(await statusOf(() => agendaLoader(get("/agenda?day=yesterday")))).toBe(404);
    expect(await statusOf(() => agendaLoader(get("/agenda?track=no-such-track")))).toBe(404);
    expect(await statusOf(() => agendaLoader(get("/agenda?track=%3Cscript%3E")))).toBe(404);
  });

  it("serves the whole published agenda as an RFC 5545 calendar", async () => {
    const response = await agendaIcsLoader(get("/agenda.ics"));
    expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    const body = await response.text();
    const published = await db().session.count({ where: { status: "PUBLISHED" } });
    expect(body.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(body).toContain("VERSION:2.0");
    expect(body).toContain("PRODID:");
    expect(body.match(/BEGIN:VEVENT/g)?.length).toBe(published);
    expect(body.match(/UID:/g)?.length).toBe(published);
    expect(body).toMatch(/DTSTART:20250909T\d{6}Z/);
    // Lines are folded at 75 octets.
    for (const line of body.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    const { events } = readCalendar(body);
    expect(events).toHaveLength(published);
    const first = await db().session.findFirstOrThrow({ where: { status: "PUBLISHED" }, orderBy: [{ startsAt: "asc" }, { id: "asc" }], select: { id: true, title: true, startsAt: true, room: { select: { name: true } } } });
    const read = events.find((e) => e.uid.startsWith(`session-${first.id}@`))!;
    expect(read).toMatchObject({ summary: first.title, organizerName: "Adamas Intelligence", organizerAddress: "mailto:info@re3m.example" });
    expect(read.start).toEqual(first.startsAt);
    // The seeded day opens with registration at 8:00 a.m. EDT.
    expect(first.title).toBe("Registration & Coffee");
    expect(clockIn(read.start, "America/Toronto")).toBe("08:00");
    expect(read.start.toISOString()).toBe("2025-09-09T12:00:00.000Z");
    expect(read.location).toBe([first.room?.name, "The Lakeshore Grand Hotel", "1 Harbourview Promenade, Toronto, ON M5J 0Z9"].filter(Boolean).join(", "));
    expect(events.every((e) => e.organizerAddress === "mailto:info@re3m.example")).toBe(true);
  });
});

describe("session, speaker and sponsor pages", () => {
  it("shows a published session with its speakers, and offers it as a calendar file", async () => {
    const session = await db().session.findFirstOrThrow({
      where: { status: "PUBLISHED", speakers: { some: {} } },
      select: { slug: true, title: true, startsAt: true, endsAt: true },
    });
    const page = await sessionLoader(get(`/sessions/${session.slug}`, { slug: session.slug }));
    expect(page.session.title).toBe(session.title);
    expect(page.session.speakers.length).toBeGreaterThan(0);

    const ics = await sessionIcsLoader(get(`/sessions/${session.slug}.ics`, { slug: session.slug }));
    expect(ics.status).toBe(200);
    const body = await ics.text();
    expect(body.match(/BEGIN:VEVENT/g)?.length).toBe(1);
    expect(body.replace(/\r\n /g, "")).toContain(`SUMMARY:${session.title.replace(/([,;])/g, "\\$1")}`);
    const [read] = readCalendar(body).events;
    expect(read).toMatchObject({ summary: session.title, organizerName: "Adamas Intelligence", organizerAddress: "mailto:info@re3m.example" });
    expect(read!.start).toEqual(session.startsAt);
    expect(read!.end).toEqual(session.endsAt);
  });

  it("keeps draft sessions and unknown slugs private with a 404", async () => {
    const draft = await db().session.findFirstOrThrow({ where: { status: "DRAFT" }, select: { slug: true } });
    expect(await statusOf(() => sessionLoader(get(`/sessions/${draft.slug}`, { slug: draft.slug })))).toBe(404);
    expect((await sessionIcsLoader(get(`/sessions/${draft.slug}.ics`, { slug: draft.slug }))).status).toBe(404);
    expect(await statusOf(() => sessionLoader(get("/sessions/nope", { slug: "nope" })))).toBe(404);
    expect(await statusOf(() => speakerLoader(get("/speakers/nobody", { slug: "nobody" })))).toBe(404);
    expect(await statusOf(() => sponsorLoader(get("/sponsors/nobody", { slug: "nobody" })))).toBe(404);
  });

  it("lists only speakers with a published session, and shows each one's sessions", async () => {
    const { speakers } = await speakersLoader(get("/speakers"));
    expect(speakers.length).toBeGreaterThanOrEqual(30);
    const first = speakers[0]!;
    const page = await speakerLoader(get(`/speakers/${first.slug}`, { slug: first.slug }));
    expect(page.speaker.bio.length).toBeGreaterThan(40);
    expect(page.speaker.sessions.length).toBeGreaterThan(0);
  });

  it("groups sponsors by tier in rank order", async () => {
    const { tiers } = await sponsorsLoader(get("/sponsors"));
    expect(tiers.length).toBe(4);
    expect(tiers.map((t) => t.rank)).toEqual([...tiers.map((t) => t.rank)].sort((a, b) => a - b));
    expect(tiers.flatMap((t) => t.sponsors).length).toBeGreaterThanOrEqual(12);
    const one = tiers[0]!.sponsors[0]!;
    const page = await sponsorLoader(get(`/sponsors/${one.slug}`, { slug: one.slug }));
    expect(page.sponsor.tier.name).toBe(tiers[0]!.name);
  });
});

describe("tickets page", () => {
  it("shows public types with 13% HST to the cent and honest availability", async () => {
    const { types } = await ticketsLoader(get("/tickets"));
    expect(types.length).toBeGreaterThanOrEqual(4);
    for (const t of types) expect(t.taxCents).toBe(Math.round(t.priceCents * 0.13));
    const hidden = await db().ticketType.findMany({ where: { isPublic: false }, select: { slug: true } });
    for (const h of hidden) expect(types.map((t) => t.slug)).not.toContain(h.slug);
  });

  it("says sold out and few left as seats go", async () => {
    const type = await db().ticketType.findFirstOrThrow({ where: { isPublic: true }, orderBy: { position: "asc" } });
    await db().ticketType.update({ where: { id: type.id }, data: { sold: type.capacity - 3, held: 0 } });
    let found = (await ticketsLoader(get("/tickets"))).types.find((t) => t.slug === type.slug)!;
    expect(found.state).toBe("few-left");
    expect(found.remaining).toBe(3);
    await db().ticketType.update({ where: { id: type.id }, data: { held: 3 } });
    found = (await ticketsLoader(get("/tickets"))).types.find((t) => t.slug === type.slug)!;
    expect(found.state).toBe("sold-out");
    await db().ticketType.update({ where: { id: type.id }, data: { sold: 0, held: 0 } });
  });
});

describe("home, health and sitemap", () => {
  it("carries the event's facts and schema.org Event data", async () => {
    const home = await homeLoader(get("/"));
    expect(home.event.specialGuest).toBe("Steve Wozniak");
    expect(home.event.organiser).toBe("Adamas Intelligence");
    expect(home.jsonLd).not.toContain("<");
    const jsonLd = JSON.parse(home.jsonLd);
    expect(jsonLd).toMatchObject({
      "@context": "https://schema.org",
      "@type": "Event",
      name: "Rare Earth Mines, Magnets & Motors 2025",
      eventStatus: "https://schema.org/EventScheduled",
      eventAttendanceMode: "https://schema.org/OfflineEventAttendanceMode",
      location: {
        "@type": "Place",
        name: "The Lakeshore Grand Hotel",
        address: { "@type": "PostalAddress", streetAddress: "1 Harbourview Promenade, Toronto, ON M5J 0Z9", addressLocality: "Toronto", addressCountry: "Canada" },
      },
      organizer: { "@type": "Organization", name: "Adamas Intelligence" },
    });
    // From the first session (registration at 8:00 EDT) to the end of the last one, with the offset.
    const sessions = await db().session.findMany({ where: { status: "PUBLISHED" }, select: { endsAt: true } });
    const lastEnd = new Date(Math.max(...sessions.map((x) => x.endsAt.getTime())));
    expect(jsonLd.startDate).toBe("2025-09-09T08:00:00-04:00");
    expect(jsonLd.endDate).toBe(`2025-09-10T${clockIn(lastEnd, "America/Toronto")}:00-04:00`);
    expect(new Date(jsonLd.endDate)).toEqual(lastEnd);

    // The public types (the Investor Pass needs a code): $150 reception to $1,495 full pass, before tax.
    const opened = await db().ticketType.aggregate({ where: { isPublic: true }, _min: { createdAt: true } });
    expect(jsonLd.offers).toMatchObject({
      "@type": "AggregateOffer",
      url: `${env().APP_URL}/tickets`,
      priceCurrency: "CAD",
      lowPrice: "150.00",
      highPrice: "1495.00",
      offerCount: 5,
      availability: "https://schema.org/InStock",
    });
    expect(jsonLd.offers.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/);
    expect(new Date(jsonLd.offers.validFrom).getTime()).toBe(Math.floor(opened._min.createdAt!.getTime() / 1000) * 1000);
  });

  it("says sold out in the schema.org offer once every public type is gone", async () => {
    const types = await db().ticketType.findMany({ where: { isPublic: true }, select: { id: true, capacity: true, sold: true } });
    for (const t of types) await db().ticketType.update({ where: { id: t.id }, data: { sold: t.capacity } });
    try {
      const { offers } = JSON.parse((await homeLoader(get("/"))).jsonLd);
      expect(offers).toMatchObject({ availability: "https://schema.org/SoldOut", lowPrice: "150.00", highPrice: "1495.00" });
    } finally {
      for (const t of types) await db().ticketType.update({ where: { id: t.id }, data: { sold: t.sold } });
    }
  });

  it("reports healthy when the database answers", async () => {
    const response = await healthLoader();
    expect(response.status).toBe(200);
  });

  it("lists every public page in the sitemap and no drafts", async () => {
    const body = await (await sitemapLoader(get("/sitemap.xml"))).text();
    const published = await db().session.count({ where: { status: "PUBLISHED" } });
    expect(body.match(/\/sessions\//g)?.length).toBe(published);
    const draft = await db().session.findFirstOrThrow({ where: { status: "DRAFT" }, select: { slug: true } });
    expect(body).not.toContain(`/sessions/${draft.slug}<`);
  });

  it("lets crawlers read the public sponsor pages but not the sponsor portal or the private pages", async () => {
    const rules = (await robotsLoader().text()).split("\n").flatMap((line) => {
      const rule = /^(Allow|Disallow): (\S+)$/.exec(line);
      return rule ? [{ allow: rule[1] === "Allow", prefix: rule[2]! }] : [];
    });
    // RFC 9309: the longest matching rule decides.
    const crawlable = (path: string) => rules.filter((r) => path.startsWith(r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0]?.allow ?? true;
    for (const path of ["/", "/agenda", "/speakers", "/sponsors", "/sponsors/polaris-magnetics", "/tickets"]) expect(crawlable(path), path).toBe(true);
    for (const path of ["/sponsor", "/sponsor/leads", "/admin", "/my/abc", "/orders/RE3M-7K2Q", "/login"]) expect(crawlable(path), path).toBe(false);
  });
});
