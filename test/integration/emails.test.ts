// Every template rendered from real rows, checked for the facts its reader needs: names, amounts to
// the cent, working links with the real tokens, the QR code and the calendar file. No snapshots.
import { inflateSync } from "node:zlib";
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { placeOrder, type PlacedOrder } from "~/domain/orders.server";
import { startCheckout } from "~/domain/checkout-session.server";
import { expireOrders } from "~/domain/holds.server";
import { refundOrder } from "~/domain/refunds.server";
import { formatMoney } from "~/domain/money";
import { dayKey, formatDayKey, formatTime, zoneAbbreviation } from "~/domain/time";
import { joinWaitlist } from "~/domain/waitlist.server";
import { secretToken } from "~/domain/tokens.server";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import { EmailRenderError, renderEmail, UndeliverableEmail } from "~/domain/emails.server";
import { deliverEmail } from "~/domain/outbox.server";
import type { MailTransport } from "~/services/mailer.server";
import { enqueueEmail, type EmailTemplate } from "~/services/outbox.server";
import { useStripeEmulator } from "../support/checkout";
import { clockIn, readCalendar } from "../support/calendars";
import { emailsAbout, linksIn, paidOrder } from "../support/emails";
import { attendee, order, seededEvent, ticketType } from "../support/factories";

const harness = useStripeEmulator();
const money = (cents: number) => formatMoney(cents, "CAD");

async function renderOnly(id: string, template: EmailTemplate) {
  const rows = await emailsAbout(id, template);
  expect(rows).toHaveLength(1);
  return { row: rows[0]!, email: await renderEmail(rows[0]!) };
}

/** What nodemailer writes for an outbox row when it is delivered, read back by mailparser as a mail client reads it. */
async function delivered(rowId: string) {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const raws: Buffer[] = [];
  const transport: MailTransport = { sendMail: async (message) => raws.push((await composer.sendMail(message)).message as Buffer) };
  expect(await deliverEmail(rowId, { transport })).toBe("sent");
  expect(raws).toHaveLength(1);
  const head = raws[0]!.toString("utf8").split("\r\n\r\n")[0]!;
  const parsed = await simpleParser(raws[0]!);
  return { head, parsed, to: [parsed.to ?? []].flat().flatMap((t) => t.value) };
}

/**
 * Reads the modules back out of a 1-bit palette PNG of a QR code (as app/services/qr-png.server.ts
 * writes it): the centre pixel of each module, dark when it uses palette entry 0.
 */
function qrModules(png: Buffer, size: number): boolean[] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks = new Map<string, Buffer[]>();
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("ascii", at + 4, at + 8);
    chunks.set(type, [...(chunks.get(type) ?? []), png.subarray(at + 8, at + 8 + length)]);
    at += length + 12;
  }
  const header = chunks.get("IHDR")![0]!;
  const side = header.readUInt32BE(0);
  expect([header[8], header[9]]).toEqual([1, 3]);
  const pixels = inflateSync(Buffer.concat(chunks.get("IDAT")!));
  const stride = 1 + Math.ceil(side / 8);
  const scale = side / (size + 4);
  const modules: boolean[] = [];
  for (let my = 0; my < size; my++) {
    for (let mx = 0; mx < size; mx++) {
      const x = Math.floor((mx + 2.5) * scale);
      const y = Math.floor((my + 2.5) * scale);
      modules.push((pixels[y * stride + 1 + (x >> 3)]! & (0x80 >> (x & 7))) === 0);
    }
  }
  return modules;
}

