import * as z from "./zod";
import { hasNoNul, nulMessage } from "./text";

export const leadRatings = ["HOT", "WARM", "COLD"] as const;

/** How a lead list can be sorted; the filter is read on the page and in the query. */
export const leadSorts = ["recent", "name", "company", "rating"] as const;
export type LeadSort = (typeof leadSorts)[number];

/** A badge scan from the booth: the QR secret or the typed short code, with the device's scan id. */
export const scanSchema = z.object({
  code: z.string({ error: "Scan a badge or type the 8-character code under its QR." }).trim().min(1, "Scan a badge or type the 8-character code under its QR.").max(200, "That is not a badge code.").refine(hasNoNul, "That is not a badge code."),
  // Generated on the phone for each scan, so a queued offline scan can be traced in the audit log.
  clientScanId: z.string().regex(/^[\w-]{8,64}$/).optional(),
});

export const leadNotesSchema = z.object({
  notes: z.string().trim().max(4000, "Notes can be at most 4,000 characters.").refine(hasNoNul, nulMessage("the notes")).default(""),
  rating: z.enum(leadRatings, { error: "Choose hot, warm or cold." }).optional(),
});

export const profileSchema = z.object({
  description: z
    .string({ error: "Describe your company in a few sentences." })
    .trim()
    .min(20, "Write at least 20 characters about your company.")
    .max(1500, "Keep the description under 1,500 characters.")
    .refine(hasNoNul, nulMessage("the description")),
  website: z
    .url({ protocol: /^https?$/, error: "Enter the full address, starting with https://" })
    .max(300, "That address is too long.")
    .optional(),
});
