// Sponsors' leads, consent first: what a sponsor may see, scan, change and download, and never
// another sponsor's.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { leadCounts, leadListFor, scanBadge } from "~/domain/leads.server";
import { loader as homeLoader } from "~/routes/sponsor._index";
import { action as scanPageAction } from "~/routes/sponsor.scan";
import { action as scanAction } from "~/routes/sponsor.scans";
import { loader as listLoader } from "~/routes/sponsor.leads._index";
import { action as leadAction, loader as leadLoader } from "~/routes/sponsor.leads.$id";
import { loader as csvLoader } from "~/routes/sponsor.leads[.csv]";
import { loader as adminLeadsLoader } from "~/routes/admin.sponsors.leads";
import { loader as adminCsvLoader } from "~/routes/admin.sponsors.leads[.csv]";
import { action as reviewAction, loader as reviewLoader } from "~/routes/admin.sponsor-changes";
import { action as profileAction, loader as profileLoader } from "~/routes/sponsor.profile";
import { db } from "~/services/db.server";
import { cookieFor, request, statusOf } from "../support/auth";
import { csvRecords, formulaCells } from "../support/csv";
import { issuedTickets } from "../support/issued-tickets";
import { args, settle } from "../support/outcomes";

// Logos uploaded by these tests go to a throwaway folder, not the development data folder.
process.env.UPLOADS_DIR = mkdtempSync(path.join(os.tmpdir(), "re3m-leads-uploads-"));

async function sponsorInTier(includesAttendeeList: boolean, skip = 0) {
  return db().sponsor.findFirstOrThrow({ where: { tier: { includesAttendeeList } }, select: { id: true, slug: true }, orderBy: { name: "asc" }, skip });
}

async function sponsorUser(includesAttendeeList = false, skip = 0) {
  const sponsor = await sponsorInTier(includesAttendeeList, skip);
  const { cookie, user } = await cookieFor("SPONSOR", sponsor.id);
  return { sponsor, cookie, user };
}

const scan = (cookie: string, code: string, clientScanId?: string) =>
  scanAction(args(request("/sponsor/scans", { cookie, form: { code, ...(clientScanId ? { clientScanId } : {}) } })));

async function csvOf(response: Response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return { bytes, text };
}

