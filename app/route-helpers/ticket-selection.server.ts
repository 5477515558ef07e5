// A buyer's ticket choice travels in the query string (`quantities.<slug>=n`, `code`, `offer`)
// from /tickets to /tickets/checkout, and back to /tickets when checkout cannot take it.
import { DomainError } from "~/domain/errors";
import { quoteSelection } from "~/domain/orders.server";
import { discountCodeSchema, selectionSchema } from "~/validation/checkout";

export function selectionFrom(params: URLSearchParams) {
  const quantities: Record<string, string> = {};
  for (const [key, value] of params) if (key.startsWith("quantities.")) quantities[key.slice("quantities.".length)] = value;
  return selectionSchema.safeParse({ quantities, code: params.get("code") || undefined, offer: params.get("offer") || undefined });
}

/** The discount code in the address, as checkout would read it (the tickets page shows what it does). */
export function discountCodeFrom(params: URLSearchParams) {
  return discountCodeSchema.safeParse(params.get("code") || undefined);
}

export type SelectionProblem = { field: string | null; message: string };

/** Why checkout would refuse this choice today, or null when it would take it. */
export async function selectionProblem(event: Parameters<typeof quoteSelection>[0], params: URLSearchParams, now: Date): Promise<SelectionProblem | null> {
  const selection = selectionFrom(params);
  if (!selection.success) {
    const issue = selection.error.issues[0];
    return { field: issue?.path.length ? issue.path.join(".") : null, message: issue?.message ?? "That selection is not valid." };
  }
  try {
    await quoteSelection(event, selection.data, now);
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { field: error.field ?? null, message: error.message };
  }
}

/**
 * The tickets page with the same quantities and code. With `refused`, that page says why checkout
 * refused them: it works the reason out again rather than taking text from the address, so a link
 * cannot make the page say something else.
 */
export function ticketsPageWith(params: URLSearchParams, { refused }: { refused: boolean }) {
  const back = new URLSearchParams();
  for (const [key, value] of params) if (key.startsWith("quantities.")) back.append(key, value);
  const code = params.get("code");
  if (code) back.set("code", code);
  if (refused) back.set("refused", "1");
  const query = back.toString();
  return query ? `/tickets?${query}` : "/tickets";
}
