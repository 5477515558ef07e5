// What /admin/emails shows: the outbox, newest first, and one message as it was (or would be) sent.
import { dayKey, formatTime, zoneAbbreviation } from "~/domain/time";
import { db } from "./db.server";
import { renderEmail, type RenderedEmail } from "./mailer.server";

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