describe("scanning badges at the booth", () => {
  it("saves a lead at once with who scanned it, and a second scan updates instead of duplicating", async () => {
    const [ticket] = await issuedTickets([{ name: "Scan Once", company: "Dysprosium Ltd", jobTitle: "Buyer" }]);
    const { sponsor, cookie, user } = await sponsorUser();
    const first = await scan(cookie, ticket!.qrCode, "11111111-aaaa");
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, created: true, lead: { name: "Scan Once", company: "Dysprosium Ltd", jobTitle: "Buyer", source: "BADGE_SCAN" } });
    const { user: colleague, cookie: colleagueCookie } = await cookieFor("SPONSOR", sponsor.id);
    const again = await scan(colleagueCookie, ticket!.shortCode);
    expect(await again.json()).toMatchObject({ ok: true, created: false });
    const leads = await db().lead.findMany({ where: { sponsorId: sponsor.id, ticketId: ticket!.id }, select: { scannedById: true, source: true } });
    expect(leads).toEqual([{ scannedById: colleague.id, source: "BADGE_SCAN" }]);
    const audits = await db().auditLog.findMany({ where: { actorId: { in: [user.id, colleague.id] } }, select: { action: true, after: true }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["lead.scanned", "lead.rescanned"]);
    expect(audits[0]!.after).toMatchObject({ clientScanId: "11111111-aaaa" });
  });

  it("replays a queued offline scan harmlessly: same lead, notes kept", async () => {
    const [ticket] = await issuedTickets([{}]);
    const { sponsor, cookie } = await sponsorUser();
    await scan(cookie, ticket!.qrCode, "offline-scan-1");
    await leadAction({ ...args(request(`/sponsor/leads/${ticket!.id}`, { cookie, form: { notes: "Wants samples", rating: "HOT" } })), params: { id: ticket!.id } });
    await scan(cookie, ticket!.qrCode, "offline-scan-1");
    expect(await db().lead.findMany({ where: { sponsorId: sponsor.id, ticketId: ticket!.id }, select: { notes: true, rating: true } })).toEqual([{ notes: "Wants samples", rating: "HOT" }]);
  });

  it("answers every unknown, cancelled or other-event code the same way, and changes nothing", async () => {
    const [cancelled] = await issuedTickets([{}]);
    await db().ticket.update({ where: { id: cancelled!.id }, data: { status: "CANCELLED" } });
    const { sponsor, cookie } = await sponsorUser();
    const leadsBefore = await db().lead.count({ where: { sponsorId: sponsor.id } });
    const answers = [];
    for (const code of ["ZZZZZZZZ", "not-a-real-qr-secret", cancelled!.qrCode]) {
      const response = await scan(cookie, code);
      answers.push({ status: response.status, body: await response.json() });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({ status: 404, body: { ok: false, status: 404, message: "That code does not match a badge. Check the 8 characters under the QR code and try again." } });
    expect(await db().lead.count({ where: { sponsorId: sponsor.id } })).toBe(leadsBefore);
  });

  it("refuses codes that match no badge after ten misses, but still accepts a real badge", async () => {
    const [ticket, later] = await issuedTickets([{}, {}]);
    const { cookie } = await sponsorUser();
    for (let i = 0; i < 10; i++) expect((await scan(cookie, `GUESS${String(i).padStart(3, "2")}`)).status).toBe(404);
    const refused = await scan(cookie, "GUESS999");
    expect(refused.status).toBe(429);
    expect((await refused.json()).message).toMatch(/^That code does not match a badge, and neither did many others .* Real badges still scan; codes that match no badge are refused for 10 more minutes\.$/);
    expect(await (await scan(cookie, ticket!.qrCode)).json()).toMatchObject({ ok: true, created: true });
    expect(await (await scan(cookie, later!.shortCode)).json()).toMatchObject({ ok: true, created: true });
    expect((await scan(cookie, "GUESS998")).status).toBe(429);
    // Another user of the same sponsor has misses of their own.
    const { cookie: other } = await sponsorUser();
    expect((await scan(other, "GUESS997")).status).toBe(404);
  });

  it("still limits how fast one person scans, real badges included", async () => {
    const [ticket] = await issuedTickets([{}]);
    const { sponsor, cookie, user } = await sponsorUser();
    for (let i = 0; i < 60; i++) await scanBadge(sponsor.id, ticket!.qrCode, user.id);
    const blocked = await scan(cookie, ticket!.qrCode);
    expect(blocked.status).toBe(429);
    expect((await blocked.json()).message).toMatch(/^Too many scans in a short time/);
  });

  it("rejects an empty code with a message and works without script through the page's own form", async () => {
    const [ticket] = await issuedTickets([{}]);
    const { cookie } = await sponsorUser();
    expect((await scan(cookie, "")).status).toBe(400);
    const page = await settle(() => scanPageAction(args(request("/sponsor/scan", { cookie, form: { code: ticket!.shortCode } }))));
    expect(page.body).toMatchObject({ ok: true, lead: { ticketId: ticket!.id } });
  });
});

describe("consent", () => {
  it("shows name, company and job title only without consent, and email and country with it", async () => {
    const [without, withConsent] = await issuedTickets([
      { name: "No Consent", email: "hidden@example.com", country: "Japan", shareWithSponsors: false },
      { name: "Consent Given", email: "shown@example.com", country: "Canada", shareWithSponsors: true },
    ]);
    const { sponsor, cookie } = await sponsorUser();
    expect(await (await scan(cookie, without!.qrCode)).json()).toMatchObject({ lead: { name: "No Consent", email: null, country: null } });
    expect(await (await scan(cookie, withConsent!.qrCode)).json()).toMatchObject({ lead: { email: "shown@example.com", country: "Canada" } });
    // Searching by a hidden email must not reveal whose it is.
    expect((await leadListFor(sponsor.id, { q: "hidden@" })).total).toBe(0);
    expect((await leadListFor(sponsor.id, { q: "shown@" })).total).toBe(1);
  });

  it("drops contact details from later downloads when consent is withdrawn", async () => {
    const [ticket] = await issuedTickets([{ name: "Changes Mind", email: "mind@example.com", shareWithSponsors: true }]);
    const { cookie } = await sponsorUser();
    await scan(cookie, ticket!.qrCode);
    const before = await csvOf((await csvLoader(args(request("/sponsor/leads.csv", { cookie })))) as Response);
    expect(before.text).toContain("mind@example.com");
    await db().ticket.update({ where: { id: ticket!.id }, data: { shareWithSponsors: false, consentAt: null } });
    const after = await csvOf((await csvLoader(args(request("/sponsor/leads.csv", { cookie })))) as Response);
    expect(after.text).toContain("Changes Mind");
    expect(after.text).not.toContain("mind@example.com");
  });
});

