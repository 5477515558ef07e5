// The background work, by job name: what each job of the queue does (services/job-queue.server.ts
// runs them), the sweeps and when they run, and the organisers' view of jobs that gave up.
import * as z from "zod";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { log } from "~/services/log.server";
import { checkoutQueue, webhookQueue } from "~/services/work-queue.server";
import {
  addJob,
  failedJob,
  failedJobCount,
  failedJobs,
  retryFailedJob,
  runDueJobs,
  startJobWorkers,
  type JobHelpers,
  type TaskList,
} from "~/services/job-queue.server";
import type { MailTransport } from "~/services/mailer.server";
import { SEND_EMAIL_JOB } from "~/services/outbox.server";
import { clearExpiredRateLimits } from "~/services/rate-limit.server";
import { deliverEmail } from "./outbox.server";
import { expireHolds } from "./holds.server";
import { cancelOverdueInvoices, remindUnpaidInvoices } from "./invoice-orders.server";
import { fanOutMessage, MESSAGE_FANOUT_JOB } from "./messages.server";
import { eraseExpiredEventData } from "./privacy.server";
import { reconcile, settlePaidWhileAway } from "./reconciliation.server";
import { handleStripeEventJob, releaseStripeEventClaims, STRIPE_EVENT_JOB } from "./stripe-events.server";
import { expireWaitlistOffers } from "./waitlist.server";

export const EXPIRE_HOLDS_JOB = "expire-holds";
const EXPIRE_WAITLIST_OFFERS_JOB = "expire-waitlist-offers";
const RECONCILE_PAYMENTS_JOB = "reconcile-payments";
export const INVOICE_ORDERS_JOB = "invoice-orders";
export const SETTLE_PAID_WHILE_AWAY_JOB = "settle-paid-while-away";
export const RETENTION_JOB = "erase-expired-event-data";
export const CLEAR_RATE_LIMITS_JOB = "clear-expired-rate-limits";
const HOLD_SWEEP_EVERY_MS = 10_000;
/**
 * Emails rendered and sent at once per instance: rendering is CPU work that buyers wait behind
 * (and during a rush each email waits for the checkouts first: EMAIL_YIELD_MS). Much of an email's
 * time is waiting (its invoice PDF on the PDF worker thread, SMTP's round trips): 8 at once
 * handed 252 to 275 emails a second to SMTP where 4 handed 222 to 235 (`npm run bench -- outbox`,
 * three runs each, alternating).
 */
export const EMAIL_CONCURRENCY = 8;
/** How long an email waits for this instance's checkouts and Stripe events to pause (a rush). */
const EMAIL_YIELD_MS = 2_000;

const emailJob = z.object({ emailId: z.string().min(1) });
const stripeEventJob = z.object({ eventId: z.string().min(1) });
const messageJob = z.object({ messageId: z.string().min(1) });
const isLastAttempt = ({ job }: JobHelpers) => job.attempts >= job.max_attempts;

/** Schedules the next hold sweep; one chain per database (its job key), whichever instance runs it. */
function scheduleHoldSweep(runAt: Date | undefined, mode: "replace" | "keep") {
  return addJob(db(), EXPIRE_HOLDS_JOB, {}, { jobKey: EXPIRE_HOLDS_JOB, runAt, maxAttempts: 1, keepRunAt: mode === "keep" });
}

/** What each job does. `transport` replaces SMTP_URL's server (tests and the outbox benchmark). */
export const jobTasks = ({ transport }: { transport?: MailTransport | null } = {}): TaskList => ({
  async [SEND_EMAIL_JOB](payload, helpers) {
    const { emailId } = emailJob.parse(payload);
    // Buyers first: while seats are being held or payments fulfilled here, an email waits a moment.
    await checkoutQueue.whenIdle(EMAIL_YIELD_MS);
    await webhookQueue.whenIdle(EMAIL_YIELD_MS);
    await deliverEmail(emailId, { lastAttempt: isLastAttempt(helpers), transport });
  },
  async [STRIPE_EVENT_JOB](payload) {
    const { eventId } = stripeEventJob.parse(payload);
    await handleStripeEventJob(eventId);
  },
  // Every 10 s is finer than cron's minute, so each run schedules the next; a failed sweep is
  // logged and simply runs again then (it is its own retry).
  async [EXPIRE_HOLDS_JOB]() {
    try {
      await expireHolds(new Date());
    } catch (error) {
      log.error("expiring holds failed", { error: error instanceof Error ? error.stack : String(error) });
    } finally {
      await scheduleHoldSweep(new Date(Date.now() + HOLD_SWEEP_EVERY_MS), "replace");
    }
  },
  async [EXPIRE_WAITLIST_OFFERS_JOB]() {
    await expireWaitlistOffers(new Date());
  },
  async [MESSAGE_FANOUT_JOB](payload) {
    await fanOutMessage(messageJob.parse(payload).messageId, new Date());
  },
  // Orders awaiting payment by invoice: reminders before the due date, cancellation at it.
  async [INVOICE_ORDERS_JOB]() {
    const now = new Date();
    await remindUnpaidInvoices(now);
    await cancelOverdueInvoices(now);
  },
  async [RECONCILE_PAYMENTS_JOB]() {
    await reconcile(new Date());
  },
  async [SETTLE_PAID_WHILE_AWAY_JOB]() {
    await settlePaidWhileAway(new Date());
  },
  // Events whose retention period has ended: their attendee data is erased, invoices kept.
  async [RETENTION_JOB]() {
    await eraseExpiredEventData(new Date());
  },
  // Counters whose window has ended count nothing: their rows go, whichever instance wrote them.
  async [CLEAR_RATE_LIMITS_JOB]() {
    await clearExpiredRateLimits(new Date());
  },
});

