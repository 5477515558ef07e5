// Editions (issue 17): starting the next edition copies structure and never people or money;
// publishing one switches the site and archives the other, whose pages, calendars and ticket links
// keep working; and an organiser looking at one edition never sees the other's data.
import { describe, expect, it } from "vitest";
import { issueComp } from "~/domain/admin-orders.server";
import { publishEdition, startNextEdition, withYear } from "~/domain/editions.server";
import { currentEvent, eventOf, forgetCurrentEvent } from "~/domain/event.server";
import { scanForBooth } from "~/domain/leads.server";
import { availabilityOf } from "~/domain/ticket-catalogue.server";
import { chooseEdition } from "~/route-helpers/admin-edition.server";
import { db } from "~/services/db.server";
import { useAppServer } from "../support/app-server";
import { cookieFor, request, statusOf, userWithRole } from "../support/auth";
import { readCalendar } from "../support/calendars";
import { seededEvent } from "../support/factories";

const app = useAppServer();

type Handler = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown>;
const editionsRoute = () => import("~/routes/admin.editions._index") as Promise<{ loader: Handler; action: Handler }>;
const dashboardRoute = () => import("~/routes/admin._index") as Promise<{ loader: Handler }>;
const exportsRoute = () => import("~/routes/admin.exports._index") as Promise<{ loader: Handler }>;
const payload = <T,>(result: unknown) => ((result as { data?: unknown }).data ?? result) as T;

const now = () => new Date();
const NEXT_FIRST_DAY = "2027-09-07";

/** Starts the next edition as an admin would, through the page's action: its status and reply or where it went. */
async function startThroughPage(fields: Record<string, string>) {
  const { action } = await editionsRoute();
  const { cookie } = await cookieFor("ADMIN");
  const form = { intent: "start", startsOn: NEXT_FIRST_DAY, name: "Rare Earth Mines, Magnets & Motors 2027", shortName: "RE3M 2027", invoicePrefix: "RE3M27-", ...fields };
  let returned: unknown = null;
  const status = await statusOf(async () => (returned = await action({ request: request("/admin/editions?index", { cookie, form }), params: {}, context: {} })));
  const reply = returned instanceof Response ? null : payload<{ result: { error?: Record<string, string[]> } | null; problem: string | null }>(returned);
  return { status, reply, location: returned instanceof Response ? returned.headers.get("Location") : null, setCookie: returned instanceof Response ? returned.headers.get("Set-Cookie") : null };
}

async function startNext(options: { copySponsors?: boolean; copySpeakers?: boolean; startsOn?: string; prefix?: string } = {}) {
  const admin = await userWithRole("ADMIN");
  const startsOn = options.startsOn ?? NEXT_FIRST_DAY;
  const year = startsOn.slice(0, 4);
  return startNextEdition(
    { startsOn, name: `Rare Earth Mines, Magnets & Motors ${year}`, shortName: `RE3M ${year}`, invoicePrefix: options.prefix ?? `RE3M${year.slice(2)}-`, copySponsors: options.copySponsors ?? false, copySpeakers: options.copySpeakers ?? false },
    admin.id,
    now(),
  );
}

/** Removes an edition a test started (and publishes the seeded one again if needed), so tests stay independent. */
async function removeEdition(id: string) {
  const seeded = await db().event.findUniqueOrThrow({ where: { slug: "re3m-2025" }, select: { id: true, status: true } });
  if (seeded.status !== "PUBLIC") await publishEdition(seeded.id, (await userWithRole("ADMIN")).id);
  await db().invoice.deleteMany({ where: { eventId: id } });
  await db().order.deleteMany({ where: { eventId: id } });
  await db().sponsor.deleteMany({ where: { eventId: id } });
  await db().event.delete({ where: { id } });
  forgetCurrentEvent();
}

