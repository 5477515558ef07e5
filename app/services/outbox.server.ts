import type { Prisma } from "~/generated/prisma/client";
import type { Tx } from "./audit.server";

export type EmailTemplate =
  | "order-confirmation"
  | "ticket"
  | "order-refunded"
  | "late-payment-refunded"
  | "waitlist-offer"
  | "ticket-transferred"
  | "invitation"
  | "password-reset";

/**
 * Queues an email in the same transaction as the change that causes it: if the change rolls back,
 * no email; if it commits, the outbox worker sends it (with retries) even across crashes.
 */
export function enqueueEmail(
  tx: Tx,
  email: { template: EmailTemplate; to: string; subject: string; payload: Record<string, unknown>; dueAt?: Date },
) {
  return tx.emailOutbox.create({
    data: {
      template: email.template,
      toAddress: email.to,
      subject: email.subject,
      payload: email.payload as Prisma.InputJsonValue,
      ...(email.dueAt ? { dueAt: email.dueAt } : {}),
    },
  });
}
