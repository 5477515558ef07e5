// The outbox in the domain: sending one row (the send-email job), sending a message again, and
// what /admin/emails shows (the outbox, newest first, and one message as it was or would be sent).
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/audit.server";
import { db, hotQuery } from "~/services/db.server";
import { log } from "~/services/log.server";
import { configuredTransport, outboxMessage, type MailTransport, type RenderedEmail } from "~/services/mailer.server";
import { queueEmailJob } from "~/services/outbox.server";
import { renderEmail, UndeliverableEmail } from "./emails.server";
import { dayKey, formatTime, zoneAbbreviation } from "./time";

export const EMAILS_PER_PAGE = 50;

/** "2025-09-02 4:45 p.m. EDT": sortable date, readable time, in the event's zone. */
export function stamp(date: Date, timeZone: string) {
  return `${dayKey(date, timeZone)} ${formatTime(date, timeZone)} ${zoneAbbreviation(date, timeZone)}`;
}

export async function listOutboxEmails(page: number) {
  const total = await db().emailOutbox.count();
  const pages = Math.max(1, Math.ceil(total / EMAILS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const emails = await db().emailOutbox.findMany({
    select: { id: true, toAddress: true, subject: true, template: true, status: true, attempts: true, lastError: true, createdAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (current - 1) * EMAILS_PER_PAGE,
    take: EMAILS_PER_PAGE,
  });
  return { emails, total, page: current, pages };
}

/**
 * The HTML as a mail client shows it: images attached inline (cid:) become data: URLs, since a
 * browser cannot resolve them.
 */
function withInlineImages(email: RenderedEmail) {
  return email.attachments.reduce(
    (html, a) => (a.cid ? html.replaceAll(`cid:${a.cid}`, `data:${a.contentType};base64,${a.content.toString("base64")}`) : html),
    email.html,
  );
}

/** The template of an outbox row, or null when there is no such row. */
export async function outboxTemplate(id: string) {
  const row = await db().emailOutbox.findUnique({ where: { id }, select: { template: true } });
  return row?.template ?? null;
}

export async function outboxEmail(id: string) {
  const row = await db().emailOutbox.findUnique({
    where: { id },
    select: {
      id: true,
      template: true,
      toAddress: true,
      subject: true,
      payload: true,
      status: true,
      attempts: true,
      lastError: true,
      dueAt: true,
      sentAt: true,
      createdAt: true,
    },
  });
  if (!row) return null;
  try {
    const email = await renderEmail(row);
    return {
      row,
      rendering: {
        html: withInlineImages(email),
        text: email.text,
        attachments: email.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, bytes: a.content.length, cid: a.cid ?? null })),
      },
      renderError: null,
    };
  } catch (error) {
    return { row, rendering: null, renderError: error instanceof Error ? error.message : String(error) };
  }
}

export type DeliveryOutcome = "sent" | "stored" | "failed" | "skipped";

export type DeliveryOptions = {
  /** The queue's last attempt: a failure now is final (FAILED) instead of retried. */
  lastAttempt?: boolean;
  /** Where mail goes. Default: SMTP_URL's server, or nowhere (stored) when it is unset. */
  transport?: MailTransport | null;
  now?: Date;
};

/** Thrown so that the queue tries the job again later (its backoff) or keeps it as failed. */
export class EmailNotSent extends Error {
  override name = "EmailNotSent";
}

type ClaimedRow = {
  id: string;
  template: string;
  toAddress: string;
  subject: string;
  payload: Prisma.JsonValue;
  attempts: number;
  status: "PENDING" | "SENDING";
  lastError: string | null;
};

/**
 * Sends one outbox row (the send-email job). Only a PENDING row is sent, or one left SENDING, so a
 * row SENT, STORED or FAILED is never sent again whatever runs the job. `attempts` counts the
 * tries and guards the outcome: a newer try owns the row. A failure is recorded and thrown, for
 * the queue to retry.
 *
 * The row is SENDING from the moment the message goes to the SMTP server until its answer is
 * recorded. A try that finds it SENDING follows one that could not record the answer: its process
 * stopped (the job queue runs a job again only once its worker has stopped) or the database was
 * gone. Whether that message went out is unknown, so it is sent again under the same Message-ID,
 * which lets receivers recognise it: an email may arrive twice, never not at all. Rendering comes
 * first, so a crash while rendering leaves the row PENDING, with no such doubt.
 */