describe("tier entitlement", () => {
  it("adds every consenting attendee for tiers with the attendee list, computed on read, and none otherwise", async () => {
    const [consenting, private_] = await issuedTickets([{ name: "Opted In Person", shareWithSponsors: true }, { name: "Private Person", shareWithSponsors: false }]);
    const gold = await sponsorInTier(true);
    const bronze = await sponsorInTier(false);
    const goldList = await leadListFor(gold.id, { q: "Person" });
    expect(goldList.leads.map((l) => [l.name, l.source])).toEqual([["Opted In Person", "OPT_IN"]]);
    expect(await db().lead.count({ where: { sponsorId: gold.id } })).toBe(0);
    expect((await leadListFor(bronze.id, { q: "Person" })).total).toBe(0);
    // A withdrawn opt-in disappears from the list altogether.
    await db().ticket.update({ where: { id: consenting!.id }, data: { shareWithSponsors: false } });
    expect((await leadListFor(gold.id, { q: "Person" })).total).toBe(0);
    void private_;
  });

  it("lets an entitled sponsor add notes to an opted-in attendee, but not a sponsor without the list", async () => {
    const [ticket] = await issuedTickets([{ name: "Noted Opt In", shareWithSponsors: true }]);
    const gold = await sponsorUser(true);
    const bronze = await sponsorUser(false);
    const ok = await settle(() => leadAction({ ...args(request(`/sponsor/leads/${ticket!.id}`, { cookie: gold.cookie, form: { notes: "Met at lunch", rating: "WARM" } })), params: { id: ticket!.id } }));
    expect(ok.body).toEqual({ ok: true, message: "Notes saved." });
    expect(await db().lead.findMany({ where: { ticketId: ticket!.id }, select: { sponsorId: true, source: true, notes: true } })).toEqual([
      { sponsorId: gold.sponsor.id, source: "OPT_IN", notes: "Met at lunch" },
    ]);
    const refused = await settle(() => leadAction({ ...args(request(`/sponsor/leads/${ticket!.id}`, { cookie: bronze.cookie, form: { notes: "x" } })), params: { id: ticket!.id } }));
    expect(refused.status).toBe(404);
  });
});

describe("a sponsor never reaches another sponsor's data", () => {
  async function twoSponsorsAndALead() {
    const [ticket] = await issuedTickets([{ name: "Their Lead", email: "their@example.com", shareWithSponsors: false }]);
    const owner = await sponsorUser(false, 0);
    const intruder = await sponsorUser(false, 1);
    await scan(owner.cookie, ticket!.qrCode);
    await leadAction({ ...args(request(`/sponsor/leads/${ticket!.id}`, { cookie: owner.cookie, form: { notes: "Secret plan", rating: "HOT" } })), params: { id: ticket!.id } });
    const lead = await db().lead.findFirstOrThrow({ where: { sponsorId: owner.sponsor.id, ticketId: ticket!.id }, select: { id: true, ticketId: true } });
    return { ticket: ticket!, owner, intruder, lead };
  }

  it("cannot read the other's lead by ticket id or lead id", async () => {
    const { intruder, lead } = await twoSponsorsAndALead();
    for (const id of [lead.ticketId, lead.id]) {
      expect(await statusOf(() => leadLoader({ ...args(request(`/sponsor/leads/${id}`, { cookie: intruder.cookie })), params: { id } }))).toBe(404);
    }
  });

  it("cannot update the other's notes", async () => {
    const { intruder, lead } = await twoSponsorsAndALead();
    const status = await statusOf(() => leadAction({ ...args(request(`/sponsor/leads/${lead.ticketId}`, { cookie: intruder.cookie, form: { notes: "overwritten" } })), params: { id: lead.ticketId } }));
    expect(status).toBe(404);
    expect(await db().lead.findUniqueOrThrow({ where: { id: lead.id }, select: { notes: true } })).toEqual({ notes: "Secret plan" });
  });

  it("cannot see it in the list, the summary or the CSV", async () => {
    const { intruder } = await twoSponsorsAndALead();
    const list = await settle(() => listLoader(args(request("/sponsor/leads?q=Their", { cookie: intruder.cookie }))));
    expect(list.body).toMatchObject({ total: 0, leads: [] });
    const home = await settle(() => homeLoader(args(request("/sponsor", { cookie: intruder.cookie }))));
    expect(home.body).toMatchObject({ counts: { scans: 0 } });
    const csv = await csvOf((await csvLoader(args(request("/sponsor/leads.csv?sponsor=x", { cookie: intruder.cookie })))) as Response);
    expect(csv.text).not.toContain("Their Lead");
  });

  it("scanning the same badge creates the intruder's own lead and leaves the other's untouched", async () => {
    const { intruder, owner, ticket, lead } = await twoSponsorsAndALead();
    const answer = await (await scan(intruder.cookie, ticket.qrCode)).json();
    expect(answer).toMatchObject({ ok: true, created: true, lead: { notes: "", rating: null } });
    expect(await db().lead.findUniqueOrThrow({ where: { id: lead.id }, select: { sponsorId: true, notes: true, scannedById: true } })).toEqual({
      sponsorId: owner.sponsor.id,
      notes: "Secret plan",
      scannedById: owner.user.id,
    });
  });

  it("is closed to anonymous visitors and other roles, and organisers use their own export", async () => {
    expect(await statusOf(() => listLoader(args(request("/sponsor/leads"))))).toBe(302);
    const door = await cookieFor("CHECKIN");
    expect(await statusOf(() => csvLoader(args(request("/sponsor/leads.csv", { cookie: door.cookie }))))).toBe(403);
    const { cookie } = await sponsorUser();
    expect(await statusOf(() => adminLeadsLoader(args(request("/admin/sponsors/leads", { cookie }))))).toBe(403);
    expect(await statusOf(() => adminCsvLoader(args(request("/admin/sponsors/leads.csv?sponsor=x", { cookie }))))).toBe(403);
  });
});

