// Messages from organisers to attendees: a draft, who it reaches, a test to oneself, then one send.
// Sending is a job that writes one MessageRecipient row and one outbox email per person in the same
// transaction (INSERT … ON CONFLICT DO NOTHING on message + address), so a second click, a second
// instance or a restart mid-way never emails anyone twice; the emails are spread out in time so the
// SMTP server and the buyers' checkout are not swamped.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { env } from "~/services/env.server";
import { addJob } from "~/services/job-queue.server";
import { enqueueEmail } from "~/services/outbox.server";
import type { AudienceKind, MessageInput } from "~/validation/message";
import { fail } from "./errors";
import { fillPlaceholders } from "./markdown";

export const MESSAGE_FANOUT_JOB = "message-fanout";
/** Emails of one message handed to the outbox per second: a few thousand go out in minutes. */
export const MESSAGES_PER_SECOND = 20;
const BATCH = 200;

export type Audience = { kind: AudienceKind; ticketTypeIds: string[] };
type Recipient = { email: string; name: string; link: string };

const audienceOf = (json: Prisma.JsonValue): Audience => {
  const value = (json ?? {}) as Partial<Audience>;
  return { kind: value.kind ?? "everyone", ticketTypeIds: Array.isArray(value.ticketTypeIds) ? value.ticketTypeIds : [] };
};

/**
 * Who a message reaches, one entry per address (lower-cased), in a stable order. A non-essential
 * message leaves out everyone who unsubscribed. `link` names what {{link}} points to: "ticket:ID",
 * "order:ID" or "sponsor"; the URL is built when the email is written, from the current token.
 */
export async function recipientsOf(eventId: string, audience: Audience, essential: boolean): Promise<Recipient[]> {
  let rows: Recipient[];
  if (audience.kind === "buyers") {
    const orders = await db().order.findMany({
      where: { eventId, status: "PAID" },
      select: { id: true, buyerName: true, buyerEmail: true },
      orderBy: { paidAt: "asc" },
    });
    rows = orders.map((o) => ({ email: o.buyerEmail, name: o.buyerName, link: `order:${o.id}` }));
  } else if (audience.kind === "sponsor-contacts") {
    const users = await db().user.findMany({
      where: { role: "SPONSOR", sponsor: { eventId } },
      select: { email: true, name: true },
      orderBy: { createdAt: "asc" },
    });
    rows = users.map((u) => ({ email: u.email, name: u.name, link: "sponsor" }));
  } else {
    const tickets = await db().ticket.findMany({
      where: {
        status: "VALID",
        order: { eventId },
        // A ticket still waiting to be named belongs to its buyer, who receives the buyer's messages.
        toBeNamed: false,
        ...(audience.kind === "ticket-types" ? { ticketTypeId: { in: audience.ticketTypeIds } } : {}),
        ...(audience.kind === "checked-in" ? { checkedInAt: { not: null } } : {}),
        ...(audience.kind === "not-checked-in" ? { checkedInAt: null } : {}),
      },
      select: { id: true, name: true, email: true },
      orderBy: { createdAt: "asc" },
    });
    rows = tickets.map((t) => ({ email: t.email, name: t.name, link: `ticket:${t.id}` }));
  }
  const unsubscribed = essential ? new Set<string>() : new Set((await db().unsubscribe.findMany({ select: { email: true } })).map((u) => u.email));
  const seen = new Set<string>();
  return rows.filter((r) => {
    const email = r.email.trim().toLowerCase();
    if (seen.has(email) || unsubscribed.has(email) || email.endsWith("@invalid")) return false;
    seen.add(email);
    r.email = email;
    return true;
  });
}

function draftData(input: MessageInput) {
  return {
    subject: input.subject,
    body: input.body,
    audience: { kind: input.audience, ticketTypeIds: input.audience === "ticket-types" ? input.ticketTypeIds : [] } satisfies Audience,
    essential: input.essential,
  };
}

async function checkTicketTypes(eventId: string, input: MessageInput) {
  if (input.audience !== "ticket-types") return;
  const known = await db().ticketType.count({ where: { eventId, id: { in: input.ticketTypeIds } } });
  if (known !== new Set(input.ticketTypeIds).size) fail("discount.unknown-type");
}