export async function deliverEmail(id: string, { lastAttempt = false, transport, now = new Date() }: DeliveryOptions = {}): Promise<DeliveryOutcome> {
  const { rows } = await hotQuery<ClaimedRow>("outbox-claim", CLAIM, [id]);
  const row = rows[0];
  if (!row) return "skipped";
  const settle = async (status: "SENDING" | "SENT" | "STORED" | "PENDING" | "FAILED", lastError: string | null = null) =>
    (await hotQuery("outbox-settle", SETTLE, [id, row.attempts, status, lastError, status === "SENT" || status === "STORED" ? now.toISOString() : null])).rowCount;
  if (row.status === "SENDING") {
    log.warn("email may have been sent already: a try stopped while sending it; sending again with the same Message-ID", { id, template: row.template, attempt: row.attempts });
  }
  const target = transport === undefined ? configuredTransport() : transport;
  try {
    const email = await renderEmail(row);
    if (target) {
      // A newer try took the row meanwhile: it sends it.
      if ((await settle("SENDING", row.lastError)) === 0) return "skipped";
      await target.sendMail(outboxMessage(row.id, row.toAddress, email));
    }
  } catch (error) {
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const undeliverable = error instanceof UndeliverableEmail;
    const final = undeliverable || lastAttempt;
    log.warn(final ? "email failed for good" : "email failed, will retry", { id, template: row.template, attempt: row.attempts, error: lastError });
    // Refused, or the server was not reached: not sent. (After a timeout it may have it all the
    // same; the retry then sends it twice, under the same Message-ID.)
    await settle(final ? "FAILED" : "PENDING", lastError);
    // Trying again cannot help an email that must never be sent: the job ends here.
    if (undeliverable) return "failed";
    throw new EmailNotSent(lastError);
  }
  await settle(target ? "SENT" : "STORED");
  return target ? "sent" : "stored";
}

// Three statements per email, prepared once per connection (hotQuery): at a few hundred emails a
// second, Prisma's query compiler cost more CPU than PostgreSQL running them.
const CLAIM = `
  UPDATE "EmailOutbox" SET attempts = attempts + 1
  WHERE id = $1 AND status IN ('PENDING', 'SENDING')
  RETURNING id, template, "toAddress", subject, payload, attempts, status::text AS status, "lastError"`;
/**
 * Only the try that claimed the row last (its `attempts`) may record how it went. `sentAt` is an
 * ISO string in UTC: a column without a zone ignores the one given, so UTC is stored, as Prisma does.
 */
const SETTLE = `
  UPDATE "EmailOutbox" SET status = $3::"EmailStatus", "lastError" = $4, "sentAt" = COALESCE($5::timestamp, "sentAt")
  WHERE id = $1 AND attempts = $2 AND status IN ('PENDING', 'SENDING')`;

/** Sends a message again: a new PENDING copy of the row and its job, so the original's history stays as it was. */
export async function resendEmail(id: string, { actorId = null, now = new Date() }: { actorId?: string | null; now?: Date } = {}) {
  return db().$transaction(async (tx) => {
    const original = await tx.emailOutbox.findUnique({ where: { id }, select: { template: true, toAddress: true, subject: true, payload: true } });
    if (!original) return null;
    const copy = await tx.emailOutbox.create({
      data: { ...original, payload: original.payload as Prisma.InputJsonValue, dueAt: now },
      select: { id: true },
    });
    await queueEmailJob(tx, copy.id);
    await audit(tx, { action: "email.resent", subject: `email:${id}`, actorId, after: { copyId: copy.id, to: original.toAddress } });
    return copy;
  });
}
