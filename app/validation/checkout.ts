// The checkout form, shared by the page (conform) and the server.
import * as z from "./zod";
import { attendeeSchema, emailAddress, optionalText, text } from "./attendee";

export const MAX_TICKETS_PER_ORDER = 20;

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

/** What a company buyer's invoice is made out to; all empty for a person buying for themselves. */
export const billingLabels = {
  company: "Company name",
  address: "Billing address",
  country: "Country",
  purchaseOrder: "Purchase order number",
  taxNumber: "Your company's tax number",
} as const;

export const billingSchema = z
  .object({
    forCompany: z.literal("on").optional(),
    company: optionalText(billingLabels.company, 160),
    address: optionalText(billingLabels.address, 300, { multiline: true }),
    country: optionalText(billingLabels.country, 80),
    purchaseOrder: optionalText(billingLabels.purchaseOrder, 60),
    taxNumber: optionalText(billingLabels.taxNumber, 40),
  })
  .superRefine((v, ctx) => {
    if (!v.forCompany) return;
    if (!v.company) ctx.addIssue({ code: "custom", path: ["company"], message: "Company name is required for a company invoice." });
    if (!v.address) ctx.addIssue({ code: "custom", path: ["address"], message: "Billing address is required for a company invoice." });
  })
  // Details typed and then unticked are not kept: the box says whether the buyer is a company.
  .transform(({ forCompany, ...details }) =>
    forCompany ? details : { company: "", address: "", country: "", purchaseOrder: "", taxNumber: "" },
  );

export type BillingDetails = z.output<typeof billingSchema>;

/** An organiser's correction of an order's billing details (admin order page). */
export const billingCorrectionSchema = z.object({ intent: z.literal("billing"), billing: billingSchema });


/** Step 2: the buyer, one attendee per ticket (or, paying by invoice, names later), how they pay. */
export const checkoutSchema = selectionSchema
  .extend({
    buyer: z.object({ name: text("Your name", 120), email: emailAddress("Your email") }),
    billing: billingSchema.optional(),
    attendees: z.array(attendeeSchema).max(MAX_TICKETS_PER_ORDER, `At most ${MAX_TICKETS_PER_ORDER} attendees per order.`),
    // Card through Stripe, or an invoice paid by transfer (when the event offers it).
    payment: z.enum(["card", "invoice"], { error: "Choose how you will pay: by card or by invoice." }).default("card"),
    // Paying by invoice: the tickets come to the buyer, who names each attendee later.
    namesLater: z.literal("on").optional(),
    // The total the buyer saw; if it changed meanwhile they are asked to look again.
    expectedTotalCents: z.coerce.number().int().min(0).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.payment === "invoice" && !v.billing?.company) {
      ctx.addIssue({
        code: "custom",
        path: ["billing", "company"],
        message: "To pay by invoice, tick “Make the invoice out to a company” and enter its name and billing address.",
      });
    }
  });

export type CheckoutInput = z.infer<typeof checkoutSchema>;
