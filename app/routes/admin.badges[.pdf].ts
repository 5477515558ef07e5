import type { LoaderFunctionArgs } from "@remix-run/node";
import { badgesPdf } from "~/domain/badges.server";
import { DomainError, type Rule } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { pdfDownload } from "~/route-helpers/downloads.server";
import { requireUser } from "~/services/auth.server";
import { badgeQuerySchema } from "~/validation/badges";

const statusOf: Partial<Record<Rule, number>> = { "badges.unknown-type": 404, "badges.unknown-ticket": 404, "badges.ticket-not-valid": 409, "badges.none-valid": 409 };

/** A refusal as plain text: this address opens in a browser tab, where a sentence reads best. */
const refusal = (message: string, status: number) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });

// `/admin/badges.pdf?type=all|<ticket type id>&layout=sheet|label`, or `?ticket=<id>`: badges for
// organisers; one person's badge for door staff too, who print it at the door.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = badgeQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const user = await requireUser(request, query.success && query.data.selection.kind === "ticket" ? "checkin:scan" : "orders:read");
  if (!query.success) return refusal(query.error.issues[0]!.message, 400);
  try {
    const { pdf, filename } = await badgesPdf(await adminEvent(request, context), query.data.selection, query.data.layout, user.id);
    return pdfDownload(pdf, filename);
  } catch (error) {
    if (error instanceof DomainError && statusOf[error.rule]) return refusal(error.message, statusOf[error.rule]!);
    throw error;
  }
}