/**
 * The sweeps graphile-worker's cron adds once a minute, the rate limits' clean-up once an hour and
 * the retention job once a day (one job per time across all instances).
 * The hold sweep is there too, so that its 10 s chain restarts within a minute if it ever breaks.
 */
export const schedule = [
  { task: EXPIRE_HOLDS_JOB, match: "* * * * *", identifier: EXPIRE_HOLDS_JOB },
  { task: EXPIRE_WAITLIST_OFFERS_JOB, match: "* * * * *", identifier: EXPIRE_WAITLIST_OFFERS_JOB },
  { task: RECONCILE_PAYMENTS_JOB, match: "* * * * *", identifier: RECONCILE_PAYMENTS_JOB },
  { task: INVOICE_ORDERS_JOB, match: "* * * * *", identifier: INVOICE_ORDERS_JOB },
  // Daily, at 08:00 UTC (3 or 4 a.m. in Toronto): erasures are due by the day, not the minute.
  { task: RETENTION_JOB, match: "0 8 * * *", identifier: RETENTION_JOB },
  // Hourly: a rush leaves one row per buyer's address, each useless 10 minutes later.
  { task: CLEAR_RATE_LIMITS_JOB, match: "17 * * * *", identifier: CLEAR_RATE_LIMITS_JOB },
];

/**
 * This instance's workers: one for emails, whose many CPU-bound renders must not hold the slots of
 * Stripe events and sweeps, and one for those with the schedule. The hold sweep's chain is started
 * unless it runs already, and payments made while no instance was running are settled at once
 * (Stripe sends their webhooks again only later). Jobs and Stripe event claims of an instance that
 * stopped without stopping its workers (a crash) are released within seconds (ADR 0010).
 */
export async function startBackgroundJobs(databaseUrl: string, options: Parameters<typeof jobTasks>[0] = {}): Promise<() => Promise<void>> {
  await scheduleHoldSweep(undefined, "keep");
  // Ahead of the Stripe events stored before a crash, whose jobs are older: settling is what buyers wait for.
  await addJob(db(), SETTLE_PAID_WHILE_AWAY_JOB, {}, { jobKey: SETTLE_PAID_WHILE_AWAY_JOB, maxAttempts: 5, priority: -1 });
  const { [SEND_EMAIL_JOB]: sendEmail, ...urgent } = jobTasks(options);
  return startJobWorkers({
    databaseUrl,
    workers: [
      { tasks: urgent, schedule },
      { tasks: { [SEND_EMAIL_JOB]: sendEmail! }, concurrency: EMAIL_CONCURRENCY, batch: EMAIL_CONCURRENCY * 2 },
    ],
    onStoppedInstances: releaseStripeEventClaims,
  });
}

/** Runs the jobs due now in this process and returns (tests and scripts). */
export function runJobsNow(databaseUrl: string, options: Parameters<typeof jobTasks>[0] = {}) {
  return runDueJobs({ databaseUrl, tasks: jobTasks(options) });
}

const taskLabels: Record<string, string> = {
  [SEND_EMAIL_JOB]: "Send an email",
  [STRIPE_EVENT_JOB]: "Handle a Stripe event",
  [EXPIRE_HOLDS_JOB]: "Expire seat holds",
  [EXPIRE_WAITLIST_OFFERS_JOB]: "Expire waiting list offers",
  [RECONCILE_PAYMENTS_JOB]: "Reconcile payments with Stripe",
  [SETTLE_PAID_WHILE_AWAY_JOB]: "Settle payments made while the app was down",
  [INVOICE_ORDERS_JOB]: "Remind and cancel unpaid invoice orders",
  [MESSAGE_FANOUT_JOB]: "Queue a message's emails",
  [RETENTION_JOB]: "Erase attendee data after the retention period",
  [CLEAR_RATE_LIMITS_JOB]: "Clear expired rate-limit counters",
};

/** The dead-letter view (/admin/jobs): jobs that failed their last attempt, with what they were about. */
export async function jobsNeedingAttention() {
  const [jobs, count] = await Promise.all([failedJobs(), failedJobCount()]);
  return {
    count,
    jobs: jobs.map((job) => {
      const email = emailJob.safeParse(job.payload);
      const event = stripeEventJob.safeParse(job.payload);
      return {
        id: job.id,
        task: job.task,
        label: taskLabels[job.task] ?? job.task,
        emailId: job.task === SEND_EMAIL_JOB && email.success ? email.data.emailId : null,
        stripeEventId: job.task === STRIPE_EVENT_JOB && event.success ? event.data.eventId : null,
        attempts: job.attempts,
        lastError: job.lastError,
        failedAt: job.failedAt,
      };
    }),
  };
}

/**
 * Gives a failed job a fresh set of attempts. A failed email goes back to PENDING with it, so
 * that the job may send it. Says whether there was such a job.
 */
export async function retryJob(id: string, actorId: string | null) {
  return db().$transaction(async (tx) => {
    const job = await failedJob(tx, id);
    if (!job) return false;
    const email = emailJob.safeParse(job.payload);
    if (job.task === SEND_EMAIL_JOB && email.success) {
      await tx.emailOutbox.updateMany({ where: { id: email.data.emailId, status: "FAILED" }, data: { status: "PENDING" } });
    }
    await retryFailedJob(tx, id);
    await audit(tx, { action: "job.retried", subject: `job:${id}`, actorId, after: { task: job.task } });
    return true;
  });
}