describe("the buyer's receipt", () => {
  it("lists every line, the discount, HST at 13% and the total to the cent, with the private order link", async () => {
    const event = await seededEvent();
    const full = await ticketType({ priceCents: 149_500 });
    const reception = await ticketType({ priceCents: 15_000 });
    await db().discountCode.create({ data: { eventId: event.id, code: "RECEIPT15", kind: "PERCENT", amount: 1500 } });
    const paid = await paidOrder({ [full.slug]: 2, [reception.slug]: 1 }, { code: "RECEIPT15", buyer: { name: "Maren Okafor", email: "maren@example.com" } });
    expect(paid).toMatchObject({ subtotalCents: 314_000, discountCents: 47_100, taxCents: 34_697, totalCents: 301_597 });
    // Settings changed after the sale: the receipt keeps the order's rate and shows the registration.
    await db().event.update({ where: { id: event.id }, data: { taxRateBps: 1500, taxNumber: "123456789RT0001", legalName: "Adamas Intelligence Inc." } });

    const { row, email } = await renderOnly(paid.id, "order-confirmation");
    await db().event.update({ where: { id: event.id }, data: { taxRateBps: 1300 } });
    expect(row.toAddress).toBe("maren@example.com");
    expect(email.subject).toBe(`Your order ${paid.reference}: RE3M 2025 tickets confirmed`);
    for (const fact of [
      "Thank you, Maren Okafor.",
      paid.reference,
      `2 × ${full.name} at $1,495.00`,
      "$2,990.00",
      `1 × ${reception.name} at $150.00`,
      "Subtotal",
      "$3,140.00",
      "Discount (RECEIPT15)",
      "−$471.00",
      "HST 13%",
      "$346.97",
      "Total paid",
      "$3,015.97",
      "Sold by Adamas Intelligence Inc.",
      "HST registration no. 123456789 RT0001",
      "sample content",
    ]) {
      expect(email.text).toContain(fact);
    }
    for (const t of paid.tickets) expect(email.text).toContain(`${t.name}, `);
    expect(linksIn(email.html)).toContain(`${env().APP_URL}/orders/${paid.reference}?k=${paid.accessToken}`);
    expect(email.html).toContain("#4c2a9e");
    expect(email.html).not.toMatch(/src="https?:/);
    // The tax invoice, as a PDF (its contents: invoices.test.ts).
    expect(email.attachments.map((a) => [a.contentType, a.filename])).toEqual([["application/pdf", expect.stringMatching(/^INV-\d{5}\.pdf$/)]]);
  });
});

describe("the ticket email", () => {
  it("carries the attendee's QR code inline, the event's calendar file and their own manage link", async () => {
    const type = await ticketType({ priceCents: 69_500 });
    const paid = await paidOrder({ [type.slug]: 1 }, { attendees: [attendee({ name: "Tomáš Lindqvist", email: "tomas@example.com" })] });
    const ticket = paid.tickets[0]!;
    const { row, email } = await renderOnly(ticket.id, "ticket");
    expect(row.toAddress).toBe("tomas@example.com");

    for (const fact of ["Your ticket, Tomáš Lindqvist", type.name, "The Lakeshore Grand Hotel", "1 Harbourview Promenade", "Tuesday, September 9, 2025", "Wednesday, September 10, 2025", "EDT", ticket.shortCode, paid.reference, "re3m-2025.ics"]) {
      expect(email.text).toContain(fact);
    }
    expect(linksIn(email.html)).toContain(`${env().APP_URL}/my/${ticket.manageToken}`);
    expect(email.html).toContain('src="cid:ticket-qr"');
    // The QR code's secret travels only inside the image, never as text.
    expect(email.html).not.toContain(ticket.qrCode);
    expect(email.text).not.toContain(ticket.qrCode);

    const qr = email.attachments.find((a) => a.cid === "ticket-qr")!;
    expect(qr).toMatchObject({ filename: "ticket-qr.png", contentType: "image/png" });
    // The image holds exactly the QR code of the ticket's secret, module for module.
    const expected = QRCode.create(ticket.qrCode, { errorCorrectionLevel: "M" }).modules;
    expect(qrModules(qr.content, expected.size)).toEqual([...expected.data].map((bit) => bit !== 0));

    const ics = email.attachments.find((a) => a.filename === "re3m-2025.ics")!;
    expect(ics.contentType).toMatch(/^text\/calendar/);
    const text = ics.content.toString("utf8");
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    // Read as Thunderbird (ical.js) and node-ical read it: each day from its first published session to its last.
    const calendar = readCalendar(text);
    expect(calendar).toMatchObject({ method: "PUBLISH", version: "2.0" });
    const days = calendar.events;
    expect(days).toHaveLength(2);
    const event = await seededEvent();
    const sessions = await db().session.findMany({ where: { eventId: event.id, status: "PUBLISHED" }, select: { startsAt: true, endsAt: true } });
    const first = new Date(Math.min(...sessions.map((s) => s.startsAt.getTime())));
    const last = new Date(Math.max(...sessions.map((s) => s.endsAt.getTime())));
    expect(days[0]!.start).toEqual(first);
    expect(clockIn(days[0]!.start, event.timeZone)).toBe("08:00");
    expect(days[1]!.end).toEqual(last);
    expect(days[0]).toMatchObject({
      summary: "Rare Earth Mines, Magnets & Motors 2025 (day 1 of 2)",
      location: "The Lakeshore Grand Hotel, 1 Harbourview Promenade, Toronto, ON M5J 0Z9",
      organizerName: "Adamas Intelligence",
      organizerAddress: "mailto:info@re3m.example",
    });
  });

  it("is not sent to an address that no longer holds the ticket, nor for a refunded ticket", async () => {
    const type = await ticketType();
    const paid = await paidOrder({ [type.slug]: 2 });
    const [kept, given] = paid.tickets;
    const [row] = await emailsAbout(given!.id, "ticket");
    await db().ticket.update({ where: { id: given!.id }, data: { email: "someone-else@example.com", manageToken: secretToken(), qrCode: secretToken() } });
    await expect(renderEmail(row!)).rejects.toThrow(UndeliverableEmail);
    await expect(renderEmail(row!)).rejects.toThrow(/held by another address/);

    await refundOrder(paid.id, [kept!.id], null);
    const [keptRow] = await emailsAbout(kept!.id, "ticket");
    await expect(renderEmail(keptRow!)).rejects.toThrow(/refunded/);
  });
});

describe("the To header", () => {
  it("names the person, quoted or encoded as their name needs", async () => {
    const type = await ticketType();
    const buyer = 'Okafor, "Maren" (CFO)';
    const name = 'Dr. "Magnus" Östlund, Jr.';
    const paid = await paidOrder({ [type.slug]: 1 }, { buyer: { name: buyer, email: "maren@example.com" }, attendees: [attendee({ name, email: "magnus@example.com" })] });

    const receipt = await delivered((await emailsAbout(paid.id, "order-confirmation"))[0]!.id);
    expect(receipt.to).toEqual([{ name: buyer, address: "maren@example.com" }]);
    // An ASCII name with a comma or quotes travels as a quoted string, so it stays one address.
    expect(receipt.head).toContain('To: "Okafor, \\"Maren\\" (CFO)" <maren@example.com>');

    const ticketMail = await delivered((await emailsAbout(paid.tickets[0]!.id, "ticket"))[0]!.id);
    expect(ticketMail.to).toEqual([{ name, address: "magnus@example.com" }]);
    // Headers stay 7-bit: the name travels as an RFC 2047 encoded word.
    expect(ticketMail.head).toMatch(/^To: =\?UTF-8\?/m);
    expect(ticketMail.head).not.toMatch(/[^\x00-\x7f]/);
  });

  it("keeps a name stored with CR/LF and a bidi override to one clean header line", async () => {
    const type = await ticketType();
    const paid = await paidOrder({ [type.slug]: 1 });
    const ticket = paid.tickets[0]!;
    await db().ticket.update({ where: { id: ticket.id }, data: { name: "Eve\r\nBcc: victim@example.com\u202E" } });
    const [row] = await emailsAbout(ticket.id, "ticket");
    await db().emailOutbox.update({ where: { id: row!.id }, data: { subject: "Your ticket\r\nBcc: victim@example.com" } });

    const mail = await delivered(row!.id);
    expect(mail.to).toEqual([{ name: "Eve Bcc: victim@example.com", address: ticket.email }]);
    expect(mail.parsed.bcc).toBeUndefined();
    expect(mail.parsed.subject).toBe("Your ticket Bcc: victim@example.com");
    expect(mail.head.split("\r\n").filter((line) => /^bcc:/i.test(line))).toEqual([]);
    expect(mail.head).not.toContain("\u202E");
  });
});

describe("refunds", () => {
  it("names the cancelled tickets and the amount refunded, then says when the whole order is refunded", async () => {
    const type = await ticketType({ priceCents: 69_500 });
    const paid = await paidOrder({ [type.slug]: 3 }, { buyer: { name: "Ines Haddad", email: "ines@example.com" } });
    const [first] = paid.tickets;
    const one = await refundOrder(paid.id, [first!.id], null);
    expect(one.amountCents).toBe(78_535);

    const [partialRow] = await emailsAbout(one.id, "order-refunded");
    const partial = await renderEmail(partialRow!);
    expect(partialRow!.toAddress).toBe("ines@example.com");
    for (const fact of ["Tickets cancelled and refunded", "Hello Ines Haddad", paid.reference, "$785.35 CAD", `Refunded so far: $785.35 of the ${money(paid.totalCents)} paid.`, `${first!.name}, ${type.name}`, "other tickets of the order remain valid"]) {
      expect(partial.text).toContain(fact);
    }
    expect(partial.text).not.toContain(paid.tickets[1]!.name);
    expect(linksIn(partial.html)).toContain(`${env().APP_URL}/orders/${paid.reference}?k=${paid.accessToken}`);

    const rest = await refundOrder(paid.id, null, null);
    const [wholeRow] = await emailsAbout(rest.id, "order-refunded");
    const whole = await renderEmail(wholeRow!);
    expect(whole.text).toContain("Your order was refunded");
    expect(whole.text).toContain(`${money(rest.amountCents)} CAD`);
    expect(whole.text).toContain(`Refunded so far: ${money(paid.totalCents)} of the ${money(paid.totalCents)} paid.`);
  });

  it("apologises and refunds in full when a late payment finds the seats gone", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 2, priceCents: 149_500 });
    const late: PlacedOrder = await placeOrder(event, order({ [type.slug]: 2 }, { buyer: { name: "Late Larsen", email: "late@example.com" } }), new Date());
    await startCheckout(late, event, { successUrl: "http://localhost/orders/x?k=y", cancelUrl: "http://localhost/orders/x/cancel?k=y" });
    const sessionId = (await db().order.findUniqueOrThrow({ where: { id: late.id } })).stripeSessionId!;
    harness.emulator.failNext("POST", `/v1/checkout/sessions/${sessionId}/expire`, 3);
    await expireOrders({ orderIds: [late.id] }, "EXPIRED", "hold-expired");
    await placeOrder(event, order({ [type.slug]: 2 }), new Date());
    harness.emulator.forcePay(sessionId);
    await harness.emulator.webhooksIdle();

    const { row, email } = await renderOnly(late.id, "late-payment-refunded");
    expect(row.toAddress).toBe("late@example.com");
    expect(late.totalCents).toBe(337_870);
    for (const fact of ["Your payment is being refunded", "Hello Late Larsen, we are sorry", late.reference, "Refunded in full", "$3,378.70 CAD", "the last seats were sold"]) {
      expect(email.text).toContain(fact);
    }
    expect(linksIn(email.html)).toContain(`${env().APP_URL}/tickets`);
  });
});

