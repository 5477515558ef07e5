import * as z from "./zod";
import { hasNoNul, nulMessage } from "./text";

export const leadRatings = ["HOT", "WARM", "COLD"] as const;

/** How a lead list can be sorted; the filter is read on the page and in the query. */
export const leadSorts = ["recent", "name", "company", "rating"] as const;
export type LeadSort = (typeof leadSorts)[number];

/** A badge scan from the booth: the QR secret or the typed short code, with the device's scan id. */
export const scanSchema = z.object({
  code: z
    .string({ error: "Scan a badge or type the 8-character code under its QR." })
    .check(z.trim(), z.minLength(1, "Scan a badge or type the 8-character code under its QR."), z.maxLength(200, "That is not a badge code."), z.refine(hasNoNul, "That is not a badge code.")),
  // Generated on the phone for each scan, so a queued offline scan can be traced in the audit log.
  clientScanId: z.optional(z.string().check(z.regex(/^[\w-]{8,64}$/))),
});

export const leadNotesSchema = z.object({
  notes: z._default(z.string().check(z.trim(), z.maxLength(4000, "Notes can be at most 4,000 characters."), z.refine(hasNoNul, nulMessage("the notes"))), ""),
  rating: z.optional(z.enum(leadRatings, { error: "Choose hot, warm or cold." })),
});

export const profileSchema = z.object({
  description: z
    .string({ error: "Describe your company in a few sentences." })
    .check(
      z.trim(),
      z.minLength(20, "Write at least 20 characters about your company."),
      z.maxLength(1500, "Keep the description under 1,500 characters."),
      z.refine(hasNoNul, nulMessage("the description")),
    ),
  website: z.optional(z.url({ protocol: /^https?$/, error: "Enter the full address, starting with https://" }).check(z.maxLength(300, "That address is too long."))),
});
