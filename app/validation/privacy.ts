// The forms of privacy requests: the organisers' page (/admin/privacy, its ZIP download) and the
// attendee's "Your data" section on the ticket page. Shared by the pages and the server.
import * as z from "./zod";
import { emailAddress, optionalText, text } from "./attendee";

export const PRIVACY_KINDS = ["EXPORT", "ERASURE"] as const;
export type PrivacyKind = (typeof PRIVACY_KINDS)[number];

export const privacyKindLabel: Record<PrivacyKind, string> = { EXPORT: "Copy of their data", ERASURE: "Erasure" };
export const privacyStatusLabel = { PENDING: "Waiting", DONE: "Done", REFUSED: "Refused" } as const;

/** The address a person is found, exported or erased by. */
export const personEmail = emailAddress("Email");

/** A request's id as the page links it (a cuid); anything else is no request of ours. */
const requestId = z
  .string({ error: "Choose a request from the list." })
  .check(
    z.trim(),
    z.minLength(1, "Choose a request from the list."),
    z.maxLength(40, "That is not a request of this list. Reload the page and choose one."),
    z.regex(/^[a-z0-9]+$/, "That is not a request of this list. Reload the page and choose one."),
  );

/** Who to find or export: an address, or the request that names one. */
export const personQuerySchema = z.object({ email: personEmail });
export const exportQuerySchema = z
  .object({ request: z.optional(requestId), email: z.optional(personEmail) })
  .check(z.refine((v) => v.request !== undefined || v.email !== undefined, "Say whose data to download: an email address (?email=) or a request (?request=)."));

const confirmErase = z.literal("on", { error: "Tick the box to confirm the erasure. It cannot be undone." });

export const privacyActionSchema = z.discriminatedUnion(
  "intent",
  [
    // Without a request (one received by email or phone), or fulfilling the attendee's.
    z.object({ intent: z.literal("erase"), email: personEmail, requestId: z.optional(requestId), confirm: confirmErase }),
    z.object({ intent: z.literal("refuse"), requestId, note: text("Reason", 1000, { multiline: true }) }),
    // An export request is done once its file has gone to the person.
    z.object({ intent: z.literal("complete"), requestId, note: optionalText("Note", 1000, { multiline: true }) }),
  ],
  { error: "That action is not available. Reload the page and try again." },
);
export type PrivacyAction = z.infer<typeof privacyActionSchema>;

/** The attendee's "Your data" buttons. */
export const attendeePrivacySchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("EXPORT") }),
    z.object({ kind: z.literal("ERASURE"), confirm: z.literal("on", { error: "Tick the box to confirm that you want your data erased." }) }),
  ],
  { error: "Choose a copy of your data or its erasure." },
);