export async function createMessage(eventId: string, input: MessageInput, actorId: string) {
  await checkTicketTypes(eventId, input);
  return db().$transaction(async (tx) => {
    const message = await tx.message.create({ data: { eventId, ...draftData(input), createdById: actorId }, select: { id: true } });
    await audit(tx, { action: "message.drafted", subject: `message:${message.id}`, actorId, after: { subject: input.subject, audience: input.audience } });
    return message;
  });
}

/** A draft changes until it is sent; after that it is the record of what went out. */
export async function updateMessage(eventId: string, id: string, input: MessageInput, actorId: string) {
  await checkTicketTypes(eventId, input);
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM "Message" WHERE id = ${id} AND "eventId" = ${eventId} FOR UPDATE`;
    if (!row) fail("message.not-found");
    if (row.status !== "DRAFT") fail("message.already-sent");
    await tx.message.update({ where: { id }, data: draftData(input) });
    await audit(tx, { action: "message.edited", subject: `message:${id}`, actorId, after: { subject: input.subject, audience: input.audience } });
  });
}

export async function deleteDraft(eventId: string, id: string, actorId: string) {
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM "Message" WHERE id = ${id} AND "eventId" = ${eventId} FOR UPDATE`;
    if (!row) fail("message.not-found");
    if (row.status !== "DRAFT") fail("message.already-sent");
    await tx.message.delete({ where: { id } });
    await audit(tx, { action: "message.deleted", subject: `message:${id}`, actorId });
  });
}

