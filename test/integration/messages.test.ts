// Messages to attendees: who receives one, sent exactly once whatever is clicked twice or restarts,
// each person's name and link filled in, and List-Unsubscribe honoured for non-essential ones.
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { renderEmail, UndeliverableEmail } from "~/domain/emails.server";
import { DomainError } from "~/domain/errors";
import { parseMarkdown } from "~/domain/markdown";
import {
  createMessage,
  fanOutMessage,
  messageProgress,
  recipientsOf,
  sendMessage,
  unsubscribe,
  unsubscribeAddress,
  unsubscribeUrl,
} from "~/domain/messages.server";
import { deliverEmail } from "~/domain/outbox.server";
import { db } from "~/services/db.server";
import type { MailTransport } from "~/services/mailer.server";
import { messageSchema } from "~/validation/message";
import { userWithRole } from "../support/auth";
import { paidOrder } from "../support/emails";
import { attendee, seededEvent, ticketType } from "../support/factories";

const draft = (overrides: Partial<Parameters<typeof messageSchema.parse>[0]> = {}) =>
  messageSchema.parse({ subject: "Room change for {{name}}", body: "Hello {{name}},\n\nThe **panel** moves. Your ticket: [open it]({{link}}).\n\n- Same time\n- Same day", audience: "everyone", ...overrides });

async function delivered(rowId: string) {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const raws: Buffer[] = [];
  const transport: MailTransport = { sendMail: async (message) => raws.push((await composer.sendMail(message)).message as Buffer) };
  expect(await deliverEmail(rowId, { transport })).toBe("sent");
  return simpleParser(raws[0]!);
}

/** A fresh type with two ticket holders, one of them twice (two tickets, one address). */
async function audienceOfThree() {
  const type = await ticketType({ priceCents: 10_000 });
  const shared = `shared-${type.slug}@example.com`;
  const paid = await paidOrder({ [type.slug]: 3 }, { attendees: [attendee({ name: "Ines Kowalczyk", email: shared }), attendee({ name: "Ines again", email: shared.toUpperCase() }), attendee({ name: "Tomáš Lindqvist", email: `tomas-${type.slug}@example.com` })] });
  return { type, paid, shared };
}

describe("who a message reaches", () => {
  it("one email per address, by ticket type, checked in or not, buyers, and leaves out who unsubscribed unless it is essential", async () => {
    const event = await seededEvent();
    const { type, paid, shared } = await audienceOfThree();
    const byType = await recipientsOf(event.id, { kind: "ticket-types", ticketTypeIds: [type.id] }, false);
    expect(byType.map((r) => r.email)).toEqual([shared, `tomas-${type.slug}@example.com`]);
    expect(byType[0]).toMatchObject({ name: "Ines Kowalczyk", link: `ticket:${paid.tickets[0]!.id}` });

    await db().ticket.update({ where: { id: paid.tickets[2]!.id }, data: { checkedInAt: new Date() } });
    const checkedIn = await recipientsOf(event.id, { kind: "checked-in", ticketTypeIds: [] }, false);
    expect(checkedIn.map((r) => r.email)).toContain(`tomas-${type.slug}@example.com`);
    expect(checkedIn.map((r) => r.email)).not.toContain(shared);

    const buyers = await recipientsOf(event.id, { kind: "buyers", ticketTypeIds: [] }, false);
    expect(buyers.find((r) => r.link === `order:${paid.id}`)?.email).toBe(paid.buyerEmail);

    await unsubscribe(shared);
    expect((await recipientsOf(event.id, { kind: "ticket-types", ticketTypeIds: [type.id] }, false)).map((r) => r.email)).not.toContain(shared);
    expect((await recipientsOf(event.id, { kind: "ticket-types", ticketTypeIds: [type.id] }, true)).map((r) => r.email)).toContain(shared);
  });

  it("refuses a placeholder that is not one, and a list of ticket types that is empty", () => {
    expect(messageSchema.safeParse({ subject: "Hi {{firstname}}", body: "x", audience: "everyone" }).error?.issues[0]?.message).toContain("{{firstname}} is not a placeholder");
    expect(messageSchema.safeParse({ subject: "Hi", body: "x", audience: "ticket-types" }).error?.issues[0]?.message).toBe("Choose at least one ticket type.");
  });
});