describe("the waiting list", () => {
  it("offers the returned seat with its deadline in Toronto time and a checkout link holding the offer", async () => {
    const event = await seededEvent();
    const type = await ticketType({ capacity: 1, priceCents: 49_500 });
    const paid = await paidOrder({ [type.slug]: 1 });
    await joinWaitlist(event.id, type.slug, { name: "Priya Raman", email: "priya@example.com" });
    await refundOrder(paid.id, null, null);

    const entry = await db().waitlistEntry.findFirstOrThrow({ where: { ticketTypeId: type.id, email: "priya@example.com" } });
    const { row, email } = await renderOnly(entry.id, "waitlist-offer");
    expect(row.toAddress).toBe("priya@example.com");
    for (const fact of ["A seat is available for you", "Good news, Priya Raman", type.name, "Held for you until"]) {
      expect(email.text).toContain(fact);
    }
    const until = entry.offerExpiresAt!;
    expect(email.text).toContain(`${formatTime(until, event.timeZone)} ${zoneAbbreviation(until, event.timeZone)} on ${formatDayKey(dayKey(until, event.timeZone))}`);
    expect(linksIn(email.html)).toContain(`${env().APP_URL}/tickets/checkout?offer=${entry.offerToken}&quantities.${type.slug}=1`);
  });
});