const get = async (path: string, cookie = "") => {
  const response = await fetch(new URL(path, app.url), { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
  return { status: response.status, location: response.headers.get("Location"), type: response.headers.get("Content-Type") ?? "", body: await response.text() };
};

describe("starting the next edition", () => {
  it("copies settings, rooms, tracks, ticket types (not on sale, nothing sold), tiers and the ticked sponsors and speakers into a draft on the new dates", async () => {
    const old = await seededEvent();
    // What belongs to the old edition's people and money: none of it may come along.
    await issueComp(old, { ticketTypeId: (await db().ticketType.findFirstOrThrow({ where: { eventId: old.id }, select: { id: true } })).id, name: "Old Attendee", email: "old.attendee@example.com", company: "Sample Co", jobTitle: "Engineer", reason: "Press" }, (await userWithRole("ADMIN")).id, now());
    const started = await startNext({ copySponsors: true, copySpeakers: true });
    const next = await db().event.findUniqueOrThrow({ where: { id: started.id } });
    const before = await db().event.findUniqueOrThrow({ where: { id: old.id } });

    expect(next).toMatchObject({
      status: "DRAFT",
      slug: "re3m-2027",
      name: "Rare Earth Mines, Magnets & Motors 2027",
      shortName: "RE3M 2027",
      invoicePrefix: "RE3M27-",
      startsOn: new Date("2027-09-07T00:00:00Z"),
      endsOn: new Date("2027-09-08T00:00:00Z"),
      // The settings as they were.
      timeZone: before.timeZone,
      venueName: before.venueName,
      legalName: before.legalName,
      legalAddress: before.legalAddress,
      taxName: before.taxName,
      taxRateBps: before.taxRateBps,
      taxNumber: before.taxNumber,
      refundPolicy: before.refundPolicy,
      contactEmail: before.contactEmail,
      themes: before.themes,
      payByInvoice: before.payByInvoice,
    });
    expect(next.description).toContain("Rare Earth Mines, Magnets & Motors 2027 brings");
    expect(next.description).not.toContain("2025");

    const names = async <T,>(rows: Promise<T[]>, key: (row: T) => string) => (await rows).map(key).sort();
    const both = async <T,>(read: (eventId: string) => Promise<T[]>, key: (row: T) => string) => [await names(read(old.id), key), await names(read(next.id), key)];
    const [oldRooms, newRooms] = await both((eventId) => db().room.findMany({ where: { eventId } }), (r) => `${r.name} ${r.capacity} ${r.position}`);
    expect(newRooms).toEqual(oldRooms);
    const [oldTracks, newTracks] = await both((eventId) => db().track.findMany({ where: { eventId } }), (t) => `${t.slug} ${t.name} ${t.color}`);
    expect(newTracks).toEqual(oldTracks);
    const [oldTiers, newTiers] = await both((eventId) => db().sponsorTier.findMany({ where: { eventId } }), (t) => `${t.name} ${t.rank} ${t.benefits.join("|")} ${t.includesAttendeeList}`);
    expect(newTiers).toEqual(oldTiers);
    const [oldSponsors, newSponsors] = await both(
      (eventId) => db().sponsor.findMany({ where: { eventId }, include: { tier: true } }),
      (s) => `${s.slug} ${s.name} ${s.logoUrl} ${s.website} ${s.tier.name} ${s.booth}`,
    );
    expect(newSponsors).toEqual(oldSponsors);
    const [oldSpeakers, newSpeakers] = await both((eventId) => db().speaker.findMany({ where: { eventId } }), (s) => `${s.slug} ${s.name} ${s.photoUrl} ${s.company}`);
    expect(newSpeakers).toEqual(oldSpeakers);

    const oldTypes = await db().ticketType.findMany({ where: { eventId: old.id }, orderBy: { slug: "asc" } });
    const newTypes = await db().ticketType.findMany({ where: { eventId: next.id }, orderBy: { slug: "asc" } });
    expect(newTypes.map((t) => [t.slug, t.name, t.priceCents, t.capacity, t.maxPerOrder, t.isPublic])).toEqual(oldTypes.map((t) => [t.slug, t.name, t.priceCents, t.capacity, t.maxPerOrder, t.isPublic]));
    expect(oldTypes.some((t) => t.sold > 0)).toBe(true);
    for (const type of newTypes) {
      expect([type.slug, type.held, type.sold]).toEqual([type.slug, 0, 0]);
      expect([type.slug, availabilityOf(type, now()).state]).toEqual([type.slug, "not-yet"]);
    }

    // Structure only: no sessions (a new agenda), and nothing of people or money.
    const eventId = next.id;
    expect(
      await Promise.all([
        db().session.count({ where: { eventId } }),
        db().order.count({ where: { eventId } }),
        db().ticket.count({ where: { order: { eventId } } }),
        db().invoice.count({ where: { eventId } }),
        db().discountCode.count({ where: { eventId } }),
        db().waitlistEntry.count({ where: { ticketType: { eventId } } }),
        db().lead.count({ where: { sponsor: { eventId } } }),
        db().user.count({ where: { sponsor: { eventId } } }),
        db().sponsorProfileChange.count({ where: { sponsor: { eventId } } }),
      ]),
    ).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(await db().auditLog.count({ where: { action: "edition.started", subject: `event:${eventId}` } })).toBe(1);
    // The site is untouched until the draft is published.
    expect((await currentEvent()).id).toBe(old.id);
    expect(started.copied).toMatchObject({ rooms: oldRooms.length, ticketTypes: oldTypes.length, sponsors: oldSponsors.length, speakers: oldSpeakers.length });
    await removeEdition(eventId);
  });

  it("copies sponsors and speakers only when the organiser ticks them", async () => {
    const started = await startNext();
    expect(await db().sponsor.count({ where: { eventId: started.id } })).toBe(0);
    expect(await db().speaker.count({ where: { eventId: started.id } })).toBe(0);
    expect(await db().sponsorTier.count({ where: { eventId: started.id } })).toBeGreaterThan(0);
    await removeEdition(started.id);
  });

  it("moves a year in a name or an invoice prefix with the edition", () => {
    expect(withYear("RE3M 2025", 2025, 2027)).toBe("RE3M 2027");
    expect(withYear("RE3M25-", 2025, 2027)).toBe("RE3M27-");
    expect(withYear("INV-", 2025, 2027)).toBe("INV-");
  });

  it("refuses a first day in the past, a year that already exists, a prefix in use and malformed fields, with a message on the field and nothing written", async () => {
    const events = await db().event.count();
    for (const [fields, expected, field, message] of [
      [{ startsOn: "2026-01-15" }, 409, "startsOn", "The first day must be in the future."],
      [{ startsOn: "2027-02-30" }, 400, "startsOn", "not a real date"],
      [{ startsOn: "next year" }, 400, "startsOn", "must be a date"],
      [{ name: "" }, 400, "name", "Event name is required"],
      [{ shortName: "x".repeat(500) }, 400, "shortName", "at most 40 characters"],
      [{ invoicePrefix: "INV-" }, 409, "invoicePrefix", "each edition needs its own prefix"],
    ] as const) {
      const { status, reply } = await startThroughPage(fields);
      const label = JSON.stringify(fields).slice(0, 60);
      expect([label, status]).toEqual([label, expected]);
      expect(reply!.result!.error?.[field]?.join(" ")).toContain(message);
    }
    expect(await db().event.count()).toBe(events);

    const first = await startThroughPage({});
    expect(first.status).toBe(303);
    expect(first.location).toBe("/admin/editions?started=2027");
    // The organiser goes on working on the new draft.
    expect(first.setCookie).toMatch(/^re3m_edition=.+; Path=\/admin/);
    const again = await startThroughPage({ startsOn: "2027-10-05", invoicePrefix: "RE3M27B-" });
    expect(again.status).toBe(409);
    expect(again.reply!.result!.error?.startsOn?.join(" ")).toBe(
      "There is already an edition in 2027: RE3M 2027 (draft). Choose a first day in another year, or open RE3M 2027 with the edition switcher at the top of the page.",
    );
    // A first day before the public edition's last: publish 2027, then try a day before it.
    const next = await db().event.findUniqueOrThrow({ where: { slug: "re3m-2027" }, select: { id: true } });
    await publishEdition(next.id, (await userWithRole("ADMIN")).id);
    const early = await startThroughPage({ startsOn: "2027-03-02", invoicePrefix: "RE3M27C-" });
    expect(early.status).toBe(409);
    expect(early.reply!.result!.error?.startsOn?.join(" ")).toContain("must start after RE3M 2027, which ends on Wednesday, September 8, 2027");
    expect(await db().event.count()).toBe(events + 1);
    await removeEdition(next.id);
  });
});

describe("publishing an edition", () => {
  it("switches the site and its calendars to it, archives the previous one, and keeps exactly one public edition", async () => {
    const old = await seededEvent();
    const started = await startNext({ copySponsors: true, copySpeakers: true });
    const { cookie } = await cookieFor("ADMIN");
    const publish = await fetch(new URL("/admin/editions?index", app.url), {
      method: "POST",
      headers: { Cookie: cookie, Origin: app.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "publish", eventId: started.id }),
      redirect: "manual",
    });
    expect(publish.status).toBe(303);
    expect(publish.headers.get("Location")).toBe(`/admin/editions?published=${encodeURIComponent("RE3M 2027")}`);

    expect((await currentEvent()).id).toBe(started.id);
    expect(await db().event.findMany({ where: { status: "PUBLIC" }, select: { id: true } })).toEqual([{ id: started.id }]);
    expect((await db().event.findUniqueOrThrow({ where: { id: old.id } })).status).toBe("ARCHIVED");
    const home = await get("/");
    expect(home.body).toContain("Rare Earth Mines, Magnets &amp; Motors 2027");
    expect(home.body).toContain('href="/editions/2025"');
    const calendar = await get("/agenda.ics");
    expect(calendar.body).toContain("X-WR-CALNAME:RE3M 2027 agenda");
    expect(await db().auditLog.count({ where: { action: "edition.published", subject: `event:${started.id}` } })).toBe(1);

    // The database itself refuses a second public edition.
    await expect(db().event.update({ where: { id: old.id }, data: { status: "PUBLIC" } })).rejects.toThrow();
    // Publishing the public one again says so.
    await expect(publishEdition(started.id, (await userWithRole("ADMIN")).id)).rejects.toThrow("RE3M 2027 is already the public edition.");

    // Taken back: the earlier edition is public again and the later one a draft, not a past edition.
    await publishEdition(old.id, (await userWithRole("ADMIN")).id);
    expect((await currentEvent()).id).toBe(old.id);
    expect((await db().event.findUniqueOrThrow({ where: { id: started.id } })).status).toBe("DRAFT");
    await removeEdition(started.id);
  });
});

describe("a past edition", () => {
  it("stays readable at /editions/:year with its agenda, speakers and sponsors, and its calendars and ticket links keep working", async () => {
    const old = await seededEvent();
    const type = await db().ticketType.findFirstOrThrow({ where: { eventId: old.id }, select: { id: true } });
    const comp = await issueComp(old, { ticketTypeId: type.id, name: "Past Attendee", email: "past.attendee@example.com", company: "Sample Co", jobTitle: "Engineer", reason: "Press" }, (await userWithRole("ADMIN")).id, now());
    const order = await db().order.findUniqueOrThrow({ where: { id: comp.id }, select: { reference: true, accessToken: true, tickets: { select: { manageToken: true, id: true } } } });
    const ticket = order.tickets[0]!;
    const session = await db().session.findFirstOrThrow({ where: { eventId: old.id, status: "PUBLISHED" }, select: { id: true, title: true } });
    await db().agendaPick.create({ data: { ticketId: ticket.id, sessionId: session.id } });
    const speaker = await db().speaker.findFirstOrThrow({ where: { eventId: old.id, sessions: { some: { session: { status: "PUBLISHED" } } } }, select: { name: true } });
    const sponsor = await db().sponsor.findFirstOrThrow({ where: { eventId: old.id }, select: { name: true } });

    const started = await startNext();
    await publishEdition(started.id, (await userWithRole("ADMIN")).id);

    const page = await get("/editions/2025");
    expect(page.status).toBe(200);
    expect(page.body).toContain("RE3M 2025 took place on September 9–10, 2025");
    expect(page.body).toContain("its tickets are no longer sold");
    for (const text of [session.title, speaker.name, sponsor.name]) expect(page.body).toContain(text.replaceAll("&", "&amp;"));
    // Nothing to buy, and no links to pages that belong to the public edition.
    expect(page.body).not.toMatch(/href="\/(sessions|speakers|sponsors)\//);
    expect(page.body).toContain("See RE3M 2027, the current edition");

    const calendar = await get("/editions/2025/agenda.ics");
    expect(calendar.type).toContain("text/calendar");
    expect(readCalendar(calendar.body).events.map((e) => e.summary)).toContain(session.title);

    // The public edition's year goes to its live pages; other years are a page that says which years exist.
    expect(await get("/editions/2027")).toMatchObject({ status: 302, location: "/" });
    expect(await get("/editions/2027/agenda.ics")).toMatchObject({ status: 302, location: "/agenda.ics" });
    for (const year of ["2031", "1999", "abc", "2025x"]) {
      const missing = await get(`/editions/${year}`);
      expect([year, missing.status]).toEqual([year, 404]);
      expect(missing.body).toContain(`There is no past edition in “${year}”. Past editions: 2025.`);
    }
    expect((await get("/editions/2031/agenda.ics")).status).toBe(404);

    // The ticket and the order are the old edition's, and say so.
    const ticketPage = await get(`/my/${ticket.manageToken}`);
    expect(ticketPage.status).toBe(200);
    expect(ticketPage.body).toContain("Rare Earth Mines, Magnets &amp; Motors 2025");
    const myAgenda = await get(`/my/${ticket.manageToken}/agenda.ics`);
    expect(myAgenda.body).toContain("X-WR-CALNAME:RE3M 2025: my agenda");
    expect(readCalendar(myAgenda.body).events.map((e) => e.summary)).toEqual([session.title]);
    const eventCalendar = await get(`/my/${ticket.manageToken}/event.ics`);
    expect(eventCalendar.status).toBe(200);
    expect(eventCalendar.body).toContain("20250909");
    const orderPage = await get(`/orders/${order.reference}?k=${order.accessToken}`);
    expect(orderPage.status).toBe(200);
    expect(orderPage.body).toContain("Past Attendee");

    await removeEdition(started.id);
  });
});

describe("an organiser looking at one edition", () => {
  it("never sees the other edition's data in any admin list, export or count", async () => {
    const old = await seededEvent();
    const started = await startNext({ copySponsors: true, copySpeakers: true });
    const next = await eventOf(started.id);
    const admin = await userWithRole("ADMIN");

    /** One of everything an organiser lists, named after its edition. */
    async function dataOf(event: Awaited<ReturnType<typeof eventOf>>, marker: string, day: string) {
      const type = await db().ticketType.create({
        data: { eventId: event.id, slug: `pass-${marker.toLowerCase()}`, name: `Pass ${marker}`, description: "A pass of a test.", includes: [], priceCents: 10_000, capacity: 10 },
      });
      const comp = await issueComp(event, { ticketTypeId: type.id, name: `Attendee ${marker}`, email: `${marker.toLowerCase()}@example.com`, company: `Company ${marker}`, jobTitle: "Engineer", reason: "Press" }, admin.id, now());
      const ticket = await db().ticket.findFirstOrThrow({ where: { orderId: comp.id }, select: { id: true, qrCode: true } });
      const tier = await db().sponsorTier.findFirstOrThrow({ where: { eventId: event.id, includesAttendeeList: false }, select: { id: true } });
      const sponsor = await db().sponsor.create({ data: { eventId: event.id, tierId: tier.id, slug: `sponsor-${marker.toLowerCase()}`, name: `Sponsor ${marker}`, description: "A sponsor of a test." } });
      await scanForBooth(sponsor.id, ticket.qrCode, (await userWithRole("SPONSOR", sponsor.id)).id);
      const speaker = await db().speaker.create({ data: { eventId: event.id, slug: `speaker-${marker.toLowerCase()}`, name: `Speaker ${marker}`, role: "Engineer", company: "Sample Co", bio: "" } });
      const session = await db().session.create({
        data: { eventId: event.id, slug: `session-${marker.toLowerCase()}`, title: `Session ${marker}`, kind: "TALK", status: "PUBLISHED", startsAt: new Date(`${day}T14:00:00Z`), endsAt: new Date(`${day}T14:30:00Z`) },
      });
      await db().sessionSpeaker.create({ data: { sessionId: session.id, speakerId: speaker.id } });
      await db().room.create({ data: { eventId: event.id, name: `Room ${marker}` } });
      await db().track.create({ data: { eventId: event.id, slug: `track-${marker.toLowerCase()}`, name: `Track ${marker}`, color: "#123456" } });
      await db().sponsorTier.create({ data: { eventId: event.id, name: `Tier ${marker}`, rank: 9, benefits: [] } });
      await db().discountCode.create({ data: { eventId: event.id, code: `CODE${marker.toUpperCase()}`, kind: "PERCENT", amount: 1000 } });
      const invoice = await db().invoice.create({
        data: {
          eventId: event.id,
          orderId: comp.id,
          kind: "INVOICE",
          sequence: 900,
          number: `INV-${marker.toUpperCase()}`,
          issuedAt: now(),
          sellerName: "Sample Seller Inc.",
          sellerAddress: "",
          buyerName: `Attendee ${marker}`,
          buyerEmail: `${marker.toLowerCase()}@example.com`,
          orderReference: "REF",
          currency: "CAD",
          taxName: "HST",
          taxRateBps: 1300,
          lines: [{ description: "Sample pass", quantity: 1, unitCents: 10_000, amountCents: 10_000 }],
          subtotalCents: 10_000,
          taxCents: 1_300,
          totalCents: 11_300,
        },
      });
      return { order: comp.id, ticket: ticket.id, sponsor: sponsor.id, session: session.id, invoice: invoice.id };
    }

    const ids = { old: await dataOf(old, "Vingtcinq", "2025-09-09"), next: await dataOf(next, "Vingtsept", "2027-09-07") };
    const { cookie: session } = await cookieFor("ADMIN");
    const editionCookie = async (eventId: string, isPublic: boolean) => (await chooseEdition(eventId, isPublic)).split(";")[0]!;
    const views = [
      { name: "the next edition", cookie: `${session}; ${await editionCookie(next.id, false)}`, own: "Vingtsept", other: "Vingtcinq", otherIds: ids.old, tickets: 1 },
      { name: "the public edition", cookie: session, own: "Vingtcinq", other: "Vingtsept", otherIds: ids.next, tickets: null },
    ];
    const lists = [
      "/admin",
      "/admin/orders",
      "/admin/orders?q=Vingt",
      "/admin/attendees",
      "/admin/attendees?q=Vingt",
      "/admin/invoices",
      "/admin/badges?q=Vingt",
      "/admin/check-in?q=Vingt",
      "/admin/check-in/list",
      "/admin/sessions",
      "/admin/speakers",
      "/admin/sponsors",
      "/admin/sponsors/leads",
      "/admin/tiers",
      "/admin/tracks",
      "/admin/rooms",
      "/admin/ticket-types",
      "/admin/discount-codes",
      "/admin/exports/orders.csv",
      "/admin/exports/attendees.csv",
      "/admin/exports/invoices.csv",
      "/admin/exports/sessions.csv",
    ];
    const dashboardOf = async (cookie: string) => payload<{ ticketsSold: number; totals: { gross: number } }>(await (await dashboardRoute()).loader({ request: request("/admin", { cookie }), params: {}, context: {} }));
    const exportCountsOf = async (cookie: string) => payload<{ counts: Record<string, number> }>(await (await exportsRoute()).loader({ request: request("/admin/exports", { cookie }), params: {}, context: {} })).counts;

    for (const view of views) {
      const seen: string[] = [];
      for (const path of lists) {
        const answer = await get(path, view.cookie);
        expect([view.name, path, answer.status]).toEqual([view.name, path, 200]);
        if (answer.body.includes(view.other)) seen.push(path);
      }
      expect(seen, `${view.name}: pages that show the other edition's data`).toEqual([]);
      // Its own data is there (the lists are not simply empty).
      for (const path of ["/admin/attendees?q=Vingt", "/admin/check-in/list", "/admin/invoices", "/admin/sessions", "/admin/speakers", "/admin/sponsors", "/admin/sponsors/leads", "/admin/exports/orders.csv", "/admin/exports/attendees.csv", "/admin/exports/invoices.csv", "/admin/exports/sessions.csv"]) {
        expect([view.name, path, (await get(path, view.cookie)).body.includes(view.own)]).toEqual([view.name, path, true]);
      }
      // The other edition's records by id: not found, as if they did not exist.
      for (const path of [`/admin/orders/${view.otherIds.order}`, `/admin/attendees/${view.otherIds.ticket}`, `/admin/invoices/${view.otherIds.invoice}`, `/admin/sessions/${view.otherIds.session}`, `/admin/sponsors/${view.otherIds.sponsor}`, `/admin/sponsors/leads.csv?sponsor=${view.otherIds.sponsor}`]) {
        expect([view.name, path, (await get(path, view.cookie)).status]).toEqual([view.name, path, 404]);
      }
    }

    // Figures: the next edition has exactly its one ticket and one invoice; the public edition's own are unchanged by it.
    const nextView = views[0]!.cookie;
    expect((await dashboardOf(nextView)).ticketsSold).toBe(1);
    expect(await exportCountsOf(nextView)).toEqual({ attendees: 1, orders: 1, sessions: 1, invoices: 1 });
    const publicCounts = await exportCountsOf(session);
    expect(publicCounts).toEqual({
      attendees: await db().ticket.count({ where: { order: { eventId: old.id } } }),
      orders: await db().order.count({ where: { eventId: old.id } }),
      sessions: await db().session.count({ where: { eventId: old.id } }),
      invoices: await db().invoice.count({ where: { eventId: old.id } }),
    });
    await removeEdition(next.id);
  });
});
