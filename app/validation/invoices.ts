// The organisers' invoices list: search words, a period of days, a page.
import * as z from "./zod";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  // Checked even when the pattern failed, so a word ("olivia-grant") must not reach toISOString.
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v))
  .optional()
  .catch(undefined);

export const invoiceFilterSchema = z.object({
  q: z.string().max(200).catch("").default(""),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

/** The filter in a list URL; anything malformed is dropped rather than refused (it is a search). */
export function invoiceFilterFrom(url: string) {
  const params = Object.fromEntries([...new URL(url).searchParams].filter(([, v]) => v !== ""));
  const parsed = invoiceFilterSchema.parse(params);
  return { q: parsed.q.replace(/[\u0000-\u001f\u007f]/g, ""), from: parsed.from ?? null, to: parsed.to ?? null, page: parsed.page };
}
