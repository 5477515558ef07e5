// The edges of email: rendering a template (emails/) with its props to HTML and text, and the SMTP
// transport. What an email says, its props, is composed in the domain (domain/emails.server.ts).
import nodemailer from "nodemailer";
import type { SendMailOptions } from "nodemailer/lib/mailer";
import { render, toPlainText } from "@react-email/render";
import { createElement, type ComponentProps, type ComponentType } from "react";
import InvitationEmail from "../../emails/invitation";
import InvoicePaymentEmail from "../../emails/invoice-payment";
import LatePaymentRefundedEmail from "../../emails/late-payment-refunded";
import MessageEmail from "../../emails/message";
import OrderConfirmationEmail from "../../emails/order-confirmation";
import OrderRefundedEmail from "../../emails/order-refunded";
import PasswordResetEmail from "../../emails/password-reset";
import TicketEmail from "../../emails/ticket";
import TicketTransferredEmail from "../../emails/ticket-transferred";
import WaitlistOfferEmail from "../../emails/waitlist-offer";
import { env } from "./env.server";
import type { EmailTemplate } from "./outbox.server";

/** The react-email component of each outbox template. */
const templates = {
  "order-confirmation": OrderConfirmationEmail,
  ticket: TicketEmail,
  "order-refunded": OrderRefundedEmail,
  "late-payment-refunded": LatePaymentRefundedEmail,
  "invoice-payment": InvoicePaymentEmail,
  message: MessageEmail,
  "waitlist-offer": WaitlistOfferEmail,
  "ticket-transferred": TicketTransferredEmail,
  invitation: InvitationEmail,
  "password-reset": PasswordResetEmail,
} satisfies Record<EmailTemplate, ComponentType<never>>;

export type EmailAttachment = { filename: string; content: Buffer; contentType: string; cid?: string };
/**
 * What one email says: its template, the template's props, any attachments, and the recipient's
 * name for the To header (spam filters score a bare address).
 */
export type EmailContent<T extends EmailTemplate = EmailTemplate> = {
  [K in T]: { template: K; props: ComponentProps<(typeof templates)[K]>; attachments?: EmailAttachment[]; recipientName?: string; headers?: Record<string, string> };
}[T];
export type RenderedEmail = {
  subject: string;
  html: string;
  text: string;
  attachments: EmailAttachment[];
  recipientName: string | null;
  /** Where replies go (the organiser's contact address), when it is not MAIL_FROM. */
  replyTo?: string;
  /** Extra headers (List-Unsubscribe of a non-essential message). */
  headers?: Record<string, string>;
};

/** The part of a nodemailer transport the outbox uses; tests and benchmarks pass their own. */
export type MailTransport = { sendMail(message: SendMailOptions): Promise<unknown> };
export type SmtpTransport = MailTransport & { close(): void };

/** Handing one message to SMTP is abandoned after this, so a stuck server cannot hold a job. */
const SEND_TIMEOUT_MS = 60_000;
/** Pooled SMTP connections; the job queue's concurrency decides how many messages are in flight. */
const SMTP_CONNECTIONS = 4;

const plainTextOptions = { selectors: ["h1", "h2"].map((selector) => ({ selector, options: { uppercase: false } })) };

export async function renderEmailContent(subject: string, { template, props, attachments = [], recipientName, headers }: EmailContent): Promise<RenderedEmail> {
  const html = await render(createElement(templates[template] as ComponentType<typeof props>, props));
  // The same conversion as render(element, { plainText: true }), without rendering twice; headings
  // keep their case, since they hold names ("Your ticket, Tomáš Lindqvist").
  return { subject, html, text: toPlainText(html, plainTextOptions), attachments, recipientName: recipientName ?? null, ...(headers ? { headers } : {}) };
}

/** A pooled SMTP transport with timeouts well inside a job's run. */
export function smtpTransport(url: string): SmtpTransport {
  return nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: SMTP_CONNECTIONS,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 45_000,
  });
}

// One pool per process, built on first use from SMTP_URL.
let configured: SmtpTransport | undefined;

/** SMTP_URL's server, or null when it is unset (emails are then only stored). */
export function configuredTransport(): MailTransport | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  configured ??= smtpTransport(url);
  return configured;
}

export function closeConfiguredTransport() {
  configured?.close();
  configured = undefined;
}

/**
 * The message for one outbox row; its Message-ID is derived from the row's id. The recipient's
 * name goes to nodemailer in an address object, which quotes or encodes it as the name needs.
 */
export function outboxMessage(rowId: string, to: string, email: RenderedEmail): SendMailOptions {
  return {
    from: env().MAIL_FROM,
    to: email.recipientName ? { name: email.recipientName, address: to } : to,
    ...(email.replyTo ? { replyTo: email.replyTo } : {}),
    ...(email.headers ? { headers: email.headers } : {}),
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: email.attachments,
    // Derived from the row, so a receiver can recognise a message it already has.
    messageId: `<outbox-${rowId}@${new URL(env().APP_URL).hostname}>`,
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  };
}