describe("sending a message", () => {
  it("writes each person once, even when Send is clicked twice at once and the fan-out runs again after a crash", async () => {
    const event = await seededEvent();
    const { type } = await audienceOfThree();
    const organiser = await userWithRole("ORGANISER");
    const message = await createMessage(event.id, draft({ audience: "ticket-types", ticketTypeIds: [type.id] }), organiser.id);
    const clicks = await Promise.all([0, 1].map(() => sendMessage(event.id, message.id, 2, organiser.id, new Date())));
    expect(clicks.filter((c) => c.started)).toHaveLength(1);
    const jobs = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE key = ${`message:${message.id}`}`;
    expect(jobs[0]!.n).toBe(1);

    // The first run commits its batch and the process dies before the message is marked sent.
    await fanOutMessage(message.id, new Date());
    await db().message.update({ where: { id: message.id }, data: { status: "SENDING" } });
    await fanOutMessage(message.id, new Date());
    const rows = await db().messageRecipient.findMany({ where: { messageId: message.id } });
    expect(rows).toHaveLength(2);
    const outbox = await db().emailOutbox.findMany({ where: { template: "message", payload: { path: ["messageId"], equals: message.id } } });
    expect(outbox).toHaveLength(2);
    expect(new Set(outbox.map((e) => e.toAddress)).size).toBe(2);
    expect(await db().message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: "SENT", recipientCount: 2 });
    expect(await messageProgress(message.id)).toMatchObject({ queued: 2, sent: 0, failed: 0 });

    // A sent message is the record of what went out.
    await expect(sendMessage(event.id, message.id, 2, organiser.id, new Date())).resolves.toEqual({ started: false });
  });

  it("fills each person's name and link, renders the Markdown as text (never markup), and carries one-click List-Unsubscribe", async () => {
    const event = await seededEvent();
    const { type, paid } = await audienceOfThree();
    const organiser = await userWithRole("ORGANISER");
    const message = await createMessage(event.id, draft({ audience: "ticket-types", ticketTypeIds: [type.id], body: "Hello {{name}},\n\n<script>alert(1)</script> **bold** [your ticket]({{link}}) [bad](javascript:alert(1))" }), organiser.id);
    await sendMessage(event.id, message.id, 2, organiser.id, new Date());
    await fanOutMessage(message.id, new Date());
    const row = (await db().messageRecipient.findFirstOrThrow({ where: { messageId: message.id, name: "Tomáš Lindqvist" } })).emailId!;
    const email = await renderEmail(await db().emailOutbox.findUniqueOrThrow({ where: { id: row } }));
    expect(email.subject).toBe("Room change for Tomáš Lindqvist");
    expect(email.html).toContain(`/my/${paid.tickets[2]!.manageToken}`);
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;");
    expect(email.html).not.toContain('href="javascript:');

    const parsed = await delivered(row);
    // As a mail client reads the raw header lines (mailparser folds List-* into one object).
    const line = (key: string) => parsed.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, "");
    const header = line("list-unsubscribe") ?? "";
    expect(header).toMatch(/^<http.*\/unsubscribe\?e=.*&t=.*>$/);
    expect(line("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const link = new URL(header.slice(1, -1));
    expect(unsubscribeAddress(link.searchParams.get("e")!, link.searchParams.get("t")!)).toBe(`tomas-${type.slug}@example.com`);
  });

  it("leaves List-Unsubscribe off an essential message, and a person who unsubscribes after it was queued does not get a non-essential one", async () => {
    const event = await seededEvent();
    const { type, shared } = await audienceOfThree();
    const organiser = await userWithRole("ORGANISER");
    const essential = await createMessage(event.id, draft({ audience: "ticket-types", ticketTypeIds: [type.id], essential: "on" }), organiser.id);
    const news = await createMessage(event.id, draft({ audience: "ticket-types", ticketTypeIds: [type.id] }), organiser.id);
    for (const m of [essential, news]) {
      await sendMessage(event.id, m.id, 2, organiser.id, new Date());
      await fanOutMessage(m.id, new Date());
    }
    const rowOf = async (messageId: string) => (await db().messageRecipient.findFirstOrThrow({ where: { messageId, email: shared } })).emailId!;
    expect((await delivered(await rowOf(essential.id))).headerLines.some((h) => h.key === "list-unsubscribe")).toBe(false);

    await unsubscribe(shared);
    const queued = await db().emailOutbox.findUniqueOrThrow({ where: { id: await rowOf(news.id) } });
    await expect(renderEmail(queued)).rejects.toBeInstanceOf(UndeliverableEmail);
  });

  it("refuses a forged unsubscribe link, a message with nobody to receive it, and one whose audience changed under the organiser", async () => {
    expect(unsubscribeAddress(Buffer.from("someone@example.com").toString("base64url"), "A".repeat(43))).toBeNull();
    expect(unsubscribeAddress("%%%", "x")).toBeNull();
    const good = new URL(unsubscribeUrl("Someone@Example.com"));
    expect(unsubscribeAddress(good.searchParams.get("e")!, good.searchParams.get("t")!)).toBe("someone@example.com");

    const event = await seededEvent();
    const organiser = await userWithRole("ORGANISER");
    const empty = await ticketType();
    const nobody = await createMessage(event.id, draft({ audience: "ticket-types", ticketTypeIds: [empty.id] }), organiser.id);
    await expect(sendMessage(event.id, nobody.id, 0, organiser.id, new Date())).rejects.toMatchObject({ rule: "message.no-recipients" });
    const { type } = await audienceOfThree();
    const grown = await createMessage(event.id, draft({ audience: "ticket-types", ticketTypeIds: [type.id] }), organiser.id);
    const refused = await sendMessage(event.id, grown.id, 40, organiser.id, new Date()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((await db().message.findUniqueOrThrow({ where: { id: grown.id } })).status).toBe("DRAFT");
  });
});

describe("the message Markdown", () => {
  it("knows paragraphs, headings, lists, bold, italic and safe links only", () => {
    expect(parseMarkdown("## Doors\n\nOpen at **8**, *sharp*.\n- one\n- [two](https://x.example)\n\n[no](javascript:x)")).toEqual([
      { kind: "heading", inlines: [{ text: "Doors" }] },
      { kind: "paragraph", inlines: [{ text: "Open at " }, { text: "8", bold: true }, { text: ", " }, { text: "sharp", italic: true }, { text: "." }] },
      { kind: "list", items: [[{ text: "one" }], [{ text: "two", href: "https://x.example" }]] },
      { kind: "paragraph", inlines: [{ text: "[no](javascript:x)" }] },
    ]);
  });
});
