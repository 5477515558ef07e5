// The edges of email: rendering a template's React element to HTML and text, and the SMTP
// transport. What an email says is composed in the domain (domain/emails.server.ts).
import nodemailer from "nodemailer";
import type { SendMailOptions } from "nodemailer/lib/mailer";
import { render, toPlainText } from "@react-email/render";
import { createElement, type ReactElement } from "react";
import { env } from "./env.server";

export type EmailAttachment = { filename: string; content: Buffer; contentType: string; cid?: string };
export type BuiltEmail = { element: ReactElement; attachments?: EmailAttachment[] };
export type RenderedEmail = { subject: string; html: string; text: string; attachments: EmailAttachment[] };

/** The part of a nodemailer transport the outbox uses; tests and benchmarks pass their own. */
export type MailTransport = { sendMail(message: SendMailOptions): Promise<unknown> };
export type SmtpTransport = MailTransport & { close(): void };

/** Handing one message to SMTP is abandoned after this, so a stuck server cannot hold a job. */
const SEND_TIMEOUT_MS = 60_000;
/** Pooled SMTP connections; the job queue's concurrency decides how many messages are in flight. */
const SMTP_CONNECTIONS = 4;

const plainTextOptions = { selectors: ["h1", "h2"].map((selector) => ({ selector, options: { uppercase: false } })) };

/** A template given its props; made here so the domain that composes the props never imports React. */
export function emailElement<P extends object>(template: (props: P) => ReactElement, props: P): ReactElement {
  return createElement(template, props);
}

export async function renderEmailElement(subject: string, { element, attachments = [] }: BuiltEmail): Promise<RenderedEmail> {
  const html = await render(element);
  // The same conversion as render(element, { plainText: true }), without rendering twice; headings
  // keep their case, since they hold names ("Your ticket, Tomáš Lindqvist").
  return { subject, html, text: toPlainText(html, plainTextOptions), attachments };
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

/** The message for one outbox row; its Message-ID is derived from the row's id. */
export function outboxMessage(rowId: string, to: string, email: RenderedEmail): SendMailOptions {
  return {
    from: env().MAIL_FROM,
    to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    attachments: email.attachments,
    // Derived from the row, so a receiver can recognise a message it already has.
    messageId: `<outbox-${rowId}@${new URL(env().APP_URL).hostname}>`,
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  };
}
