// The checkout form, shared by the page (conform) and the server.
import * as z from "./zod";
import { attendeeSchema, emailAddress, optionalText, text } from "./attendee";

export const MAX_TICKETS_PER_ORDER = 20;

const quantity = z.coerce.number({ error: "Quantity must be a number." }).check(
  z.int("Quantity must be a whole number."),
  z.gte(0, "Quantity cannot be negative."),
  z.lte(MAX_TICKETS_PER_ORDER, `At most ${MAX_TICKETS_PER_ORDER} tickets per order.`),
);

const slug = z.string().check(z.maxLength(80), z.regex(/^[a-z0-9-]+$/, "Unknown ticket type."));

export const discountCodeSchema = z.optional(
  z.pipe(
    z.string().check(
      z.trim(),
      z.maxLength(40, "Discount codes are at most 40 characters."),
      z.regex(/^[A-Za-z0-9_-]*$/, "Discount codes contain only letters, digits, - and _."),
    ),
    z.transform((v) => v.toUpperCase()),
  ),
);

/** Step 1: which tickets, how many, and an optional code. */
export const selectionSchema = z.object({
  quantities: z._default(z.record(slug, quantity), {}),
  code: discountCodeSchema,
  offer: z.optional(z.string().check(z.maxLength(100), z.regex(/^[A-Za-z0-9_-]*$/))),
});

/** What a company buyer's invoice is made out to; all empty for a person buying for themselves. */
export const billingLabels = {
  company: "Company name",
  address: "Billing address",
  country: "Country",
  purchaseOrder: "Purchase order number",
  taxNumber: "Your company's tax number",
} as const;

export const billingSchema = z.pipe(
  z
    .object({
      forCompany: z.optional(z.literal("on")),
      company: optionalText(billingLabels.company, 160),
      address: optionalText(billingLabels.address, 300, { multiline: true }),
      country: optionalText(billingLabels.country, 80),
      purchaseOrder: optionalText(billingLabels.purchaseOrder, 60),
      taxNumber: optionalText(billingLabels.taxNumber, 40),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (!v.forCompany) return;
        if (!v.company) ctx.addIssue({ code: "custom", path: ["company"], message: "Company name is required for a company invoice." });
        if (!v.address) ctx.addIssue({ code: "custom", path: ["address"], message: "Billing address is required for a company invoice." });
      }),
    ),
  // Details typed and then unticked are not kept: the box says whether the buyer is a company.
  z.transform(({ forCompany, ...details }) =>
    forCompany ? details : { company: "", address: "", country: "", purchaseOrder: "", taxNumber: "" },
  ),
);

export type BillingDetails = z.output<typeof billingSchema>;

/** An organiser's correction of an order's billing details (admin order page). */
export const billingCorrectionSchema = z.object({ intent: z.literal("billing"), billing: billingSchema });


/** Step 2: the buyer, one attendee per ticket (or, paying by invoice, names later), how they pay. */
export const checkoutSchema = z
  .extend(selectionSchema, {
    buyer: z.object({ name: text("Your name", 120), email: emailAddress("Your email") }),
    billing: z.optional(billingSchema),
    attendees: z.array(attendeeSchema).check(z.maxLength(MAX_TICKETS_PER_ORDER, `At most ${MAX_TICKETS_PER_ORDER} attendees per order.`)),
    // Card through Stripe, or an invoice paid by transfer (when the event offers it).
    payment: z._default(z.enum(["card", "invoice"], { error: "Choose how you will pay: by card or by invoice." }), "card"),
    // Paying by invoice: the tickets come to the buyer, who names each attendee later.
    namesLater: z.optional(z.literal("on")),
    // The total the buyer saw; if it changed meanwhile they are asked to look again.
    expectedTotalCents: z.optional(z.coerce.number().check(z.int(), z.gte(0))),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.payment === "invoice" && !v.billing?.company) {
        ctx.addIssue({
          code: "custom",
          path: ["billing", "company"],
          message: "To pay by invoice, tick “Make the invoice out to a company” and enter its name and billing address.",
        });
      }
    }),
  );

export type CheckoutInput = z.infer<typeof checkoutSchema>;
