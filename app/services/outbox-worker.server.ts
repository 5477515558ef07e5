// Delivers the outbox. Each worker claims due rows with row locks (FOR UPDATE SKIP LOCKED) and a
// lease, sends them outside any transaction, then records the outcome. So any number of app
// instances can run it side by side, a crash mid-send loses nothing (the lease runs out and another
// worker takes the row), and an SMTP outage only delays mail (retries with exponential backoff).
import nodemailer from "nodemailer";
import type { SendMailOptions } from "nodemailer/lib/mailer";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "./audit.server";
import { doublingDelayMs } from "./backoff.server";
import { db } from "./db.server";
import { env } from "./env.server";
import { log } from "./log.server";
import { renderEmail, UndeliverableEmail, type RenderedEmail } from "./mailer.server";

/** How long a claimed row is kept from other workers; sending must finish well within it. */
export const LEASE_MS = 5 * 60_000;
/** Handing one message to SMTP is abandoned after this, far within the lease. */
const SEND_TIMEOUT_MS = 60_000;
export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 60 * 60_000;
/** Messages of one batch in flight at once, over the pooled SMTP connections. */
const PARALLEL_SENDS = 4;

/** The part of a nodemailer transport the worker uses; tests and benchmarks pass their own. */
export type MailTransport = { sendMail(message: SendMailOptions): Promise<unknown> };
export type SmtpTransport = MailTransport & { close(): void };

export type DeliveryOptions = {
  limit?: number;
  /** Where mail goes. Default: SMTP_URL's server, or nowhere when it is unset. `null`: nowhere. */
  transport?: MailTransport | null;
};

export type DeliverySummary = { claimed: number; sent: number; stored: number; retrying: number; failed: number };

/** 30 s, 1 min, 2 min, … doubling up to an hour: the wait after the given (1-based) attempt failed. */
export function retryDelayMs(attempt: number): number {
  return doublingDelayMs(attempt, FIRST_RETRY_MS, LONGEST_RETRY_MS);
}

/** A pooled SMTP transport with timeouts that fit inside the lease. */
export function smtpTransport(url: string): SmtpTransport {
  return nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: PARALLEL_SENDS,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 45_000,
  });
}

// One pool per process, built on first use from SMTP_URL.
const globalForMail = globalThis as unknown as { re3mMailTransport?: MailTransport };

function configuredTransport(): MailTransport | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  globalForMail.re3mMailTransport ??= smtpTransport(url);
  return globalForMail.re3mMailTransport;
}

type ClaimedRow = { id: string; template: string; toAddress: string; subject: string; payload: Prisma.JsonValue; attempts: number };

/**
 * Takes up to `limit` due rows for this worker: one statement, so the lock (SKIP LOCKED: rows
 * another worker is claiming are passed over) and the lease (dueAt pushed past now) commit
 * together. `attempts` counts the claim, and is what the outcome is later written against.
 */
function claimDueRows(now: Date, limit: number) {
  const leaseEnds = new Date(now.getTime() + LEASE_MS);
  return db().$queryRaw<ClaimedRow[]>`
    UPDATE "EmailOutbox" SET "dueAt" = ${leaseEnds}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM "EmailOutbox"
      WHERE status = 'PENDING' AND "dueAt" <= ${now}
      ORDER BY "dueAt", id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, template, "toAddress", subject, payload, attempts`;
}

/**
 * Writes the outcome of one claim. The `attempts` guard makes it a no-op when this worker's lease
 * ran out and another worker has claimed the row since: the newer claim owns the row.
 */
function settle(row: ClaimedRow, data: Prisma.EmailOutboxUpdateManyMutationInput) {
  return db().emailOutbox.updateMany({ where: { id: row.id, status: "PENDING", attempts: row.attempts }, data });
}

function messageFor(row: ClaimedRow, email: RenderedEmail): SendMailOptions {
  return {
    from: env().MAIL_FROM,
    to: row.toAddress,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: email.attachments,
    // Derived from the row, so a receiver can recognise a message it already has.
    messageId: `<outbox-${row.id}@${new URL(env().APP_URL).hostname}>`,
    // A stuck server must not hold the row until its lease runs out and another worker sends it too.
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  };
}

async function deliver(row: ClaimedRow, transport: MailTransport | null, now: Date): Promise<keyof Omit<DeliverySummary, "claimed">> {
  // A row claimed again after a worker died mid-send: its attempts are used up.
  if (row.attempts > MAX_ATTEMPTS) {
    await settle(row, { status: "FAILED", lastError: `Gave up after ${MAX_ATTEMPTS} attempts (the last one was interrupted)` });
    return "failed";
  }
  try {
    const email = await renderEmail(row);
    if (transport) await transport.sendMail(messageFor(row, email));
  } catch (error) {
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const final = error instanceof UndeliverableEmail || row.attempts >= MAX_ATTEMPTS;
    log.warn(final ? "email failed for good" : "email failed, will retry", { id: row.id, template: row.template, attempt: row.attempts, error: lastError });
    if (final) {
      await settle(row, { status: "FAILED", lastError });
      return "failed";
    }
    await settle(row, { lastError, dueAt: new Date(now.getTime() + retryDelayMs(row.attempts)) });
    return "retrying";
  }
  await settle(row, transport ? { status: "SENT", sentAt: now, lastError: null } : { status: "STORED", sentAt: now, lastError: null });
  return transport ? "sent" : "stored";
}

/**
 * One pass of the outbox worker (server.ts runs it every few seconds): claims due rows, renders and
 * sends them, and records each outcome. Returns at once when nothing is due.
 */
export async function deliverDueEmails(now: Date, { limit = 20, transport }: DeliveryOptions = {}): Promise<DeliverySummary> {
  const summary: DeliverySummary = { claimed: 0, sent: 0, stored: 0, retrying: 0, failed: 0 };
  const rows = await claimDueRows(now, limit);
  if (rows.length === 0) return summary;
  summary.claimed = rows.length;
  const target = transport === undefined ? configuredTransport() : transport;
  let next = 0;
  const lane = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      summary[await deliver(row, target, now)]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, rows.length) }, lane));
  return summary;
}

/**
 * One run of the outbox job: batch after batch while batches come back full, for at most
 * `budgetMs`: one batch per run sent a rush's confirmations far too slowly, and a budget leaves
 * most of the process to checkouts (ADR 0009 has the figures).
 * Returns how many messages it handled.
 */
export async function drainDueEmails(budgetMs: number, options: DeliveryOptions = {}): Promise<number> {
  const until = Date.now() + budgetMs;
  const limit = options.limit ?? 20;
  let handled = 0;
  for (;;) {
    const { claimed } = await deliverDueEmails(new Date(), { ...options, limit });
    handled += claimed;
    if (claimed < limit || Date.now() >= until) return handled;
  }
}

/** Sends a message again: a new PENDING copy of the row, so the original's history stays as it was. */
export async function resendEmail(id: string, { actorId = null, now = new Date() }: { actorId?: string | null; now?: Date } = {}) {
  return db().$transaction(async (tx) => {
    const original = await tx.emailOutbox.findUnique({ where: { id }, select: { template: true, toAddress: true, subject: true, payload: true } });
    if (!original) return null;
    const copy = await tx.emailOutbox.create({
      data: { ...original, payload: original.payload as Prisma.InputJsonValue, dueAt: now },
      select: { id: true },
    });
    await audit(tx, { action: "email.resent", subject: `email:${id}`, actorId, after: { copyId: copy.id, to: original.toAddress } });
    return copy;
  });
}
