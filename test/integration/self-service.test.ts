// An attendee looks after their own ticket through its private link, and a buyer resends ticket
// emails from the order page. Orders are free (100% code), so no payment is involved.
import { afterEach, describe, expect, it } from "vitest";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { placeOrder } from "~/domain/orders.server";
import {
  setAgendaPicks,
  setSponsorSharing,
  ticketByManageToken,
  transferTicket,
  updateAttendeeDetails,
} from "~/domain/tickets.server";
import { secretToken } from "~/domain/tokens.server";
import { action as orderAction } from "~/routes/orders.$ref";
import { action as ticketAction, loader as ticketLoader } from "~/routes/my.$token";
import { loader as myAgendaIcsLoader } from "~/routes/my.$token_.agenda[.ics]";
import { loader as myEventIcsLoader } from "~/routes/my.$token_.event[.ics]";
import { db } from "~/services/db.server";
import { clockIn, readCalendar } from "../support/calendars";
import { attendee, order, seededEvent, ticketType } from "../support/factories";
import { ruleOf, settle } from "../support/outcomes";

async function paidOrder(count = 1) {
  const event = await seededEvent();
  const type = await ticketType({ priceCents: 50_000 });
  const placed = await placeOrder(event, order({ [type.slug]: count }, { code: "SPEAKERGUEST" }), new Date());
  expect(await fulfilOrder(placed.id, "free", new Date())).toEqual({ outcome: "fulfilled" });
  const tickets = await db().ticket.findMany({ where: { orderId: placed.id }, orderBy: { createdAt: "asc" } });
  return { order: placed, tickets, ticket: tickets[0]! };
}

const details = (overrides: Partial<ReturnType<typeof attendee>> = {}) => {
  const { shareWithSponsors: _consent, ...rest } = attendee(overrides);
  return rest;
};

async function outboxSince(since: Date) {
  return db().emailOutbox.findMany({
    where: { createdAt: { gte: since } },
    select: { template: true, toAddress: true, payload: true },
    orderBy: { createdAt: "asc" },
  });
}

async function auditOf(ticketId: string) {
  return db().auditLog.findMany({ where: { subject: `ticket:${ticketId}` }, select: { action: true, before: true, after: true }, orderBy: { createdAt: "asc" } });
}

function form(fields: Record<string, string | string[]>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return body;
}

const postTicketPage = (token: string, fields: Record<string, string | string[]>) =>
  settle(() =>
    ticketAction({ request: new Request(`http://localhost/my/${token}`, { method: "POST", body: form(fields) }), params: { token }, context: {} }),
  );

describe("the private link", () => {
  it("answers a wrong, a malformed and an old link with the same 404", async () => {
    const { ticket } = await paidOrder();
    const open = (token: string) => settle(() => ticketLoader({ request: new Request(`http://localhost/my/${token}`), params: { token }, context: {} }));
    expect((await open(ticket.manageToken)).status).toBe(200);
    await transferTicket(ticket.manageToken, { name: "Next Person", email: "next.person@example.com" }, new Date());
    const old = await open(ticket.manageToken);
    const unknown = await open(secretToken());
    const malformed = await open("not-a-token'; --");
    expect(old.status).toBe(404);
    expect(unknown).toEqual(old);
    expect(malformed).toEqual(old);
  });
});

