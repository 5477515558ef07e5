// One attendee's details: the one schema behind every form that enters them (checkout, the
// attendee's ticket page, the organiser's edit) and the columns of OrderAttendee and Ticket.
// A new attendee field starts here; README "Adding an attendee field" lists the other steps.
import * as z from "./zod";
import { hasHiddenCharacters } from "~/domain/plain-text";

/** `multiline` for text areas: line breaks allowed. Otherwise one line, since a name or company ends up in email headers and CSV rows. */
type TextOptions = { multiline?: boolean };

function hiddenCharacterMessage(label: string, { multiline = false }: TextOptions) {
  return multiline
    ? `${label} contains a hidden control character (such as a text-direction override). Please type it again as plain text.`
    : `${label} contains a line break or a hidden control character (such as a text-direction override). Please type it again on one line.`;
}

export const text = (label: string, max: number, options: TextOptions = {}) =>
  z.string({ error: `${label} is required.` }).check(
    z.trim(),
    z.minLength(1, `${label} is required.`),
    z.maxLength(max, `${label} must be at most ${max} characters.`),
    z.refine((v) => !hasHiddenCharacters(v, options), hiddenCharacterMessage(label, options)),
  );

export const optionalText = (label: string, max: number, options: TextOptions = {}) =>
  z.pipe(
    z.optional(
      z.string().check(
        z.trim(),
        z.maxLength(max, `${label} must be at most ${max} characters.`),
        z.refine((v) => !hasHiddenCharacters(v, options), hiddenCharacterMessage(label, options)),
      ),
    ),
    z.transform((v) => v ?? ""),
  );

export const emailAddress = (label: string) =>
  z.pipe(
    z.pipe(
      z.string({ error: `${label} is required.` }).check(z.trim(), z.minLength(1, `${label} is required.`), z.maxLength(254, `${label} is too long.`)),
      z.email({ error: `${label} must be a valid email address, like name@company.com.` }),
    ),
    z.transform((v) => v.toLowerCase()),
  );

/** What each detail is called on forms, pages and in error messages. */
export const attendeeLabels = {
  name: "Full name",
  email: "Email",
  company: "Company",
  jobTitle: "Job title",
  country: "Country",
  dietaryNeeds: "Dietary needs",
  accessNeeds: "Access needs",
} as const;

export const attendeeDetailsSchema = z.object({
  name: text(attendeeLabels.name, 120),
  email: emailAddress(attendeeLabels.email),
  company: optionalText(attendeeLabels.company, 120),
  jobTitle: optionalText(attendeeLabels.jobTitle, 120),
  country: optionalText(attendeeLabels.country, 80),
  // One-line inputs like the rest: a badge, a caterer's list and a CSV cell want one line each.
  dietaryNeeds: optionalText(attendeeLabels.dietaryNeeds, 300),
  accessNeeds: optionalText(attendeeLabels.accessNeeds, 300),
});

/** The details a person can correct later, by themselves or through an organiser: all but consent. */
export type AttendeeDetails = z.infer<typeof attendeeDetailsSchema>;
export const ATTENDEE_DETAIL_FIELDS = Object.keys(attendeeDetailsSchema.shape) as (keyof AttendeeDetails)[];

/**
 * The same details as columns to read (OrderAttendee and Ticket name them alike); a query that
 * shows or copies an attendee spreads this, so a new detail is read everywhere at once.
 */
export const attendeeDetailColumns = Object.fromEntries(ATTENDEE_DETAIL_FIELDS.map((field) => [field, true])) as Record<keyof AttendeeDetails, true>;

/** An attendee as entered at checkout: the details and the consent, which is changed on its own later. */
export const attendeeSchema = z.extend(attendeeDetailsSchema, {
  // Unticked by default: sharing contact details with sponsors is opt-in.
  shareWithSponsors: z.pipe(
    z.optional(z.union([z.literal("on"), z.literal("true"), z.boolean()])),
    z.transform((v) => v === "on" || v === "true" || v === true),
  ),
});

export type AttendeeInput = z.infer<typeof attendeeSchema>;

export const emptyAttendee: AttendeeInput = {
  name: "",
  email: "",
  company: "",
  jobTitle: "",
  country: "",
  dietaryNeeds: "",
  accessNeeds: "",
  shareWithSponsors: false,
};
