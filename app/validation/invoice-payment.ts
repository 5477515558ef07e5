// The organisers' forms of an order paid by invoice (admin order page): a payment received, a
// later due date.
import * as z from "./zod";
import { decimalToUnits } from "./admin-commerce";
import { optionalText } from "./attendee";

export const invoicePaymentMethodLabels = { BANK_TRANSFER: "Bank transfer", EFT: "EFT", CHEQUE: "Cheque", OTHER: "Other" } as const;

const day = (label: string) =>
  z.string({ error: `${label} is required.` }).check(
    z.trim(),
    z.regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date, like 2025-08-14.`),
    z.refine((v) => {
      const date = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v);
    }, `${label} is not a real date.`),
  );

export const recordPaymentSchema = z.object({
  intent: z.literal("record-payment"),
  amount: z.pipe(
    z.string({ error: "Amount received is required." }).check(z.trim(), z.minLength(1, "Amount received is required.")),
    z.transform((raw, ctx) => {
      const cents = decimalToUnits(raw, 100);
      if (cents === null || cents === 0) return z.refuse(ctx, "Amount received must be an amount in dollars above zero, like 3378.70.");
      return cents;
    }),
  ),
  receivedOn: day("Date received"),
  method: z.enum(Object.keys(invoicePaymentMethodLabels) as [keyof typeof invoicePaymentMethodLabels], { error: "Choose how the money came." }),
  reference: optionalText("Bank reference", 80),
  // Drawn when the page was shown: the same form sent twice records one payment.
  formKey: z.string({ error: "Reload the page and record the payment again." }).check(z.regex(/^[A-Za-z0-9_-]{16,64}$/, "Reload the page and record the payment again.")),
});

export const extendDueSchema = z.object({
  intent: z.literal("extend-due"),
  dueOn: day("New due date"),
});
