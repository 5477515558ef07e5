// Outbox throughput: ticket emails (QR code, calendar file) and receipts rendered and handed to a
// real SMTP server on loopback, per second, by one worker and by two side by side, beside
// rendering alone (no SMTP_URL: messages stored). A throwaway embedded database holds the rows.
import { startSmtpServer } from "../support/smtp";
import type { MailTransport } from "~/services/outbox-worker.server";
import { seededBenchDatabase, type Row } from "./support";

export async function outboxBench({ orders = 50, ticketsPerOrder = 10 }: { orders?: number; ticketsPerOrder?: number } = {}): Promise<Row[]> {
  const cluster = await seededBenchDatabase("bench-outbox");
  const { db, disconnectDb } = await import("~/services/db.server");
  const { deliverDueEmails, smtpTransport } = await import("~/services/outbox-worker.server");
  const { paidOrder } = await import("../support/emails");
  const { ticketType } = await import("../support/factories");

  const smtp = await startSmtpServer();
  const transport = smtpTransport(smtp.url);
  try {
    const type = await ticketType({ capacity: orders * ticketsPerOrder, maxPerOrder: ticketsPerOrder });
    for (let i = 0; i < orders; i++) await paidOrder({ [type.slug]: ticketsPerOrder });
    const total = await db().emailOutbox.count();

    const requeue = () => db().emailOutbox.updateMany({ data: { status: "PENDING", attempts: 0, sentAt: null, lastError: null, dueAt: new Date(0) } });
    /** Workers passing over the outbox as server.ts does (20 rows a pass) until nothing is due. */
    const drain = async (workers: number, target: MailTransport | null) => {
      await requeue();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while ((await deliverDueEmails(new Date(), { transport: target })).claimed > 0);
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const done = await db().emailOutbox.count({ where: { status: target ? "SENT" : "STORED" } });
      if (done !== total) throw new Error(`only ${done} of ${total} emails were delivered`);
      return seconds;
    };
    const row = (target: string, seconds: number): Row => ({
      target,
      emails: total,
      seconds: Number(seconds.toFixed(2)),
      "emails/s": Math.round(total / seconds),
      "ms/email": Number(((seconds * 1000) / total).toFixed(2)),
    });

    // Warm-up: the first renders pay for module loading and the JIT.
    await drain(1, null);
    const rows = [row("render only (stored)", await drain(1, null))];
    smtp.messages.length = 0;
    rows.push(row("render + SMTP, 1 worker", await drain(1, transport)));
    rows.push(row("render + SMTP, 2 workers (one process)", await drain(2, transport)));
    if (smtp.messages.length !== total * 2) throw new Error(`the SMTP server got ${smtp.messages.length} messages, expected ${total * 2}`);
    return rows;
  } finally {
    transport.close();
    await smtp.stop();
    await disconnectDb();
    await cluster.stop();
  }
}