describe("downloads", () => {
  it("streams UTF-8 with a BOM, neutralises formulas and audit-logs every download", async () => {
    const [ticket] = await issuedTickets([{ name: "=HYPERLINK(\"http://evil\")", company: "Émile Aimants", jobTitle: "@lead", shareWithSponsors: true, email: "formula@example.com" }]);
    const { sponsor, cookie, user } = await sponsorUser();
    await scan(cookie, ticket!.qrCode);
    // Notes come from a text area: their line breaks stay, and each line is defused like a cell.
    await leadAction({ ...args(request(`/sponsor/leads/${ticket!.id}`, { cookie, form: { notes: "-2+3;=1+1\r\n@later", rating: "COLD" } })), params: { id: ticket!.id } });
    const response = (await csvLoader(args(request("/sponsor/leads.csv", { cookie })))) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain(`re3m-leads-${sponsor.slug}.csv`);
    const { bytes, text } = await csvOf(response);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.slice(1).split("\n")[0]).toBe('"Name","Company","Job title","Email","Country","Source","Rating","Notes","Scanned at (UTC)","Scanned by"');
    const row = csvRecords(text).find((r) => r.Email === "formula@example.com")!;
    expect(row).toMatchObject({
      Name: `'=HYPERLINK("http://evil")`,
      Company: "Émile Aimants",
      "Job title": "'@lead",
      Source: "BADGE_SCAN",
      Rating: "COLD",
      Notes: "'-2+3;'=1+1\n'@later",
    });
    expect(formulaCells(text)).toEqual([]);
    expect(await db().auditLog.count({ where: { action: "lead.exported", subject: `sponsor:${sponsor.id}`, actorId: user.id } })).toBe(1);
  });

  it("lets organisers see per-sponsor counts and export any sponsor's list, audit-logged", async () => {
    const [ticket] = await issuedTickets([{ name: "Organiser Sees", shareWithSponsors: false }]);
    const { sponsor, user } = await sponsorUser();
    const before = await leadCounts(sponsor.id);
    await scanBadge(sponsor.id, ticket!.qrCode, user.id);
    const organiser = await cookieFor("ORGANISER");
    const page = await settle(() => adminLeadsLoader(args(request("/admin/sponsors/leads", { cookie: organiser.cookie }))));
    const row = (page.body as { sponsors: { id: string; counts: { scans: number } }[] }).sponsors.find((s) => s.id === sponsor.id);
    expect(row?.counts.scans).toBe(before.scans + 1);
    const csv = await csvOf((await adminCsvLoader(args(request(`/admin/sponsors/leads.csv?sponsor=${sponsor.id}`, { cookie: organiser.cookie })))) as Response);
    expect(csv.text).toContain("Organiser Sees");
    expect(await db().auditLog.count({ where: { action: "lead.exported", subject: `sponsor:${sponsor.id}`, actorId: organiser.user.id } })).toBe(1);
    expect(await statusOf(() => adminCsvLoader(args(request("/admin/sponsors/leads.csv?sponsor=nope", { cookie: organiser.cookie }))))).toBe(404);
  });
});