describe("transfers", () => {
  it("stops the old link, QR code and badge code at once and emails both people", async () => {
    const { ticket } = await paidOrder();
    const session = await db().session.findFirstOrThrow({ where: { status: "PUBLISHED", kind: "TALK" }, select: { id: true } });
    await setSponsorSharing(ticket.manageToken, true, new Date());
    await setAgendaPicks(ticket.manageToken, [session.id], new Date());
    const before = new Date();

    const result = await transferTicket(ticket.manageToken, { name: "Katherine Johnson", email: "katherine@example.com" }, new Date());
    // Nothing secret comes back: the new link travels only by email.
    expect(result).toEqual({ name: "Katherine Johnson", email: "katherine@example.com" });

    expect(await ticketByManageToken(ticket.manageToken)).toBeNull();
    expect(await db().ticket.findUnique({ where: { qrCode: ticket.qrCode } })).toBeNull();
    expect(await db().ticket.findUnique({ where: { shortCode: ticket.shortCode } })).toBeNull();
    const now = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(now).toMatchObject({ name: "Katherine Johnson", email: "katherine@example.com", company: "", jobTitle: "", shareWithSponsors: false, consentAt: null, status: "VALID" });
    expect(now.manageToken).not.toBe(ticket.manageToken);
    expect(now.qrCode).not.toBe(ticket.qrCode);
    expect(now.shortCode).not.toBe(ticket.shortCode);
    expect((await ticketByManageToken(now.manageToken))?.id).toBe(ticket.id);
    expect(await db().agendaPick.count({ where: { ticketId: ticket.id } })).toBe(0);

    const previous = { ticketId: ticket.id, previousName: ticket.name, previousEmail: ticket.email };
    expect(await outboxSince(before)).toEqual([
      { template: "ticket-transferred", toAddress: ticket.email, payload: { ...previous, role: "previous" } },
      { template: "ticket-transferred", toAddress: "katherine@example.com", payload: { ...previous, role: "new" } },
      { template: "ticket", toAddress: "katherine@example.com", payload: { ticketId: ticket.id } },
    ]);
    expect((await auditOf(ticket.id)).at(-1)).toEqual({
      action: "ticket.transferred",
      before: { name: ticket.name, email: ticket.email },
      after: { name: "Katherine Johnson", email: "katherine@example.com" },
    });

    // Whatever the old link tries next finds nothing.
    expect(await ruleOf(updateAttendeeDetails(ticket.manageToken, details(), new Date()))).toBe("ticket.not-found");
    expect(await ruleOf(transferTicket(ticket.manageToken, { name: "Third", email: "third@example.com" }, new Date()))).toBe("ticket.not-found");
  });

  it("lets exactly one of two simultaneous transfers through", async () => {
    const { ticket } = await paidOrder();
    const results = await Promise.all([
      ruleOf(transferTicket(ticket.manageToken, { name: "One", email: "one@example.com" }, new Date())),
      ruleOf(transferTicket(ticket.manageToken, { name: "Two", email: "two@example.com" }, new Date())),
    ]);
    expect(results.sort()).toEqual(["ok", "ticket.not-found"]);
    expect(await db().emailOutbox.count({ where: { template: "ticket-transferred", payload: { path: ["ticketId"], equals: ticket.id } } })).toBe(2);
  });

  it("refuses a transfer to the current holder's own email, naming the field", async () => {
    const { ticket } = await paidOrder();
    const page = await settle(() =>
      import("~/routes/my.$token_.transfer").then(({ action }) =>
        action({
          request: new Request(`http://localhost/my/${ticket.manageToken}/transfer`, {
            method: "POST",
            body: form({ name: "Someone Else", email: ticket.email.toUpperCase(), confirm: "on" }),
          }),
          params: { token: ticket.manageToken },
          context: {},
        }),
      ),
    );
    expect(page.status).toBe(409);
    expect((page.body as { error: Record<string, string[]> }).error.email?.[0]).toMatch(/already the email on this ticket/);
    expect((await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).manageToken).toBe(ticket.manageToken);
  });
});