describe("ticket transfers", () => {
  it("tells the previous holder who has the ticket now and gives the new holder their own link", async () => {
    const type = await ticketType();
    const paid = await paidOrder({ [type.slug]: 1 });
    const ticket = paid.tickets[0]!;
    // What a transfer writes (app/domain/tickets.server.ts): new holder and secrets, two emails.
    const moved = await db().$transaction(async (tx) => {
      const updated = await tx.ticket.update({
        where: { id: ticket.id },
        data: { name: "Priya Raman", email: "priya@example.com", manageToken: secretToken(), qrCode: secretToken() },
        select: { manageToken: true },
      });
      const payload = { ticketId: ticket.id, previousName: ticket.name, previousEmail: ticket.email };
      const previous = await enqueueEmail(tx, { template: "ticket-transferred", to: ticket.email, subject: "Your RE3M 2025 ticket now belongs to Priya Raman", payload: { ...payload, role: "previous" } });
      const next = await enqueueEmail(tx, { template: "ticket-transferred", to: "priya@example.com", subject: `${ticket.name} gave you their RE3M 2025 ticket`, payload: { ...payload, role: "new" } });
      return { ...updated, previous, next };
    });

    const previous = await renderEmail(moved.previous);
    expect(previous.text).toContain(`Hello ${ticket.name}, your ${type.name}`);
    expect(previous.text).toContain("now belongs to Priya Raman");
    expect(linksIn(previous.html).some((l) => l.includes("/my/"))).toBe(false);

    const next = await renderEmail(moved.next);
    expect(next.text).toContain(`${ticket.name} transferred a ticket to you`);
    expect(next.text).toContain("Hello Priya Raman");
    expect(linksIn(next.html)).toContain(`${env().APP_URL}/my/${moved.manageToken}`);
    expect(linksIn(next.html)).not.toContain(`${env().APP_URL}/my/${ticket.manageToken}`);

    // Passed on again before the email went out: the second holder's link must not reach Priya.
    await db().ticket.update({ where: { id: ticket.id }, data: { email: "third@example.com", manageToken: secretToken() } });
    await expect(renderEmail(moved.next)).rejects.toThrow(UndeliverableEmail);
  });
});

