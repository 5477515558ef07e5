// The event settings form (/admin/settings): what the organiser is, sells and promises. Shared by
// the page (conform) and the server; amounts leave here as basis points, dates as day keys and
// the sales end as a wall-clock string that the domain reads in the event's time zone.
import * as z from "./zod";
import { decimalToUnits, localDateTime } from "./admin-commerce";
import { emailAddress, optionalText, text } from "./attendee";

/** Longest event the settings accept, in days: a conference, not a season. */
export const MAX_EVENT_DAYS = 14;

const dayKey = (label: string) =>
  z.string({ error: `${label} is required.` }).check(
    z.trim(),
    z.regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date, like 2025-09-09.`),
    z.refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), `${label} is not a real date.`),
  );

/** Every IANA zone this runtime knows ("America/Toronto"), plus UTC. */
function isTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat("en-CA", { timeZone: value });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value);
  } catch {
    return false;
  }
}

/**
 * A CRA program account number for GST/HST: the 9-digit business number, RT, a 4-digit account
 * ("123456789 RT 0001"). Spaces and dashes are allowed when typed and removed when stored.
 */
export const TAX_NUMBER_FORMAT = /^\d{9}RT\d{4}$/;
const taxNumber = z.pipe(
  z.optional(
    z
      .pipe(
        z.string().check(z.trim(), z.maxLength(40, "The registration number is 15 characters, like 123456789 RT0001.")),
        z.transform((v) => v.replace(/[\s-]/g, "").toUpperCase()),
      )
      .check(z.refine((v) => v === "" || TAX_NUMBER_FORMAT.test(v), "Enter the GST/HST registration number as 9 digits, RT and 4 digits, like 123456789 RT0001.")),
  ),
  z.transform((v) => (v ? v : null)),
);

const percent = z.pipe(
  z.string({ error: "Tax rate is required." }).check(z.trim(), z.minLength(1, "Tax rate is required.")),
  z.transform((raw, ctx) => {
    const bps = decimalToUnits(raw, 100);
    if (bps === null || bps > 10_000) return z.refuse(ctx, "Enter the tax rate as a percentage between 0 and 100, like 13.");
    return bps;
  }),
);

/** Days a transfer needs at least; pay by invoice closes when less is left (domain/invoice-orders.server.ts keeps the same figure). */
export const INVOICE_MIN_LEAD_DAYS = 3;

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .pipe(
      z.string({ error: `${label} is required.` }).check(z.trim(), z.regex(/^\d{1,3}$/, `${label} must be a whole number from ${min} to ${max}.`)),
      z.transform(Number),
    )
    .check(z.refine((n) => n >= min && n <= max, `${label} must be a whole number from ${min} to ${max}.`));

/** The longest retention period the settings accept: ten years. */
export const MAX_RETENTION_DAYS = 3650;

/** "Keep attendee data for N days after the event": empty keeps it until people are erased one by one. */
const retentionDays = z
  .pipe(
    z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.maxLength(4, `Keep attendee data for at most ${MAX_RETENTION_DAYS} days (ten years), or leave the box empty.`),
          z.regex(/^\d*$/, "Enter the number of days as digits, like 365, or leave the box empty to keep the data."),
        ),
    ),
    z.transform((v) => (v ? Number(v) : null)),
  )
  .check(z.refine((v) => v === null || v <= MAX_RETENTION_DAYS, `Keep attendee data for at most ${MAX_RETENTION_DAYS} days (ten years), or leave the box empty.`));

export const eventSettingsSchema = z
  .object({
    name: text("Event name", 120),
    shortName: text("Short name", 40),
    tagline: text("Tagline", 200),
    startsOn: dayKey("First day"),
    endsOn: dayKey("Last day"),
    timeZone: z
      .string({ error: "Time zone is required." })
      .check(z.trim(), z.maxLength(64, "Choose a time zone from the list."), z.refine(isTimeZone, "Choose a time zone from the list, like America/Toronto.")),
    venueName: text("Venue", 120),
    venueAddress: text("Venue address", 200),
    city: text("City", 80),
    country: text("Country", 80),
    organiser: text("Organiser's name", 120),
    legalName: text("Legal name", 160),
    legalAddress: text("Legal address", 300, { multiline: true }),
    contactEmail: emailAddress("Contact email"),
    taxName: text("Tax name", 20),
    taxRate: percent,
    taxNumber,
    defaultSalesEnd: localDateTime,
    refundPolicy: optionalText("Refund policy", 3000, { multiline: true }),
    invoicePrefix: z.pipe(
      z
        .string({ error: "Invoice number prefix is required." })
        .check(
          z.trim(),
          z.minLength(1, "Invoice number prefix is required."),
          z.maxLength(12, "The invoice number prefix is at most 12 characters, like RE3M25-."),
          z.regex(/^[A-Za-z0-9][A-Za-z0-9/_-]*$/, "The invoice number prefix uses letters, digits, - / and _, like RE3M25-."),
        ),
      z.transform((v) => v.toUpperCase()),
    ),
    payByInvoice: z.pipe(
      z.optional(z.literal("on")),
      z.transform((v) => v === "on"),
    ),
    invoiceMinTickets: wholeNumber("Pay by invoice from", 1, 20),
    invoiceDueDays: wholeNumber("Days to pay an invoice", INVOICE_MIN_LEAD_DAYS, 90),
    paymentInstructions: optionalText("Payment instructions", 2000, { multiline: true }),
    retentionDays,
  })
  .check(
    z.refine((v) => !v.payByInvoice || v.paymentInstructions.length > 0, {
      path: ["paymentInstructions"],
      message: "Enter the payment instructions (bank, account, what to quote) before offering pay by invoice: buyers receive them with the invoice.",
    }),
    z.refine((v) => v.startsOn <= v.endsOn, { path: ["endsOn"], message: "The last day cannot be before the first day." }),
    z.refine((v) => (Date.parse(v.endsOn) - Date.parse(v.startsOn)) / 86_400_000 < MAX_EVENT_DAYS, {
      path: ["endsOn"],
      message: `An event lasts at most ${MAX_EVENT_DAYS} days.`,
    }),
  );

export type EventSettingsInput = z.infer<typeof eventSettingsSchema>;
