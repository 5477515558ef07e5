// The outbox worker against a real SMTP server on loopback: outages delay mail but lose and
// duplicate nothing, concurrent workers share the rows, and failures back off up to a cap.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import {
  deliverDueEmails,
  drainDueEmails,
  LEASE_MS,
  MAX_ATTEMPTS,
  resendEmail,
  retryDelayMs,
  smtpTransport,
  type MailTransport,
  type SmtpTransport,
} from "~/services/outbox-worker.server";
import { paidOrder } from "../support/emails";
import { ticketType } from "../support/factories";
import { freePort } from "../support/postgres";
import { startSmtpServer, type SmtpTestServer } from "../support/smtp";

const seconds = (s: number, from: Date) => new Date(from.getTime() + s * 1000);

/** Paid orders of `tickets` tickets each: every order writes a receipt and one email per ticket. */
async function queueEmails(orders: number, tickets = 3) {
  const type = await ticketType({ capacity: 1000 });
  for (let i = 0; i < orders; i++) await paidOrder({ [type.slug]: tickets });
  return db().emailOutbox.findMany({ select: { id: true } });
}

const statuses = async () => (await db().emailOutbox.findMany({ select: { status: true } })).map((r) => r.status);

/** Each outbox row's Message-ID, as the SMTP server saw it, counted. */
function receivedPerRow(smtp: SmtpTestServer) {
  const counts = new Map<string, number>();
  for (const m of smtp.messages) {
    const id = m.messageId.match(/^<outbox-(.+)@/)?.[1] ?? m.messageId;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

beforeEach(async () => {
  await db().emailOutbox.deleteMany();
});

describe("without SMTP_URL", () => {
  it("keeps every message in the outbox as delivered there (STORED)", async () => {
    expect(env().SMTP_URL).toBeUndefined();
    const rows = await queueEmails(1, 2);
    // One batch, as the job server.ts runs every two seconds takes first.
    const summary = await deliverDueEmails(new Date());
    expect(summary).toMatchObject({ claimed: rows.length, stored: rows.length, sent: 0 });
    const stored = await db().emailOutbox.findMany();
    expect(stored.every((r) => r.status === "STORED" && r.sentAt && r.attempts === 1 && r.lastError === null)).toBe(true);
    expect(await deliverDueEmails(new Date())).toMatchObject({ claimed: 0 });
  });
});

describe("the outbox job (drainDueEmails)", () => {
  it("keeps taking batches while they come back full, within its time budget", async () => {
    const rows = await queueEmails(5, 4); // 5 receipts + 20 tickets
    // No time left after the first batch: one batch, as a run did before.
    expect(await drainDueEmails(0, { limit: 10 })).toBe(10);
    // Time enough: batch after batch until one comes back short.
    expect(await drainDueEmails(60_000, { limit: 10 })).toBe(rows.length - 10);
    expect(new Set(await statuses())).toEqual(new Set(["STORED"]));
    expect(await drainDueEmails(60_000, { limit: 10 })).toBe(0);
  });
});

describe("over SMTP", () => {
  let smtp: SmtpTestServer;
  let transport: SmtpTransport;
  beforeAll(async () => {
    smtp = await startSmtpServer({ delayMs: 2 });
    transport = smtpTransport(smtp.url);
  });
  afterAll(async () => {
    transport.close();
    await smtp.stop();
  });
  beforeEach(() => {
    smtp.messages.length = 0;
    smtp.refuse(false);
  });

  it("sends the rendered message with its attachments, from MAIL_FROM, and marks it SENT", async () => {
    const type = await ticketType();
    const paid = await paidOrder({ [type.slug]: 1 });
    const now = new Date();
    expect(await deliverDueEmails(now, { transport })).toMatchObject({ claimed: 2, sent: 2 });
    const ticketMail = smtp.messages.find((m) => m.to.includes(paid.tickets[0]!.email))!;
    expect(ticketMail.subject).toBe(`Your ticket for RE3M 2025, ${paid.tickets[0]!.name}`);
    expect(ticketMail.raw).toMatch(/^From: RE3M 2025 <tickets@re3m\.example>/m);
    expect(ticketMail.raw).toContain("Content-Type: image/png; name=ticket-qr.png");
    expect(ticketMail.raw).toMatch(/Content-ID: <ticket-qr>/);
    expect(ticketMail.raw).toContain("Content-Type: text/calendar");
    expect(ticketMail.raw).toContain("Content-Type: text/plain");
    const rows = await db().emailOutbox.findMany();
    expect(rows.every((r) => r.status === "SENT" && r.sentAt?.getTime() === now.getTime())).toBe(true);
  });

  it("loses and duplicates nothing through an outage: refused connections, then refused recipients, then delivery", async () => {
    const rows = await queueEmails(3);
    expect(rows).toHaveLength(12);
    const port = await freePort();
    // Nothing listens on the port yet: the mail server is down.
    const down = smtpTransport(`smtp://127.0.0.1:${port}`);
    let now = new Date();
    expect(await deliverDueEmails(now, { limit: 50, transport: down })).toMatchObject({ claimed: 12, retrying: 12 });
    let pending = await db().emailOutbox.findMany();
    expect(pending.every((r) => r.status === "PENDING" && r.attempts === 1 && /ECONNREFUSED/.test(r.lastError ?? ""))).toBe(true);
    // Nothing is due again before its retry time.
    expect(await deliverDueEmails(seconds(29, now), { limit: 50, transport: down })).toMatchObject({ claimed: 0 });

    // The server comes back but refuses recipients for a while (451, try again later).
    const recovering = await startSmtpServer({ port });
    recovering.refuse(true);
    try {
      const back = smtpTransport(recovering.url);
      now = seconds(31, now);
      expect(await deliverDueEmails(now, { limit: 50, transport: back })).toMatchObject({ claimed: 12, retrying: 12 });
      pending = await db().emailOutbox.findMany();
      expect(pending.every((r) => r.attempts === 2 && /451/.test(r.lastError ?? ""))).toBe(true);
      expect(recovering.messages).toHaveLength(0);

      recovering.refuse(false);
      now = seconds(61, now);
      expect(await deliverDueEmails(now, { limit: 50, transport: back })).toMatchObject({ claimed: 12, sent: 12 });
      // Later passes find nothing left to send.
      expect(await deliverDueEmails(seconds(3600, now), { limit: 50, transport: back })).toMatchObject({ claimed: 0 });
      back.close();
    } finally {
      await recovering.stop();
      down.close();
    }

    const sent = await db().emailOutbox.findMany();
    expect(sent.every((r) => r.status === "SENT" && r.attempts === 3 && r.lastError === null)).toBe(true);
    const counts = receivedPerRow(recovering);
    expect(recovering.messages).toHaveLength(12);
    expect([...counts.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it("never sends one row twice when two workers run at once", async () => {
    const rows = await queueEmails(10);
    expect(rows).toHaveLength(40);
    const now = new Date();
    const worker = async () => {
      let claimed = 0;
      for (;;) {
        const pass = await deliverDueEmails(now, { limit: 5, transport });
        if (pass.claimed === 0) return claimed;
        claimed += pass.claimed;
      }
    };
    const [a, b] = await Promise.all([worker(), worker()]);
    // Both workers took part, and between them claimed each row exactly once.
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a + b).toBe(40);
    expect(await statuses()).toEqual(Array(40).fill("SENT"));
    const counts = receivedPerRow(smtp);
    expect(smtp.messages).toHaveLength(40);
    expect(counts.size).toBe(40);
  });

  it("sends a resent message again as a new row, and records who asked", async () => {
    const type = await ticketType();
    await paidOrder({ [type.slug]: 1 });
    const now = new Date();
    await deliverDueEmails(now, { transport });
    const original = await db().emailOutbox.findFirstOrThrow({ where: { template: "ticket" } });
    const copy = await resendEmail(original.id, { now });
    expect(copy).not.toBeNull();
    expect(await resendEmail("no-such-email")).toBeNull();
    expect(await deliverDueEmails(now, { transport })).toMatchObject({ claimed: 1, sent: 1 });
    const rows = await db().emailOutbox.findMany({ where: { template: "ticket" } });
    expect(rows.map((r) => r.status)).toEqual(["SENT", "SENT"]);
    expect(rows.find((r) => r.id === copy!.id)).toMatchObject({ toAddress: original.toAddress, payload: original.payload, attempts: 1 });
    expect(smtp.messages.filter((m) => m.to.includes(original.toAddress))).toHaveLength(2);
    expect(await db().auditLog.findFirst({ where: { action: "email.resent", subject: `email:${original.id}` } })).toMatchObject({ after: { copyId: copy!.id } });
  });
});

describe("failures", () => {
  const broken: MailTransport = {
    sendMail: () => Promise.reject(new Error("554 Transaction failed (simulated)")),
  };

  it("waits 30 s, 1 min, 2 min… between attempts, and gives up after the last one", async () => {
    expect([1, 2, 3, 4, 7].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000]);
    // The wait never exceeds an hour.
    expect(retryDelayMs(8)).toBe(3_600_000);
    expect(retryDelayMs(30)).toBe(3_600_000);

    const type = await ticketType();
    await paidOrder({ [type.slug]: 1 });
    const ticketRow = await db().emailOutbox.findFirstOrThrow({ where: { template: "ticket" } });
    await db().emailOutbox.deleteMany({ where: { id: { not: ticketRow.id } } });
    let now = new Date();
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect(await deliverDueEmails(now, { transport: broken })).toMatchObject({ claimed: 1, retrying: 1 });
      const row = await db().emailOutbox.findUniqueOrThrow({ where: { id: ticketRow.id } });
      expect(row).toMatchObject({ status: "PENDING", attempts: attempt, lastError: "554 Transaction failed (simulated)" });
      expect(row.dueAt.getTime() - now.getTime()).toBe(retryDelayMs(attempt));
      // Not a moment before it is due.
      expect(await deliverDueEmails(new Date(row.dueAt.getTime() - 1), { transport: broken })).toMatchObject({ claimed: 0 });
      now = row.dueAt;
    }
    expect(await deliverDueEmails(now, { transport: broken })).toMatchObject({ claimed: 1, failed: 1 });
    expect(await db().emailOutbox.findUniqueOrThrow({ where: { id: ticketRow.id } })).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS });
    expect(await deliverDueEmails(seconds(86_400, now), { transport: broken })).toMatchObject({ claimed: 0 });
  });

  it("fails at once, without sending, when the ticket has changed hands since the email was queued", async () => {
    const type = await ticketType();
    const paid = await paidOrder({ [type.slug]: 1 });
    await db().ticket.update({ where: { id: paid.tickets[0]!.id }, data: { email: "new-holder@example.com" } });
    const sent: string[] = [];
    const recording: MailTransport = { sendMail: async (m) => void sent.push(String(m.to)) };
    expect(await deliverDueEmails(new Date(), { transport: recording })).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    expect(sent).toEqual([paid.buyerEmail]);
    const failed = await db().emailOutbox.findFirstOrThrow({ where: { template: "ticket" } });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(failed.lastError).toMatch(/held by another address/);
  });

  it("picks up a row whose worker died mid-send once its lease runs out", async () => {
    const type = await ticketType();
    await paidOrder({ [type.slug]: 1 });
    await db().emailOutbox.deleteMany({ where: { template: "ticket" } });
    const now = new Date();
    // What a claim leaves behind when its worker crashes before recording anything.
    await db().emailOutbox.updateMany({ data: { attempts: 1, dueAt: new Date(now.getTime() + LEASE_MS) } });
    const sent: string[] = [];
    const recording: MailTransport = { sendMail: async (m) => void sent.push(String(m.messageId)) };
    expect(await deliverDueEmails(seconds(60, now), { transport: recording })).toMatchObject({ claimed: 0 });
    expect(await deliverDueEmails(new Date(now.getTime() + LEASE_MS), { transport: recording })).toMatchObject({ claimed: 1, sent: 1 });
    expect(sent).toHaveLength(1);
    expect(await db().emailOutbox.findFirstOrThrow()).toMatchObject({ status: "SENT", attempts: 2 });
  });
});
