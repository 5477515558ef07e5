// The edges of email: rendering a template (emails/) with its props to HTML and text, and the SMTP
// transport. What an email says, its props, is composed in the domain (domain/emails.server.ts).
import nodemailer from "nodemailer";
import type { SendMailOptions } from "nodemailer/lib/mailer";
import { plainTextSelectors, render } from "@react-email/render";
import { compile } from "html-to-text";
import { LRUCache } from "lru-cache";
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
type StringProps<P> = { [K in keyof P]-?: P[K] extends string ? K : never }[keyof P] & string;
/**
 * What one email says: its template, the template's props, any attachments, and the recipient's
 * name for the To header (spam filters score a bare address). `personal` names the string props
 * that differ from one recipient to the next (name, links): the rest is rendered once and reused.
 */
export type EmailContent<T extends EmailTemplate = EmailTemplate> = {
  [K in T]: {
    template: K;
    props: ComponentProps<(typeof templates)[K]>;
    personal?: readonly StringProps<ComponentProps<(typeof templates)[K]>>[];
    attachments?: EmailAttachment[];
    recipientName?: string;
    headers?: Record<string, string>;
  };
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
/** Pooled SMTP connections, one per email the job queue sends at once (EMAIL_CONCURRENCY). */
const SMTP_CONNECTIONS = 8;

// The same conversion as render(element, { plainText: true }) (react-email's selectors, no
// wrapping), compiled once: compiling the selectors cost as much as converting. Headings keep their
// case, since they hold names ("Your ticket, Tomáš Lindqvist").
const toPlainText = compile({
  wordwrap: false,
  selectors: [...plainTextSelectors, ...["h1", "h2"].map((selector) => ({ selector, options: { uppercase: false } }))],
});

export async function renderEmailContent(subject: string, { template, props, personal = [], attachments = [], recipientName, headers }: EmailContent): Promise<RenderedEmail> {
  const values = personal.map((key) => (props as unknown as Record<string, string>)[key]!);
  const frame = await frameFor(template, props, personal, values);
  const { html, text } = frame
    ? { html: fill(frame.html, values.map(escapeHtml)), text: fill(frame.text, values) }
    : await renderWhole(template, props);
  return { subject, html, text, attachments, recipientName: recipientName ?? null, ...(headers ? { headers } : {}) };
}

function frameFor(template: EmailTemplate, props: EmailContent["props"], personal: readonly string[], values: string[]) {
  return values.length > 0 && values.every(fillable) ? frameOf(template, props, personal) : null;
}

/** Whether this email is its template's shared frame with its personal values put in (tests). */
export async function isFramed({ template, props, personal = [] }: EmailContent) {
  return (await frameFor(template, props, personal, personal.map((key) => (props as unknown as Record<string, string>)[key]!))) !== null;
}

async function renderWhole(template: EmailTemplate, props: EmailContent["props"]) {
  const html = await render(createElement(templates[template] as ComponentType<typeof props>, props));
  return { html, text: toPlainText(html) };
}

/**
 * A template rendered once with stand-ins for its personal values, cut at them: an email of many
 * (the ticket of each attendee of a ticket type) is that frame with the values put back, escaped
 * as React escapes text and attributes. It is rendered with two sets of stand-ins of different
 * lengths and letters; a template that treats a value as more than text to print (measures, cuts,
 * changes its case or encodes it) gives two different frames and is always rendered whole.
 */
type Frame = { html: Cut; text: Cut };
/** The text between the values, and which value fills each gap. */
type Cut = { parts: string[]; slots: number[] };

const frames = new LRUCache<string, Promise<Frame | null>>({ max: 200 });

const standIns = {
  short: { value: (i: number) => `\uE000a ${i}\uE001`, pattern: /\uE000a (\d+)\uE001/g },
  long: { value: (i: number) => `\uE000${"b".repeat(24)} ${"B".repeat(7)}${i}\uE001`, pattern: /\uE000b{24} B{7}(\d+)\uE001/g },
};

function frameOf(template: EmailTemplate, props: EmailContent["props"], personal: readonly string[]) {
  const shared = Object.fromEntries(Object.entries(props).filter(([key]) => !personal.includes(key)));
  const key = JSON.stringify([template, personal, shared]);
  let frame = frames.get(key);
  if (!frame) {
    frame = buildFrame(template, props, personal);
    frames.set(key, frame);
    // A failed render is not kept: the next email of this kind tries again.
    frame.catch(() => frames.delete(key));
  }
  return frame;
}

async function buildFrame(template: EmailTemplate, props: EmailContent["props"], personal: readonly string[]): Promise<Frame | null> {
  const [short, long] = await Promise.all(
    Object.values(standIns).map(async ({ value, pattern }) => {
      const rendered = await renderWhole(template, { ...props, ...Object.fromEntries(personal.map((key, i) => [key, value(i)])) });
      return { html: cut(rendered.html, pattern), text: cut(rendered.text, pattern) };
    }),
  );
  return sameCut(short!.html, long!.html) && sameCut(short!.text, long!.text) ? short! : null;
}

function cut(output: string, pattern: RegExp): Cut {
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const match of output.matchAll(pattern)) {
    parts.push(output.slice(from, match.index));
    slots.push(Number(match[1]));
    from = match.index + match[0].length;
  }
  parts.push(output.slice(from));
  return { parts, slots };
}

const sameCut = (a: Cut, b: Cut) => a.parts.length === b.parts.length && a.parts.every((part, i) => part === b.parts[i]) && a.slots.every((slot, i) => slot === b.slots[i]);

function fill({ parts, slots }: Cut, values: string[]) {
  let out = parts[0]!;
  for (let i = 0; i < slots.length; i++) out += values[slots[i]!]! + parts[i + 1]!;
  return out;
}

/**
 * A value the whole render would print as it is: html-to-text collapses and trims whitespace (its
 * list has U+200B), react-email's render drops NUL, and an empty value can drop a line. Any other
 * value (a name stored with a line break, say) renders the whole email.
 */
const fillable = (value: string) => value !== "" && !/[\t\n\f\r\u200b\0\uE000\uE001]|  |^ | $/.test(value);

const htmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
/** React 18's escaping of text and attribute values (react-dom/server's escapeHtml). */
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => htmlEntities[c]!);

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
