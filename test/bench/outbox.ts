// Outbox throughput: ticket emails (QR code, calendar file) and receipts rendered and handed to a
// real SMTP server on loopback, per second, by the job queue's worker (graphile-worker, as every
// app instance runs it) and by two side by side, beside rendering alone (no SMTP_URL: messages
// stored). A throwaway embedded database holds the rows and the jobs.
import { startSmtpServer } from "../support/smtp";
import type { MailTransport } from "~/services/mailer.server";
import { seededBenchDatabase, type Row } from "./support";

export async function outboxBench({ orders = 50, ticketsPerOrder = 10 }: { orders?: number; ticketsPerOrder?: number } = {}): Promise<Row[]> {
  const cluster = await seededBenchDatabase("bench-outbox");
  const url = cluster.urlFor("postgres_admin");
  const { db, disconnectDb } = await import("~/services/db.server");
  const { smtpTransport } = await import("~/services/mailer.server");
  const { EMAIL_CONCURRENCY, startBackgroundJobs } = await import("~/domain/jobs.server");
  const { paidOrder } = await import("../support/emails");
  const { ticketType } = await import("../support/factories");

  const smtp = await startSmtpServer();
  const transport = smtpTransport(smtp.url);
  try {
    const type = await ticketType({ capacity: orders * ticketsPerOrder, maxPerOrder: ticketsPerOrder });
    for (let i = 0; i < orders; i++) await paidOrder({ [type.slug]: ticketsPerOrder });
    const total = await db().emailOutbox.count();
    const tickets = await db().emailOutbox.count({ where: { template: "ticket" } });

    /** The rows (all, or one template's) PENDING again, each with its send-email job, as fulfilment leaves them. */
    const requeue = async (template: string | null) => {
      await db().emailOutbox.updateMany({ data: { status: "PENDING", attempts: 0, sentAt: null, lastError: null } });
      await db().$executeRaw`DELETE FROM graphile_worker._private_jobs`;
      await db().$executeRaw`
        SELECT graphile_worker.add_job('send-email', json_build_object('emailId', id), job_key => 'email:' || id, max_attempts => 9)
        FROM "EmailOutbox" WHERE ${template}::text IS NULL OR template = ${template}`;
    };
    /** Job workers, as each app instance starts one, running until every queued row is delivered. */
    const drain = async (workers: number, target: MailTransport | null, template: string | null = null) => {
      await requeue(template);
      const queued = template ? tickets : total;
      const started = performance.now();
      const stops = await Promise.all(Array.from({ length: workers }, () => startBackgroundJobs(url, { transport: target })));
      const status = target ? "SENT" : "STORED";
      while ((await db().emailOutbox.count({ where: { status } })) < queued) await new Promise((resolve) => setTimeout(resolve, 20));
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(stops.map((stop) => stop()));
      return seconds;
    };
    const row = (target: string, seconds: number, emails = total): Row => ({
      target,
      emails,
      seconds: Number(seconds.toFixed(2)),
      "emails/s": Math.round(emails / seconds),
      "ms/email": Number(((seconds * 1000) / emails).toFixed(2)),
    });

    // Warm-up: the first renders pay for module loading and the JIT.
    await drain(1, null);
    const rows = [row("render only (stored)", await drain(1, null))];
    smtp.messages.length = 0;
    rows.push(row(`render + SMTP, 1 worker (${EMAIL_CONCURRENCY} emails at once)`, await drain(1, transport)));
    rows.push(row("render + SMTP, 2 workers (one process)", await drain(2, transport)));
    // Without the receipts, whose invoice PDF (react-pdf) costs more than everything else together.
    rows.push(row("ticket emails only: render + SMTP, 1 worker", await drain(1, transport, "ticket"), tickets));
    if (smtp.messages.length !== total * 2 + tickets) throw new Error(`the SMTP server got ${smtp.messages.length} messages, expected ${total * 2 + tickets}`);
    return rows;
  } finally {
    transport.close();
    await smtp.stop();
    await disconnectDb();
    await cluster.stop();
  }
}
