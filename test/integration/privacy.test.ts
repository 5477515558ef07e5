// Privacy requests (issue 17): everything held about a person found by email, exported as a ZIP of
// JSON and CSV files, and erased everywhere but in the invoices tax law keeps; the attendee's own
// request from their ticket page; and what bad input gets.
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { exportCsv } from "~/domain/exports.server";
import { leadListFor, saveLeadNotes, scanForBooth } from "~/domain/leads.server";
import { placeOrder } from "~/domain/orders.server";
import { personOverview } from "~/domain/privacy-export.server";
import { erasePerson, privacyRequests } from "~/domain/privacy.server";
import { pickableSessions, resendTicketEmail, setAgendaPicks, transferTicket, updateAttendeeDetails } from "~/domain/tickets.server";
import { joinWaitlist } from "~/domain/waitlist.server";
import { db } from "~/services/db.server";
import { cookieFor, request, statusOf, userWithRole } from "../support/auth";
import { csvRecords } from "../support/csv";
import { paidOrder } from "../support/emails";
import { attendee, order, seededEvent, ticketType } from "../support/factories";

const zipRoute = () => import("~/routes/admin.privacy[.zip]");
const pageRoute = () => import("~/routes/admin.privacy");
const ticketRoute = () => import("~/routes/my.$token");

let people = 0;
/** A person with a footprint in every table that can hold one, and the ids to find it by. */
async function personEverywhere() {
  people++;
  const name = `Priya Forgettable${people}`;
  const email = `priya.forgettable${people}@example.com`;
  // Typed with capitals at checkout: the address is one person whatever its case.
  const typed = email.replace("priya.forgettable", "Priya.Forgettable");
  const event = await seededEvent();
  const type = await ticketType({ priceCents: 49_500 });
  // Her own company and needs, so that a search for them finds her alone.
  const company = `Forgettable Magnets ${people}`;
  const dietaryNeeds = `No shellfish (${people})`;
  const me = { name, email: typed, company: `${company} Ltd`, jobTitle: "Chief Magnet Officer", country: "Canada", dietaryNeeds, accessNeeds: "", shareWithSponsors: true };
  // A paid order she bought for herself and a colleague: an invoice in her name.
  const bought = await paidOrder({ [type.slug]: 2 }, { buyer: { name, email }, attendees: [attendee(me), attendee({ name: "Colm Kept", email: `colm.kept${people}@example.com` })] });
  const mine = (await db().ticket.findFirstOrThrow({ where: { orderId: bought.id, email: typed }, select: { id: true, manageToken: true, shortCode: true } }))!;
  // A ticket a colleague bought for her, which she gave away to Bea.
  const gift = await paidOrder({ [type.slug]: 1 }, { buyer: { name: "Gus Giver", email: `gus.giver${people}@example.com` }, attendees: [attendee({ ...me, email })] });
  await transferTicket(gift.tickets[0]!.manageToken, { name: `Bea Successor${people}`, email: `bea.successor${people}@example.com` }, new Date());

  const [day] = await pickableSessions(event.id, event.timeZone);
  await setAgendaPicks(mine.manageToken, [day!.sessions[0]!.id], new Date());
  await updateAttendeeDetails(mine.manageToken, { ...me, email, company: `${company} Inc` }, new Date());
  await resendTicketEmail(bought.id, mine.id, new Date());

  const sponsor = await db().sponsor.findFirstOrThrow({ where: { tier: { includesAttendeeList: true } }, select: { id: true } });
  const scanner = await userWithRole("SPONSOR", sponsor.id);
  const scan = await scanForBooth(sponsor.id, mine.shortCode, scanner.id);
  expect(scan.ok).toBe(true);
  await saveLeadNotes(sponsor.id, mine.id, { notes: `${name} wants samples of heavy-rare-earth-free magnets`, rating: "HOT" }, scanner.id);

  const soldOut = await ticketType({ capacity: 0 });
  await joinWaitlist(event.id, soldOut.slug, { name, email });
  return { name, email, typed, company, dietaryNeeds, event, bought, mine, colleague: `colm.kept${people}@example.com`, bea: `bea.successor${people}@example.com`, sponsorId: sponsor.id };
}