describe("correcting details", () => {
  it("keeps the old values when an edit is invalid and says which field is wrong", async () => {
    const { ticket } = await paidOrder();
    const auditBefore = (await auditOf(ticket.id)).length;
    const reply = await postTicketPage(ticket.manageToken, {
      intent: "details",
      ...details({ name: "   ", email: "grace-at-example", company: "x".repeat(121) }),
    });
    expect(reply.status).toBe(400);
    const { result } = reply.body as { result: { error: Record<string, string[]> } };
    expect(result.error.name).toEqual(["Full name is required."]);
    expect(result.error.email).toEqual(["Email must be a valid email address, like name@company.com."]);
    expect(result.error.company).toEqual(["Company must be at most 120 characters."]);
    const after = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after).toMatchObject({ name: ticket.name, email: ticket.email, company: ticket.company, updatedAt: ticket.updatedAt });
    expect(await auditOf(ticket.id)).toHaveLength(auditBefore);
  });

  it("refuses line breaks, control characters and text-direction overrides, naming the field", async () => {
    const { ticket } = await paidOrder();
    const reply = await postTicketPage(ticket.manageToken, {
      intent: "details",
      ...details({ name: "Grace \u202Ereppoh", company: "Navy\r\nBcc: all@example.com", jobTitle: "Rear\u0000Admiral", dietaryNeeds: "None\nreally" }),
    });
    expect(reply.status).toBe(400);
    const { result } = reply.body as { result: { error: Record<string, string[]> } };
    const oneLine = (label: string) => [`${label} contains a line break or a hidden control character (such as a text-direction override). Please type it again on one line.`];
    expect(result.error).toMatchObject({ name: oneLine("Full name"), company: oneLine("Company"), jobTitle: oneLine("Job title"), dietaryNeeds: oneLine("Dietary needs") });
    const after = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after).toMatchObject({ name: ticket.name, company: ticket.company, jobTitle: ticket.jobTitle, dietaryNeeds: ticket.dietaryNeeds, updatedAt: ticket.updatedAt });
  });

  it("saves a valid edit, audits what changed and sends the ticket to a corrected email", async () => {
    const { ticket } = await paidOrder();
    const before = new Date();
    const reply = await postTicketPage(ticket.manageToken, {
      intent: "details",
      ...details({ name: "Grace B. Hopper", email: " Grace.Hopper@Example.com ", company: ticket.company, jobTitle: ticket.jobTitle, country: ticket.country, accessNeeds: "Step-free access" }),
    });
    expect(reply).toMatchObject({ status: 303, location: `/my/${ticket.manageToken}?saved=email#details` });
    const after = await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after).toMatchObject({ name: "Grace B. Hopper", email: "grace.hopper@example.com", accessNeeds: "Step-free access" });
    // Same person, so nothing rotates.
    expect(after).toMatchObject({ manageToken: ticket.manageToken, qrCode: ticket.qrCode, shortCode: ticket.shortCode });
    const entry = (await auditOf(ticket.id)).at(-1)!;
    expect(entry.action).toBe("ticket.details.updated");
    expect(entry.after).toEqual({ name: "Grace B. Hopper", email: "grace.hopper@example.com", fields: ["name", "email", "accessNeeds"] });
    expect(JSON.stringify(entry)).not.toContain("Step-free");
    expect(await outboxSince(before)).toEqual([{ template: "ticket", toAddress: "grace.hopper@example.com", payload: { ticketId: ticket.id } }]);
  });
});

describe("sharing with sponsors", () => {
  it("records when consent was given, clears it on withdrawal, and audits both", async () => {
    const { ticket } = await paidOrder();
    expect(ticket.shareWithSponsors).toBe(false);
    const given = new Date("2025-08-01T14:00:00Z");
    expect(await setSponsorSharing(ticket.manageToken, true, given)).toEqual({ changed: true });
    expect(await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ shareWithSponsors: true, consentAt: given });
    expect(await setSponsorSharing(ticket.manageToken, true, new Date())).toEqual({ changed: false });

    const reply = await postTicketPage(ticket.manageToken, { intent: "sharing", shareWithSponsors: "off" });
    expect(reply).toMatchObject({ status: 303, location: `/my/${ticket.manageToken}?saved=sharing-off#sharing` });
    expect(await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ shareWithSponsors: false, consentAt: null });

    const entries = (await auditOf(ticket.id)).filter((e) => e.action.startsWith("ticket.consent"));
    expect(entries).toEqual([
      { action: "ticket.consent.given", before: { shareWithSponsors: false, consentAt: null }, after: { shareWithSponsors: true, consentAt: given.toISOString() } },
      { action: "ticket.consent.withdrawn", before: { shareWithSponsors: true, consentAt: given.toISOString() }, after: { shareWithSponsors: false, consentAt: null } },
    ]);
  });
});

describe("the change deadline", () => {
  afterEach(async () => {
    await db().event.updateMany({ data: { changesLockAt: null } });
  });

  it("locks details and transfers once changesLockAt has passed, but never consent withdrawal", async () => {
    const { ticket } = await paidOrder();
    await setSponsorSharing(ticket.manageToken, true, new Date());
    const lockAt = new Date("2025-09-05T21:00:00Z");
    await db().event.updateMany({ data: { changesLockAt: lockAt } });
    const justBefore = new Date(lockAt.getTime() - 1000);
    const after = new Date(lockAt.getTime() + 1000);

    expect(await ruleOf(updateAttendeeDetails(ticket.manageToken, details({ name: "Early Edit" }), justBefore))).toBe("ok");
    await expect(updateAttendeeDetails(ticket.manageToken, details(), after)).rejects.toThrow(
      "Changes to tickets closed at 5:00 p.m. EDT on Fri, Sep 5.",
    );
    expect(await ruleOf(transferTicket(ticket.manageToken, { name: "Late", email: "late@example.com" }, after))).toBe("ticket.locked");
    expect(await ruleOf(setSponsorSharing(ticket.manageToken, false, after))).toBe("ok");
    expect(await ruleOf(setAgendaPicks(ticket.manageToken, [], after))).toBe("ok");
    expect(await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ name: "Early Edit", manageToken: ticket.manageToken });
  });
});

