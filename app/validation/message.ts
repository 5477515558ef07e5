// The organisers' message form (/admin/messages): subject, Markdown body, who receives it.
import * as z from "./zod";
import { unknownPlaceholders } from "~/domain/markdown";
import { text } from "./attendee";

export const audienceKinds = {
  everyone: "Everyone with a ticket",
  "ticket-types": "Holders of some ticket types",
  "checked-in": "People who checked in",
  "not-checked-in": "People who have not checked in",
  buyers: "Buyers only (who paid for orders)",
  "sponsor-contacts": "Sponsor contacts (booth staff accounts)",
} as const;

export type AudienceKind = keyof typeof audienceKinds;

const id = z.string().check(z.maxLength(40), z.regex(/^[A-Za-z0-9_-]+$/, "Choose ticket types from the list."));

const noUnknownPlaceholders = (label: string) => (v: string) => unknownPlaceholders(v).length === 0 || `${label}: use {{name}} or {{link}}; {{${unknownPlaceholders(v)[0]}}} is not a placeholder.`;

export const messageSchema = z
  .object({
    subject: text("Subject", 150).check(
      z.superRefine((v, ctx) => {
        const problem = noUnknownPlaceholders("Subject")(v);
        if (problem !== true) ctx.addIssue({ code: "custom", message: problem });
      }),
    ),
    body: text("Message", 20_000, { multiline: true }).check(
      z.superRefine((v, ctx) => {
        const problem = noUnknownPlaceholders("Message")(v);
        if (problem !== true) ctx.addIssue({ code: "custom", message: problem });
      }),
    ),
    audience: z.enum(Object.keys(audienceKinds) as [AudienceKind, ...AudienceKind[]], { error: "Choose who receives the message." }),
    ticketTypeIds: z.pipe(
      z.transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
      z.array(id).check(z.maxLength(50)),
    ),
    essential: z.pipe(
      z.optional(z.literal("on")),
      z.transform((v) => v === "on"),
    ),
  })
  .check(z.refine((v) => v.audience !== "ticket-types" || v.ticketTypeIds.length > 0, { path: ["ticketTypeIds"], message: "Choose at least one ticket type." }));

export type MessageInput = z.output<typeof messageSchema>;

export const messageActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("test") }),
  z.object({ intent: z.literal("send"), expectedCount: z.coerce.number().check(z.int(), z.gte(0), z.lte(1_000_000)) }),
  z.object({ intent: z.literal("delete") }),
]);