export function messagesOf(eventId: string) {
  return db().message.findMany({
    where: { eventId },
    select: { id: true, subject: true, audience: true, essential: true, status: true, recipientCount: true, createdAt: true, sentAt: true, sendingAt: true },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
}

export async function messageDetail(eventId: string, id: string) {
  const message = await db().message.findFirst({ where: { id, eventId } });
  return message ? { ...message, audience: audienceOf(message.audience) } : null;
}

/**
 * Sends a draft: once. The message row is locked and its status decides, so a second click (or a
 * second organiser) finds it sending and changes nothing. The people are written by the fan-out
 * job, queued in the same transaction. `expectedCount` is what the organiser saw on the button: if
 * the audience grew or shrank meanwhile by more than a few, they are asked to look again.
 */
export async function sendMessage(eventId: string, id: string, expectedCount: number, actorId: string, now: Date) {
  const count = await db().message.findFirst({ where: { id, eventId }, select: { audience: true, essential: true, status: true } }).then(async (m) => {
    if (!m) fail("message.not-found");
    if (m.status !== "DRAFT") return null;
    return (await recipientsOf(eventId, audienceOf(m.audience), m.essential)).length;
  });
  if (count === 0) fail("message.no-recipients");
  if (count !== null && Math.abs(count - expectedCount) > Math.max(2, expectedCount * 0.05)) fail("message.audience-changed", count);
  return db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM "Message" WHERE id = ${id} AND "eventId" = ${eventId} FOR UPDATE`;
    if (!row) fail("message.not-found");
    if (row.status !== "DRAFT") return { started: false };
    await tx.message.update({ where: { id }, data: { status: "SENDING", sendingAt: now, sentById: actorId } });
    await audit(tx, { action: "message.sent", subject: `message:${id}`, actorId, after: { recipients: count } });
    await addJob(tx, MESSAGE_FANOUT_JOB, { messageId: id }, { jobKey: `message:${id}`, maxAttempts: 10 });
    return { started: true };
  });
}

/**
 * The fan-out job: every recipient not yet written gets their row and their outbox email, a batch
 * per transaction. Run again after a crash, it continues where the last commit left off.
 */
export async function fanOutMessage(messageId: string, now: Date) {
  const message = await db().message.findUnique({ where: { id: messageId }, select: { id: true, eventId: true, subject: true, audience: true, essential: true, status: true } });
  if (!message || message.status === "DRAFT") return 0;
  if (message.status === "SENT") return 0;
  const everyone = await recipientsOf(message.eventId, audienceOf(message.audience), message.essential);
  let written = await db().messageRecipient.count({ where: { messageId } });
  for (let start = 0; start < everyone.length; start += BATCH) {
    const batch = everyone.slice(start, start + BATCH);
    written += await db().$transaction(async (tx) => {
      const fresh = await tx.$queryRaw<{ email: string }[]>`
        INSERT INTO "MessageRecipient" ("messageId", email, name, link)
        SELECT ${messageId}::text, * FROM unnest(${batch.map((r) => r.email)}::text[], ${batch.map((r) => r.name)}::text[], ${batch.map((r) => r.link)}::text[])
        ON CONFLICT ("messageId", email) DO NOTHING
        RETURNING email`;
      const names = new Map(batch.map((r) => [r.email, r.name]));
      for (const [i, { email }] of fresh.entries()) {
        const row = await enqueueEmail(tx, {
          template: "message",
          to: email,
          // The subject is the outbox row's own (the list at /admin/emails shows it): filled here.
          subject: fillPlaceholders(message.subject, { name: names.get(email) ?? "", link: "" }),
          payload: { messageId, email },
          dueAt: new Date(now.getTime() + Math.floor((written + i) / MESSAGES_PER_SECOND) * 1000),
        });
        await tx.messageRecipient.update({ where: { messageId_email: { messageId, email } }, data: { emailId: row.id } });
      }
      return fresh.length;
    });
  }
  const total = await db().messageRecipient.count({ where: { messageId } });
  await db().message.update({ where: { id: messageId }, data: { status: "SENT", sentAt: new Date(), recipientCount: total } });
  return total;
}

/** A copy to the organiser, with their own name and a sample link, through the outbox like the rest. */
export async function sendTestMessage(eventId: string, id: string, user: { id: string; email: string }) {
  return db().$transaction(async (tx) => {
    const message = await tx.message.findFirst({ where: { id, eventId }, select: { subject: true } });
    if (!message) fail("message.not-found");
    const { name } = await tx.user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true } });
    await enqueueEmail(tx, { template: "message", to: user.email, subject: `[Test] ${fillPlaceholders(message.subject, { name, link: "" })}`, payload: { messageId: id, email: user.email, test: true } });
    await audit(tx, { action: "message.test-sent", subject: `message:${id}`, actorId: user.id, after: { to: user.email } });
  });
}

/** Where a sent message stands: queued, sent, failed, from each person's outbox email. */
export async function messageProgress(messageId: string) {
  const rows = await db().$queryRaw<{ status: string; count: number }[]>`
    SELECT coalesce(e.status::text, 'MISSING') AS status, count(*)::int AS count
    FROM "MessageRecipient" r LEFT JOIN "EmailOutbox" e ON e.id = r."emailId"
    WHERE r."messageId" = ${messageId} GROUP BY 1`;
  const by = (statuses: string[]) => rows.filter((r) => statuses.includes(r.status)).reduce((sum, r) => sum + r.count, 0);
  const failures = await db().messageRecipient.findMany({
    where: { messageId, outbox: { status: "FAILED" } },
    select: { email: true, name: true, outbox: { select: { id: true, lastError: true } } },
    take: 100,
  });
  return {
    queued: by(["PENDING", "SENDING", "MISSING"]),
    sent: by(["SENT", "STORED"]),
    failed: by(["FAILED"]),
    failures: failures.map((f) => ({ email: f.email, name: f.name, emailId: f.outbox?.id ?? null, error: f.outbox?.lastError ?? "" })),
  };
}

// One-click unsubscribe (RFC 8058): the link carries the address and a signature over it, so no
// table of tokens is needed and nobody can unsubscribe someone else.
const signature = (email: string) => createHmac("sha256", env().SESSION_SECRET).update(`unsubscribe:${email.toLowerCase()}`).digest("base64url");

export function unsubscribeUrl(email: string) {
  return `${env().APP_URL}/unsubscribe?e=${Buffer.from(email.toLowerCase()).toString("base64url")}&t=${signature(email)}`;
}

/** The address an unsubscribe link names, or null when the link was not made by us. */
export function unsubscribeAddress(encoded: string, token: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(encoded) || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const email = Buffer.from(encoded, "base64url").toString("utf8");
  const expected = Buffer.from(signature(email));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? email.toLowerCase() : null;
}

export async function unsubscribe(email: string) {
  await db().$transaction(async (tx) => {
    await tx.unsubscribe.upsert({ where: { email }, create: { email }, update: {} });
    await audit(tx, { action: "messages.unsubscribed", subject: `email:${email}` });
  });
}

export async function isUnsubscribed(email: string) {
  return (await db().unsubscribe.count({ where: { email: email.toLowerCase() } })) > 0;
}
