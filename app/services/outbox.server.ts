// The outbox: one EmailOutbox row per email (what /admin/emails shows) and one job that sends it,
// both written in the transaction of the change that causes the email.
import type { Prisma } from "~/generated/prisma/client";
import type { Tx } from "./audit.server";
import type { Sql } from "./db.server";
import { addJob } from "./job-queue.server";

export type EmailTemplate =
  | "order-confirmation"
  | "ticket"
  | "order-refunded"
  | "late-payment-refunded"
  | "invoice-payment"
  | "message"
  | "waitlist-offer"
  | "ticket-transferred"
  | "invitation"
  | "password-reset";

/** The job that sends one outbox row; its task lives in domain/jobs.server.ts. */
export const SEND_EMAIL_JOB = "send-email";
/** Attempts before an email is FAILED: graphile-worker waits e^n s after the n-th failure, about 80 min in all. */
export const EMAIL_MAX_ATTEMPTS = 9;

export type SendEmailPayload = { emailId: string };

/** Adds the job that sends the row `emailId`, in `tx`; one job per row (its job key). */
export function queueEmailJob(tx: Tx, emailId: string, runAt?: Date) {
  const payload: SendEmailPayload = { emailId };
  return addJob(tx, SEND_EMAIL_JOB, payload, { jobKey: `email:${emailId}`, runAt, maxAttempts: EMAIL_MAX_ATTEMPTS });
}

/**
 * Queues an email in the same transaction as the change that causes it: if the change rolls back,
 * no email and no job; if it commits, a worker sends it (with retries) even across crashes.
 */
export async function enqueueEmail(
  tx: Tx,
  email: { template: EmailTemplate; to: string; subject: string; payload: Record<string, unknown>; dueAt?: Date },
) {
  const row = await tx.emailOutbox.create({
    data: {
      template: email.template,
      toAddress: email.to,
      subject: email.subject,
      payload: email.payload as Prisma.InputJsonValue,
      ...(email.dueAt ? { dueAt: email.dueAt } : {}),
    },
  });
  await queueEmailJob(tx, row.id, email.dueAt);
  return row;
}

const ENQUEUE_EMAILS = `
  WITH rows AS (
    INSERT INTO "EmailOutbox" (id, template, "toAddress", subject, payload)
    SELECT gen_random_uuid()::text, e.template, e.to, e.subject, e.payload::jsonb
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS e(template, "to", subject, payload)
    RETURNING id
  )
  SELECT count(*)::int FROM graphile_worker.add_jobs(ARRAY(
    SELECT ROW($5::text, json_build_object('emailId', id), NULL, NULL, $6::int, 'email:' || id, NULL, NULL)::graphile_worker.job_spec
    FROM rows))`;

/**
 * Queues several emails (none due later) with one statement: their rows and their jobs, added by
 * one graphile_worker.add_jobs call. Each add_job sends a NOTIFY, which PostgreSQL serialises at
 * commit; a fulfilment queues a receipt and a ticket email per attendee.
 */
export async function enqueueEmails(sql: Sql, emails: { template: EmailTemplate; to: string; subject: string; payload: Record<string, unknown> }[]) {
  if (emails.length === 0) return;
  const column = <K extends keyof (typeof emails)[number]>(key: K) => emails.map((e) => e[key]);
  await sql.rows(ENQUEUE_EMAILS, [column("template"), column("to"), column("subject"), emails.map((e) => JSON.stringify(e.payload)), SEND_EMAIL_JOB, EMAIL_MAX_ATTEMPTS]);
}