describe("sponsor profile changes", () => {
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3c8f5f10000000049454e44ae426082", "hex");

  function profilePost(cookie: string, fields: Record<string, string>, logo?: { bytes: Uint8Array; name: string; type: string }) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    if (logo) body.append("logo", new File([Buffer.from(logo.bytes)], logo.name, { type: logo.type }));
    return new Request("http://localhost:3000/sponsor/profile", { method: "POST", headers: { Cookie: cookie, Origin: "http://localhost:3000" }, body });
  }

  const review = (cookie: string, form: Record<string, string>) => settle(() => reviewAction(args(request("/admin/sponsor-changes", { cookie, form }))));

  it("keeps a proposal off the public profile until an organiser approves it, then applies it with an audit row", async () => {
    const { sponsor, cookie } = await sponsorUser(false, 2);
    const before = await db().sponsor.findUniqueOrThrow({ where: { id: sponsor.id }, select: { description: true, website: true, logoUrl: true } });
    const sent = await settle(() => profileAction(args(profilePost(cookie, { description: "We make sample magnets for sample motors, fictional since 2025.", website: "https://magnets.example" }, { bytes: png, name: "logo.png", type: "image/png" }))));
    expect(sent.body).toMatchObject({ ok: true });
    expect(await db().sponsor.findUniqueOrThrow({ where: { id: sponsor.id }, select: { description: true, website: true, logoUrl: true } })).toEqual(before);
    const change = await db().sponsorProfileChange.findFirstOrThrow({ where: { sponsorId: sponsor.id, status: "PENDING" }, select: { id: true, logoUrl: true } });
    expect(change.logoUrl).toMatch(/^\/uploads\/[0-9a-f]{32}\.png$/);

    const organiser = await cookieFor("ORGANISER");
    const listed = await settle(() => reviewLoader(args(request("/admin/sponsor-changes", { cookie: organiser.cookie }))));
    expect((listed.body as { pending: { id: string }[] }).pending.map((p) => p.id)).toContain(change.id);
    expect((await review(organiser.cookie, { changeId: change.id, decision: "APPROVED" })).body).toMatchObject({ ok: true });
    expect(await db().sponsor.findUniqueOrThrow({ where: { id: sponsor.id }, select: { description: true, website: true, logoUrl: true } })).toEqual({
      description: "We make sample magnets for sample motors, fictional since 2025.",
      website: "https://magnets.example",
      logoUrl: change.logoUrl,
    });
    expect(await db().auditLog.count({ where: { action: "sponsor.profile.approved", subject: `sponsor:${sponsor.id}`, actorId: organiser.user.id } })).toBe(1);
    // A second click (or a second organiser) cannot apply it again.
    expect(await review(organiser.cookie, { changeId: change.id, decision: "REJECTED" })).toMatchObject({ status: 409 });
  });

  it("refuses a file that is not a PNG, JPEG or WebP by its bytes, and bad fields, changing nothing", async () => {
    const { sponsor, cookie } = await sponsorUser(false, 3);
    const fake = await settle(() => profileAction(args(profilePost(cookie, { description: "A long enough description of a sample sponsor." }, { bytes: new TextEncoder().encode("<svg onload=alert(1)>"), name: "logo.png", type: "image/png" }))));
    expect(fake).toMatchObject({ status: 400, body: { errors: { logo: expect.stringContaining("not a PNG, JPEG or WebP") } } });
    const short = await settle(() => profileAction(args(profilePost(cookie, { description: "Too short", website: "javascript:alert(1)" }))));
    expect(short).toMatchObject({ status: 400, body: { errors: { description: expect.any(String), website: expect.any(String) } } });
    expect(await db().sponsorProfileChange.count({ where: { sponsorId: sponsor.id } })).toBe(0);
  });

  it("lets a rejection carry a note, and keeps sponsors out of the review page", async () => {
    const { sponsor, cookie } = await sponsorUser(false, 4);
    await profileAction(args(profilePost(cookie, { description: "Another fictional sponsor description, long enough." })));
    const change = await db().sponsorProfileChange.findFirstOrThrow({ where: { sponsorId: sponsor.id, status: "PENDING" }, select: { id: true } });
    expect(await statusOf(() => reviewAction(args(request("/admin/sponsor-changes", { cookie, form: { changeId: change.id, decision: "APPROVED" } }))))).toBe(403);
    const organiser = await cookieFor("ORGANISER");
    await review(organiser.cookie, { changeId: change.id, decision: "REJECTED", note: "Please remove the superlatives." });
    const page = await settle(() => profileLoader(args(request("/sponsor/profile", { cookie }))));
    expect(page.body).toMatchObject({ pending: null, lastReview: { status: "REJECTED", reviewNote: "Please remove the superlatives." } });
  });
});