describe("accounts", () => {
  it("invites a sponsor's staff member with a set-password link", async () => {
    const sponsor = await db().sponsor.findFirstOrThrow({ select: { id: true, name: true } });
    const user = await db().user.create({ data: { email: "jonas@sponsor.example", name: "Jonas Ferreira", role: "SPONSOR", sponsorId: sponsor.id } });
    const token = secretToken();
    const row = await enqueueEmail(db(), { template: "invitation", to: user.email, subject: "Your RE3M 2025 sponsor account", payload: { userId: user.id, token, expiresAt: "2025-09-05T21:00:00.000Z" } });
    const email = await renderEmail(row);
    for (const fact of ["You are invited to the RE3M 2025 sponsor area", "Hello Jonas Ferreira", `the ${sponsor.name} team`, "until Friday, September 5, 2025"]) {
      expect(email.text).toContain(fact);
    }
    expect(linksIn(email.html)).toContain(`${env().APP_URL}/set-password?token=${token}`);
  });

  it("sends a password reset link with its expiry", async () => {
    const user = await db().user.create({ data: { email: "door@re3m.example", name: "Dora Doorman", role: "CHECKIN" } });
    const token = secretToken();
    const row = await enqueueEmail(db(), { template: "password-reset", to: user.email, subject: "Reset your password", payload: { userId: user.id, token, expiresAt: "2025-09-02T20:45:00.000Z" } });
    const email = await renderEmail(row);
    expect(email.text).toContain("Hello Dora Doorman");
    expect(email.text).toContain("4:45 p.m. EDT on Tuesday, September 2, 2025");
    expect(linksIn(email.html)).toContain(`${env().APP_URL}/set-password?token=${token}`);
  });
});

describe("rows that cannot be rendered", () => {
  it("names the unknown template, the bad payload or the missing row", async () => {
    const base = { toAddress: "x@example.com", subject: "x" };
    await expect(renderEmail({ ...base, template: "newsletter", payload: {} })).rejects.toThrow('There is no email template called "newsletter"');
    await expect(renderEmail({ ...base, template: "ticket", payload: { orderId: "o" } })).rejects.toThrow(/payload of this "ticket" email is not valid.*ticketId/);
    await expect(renderEmail({ ...base, template: "order-confirmation", payload: { orderId: "missing" } })).rejects.toThrow("Order missing no longer exists");
    await expect(renderEmail({ ...base, template: "order-confirmation", payload: { orderId: "missing" } })).rejects.toThrow(EmailRenderError);
  });
});