describe("tickets that no longer count", () => {
  it("refuses changes to refunded tickets and transfers of checked-in ones", async () => {
    const { tickets } = await paidOrder(2);
    const [refunded, checkedIn] = tickets as [(typeof tickets)[0], (typeof tickets)[0]];
    await db().ticket.update({ where: { id: refunded.id }, data: { status: "REFUNDED", shareWithSponsors: true, consentAt: new Date() } });
    await db().ticket.update({ where: { id: checkedIn.id }, data: { checkedInAt: new Date() } });

    expect(await ruleOf(updateAttendeeDetails(refunded.manageToken, details(), new Date()))).toBe("ticket.not-valid");
    await expect(transferTicket(refunded.manageToken, { name: "X", email: "x@example.com" }, new Date())).rejects.toThrow("This ticket was refunded");
    expect(await ruleOf(setAgendaPicks(refunded.manageToken, [], new Date()))).toBe("ticket.not-valid");
    expect(await ruleOf(setSponsorSharing(refunded.manageToken, true, new Date()))).toBe("ticket.not-valid");
    // Withdrawing consent is always possible.
    expect(await ruleOf(setSponsorSharing(refunded.manageToken, false, new Date()))).toBe("ok");
    expect(await db().ticket.findUniqueOrThrow({ where: { id: refunded.id } })).toMatchObject({ shareWithSponsors: false, consentAt: null });

    expect(await ruleOf(transferTicket(checkedIn.manageToken, { name: "Y", email: "y@example.com" }, new Date()))).toBe("ticket.checked-in");
    expect(await ruleOf(updateAttendeeDetails(checkedIn.manageToken, details({ name: "Badge Fix" }), new Date()))).toBe("ok");
  });
});

describe("agenda picks", () => {
  it("adds and removes idempotently, and only published sessions one can attend", async () => {
    const { ticket } = await paidOrder();
    const talks = await db().session.findMany({ where: { status: "PUBLISHED", kind: "TALK" }, select: { id: true }, take: 3 });
    const [a, b, c] = talks.map((t) => t.id) as [string, string, string];
    const draft = await db().session.findFirstOrThrow({ where: { status: "DRAFT" }, select: { id: true } });
    const pause = await db().session.findFirstOrThrow({ where: { kind: "BREAK" }, select: { id: true } });
    const picks = async () => (await db().agendaPick.findMany({ where: { ticketId: ticket.id }, select: { sessionId: true } })).map((p) => p.sessionId).sort();

    expect(await setAgendaPicks(ticket.manageToken, [a, b, b], new Date())).toEqual({ added: [a, b], removed: [] });
    expect(await setAgendaPicks(ticket.manageToken, [b, a], new Date())).toEqual({ added: [], removed: [] });
    expect(await picks()).toEqual([a, b].sort());
    expect(await setAgendaPicks(ticket.manageToken, [b, c], new Date())).toEqual({ added: [c], removed: [a] });
    expect(await setAgendaPicks(ticket.manageToken, [b, c], new Date())).toEqual({ added: [], removed: [] });
    expect(await picks()).toEqual([b, c].sort());
    expect((await auditOf(ticket.id)).filter((e) => e.action === "ticket.agenda.updated")).toHaveLength(2);

    expect(await ruleOf(setAgendaPicks(ticket.manageToken, [draft.id], new Date()))).toBe("agenda.unknown-session");
    expect(await ruleOf(setAgendaPicks(ticket.manageToken, [pause.id], new Date()))).toBe("agenda.unknown-session");
    const reply = await postTicketPage(ticket.manageToken, { intent: "agenda", sessions: [a, "no-such-session"] });
    expect(reply.status).toBe(400);
    expect(await picks()).toEqual([b, c].sort());

    expect(await postTicketPage(ticket.manageToken, { intent: "agenda", sessions: [] })).toMatchObject({ status: 303 });
    expect(await picks()).toEqual([]);
  });
});

