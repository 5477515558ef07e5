// The organisers' invoices list: search words, a period of days, a page.
import * as z from "./zod";

const day = z.catch(
  z.optional(
    z.string().check(
      z.regex(/^\d{4}-\d{2}-\d{2}$/),
      // Checked even when the pattern failed, so a word ("olivia-grant") must not reach toISOString.
      z.refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)),
    ),
  ),
  undefined,
);

export const invoiceFilterSchema = z.object({
  q: z._default(z.catch(z.string().check(z.maxLength(200)), ""), ""),
  from: day,
  to: day,
  page: z._default(z.catch(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000)), 1), 1),
});

/** The filter in a list URL; anything malformed is dropped rather than refused (it is a search). */
export function invoiceFilterFrom(url: string) {
  const params = Object.fromEntries([...new URL(url).searchParams].filter(([, v]) => v !== ""));
  const parsed = invoiceFilterSchema.parse(params);
  return { q: parsed.q.replace(/[\u0000-\u001f\u007f]/g, ""), from: parsed.from ?? null, to: parsed.to ?? null, page: parsed.page };
}
