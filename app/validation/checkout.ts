// The checkout form, shared by the page (conform) and the server.
import { z } from "zod";

export const MAX_TICKETS_PER_ORDER = 20;

export const text = (label: string, max: number) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(max, `${label} must be at most ${max} characters.`);

export const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .optional()
    .transform((v) => v ?? "");

const email = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .max(254, `${label} is too long.`)
    .pipe(z.email({ error: `${label} must be a valid email address, like name@company.com.` }))
    .transform((v) => v.toLowerCase());

export const attendeeSchema = z.object({
  name: text("Full name", 120),
  email: email("Email"),
  company: optionalText("Company", 120),
  jobTitle: optionalText("Job title", 120),
  country: optionalText("Country", 80),
  dietaryNeeds: optionalText("Dietary needs", 300),
  accessNeeds: optionalText("Access needs", 300),
  // Unticked by default: sharing contact details with sponsors is opt-in.
  shareWithSponsors: z
    .union([z.literal("on"), z.literal("true"), z.boolean()])
    .optional()
    .transform((v) => v === "on" || v === "true" || v === true),
});

export type AttendeeInput = z.infer<typeof attendeeSchema>;

const quantity = z.coerce
  .number({ error: "Quantity must be a number." })
  .int("Quantity must be a whole number.")
  .min(0, "Quantity cannot be negative.")
  .max(MAX_TICKETS_PER_ORDER, `At most ${MAX_TICKETS_PER_ORDER} tickets per order.`);

const slug = z.string().max(80).regex(/^[a-z0-9-]+$/, "Unknown ticket type.");

export const discountCodeSchema = z
  .string()
  .trim()
  .max(40, "Discount codes are at most 40 characters.")
  .regex(/^[A-Za-z0-9_-]*$/, "Discount codes contain only letters, digits, - and _.")
  .transform((v) => v.toUpperCase())
  .optional();

/** Step 1: which tickets, how many, and an optional code. */
export const selectionSchema = z.object({
  quantities: z.record(slug, quantity).default({}),
  code: discountCodeSchema,
  offer: z.string().max(100).regex(/^[A-Za-z0-9_-]*$/).optional(),
});

/** Step 2: the buyer and one attendee per ticket. */
export const checkoutSchema = selectionSchema.extend({
  buyer: z.object({ name: text("Your name", 120), email: email("Your email") }),
  attendees: z.array(attendeeSchema).max(MAX_TICKETS_PER_ORDER, `At most ${MAX_TICKETS_PER_ORDER} attendees per order.`),
  // The total the buyer saw; if it changed meanwhile they are asked to look again.
  expectedTotalCents: z.coerce.number().int().min(0).optional(),
});

export type CheckoutInput = z.infer<typeof checkoutSchema>;