/** Every text, JSON and array column of every table (and the job queue's payloads) holding `needle`. */
async function tablesHolding(needle: string) {
  const columns = await db().$queryRaw<{ schema: string; table: string; column: string }[]>`
    SELECT c.table_schema::text AS schema, c.table_name::text AS table, c.column_name::text AS column FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE (c.table_schema = 'public' OR (c.table_schema = 'graphile_worker' AND c.table_name = '_private_jobs'))
      AND c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')`;
  const found: string[] = [];
  for (const { schema, table, column } of columns) {
    const [row] = await db().$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM "${schema}"."${table}" WHERE strpos(lower("${column}"::text), $1) > 0`,
      needle.toLowerCase(),
    );
    if (Number(row!.n) > 0) found.push(`${table}.${column}`);
  }
  return found.sort();
}

async function download(query: Record<string, string>, cookie: string) {
  const { loader } = await zipRoute();
  const path = `/admin/privacy.zip?${new URLSearchParams(query)}`;
  return (await loader({ request: request(path, { cookie }), params: {}, context: {} })) as Response;
}

async function unzip(response: Response) {
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

async function adminAction(form: Record<string, string>, cookie: string) {
  const { action } = await pageRoute();
  return action({ request: request("/admin/privacy", { cookie, form }), params: {}, context: {} });
}

describe("finding a person", () => {
  it("finds by email, whatever its case, their orders, tickets, leads, emails, agenda picks and audit entries, grouped with counts", async () => {
    const priya = await personEverywhere();
    const found = await personOverview(priya.email.toUpperCase());
    const count = Object.fromEntries(found.sections.map((s) => [s.file, s.count]));
    expect(count).toMatchObject({
      orders: 1,
      tickets: 1,
      "checkout-entries": 2,
      "sponsor-leads": 1,
      "agenda-picks": 1,
      "waiting-lists": 1,
      invoices: 1,
    });
    // Her order's receipt, her tickets (issued, corrected, resent), the transferred ticket's emails to her and to Bea.
    expect(count.emails).toBeGreaterThanOrEqual(5);
    expect(count["audit-log"]).toBeGreaterThanOrEqual(5);
    const tickets = found.sections.find((s) => s.file === "tickets")!;
    expect(tickets.rows[0]!.cells).toMatchObject({ name: priya.name, status: "VALID", order: priya.bought.reference });
    expect(found).toMatchObject({ held: true, erasable: true, blocker: null });
  });

  it("answers an empty, a malformed or a 10,000-character address with a 400 that says what is wrong", async () => {
    const { cookie } = await cookieFor("ADMIN");
    const { loader } = await pageRoute();
    for (const [email, says] of [
      ["", "Email is required."],
      ["not-an-email", "valid email address"],
      [`${"a".repeat(10_000)}@example.com`, "too long"],
    ] as const) {
      const answer = (await loader({ request: request(`/admin/privacy?email=${encodeURIComponent(email)}`, { cookie }), params: {}, context: {} })) as {
        data: { searchError: string; person: unknown };
        init: ResponseInit;
      };
      expect(answer.init.status).toBe(400);
      expect(answer.data.searchError).toContain(says);
      expect(answer.data.person).toBeNull();
    }
  });

  it("is for admins only", async () => {
    const { loader } = await pageRoute();
    const { cookie } = await cookieFor("ORGANISER");
    expect(await statusOf(() => loader({ request: request("/admin/privacy", { cookie }), params: {}, context: {} }))).toBe(403);
    expect(await statusOf(async () => (await zipRoute()).loader({ request: request("/admin/privacy.zip?email=a@example.com", { cookie }), params: {}, context: {} }))).toBe(403);
  });
});

describe("the export", () => {
  it("is a ZIP of one JSON and one CSV file per kind, which parse back to the same rows, and the download is audited", async () => {
    const priya = await personEverywhere();
    const { cookie, user } = await cookieFor("ADMIN");
    const response = await download({ email: priya.email }, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/zip");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="re3m-2025-personal-data-\d{4}-\d{2}-\d{2}\.zip"$/);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const files = await unzip(response);
    const kinds = ["orders", "tickets", "checkout-entries", "sponsor-leads", "agenda-picks", "emails", "waiting-lists", "invoices", "audit-log", "privacy-requests"];
    expect(Object.keys(files).sort()).toEqual(["README.txt", ...kinds.flatMap((k) => [`${k}.csv`, `${k}.json`])].sort());
    expect(files["README.txt"]).toContain(priya.email);

    for (const kind of kinds) {
      const json = JSON.parse(files[`${kind}.json`]!) as Record<string, unknown>[];
      const csv = csvRecords(files[`${kind}.csv`]!);
      expect([kind, csv.length]).toEqual([kind, json.length]);
    }
    const [ticket] = JSON.parse(files["tickets.json"]!);
    expect(ticket).toMatchObject({ name: priya.name, email: priya.email, company: `${priya.company} Inc`, dietaryNeeds: priya.dietaryNeeds, sharesWithSponsors: "yes" });
    expect(csvRecords(files["tickets.csv"]!)[0]).toMatchObject({ Name: priya.name, Email: priya.email, "Dietary needs": priya.dietaryNeeds });
    const [lead] = csvRecords(files["sponsor-leads.csv"]!);
    expect(lead).toMatchObject({ Source: "Badge scan", Rating: "HOT", "Sponsor's notes": `${priya.name} wants samples of heavy-rare-earth-free magnets` });
    const [order] = JSON.parse(files["orders.json"]!);
    expect(order).toMatchObject({ reference: priya.bought.reference, status: "PAID", buyerName: priya.name });
    const emails = JSON.parse(files["emails.json"]!) as { to: string; payload: unknown }[];
    expect(emails.some((e) => e.to === priya.bea && JSON.stringify(e.payload).includes(priya.email))).toBe(true);
    const audit = csvRecords(files["audit-log.csv"]!);
    expect(audit.map((a) => a.Action)).toEqual(expect.arrayContaining(["ticket.transferred", "ticket.details.updated", "lead.scanned"]));
    // Structured values stay JSON inside a CSV cell.
    expect(JSON.parse(audit.find((a) => a.Action === "ticket.details.updated")!.Before!)).toMatchObject({ company: `${priya.company} Ltd` });

    expect(await db().auditLog.count({ where: { action: "privacy.exported", actorId: user.id, subject: "export:privacy" } })).toBe(1);
  });

  it("answers a bad address with 400, an unknown request with 404 and an address holding nothing with 404, and changes nothing", async () => {
    const { cookie } = await cookieFor("ADMIN");
    const audits = await db().auditLog.count();
    const answers = [
      await download({}, cookie),
      await download({ email: "" }, cookie),
      await download({ email: "nobody" }, cookie),
      await download({ email: `${"x".repeat(10_000)}@example.com` }, cookie),
      await download({ request: "cknosuchrequest0000000000" }, cookie),
      await download({ request: "../../etc/passwd" }, cookie),
      await download({ email: "never.here@example.com" }, cookie),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 404, 400, 404]);
    expect(await answers[4]!.text()).toContain("That privacy request does not exist");
    expect(await answers[6]!.text()).toContain("Nothing is held under that email address");
    expect(await db().auditLog.count()).toBe(audits);
  });
});

describe("erasure", () => {
  it("leaves the person's email and name in no table but Invoice, audits each kind without the values, and keeps the invoice as issued", async () => {
    const priya = await personEverywhere();
    const { cookie, user } = await cookieFor("ADMIN");
    const invoiceBefore = await db().invoice.findMany({ where: { orderId: priya.bought.id } });
    expect(invoiceBefore).toHaveLength(1);
    expect(await tablesHolding(priya.email)).not.toEqual(["Invoice.buyerEmail"]);

    const answer = (await adminAction({ intent: "erase", email: priya.email, confirm: "on" }, cookie)) as { ok: string };
    expect(answer.ok).toMatch(new RegExp(`^${priya.email}’s data is erased: 1 ticket, 1 order, 2 checkout entries, 1 sponsor lead, 1 agenda pick, 1 waiting-list place, \\d+ emails, \\d+ audit entries\\. Kept 1 invoice as issued \\(tax law\\)\\.$`));

    // Table by table: her address, her name, her company and her dietary needs.
    expect(await tablesHolding(priya.email)).toEqual(["Invoice.buyerEmail"]);
    expect(await tablesHolding(priya.name)).toEqual(["Invoice.buyerName"]);
    expect(await tablesHolding(priya.company)).toEqual([]);
    expect(await tablesHolding(priya.dietaryNeeds)).toEqual([]);
    expect(await db().invoice.findMany({ where: { orderId: priya.bought.id } })).toEqual(invoiceBefore);

    // The other people of her orders keep their details; Bea's email about the gift names nobody.
    expect(await db().ticket.count({ where: { email: priya.colleague, name: "Colm Kept" } })).toBe(1);
    const toBea = await db().emailOutbox.findMany({ where: { toAddress: priya.bea, template: "ticket-transferred" }, select: { subject: true, payload: true } });
    expect(toBea).toHaveLength(1);
    expect(toBea[0]!.subject).toMatch(/^\[erased\] gave you their .* ticket$/);
    expect(toBea[0]!.payload).toMatchObject({ previousName: "[erased]", previousEmail: "[erased]" });

    const ticket = await db().ticket.findUniqueOrThrow({ where: { id: priya.mine.id } });
    expect(ticket).toMatchObject({
      name: "Erased attendee",
      email: `erased+${ticket.id}@erased.invalid`,
      company: "",
      jobTitle: "",
      country: "",
      dietaryNeeds: "",
      accessNeeds: "",
      shareWithSponsors: false,
      consentAt: null,
      status: "VALID",
      erasedAt: expect.any(Date),
    });
    const order = await db().order.findUniqueOrThrow({ where: { id: priya.bought.id } });
    expect(order).toMatchObject({ buyerName: "Erased buyer", buyerEmail: `erased+${order.id}@erased.invalid`, status: "PAID", totalCents: priya.bought.totalCents });

    // One audit row per kind, under the request that records the erasure, with counts and never a value.
    const [request] = await db().privacyRequest.findMany({ where: { handledById: user.id, kind: "ERASURE" } });
    expect(request).toMatchObject({ status: "DONE", origin: "ORGANISER", email: `erased+${request!.id}@erased.invalid`, pendingKey: null });
    expect(request!.note).toContain("Kept 1 invoice");
    const steps = await db().auditLog.findMany({ where: { subject: `privacy-request:${request!.id}` }, select: { action: true, after: true, actorId: true } });
    expect(steps.map((s) => s.action).sort()).toEqual(
      [
        "privacy.erased.agenda-picks",
        "privacy.erased.audit-entries",
        "privacy.erased.checkout-entries",
        "privacy.erased.emails",
        "privacy.erased.leads",
        "privacy.erased.orders",
        // The address of the request itself.
        "privacy.erased.requests",
        "privacy.erased.tickets",
        "privacy.erased.waiting-list",
        "privacy.kept.invoices",
        "privacy.request.done",
      ].sort(),
    );
    expect(steps.every((s) => s.actorId === user.id)).toBe(true);
    expect(steps.find((s) => s.action === "privacy.erased.tickets")!.after).toEqual({ count: 1, ids: [priya.mine.id] });

    // Found again: only the invoice, which is kept.
    const again = await personOverview(priya.email);
    expect(again).toMatchObject({ held: true, erasable: false });
    expect(again.sections.filter((s) => s.count > 0).map((s) => s.file)).toEqual(["invoices"]);
  });

  it("leaves the erased person out of the attendee export and every lead list", async () => {
    const priya = await personEverywhere();
    const { user } = await cookieFor("ADMIN");
    const event = await seededEvent();
    const opted = await leadListFor(priya.sponsorId, { q: "Erased" });
    expect(opted.total).toBe(0);
    await erasePerson({ eventId: event.id, email: priya.email }, user.id, new Date());

    const { body } = await exportCsv("attendees", event, user.id, new Date());
    const attendees = csvRecords(await new Response(body).text());
    expect(attendees.find((a) => a["Ticket ID"] === priya.mine.id)).toBeUndefined();
    expect(attendees.some((a) => a.Name === "Erased attendee")).toBe(false);
    const { body: ordersBody } = await exportCsv("orders", event, user.id, new Date());
    const orders = csvRecords(await new Response(ordersBody).text());
    expect(orders.find((o) => o.Reference === priya.bought.reference)).toMatchObject({ Buyer: "Erased buyer", "Buyer email": expect.stringMatching(/@erased\.invalid$/) });

    // The sponsor who scanned her, whose tier also has the consenting attendee list, no longer has her.
    const leads = await leadListFor(priya.sponsorId);
    expect(leads.leads.find((l) => l.ticketId === priya.mine.id)).toBeUndefined();
    expect(leads.leads.some((l) => l.name === "Erased attendee")).toBe(false);
    // Nor does a scan of her badge at a booth make her a lead again.
    const scanner = await userWithRole("SPONSOR", priya.sponsorId);
    expect(await scanForBooth(priya.sponsorId, priya.mine.shortCode, scanner.id)).toMatchObject({ ok: false, rule: "lead.unknown-code" });
  });

  it("is refused while an order of theirs awaits payment, by card or by invoice, and changes nothing", async () => {
    const event = await seededEvent();
    const type = await ticketType({ priceCents: 20_000 });
    const { cookie } = await cookieFor("ADMIN");
    const buyer = { name: "Una Paid", email: "una.unpaid@example.com" };
    const byCard = await placeOrder(event, order({ [type.slug]: 1 }, { buyer, attendees: [attendee(buyer)] }), new Date());
    const byInvoice = await placeOrder(event, order({ [type.slug]: 1 }, { buyer: { name: "Ivo Invoice", email: "ivo.invoice@example.com" } }), new Date());
    await db().order.update({ where: { id: byInvoice.id }, data: { paymentMethod: "INVOICE" } });
    // Named as an attendee of someone else's unpaid order.
    const named = await placeOrder(event, order({ [type.slug]: 1 }, { attendees: [attendee({ name: "Nell Named", email: "nell.named@example.com" })] }), new Date());

    for (const [email, reference] of [
      ["una.unpaid@example.com", byCard.reference],
      ["IVO.invoice@example.com", byInvoice.reference],
      ["nell.named@example.com", named.reference],
    ] as const) {
      const before = await tablesHolding(email);
      const audits = await db().auditLog.count();
      const answer = (await adminAction({ intent: "erase", email, confirm: "on" }, cookie)) as { data: { error: string }; init: ResponseInit };
      expect(answer.init.status).toBe(409);
      expect(answer.data.error).toBe(
        `Nothing was erased: order ${reference} of this person is awaiting payment, and its buyer and attendees are what the payment is matched to. Record the payment or cancel the order on its page, then erase.`,
      );
      expect(await tablesHolding(email)).toEqual(before);
      expect(await db().auditLog.count()).toBe(audits);
      expect((await personOverview(email)).blocker).toBe(answer.data.error);
    }
    expect(await db().privacyRequest.count({ where: { kind: "ERASURE", status: "DONE", email: { contains: "unpaid" } } })).toBe(0);
  });

  it("answers bad input with a 4xx in words and changes nothing", async () => {
    const { cookie } = await cookieFor("ADMIN");
    const audits = await db().auditLog.count();
    const requests = await db().privacyRequest.count();
    const cases: [Record<string, string>, number, string][] = [
      [{ intent: "erase", email: "", confirm: "on" }, 400, "Email is required."],
      [{ intent: "erase", email: "no at sign", confirm: "on" }, 400, "must be a valid email address"],
      [{ intent: "erase", email: `${"z".repeat(10_000)}@example.com`, confirm: "on" }, 400, "Email is too long."],
      [{ intent: "erase", email: "someone@example.com" }, 400, "Tick the box to confirm the erasure."],
      [{ intent: "erase", email: "never.seen@example.com", confirm: "on" }, 404, "Nothing is held under that email address"],
      [{ intent: "erase", email: "never.seen@example.com", confirm: "on", requestId: "cknosuchrequest" }, 404, "That privacy request does not exist."],
      [{ intent: "refuse", requestId: "cknosuchrequest", note: "No." }, 404, "That privacy request does not exist."],
      [{ intent: "refuse", requestId: "cknosuchrequest", note: "" }, 400, "Reason is required."],
      [{ intent: "complete", requestId: "'; DROP TABLE \"Order\" --" }, 400, "That is not a request of this list."],
      [{ intent: "shred" }, 400, "That action is not available."],
    ];
    for (const [form, status, says] of cases) {
      const answer = (await adminAction(form, cookie)) as { data: { error: string }; init: ResponseInit };
      expect([form.intent, form.email?.slice(0, 30), answer.init.status]).toEqual([form.intent, form.email?.slice(0, 30), status]);
      expect(answer.data.error).toContain(says);
    }
    expect(await db().auditLog.count()).toBe(audits);
    expect(await db().privacyRequest.count()).toBe(requests);
  });
});

describe("the attendee's request", () => {
  async function ask(token: string, form: Record<string, string>) {
    const { action } = await ticketRoute();
    return (await action({ request: request(`/my/${token}`, { form: { intent: "privacy", ...form } }), params: { token }, context: {} })) as Response & {
      data?: { result: { error: Record<string, string[]> } };
      init?: ResponseInit;
    };
  }

  it("is stored once however often they ask, waits for an admin first in the list, and an erasure request is fulfilled by erasing", async () => {
    const priya = await personEverywhere();
    const event = await seededEvent();
    const first = await ask(priya.mine.manageToken, { kind: "ERASURE", confirm: "on" });
    expect(first.status).toBe(303);
    expect(first.headers.get("Location")).toBe(`/my/${priya.mine.manageToken}?saved=privacy-erasure#privacy`);
    const again = await ask(priya.mine.manageToken, { kind: "ERASURE", confirm: "on" });
    expect(again.headers.get("Location")).toBe(`/my/${priya.mine.manageToken}?saved=privacy-again#privacy`);
    const unconfirmed = await ask(priya.mine.manageToken, { kind: "ERASURE" });
    expect(unconfirmed.init?.status).toBe(400);
    expect(await ask(priya.mine.manageToken, { kind: "EXPORT" })).toMatchObject({ status: 303 });
    await Promise.all([ask(priya.mine.manageToken, { kind: "EXPORT" }), ask(priya.mine.manageToken, { kind: "EXPORT" })]);

    const waiting = await db().privacyRequest.findMany({ where: { email: priya.email }, orderBy: { createdAt: "asc" } });
    expect(waiting.map((r) => [r.kind, r.status, r.origin])).toEqual([
      ["ERASURE", "PENDING", "ATTENDEE"],
      ["EXPORT", "PENDING", "ATTENDEE"],
    ]);
    const list = await privacyRequests(event.id);
    expect(list.waiting.slice(-2).map((r) => r.id)).toEqual(waiting.map((r) => r.id));

    // The page shows that the organisers have both.
    const { loader } = await ticketRoute();
    const page = (await loader({ request: request(`/my/${priya.mine.manageToken}`), params: { token: priya.mine.manageToken }, context: {} })) as { privacy: Record<string, string | null> };
    expect(page.privacy).toEqual({ EXPORT: expect.stringMatching(/\d{4}$/), ERASURE: expect.stringMatching(/\d{4}$/) });

    // The admin downloads the export for its request, then fulfils the erasure request.
    const { cookie, user } = await cookieFor("ADMIN");
    const exportRequest = waiting.find((r) => r.kind === "EXPORT")!;
    const erasureRequest = waiting.find((r) => r.kind === "ERASURE")!;
    const files = await unzip(await download({ request: exportRequest.id }, cookie));
    expect(JSON.parse(files["tickets.json"]!)[0]).toMatchObject({ name: priya.name });
    // An export request cannot be closed by erasing it, nor an erasure by "mark as sent".
    const wrong = (await adminAction({ intent: "complete", requestId: erasureRequest.id }, cookie)) as { data: { error: string }; init: ResponseInit };
    expect([wrong.init.status, wrong.data.error]).toEqual([409, "This is a request for erasure, so it cannot be handled that way. Use its own button in the list."]);

    const done = (await adminAction({ intent: "erase", email: priya.email, requestId: erasureRequest.id, confirm: "on" }, cookie)) as { ok: string };
    expect(done.ok).toContain("data is erased");
    const handled = await db().privacyRequest.findMany({ where: { id: { in: waiting.map((r) => r.id) } }, orderBy: { createdAt: "asc" } });
    expect(handled.map((r) => [r.kind, r.status, r.handledById, r.email.endsWith("@erased.invalid")])).toEqual([
      ["ERASURE", "DONE", user.id, true],
      ["EXPORT", "DONE", user.id, true],
    ]);
    expect(await db().privacyRequest.count({ where: { handledById: user.id } })).toBe(2);
    // Handled once: a second try is refused in words.
    const twice = (await adminAction({ intent: "erase", email: priya.email, requestId: erasureRequest.id, confirm: "on" }, cookie)) as { data: { error: string }; init: ResponseInit };
    expect([twice.init.status, twice.data.error]).toEqual([409, "This request was already done. Reload the page to see who handled it."]);

    // The erased ticket's page says so, and offers nothing more to ask.
    const erasedPage = (await loader({ request: request(`/my/${priya.mine.manageToken}`), params: { token: priya.mine.manageToken }, context: {} })) as { ticket: { erased: boolean; name: string } };
    expect(erasedPage.ticket).toMatchObject({ erased: true, name: "Erased attendee" });
    const late = await ask(priya.mine.manageToken, { kind: "EXPORT" });
    expect(late.init?.status).toBe(409);
  });

  it("can be refused with a reason, which is kept on the request", async () => {
    const priya = await personEverywhere();
    await ask(priya.mine.manageToken, { kind: "ERASURE", confirm: "on" });
    const request = await db().privacyRequest.findFirstOrThrow({ where: { email: priya.email, status: "PENDING" } });
    const { cookie, user } = await cookieFor("ADMIN");
    const answer = (await adminAction({ intent: "refuse", requestId: request.id, note: "Your ticket is for next week: we erase it after the event." }, cookie)) as { ok: string };
    expect(answer.ok).toContain("refused");
    expect(await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "REFUSED",
      pendingKey: null,
      handledById: user.id,
      note: "Your ticket is for next week: we erase it after the event.",
    });
    expect(await db().auditLog.count({ where: { subject: `privacy-request:${request.id}`, action: "privacy.request.refused" } })).toBe(1);
    // Nothing was erased, and she may ask again.
    expect(await db().ticket.count({ where: { id: priya.mine.id, name: priya.name } })).toBe(1);
    expect((await ask(priya.mine.manageToken, { kind: "ERASURE", confirm: "on" })).headers.get("Location")).toContain("saved=privacy-erasure");
  });
});
