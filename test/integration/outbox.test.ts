// The outbox through the job queue against a real SMTP server on loopback: outages delay mail but
// lose and duplicate nothing, concurrent workers share the jobs, and failures back off, then stop.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jobsNeedingAttention, retryJob, startBackgroundJobs } from "~/domain/jobs.server";
import { failedJobs } from "~/services/job-queue.server";
import { resendEmail } from "~/domain/outbox.server";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import { smtpTransport, type MailTransport, type SmtpTransport } from "~/services/mailer.server";
import { EMAIL_MAX_ATTEMPTS, enqueueEmail, queueEmailJob, SEND_EMAIL_JOB } from "~/services/outbox.server";
import { paidOrder } from "../support/emails";
import { ticketType } from "../support/factories";
import { clearJobs, makeJobsDue, queuedJobs, runJobs } from "../support/jobs";
import { freePort } from "../support/postgres";
import { startSmtpServer, type SmtpTestServer } from "../support/smtp";

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
  await clearJobs();
});

describe("without SMTP_URL", () => {
  it("keeps every message in the outbox as delivered there (STORED)", async () => {
    expect(env().SMTP_URL).toBeUndefined();
    const rows = await queueEmails(1, 2);
    // One job per row, added with the order.
    expect(await queuedJobs(SEND_EMAIL_JOB)).toHaveLength(rows.length);
    await runJobs();
    const stored = await db().emailOutbox.findMany();
    expect(stored.every((r) => r.status === "STORED" && r.sentAt && r.attempts === 1 && r.lastError === null)).toBe(true);
    expect(await queuedJobs()).toEqual([]);
  });
});