describe("calendar files from the private link", () => {
  const calendarOf = async (loader: typeof myEventIcsLoader, token: string, file: string) => {
    const response = await loader({ request: new Request(`http://localhost/my/${token}/${file}`), params: { token }, context: {} });
    expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    return readCalendar(await response.text()).events;
  };

  it("gives the event's days and the holder's picked sessions as calendars that ical.js and node-ical read", async () => {
    const { ticket } = await paidOrder();
    const sessions = await db().session.findMany({ where: { status: "PUBLISHED" }, select: { startsAt: true, endsAt: true } });
    const firstStart = new Date(Math.min(...sessions.map((x) => x.startsAt.getTime())));
    const lastEnd = new Date(Math.max(...sessions.map((x) => x.endsAt.getTime())));

    const days = await calendarOf(myEventIcsLoader, ticket.manageToken, "event.ics");
    expect(days.map((d) => d.summary)).toEqual(["Rare Earth Mines, Magnets & Motors 2025 (day 1 of 2)", "Rare Earth Mines, Magnets & Motors 2025 (day 2 of 2)"]);
    expect(days[0]!.start).toEqual(firstStart);
    expect(clockIn(days[0]!.start, "America/Toronto")).toBe("08:00");
    expect(days[1]!.end).toEqual(lastEnd);
    for (const day of days) {
      expect(day).toMatchObject({ location: "The Lakeshore Grand Hotel, 1 Harbourview Promenade, Toronto, ON M5J 0Z9", organizerName: "Adamas Intelligence", organizerAddress: "mailto:info@re3m.example" });
    }

    const talks = await db().session.findMany({ where: { status: "PUBLISHED", kind: "TALK" }, select: { id: true, title: true, startsAt: true, endsAt: true }, orderBy: { startsAt: "asc" }, take: 2 });
    await setAgendaPicks(ticket.manageToken, talks.map((t) => t.id), new Date());
    const picked = await calendarOf(myAgendaIcsLoader, ticket.manageToken, "agenda.ics");
    type Slot = { summary: string; start: Date; end: Date };
    const inOrder = (slots: Slot[]) => slots.sort((a, b) => a.start.getTime() - b.start.getTime() || (a.summary < b.summary ? -1 : 1));
    expect(inOrder(picked.map((e) => ({ summary: e.summary, start: e.start, end: e.end })))).toEqual(inOrder(talks.map((t) => ({ summary: t.title, start: t.startsAt, end: t.endsAt }))));
    expect(picked.every((e) => e.organizerAddress === "mailto:info@re3m.example")).toBe(true);
  });
});

describe("resending a ticket email from the order page", () => {
  const resend = (reference: string, key: string, ticketId: string) =>
    settle(() =>
      orderAction({
        request: new Request(`http://localhost/orders/${reference}?k=${encodeURIComponent(key)}`, { method: "POST", body: form({ ticketId }) }),
        params: { ref: reference },
        context: {},
      }),
    );

  it("enqueues exactly one email per click, at most once a minute, and only for the order's own tickets", async () => {
    const mine = await paidOrder(2);
    const theirs = await paidOrder(1);
    const { reference, accessToken } = mine.order;
    const before = new Date();

    const sent = await resend(reference, accessToken, mine.tickets[1]!.id);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, ticketId: mine.tickets[1]!.id });
    expect(await outboxSince(before)).toEqual([{ template: "ticket", toAddress: mine.tickets[1]!.email, payload: { ticketId: mine.tickets[1]!.id } }]);

    const again = await resend(reference, accessToken, mine.tickets[1]!.id);
    expect(again.status).toBe(429);
    expect((again.body as { message: string }).message).toMatch(/You can send it again in \d+ seconds?\./);

    const foreign = await resend(reference, accessToken, theirs.ticket.id);
    expect(foreign.status).toBe(409);
    expect((foreign.body as { message: string }).message).toBe("That ticket is not part of this order.");

    expect((await resend(reference, secretToken(), mine.tickets[0]!.id)).status).toBe(404);
    expect(await outboxSince(before)).toHaveLength(1);
  });
});
