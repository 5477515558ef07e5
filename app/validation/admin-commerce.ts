// The organisers' commerce forms (ticket types, discount codes, orders, attendees, comps), shared
// by the pages (conform) and the server. Amounts are typed as dollars and percents and leave here
// as integer cents and basis points; times stay wall-clock strings until the domain applies the
// event's time zone.
import * as z from "./zod";
import { attendeeDetailsSchema, optionalText, text } from "./attendee";

const whole = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${label} must be a number.` })
    .check(z.int(`${label} must be a whole number.`), z.gte(min, `${label} must be at least ${min}.`), z.lte(max, `${label} must be at most ${max.toLocaleString("en-CA")}.`));

/**
 * "1,495.00" or "1495" to 149500 cents, read digit by digit so that no binary fraction ever
 * touches an amount.
 */
export function decimalToUnits(raw: string, scale: number): number | null {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(raw.replace(/[\s,$%]/g, ""));
  if (!match) return null;
  const fraction = (match[2] ?? "").padEnd(2, "0");
  return Number(match[1]) * scale + Number(fraction) * (scale / 100);
}

const dollars = (label: string) =>
  z.pipe(
    z.string({ error: `${label} is required.` }).check(z.trim(), z.minLength(1, `${label} is required.`)),
    z.transform((raw, ctx) => decimalToUnits(raw, 100) ?? z.refuse(ctx, `${label} must be an amount in dollars, like 1495 or 1495.00.`)),
  );

/** 149500 → "1495.00", for an input's default value. */
export const centsToInput = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
/** 1550 basis points → "15.5". */
export const bpsToInput = (bps: number) => String(bps / 100);

// A `datetime-local` value, read in the event's time zone by the domain.
export const localDateTime = z.union([
  z.optional(z.string().check(z.trim(), z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "Enter a date and time, like 2025-06-01 09:00."))),
  z.pipe(
    z.literal(""),
    z.transform(() => undefined),
  ),
]);

const window = <T extends { startsAt?: string; endsAt?: string }>(v: T) => !v.startsAt || !v.endsAt || v.startsAt < v.endsAt;

export const ticketTypeSchema = z
  .object({
    name: text("Name", 120),
    description: text("Description", 1000, { multiline: true }),
    includes: z.pipe(
      optionalText("What is included", 2000, { multiline: true }),
      z.transform((v) =>
        v
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean),
      ),
    ),
    price: dollars("Price"),
    capacity: whole("Capacity", 0, 100_000),
    startsAt: localDateTime,
    endsAt: localDateTime,
    visibility: z.enum(["public", "code"], { error: "Choose who can see this ticket type." }),
    maxPerOrder: whole("Per-order maximum", 1, 20),
    position: z._default(whole("Position", 0, 1000), 0),
  })
  .check(z.refine(window, { path: ["endsAt"], message: "Sales must end after they start." }));
export type TicketTypeInput = z.infer<typeof ticketTypeSchema>;

export const discountCodeFormSchema = z.pipe(
  z
    .object({
      code: z.pipe(
        z
          .string({ error: "Code is required." })
          .check(
            z.trim(),
            z.minLength(3, "Codes are at least 3 characters."),
            z.maxLength(40, "Codes are at most 40 characters."),
            z.regex(/^[A-Za-z0-9_-]+$/, "Codes contain only letters, digits, - and _."),
          ),
        z.transform((v) => v.toUpperCase()),
      ),
      kind: z.enum(["PERCENT", "FIXED"], { error: "Choose a percentage or a fixed amount." }),
      amount: z.string({ error: "Amount is required." }).check(z.trim(), z.minLength(1, "Amount is required.")),
      maxUses: z.optional(
        z.union([
          z.pipe(
            z.literal(""),
            z.transform(() => undefined),
          ),
          whole("Maximum uses", 1, 100_000),
        ]),
      ),
      startsAt: localDateTime,
      endsAt: localDateTime,
      ticketTypeIds: z._default(z.array(z.string().check(z.maxLength(40))).check(z.maxLength(100)), []),
    })
    .check(z.refine(window, { path: ["endsAt"], message: "The code must stop working after it starts." })),
  z.transform((v, ctx) => {
    // Percent in basis points (15.5% = 1550), fixed amounts in cents.
    const units = decimalToUnits(v.amount, 100);
    const max = v.kind === "PERCENT" ? 10_000 : 10_000_000;
    if (units === null || units <= 0 || units > max) {
      return z.refuse(ctx, v.kind === "PERCENT" ? "Enter a percentage between 0.01 and 100, like 15." : "Enter an amount in dollars, like 250 or 250.00.", ["amount"]);
    }
    return { ...v, amount: units };
  }),
);
export type DiscountCodeInput = z.infer<typeof discountCodeFormSchema>;

export const ORDER_STATUSES = ["PENDING", "PAID", "EXPIRED", "CANCELLED", "REFUNDED"] as const;
export const TICKET_STATUSES = ["VALID", "CANCELLED", "REFUNDED"] as const;
export const orderStatusLabel = { PENDING: "Pending payment", PAID: "Paid", EXPIRED: "Expired", CANCELLED: "Cancelled", REFUNDED: "Refunded" } as const;
export const orderStatusBadge = { PENDING: "badge--warn", PAID: "badge--ok", EXPIRED: "", CANCELLED: "badge--danger", REFUNDED: "badge--danger" } as const;

const id = z.string().check(z.maxLength(40), z.regex(/^[A-Za-z0-9_-]+$/));

/** Search and filters of the order and attendee lists (query string; bad values fall back). */
export const peopleFilterSchema = z.object({
  q: z.catch(z.optional(z.string().check(z.trim(), z.maxLength(120))), undefined),
  status: z.catch(z.optional(z.string().check(z.maxLength(20))), undefined),
  type: z.catch(z.optional(id), undefined),
  page: z.catch(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 1),
});
export type PeopleFilter = z.infer<typeof peopleFilterSchema>;

export const orderActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("refund") }),
  z.object({ intent: z.literal("refund-ticket"), ticketId: id }),
  z.object({ intent: z.literal("cancel") }),
  z.object({ intent: z.literal("resend-confirmation") }),
  z.object({ intent: z.literal("resend-ticket"), ticketId: id }),
]);

const details = attendeeDetailsSchema.shape;
export const compSchema = z.object({
  name: details.name,
  email: details.email,
  company: details.company,
  jobTitle: details.jobTitle,
  ticketTypeId: id,
  reason: text("Reason", 200),
});
export type CompInput = z.infer<typeof compSchema>;

/** The list filters from a page's query string; empty and malformed values are ignored. */
export function peopleFilterFrom(url: string): PeopleFilter {
  const params = Object.fromEntries([...new URL(url).searchParams].filter(([, v]) => v !== ""));
  return peopleFilterSchema.parse(params);
}