describe("queued in the transaction of its change", () => {
  it("never sends an email whose transaction rolled back", async () => {
    const sent: string[] = [];
    const recording: MailTransport = { sendMail: async (m) => void sent.push(String(m.to)) };
    await expect(
      db().$transaction(async (tx) => {
        await enqueueEmail(tx, { template: "ticket", to: "nobody@example.com", subject: "Never sent", payload: { ticketId: "t" } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db().emailOutbox.count()).toBe(0);
    expect(await queuedJobs()).toEqual([]);
    await runJobs(recording);
    expect(sent).toEqual([]);
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
    const before = new Date();
    await runJobs(transport);
    expect(smtp.messages).toHaveLength(2);
    const ticketMail = smtp.messages.find((m) => m.to.includes(paid.tickets[0]!.email))!;
    expect(ticketMail.subject).toBe(`Your ticket for RE3M 2025, ${paid.tickets[0]!.name}`);
    expect(ticketMail.raw).toMatch(/^From: RE3M 2025 <tickets@re3m\.example>/m);
    expect(ticketMail.raw).toContain("Content-Type: image/png; name=ticket-qr.png");
    expect(ticketMail.raw).toMatch(/Content-ID: <ticket-qr>/);
    expect(ticketMail.raw).toContain("Content-Type: text/calendar");
    expect(ticketMail.raw).toContain("Content-Type: text/plain");
    const rows = await db().emailOutbox.findMany();
    expect(rows.every((r) => r.status === "SENT" && r.sentAt! >= before)).toBe(true);
  });

  it("loses and duplicates nothing through an outage: refused connections, then refused recipients, then delivery", async () => {
    const rows = await queueEmails(3);
    expect(rows).toHaveLength(12);
    const port = await freePort();
    // Nothing listens on the port yet: the mail server is down.
    const down = smtpTransport(`smtp://127.0.0.1:${port}`);
    // The first retry comes after e^1 s: on a slow machine one run may already try some rows twice.
    await runJobs(down);
    let pending = await db().emailOutbox.findMany();
    expect(pending.every((r) => r.status === "PENDING" && r.attempts >= 1 && /ECONNREFUSED/.test(r.lastError ?? ""))).toBe(true);

    // The server comes back but refuses recipients for a while (451, try again later).
    const recovering = await startSmtpServer({ port });
    recovering.refuse(true);
    try {
      const back = smtpTransport(recovering.url);
      await makeJobsDue();
      await runJobs(back);
      pending = await db().emailOutbox.findMany();
      expect(pending.every((r) => r.status === "PENDING" && r.attempts >= 2 && /451/.test(r.lastError ?? ""))).toBe(true);
      expect(recovering.messages).toHaveLength(0);

      recovering.refuse(false);
      await makeJobsDue();
      await runJobs(back);
      // Nothing is left to send.
      expect(await queuedJobs()).toEqual([]);
      back.close();
    } finally {
      await recovering.stop();
      down.close();
    }

    const sent = await db().emailOutbox.findMany();
    expect(sent.every((r) => r.status === "SENT" && r.attempts >= 3 && r.lastError === null)).toBe(true);
    const counts = receivedPerRow(recovering);
    expect(recovering.messages).toHaveLength(12);
    expect([...counts.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it("never sends one row twice when two workers run at once, and sends a new email within a second", async () => {
    const counted = (count: { n: number }): MailTransport => ({ sendMail: (m) => (count.n++, transport.sendMail(m)) });
    const a = { n: 0 };
    const b = { n: 0 };
    const stops = await Promise.all([
      startBackgroundJobs(env().DATABASE_URL!, { transport: counted(a) }),
      startBackgroundJobs(env().DATABASE_URL!, { transport: counted(b) }),
    ]);
    try {
      // The workers hear of a new job at once (LISTEN/NOTIFY), not at their next poll.
      const type = await ticketType({ capacity: 1000 });
      await paidOrder({ [type.slug]: 1 });
      const started = Date.now();
      // Taken up (tried) well before the 2 s poll; rendering the first email then takes its time.
      const tried = async () => (await db().emailOutbox.findMany({ where: { attempts: { gt: 0 } } })).length;
      await expect.poll(tried, { interval: 20, timeout: 5000 }).toBe(2);
      expect(Date.now() - started).toBeLessThan(1000);
      await expect.poll(statuses, { interval: 20, timeout: 10_000 }).toEqual(["SENT", "SENT"]);

      const rows = await queueEmails(10);
      expect(rows).toHaveLength(42);
      await expect.poll(async () => (await statuses()).filter((s) => s === "SENT").length, { interval: 50, timeout: 20_000 }).toBe(42);
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
    // Between them, the workers sent each row exactly once.
    expect(a.n + b.n).toBe(42);
    expect(await statuses()).toEqual(Array(42).fill("SENT"));
    const counts = receivedPerRow(smtp);
    expect(smtp.messages).toHaveLength(42);
    expect(counts.size).toBe(42);
  });

  it("sends a resent message again as a new row, and records who asked", async () => {
    const type = await ticketType();
    await paidOrder({ [type.slug]: 1 });
    await runJobs(transport);
    const original = await db().emailOutbox.findFirstOrThrow({ where: { template: "ticket" } });
    const copy = await resendEmail(original.id);
    expect(copy).not.toBeNull();
    expect(await resendEmail("no-such-email")).toBeNull();
    const messages = smtp.messages.length;
    await runJobs(transport);
    expect(smtp.messages.length - messages).toBe(1);
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

  it("backs off between attempts, gives up after the last one, and shows the job to organisers to retry", async () => {
    const type = await ticketType();
    await paidOrder({ [type.slug]: 1 });
    const ticketRow = await db().emailOutbox.findFirstOrThrow({ where: { template: "ticket" } });
    // The receipt's job then finds no row, and ends without sending anything.
    await db().emailOutbox.deleteMany({ where: { id: { not: ticketRow.id } } });
    for (let attempt = 1; attempt < EMAIL_MAX_ATTEMPTS; attempt++) {
      const tried = new Date();
      await runJobs(broken);
      const row = await db().emailOutbox.findUniqueOrThrow({ where: { id: ticketRow.id } });
      expect(row).toMatchObject({ status: "PENDING", attempts: attempt, lastError: "554 Transaction failed (simulated)" });
      // graphile-worker waits e^attempt seconds (capped at e^10) before the next try.
      const [job] = await queuedJobs(SEND_EMAIL_JOB);
      expect(job).toMatchObject({ attempts: attempt, lastError: expect.stringContaining("554") });
      expect(job!.runAt.getTime() - tried.getTime()).toBeGreaterThanOrEqual(Math.exp(Math.min(attempt, 10)) * 1000 - 1000);
      // Not a moment before it is due.
      await runJobs(broken);
      expect((await db().emailOutbox.findUniqueOrThrow({ where: { id: ticketRow.id } })).attempts).toBe(attempt);
      await makeJobsDue();
    }
    await runJobs(broken);
    expect(await db().emailOutbox.findUniqueOrThrow({ where: { id: ticketRow.id } })).toMatchObject({ status: "FAILED", attempts: EMAIL_MAX_ATTEMPTS });
    // The job stays, failed, in the organisers' dead-letter view; nothing runs it again by itself.
    await makeJobsDue();
    await runJobs(broken);
    const dead = await jobsNeedingAttention();
    expect(dead).toMatchObject({ count: 1, jobs: [{ task: SEND_EMAIL_JOB, emailId: ticketRow.id, attempts: EMAIL_MAX_ATTEMPTS }] });
    expect(dead.jobs[0]!.lastError).toContain("554");

    // An organiser retries it once the mail server works again: the email goes out, once.
    expect(await retryJob(dead.jobs[0]!.id, null)).toBe(true);
    expect(await retryJob("999999", null)).toBe(false);
    const sent: string[] = [];
    const working: MailTransport = { sendMail: async (m) => void sent.push(String(m.messageId)) };
    await runJobs(working);
    await runJobs(working);
    expect(await db().emailOutbox.findUniqueOrThrow({ where: { id: ticketRow.id } })).toMatchObject({ status: "SENT", lastError: null });
    expect(await failedJobs()).toEqual([]);
    expect(sent).toEqual([expect.stringContaining(ticketRow.id)]);
  });

  it("fails at once, without sending, when the ticket has changed hands since the email was queued", async () => {
    const type = await ticketType();
    const paid = await paidOrder({ [type.slug]: 1 });
    await db().ticket.update({ where: { id: paid.tickets[0]!.id }, data: { email: "new-holder@example.com" } });
    const sent: unknown[] = [];
    const recording: MailTransport = { sendMail: async (m) => void sent.push(m.to) };
    await runJobs(recording);
    expect(sent).toEqual([{ name: paid.buyerName, address: paid.buyerEmail }]);
    // Trying again cannot help: the job is done, not retried.
    expect(await queuedJobs()).toEqual([]);
    const failed = await db().emailOutbox.findFirstOrThrow({ where: { template: "ticket" } });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(failed.lastError).toMatch(/held by another address/);
  });

  it("sends a row whose worker died before handing it to SMTP once, when its job runs again", async () => {
    const type = await ticketType();
    await paidOrder({ [type.slug]: 1 });
    await db().emailOutbox.deleteMany({ where: { template: "ticket" } });
    // What a worker that crashed while rendering leaves behind once its lock is released: the row
    // tried once and still PENDING, its job due with one attempt used.
    await db().emailOutbox.updateMany({ data: { attempts: 1 } });
    await db().$executeRaw`UPDATE graphile_worker._private_jobs SET attempts = 1, run_at = now()`;
    const sent: string[] = [];
    const recording: MailTransport = { sendMail: async (m) => void sent.push(String(m.messageId)) };
    await runJobs(recording);
    await runJobs(recording);
    expect(sent).toHaveLength(1);
    expect(await db().emailOutbox.findFirstOrThrow()).toMatchObject({ status: "SENT", attempts: 2 });
  });

  it("is SENDING exactly while the SMTP server has it, and one left SENDING by a crash is sent again under the same Message-ID", async () => {
    const type = await ticketType();
    await paidOrder({ [type.slug]: 1 });
    await db().emailOutbox.deleteMany({ where: { template: "ticket" } });
    const row = await db().emailOutbox.findFirstOrThrow();
    const seen: { messageId: string; status: string }[] = [];
    const recording: MailTransport = {
      sendMail: async (m) => void seen.push({ messageId: String(m.messageId), status: (await db().emailOutbox.findUniqueOrThrow({ where: { id: row.id } })).status }),
    };
    await runJobs(recording);
    expect(await db().emailOutbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "SENT", attempts: 1 });

    // As a worker that died while the SMTP server had the message leaves it: whether it went out
    // is unknown. Its job, released, runs again.
    await db().emailOutbox.update({ where: { id: row.id }, data: { status: "SENDING", sentAt: null } });
    await db().$transaction((tx) => queueEmailJob(tx, row.id));
    await runJobs(recording);
    await runJobs(recording);
    expect(seen).toEqual([
      { messageId: expect.stringContaining(`<outbox-${row.id}@`), status: "SENDING" },
      { messageId: seen[0]!.messageId, status: "SENDING" },
    ]);
    expect(await db().emailOutbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "SENT", attempts: 2 });
  });
});
