import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError, type Rule } from "~/domain/errors";
import { currentEvent } from "~/domain/event.server";
import { exportPerson } from "~/domain/privacy-export.server";
import { zipDownload } from "~/route-helpers/downloads.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { exportQuerySchema } from "~/validation/privacy";

const statusOf: Partial<Record<Rule, number>> = {
  "privacy.request-not-found": 404,
  "privacy.nothing-held": 404,
  "privacy.request-kind": 409,
  "privacy.request-handled": 409,
};

/** A refusal as plain text: the download opens in a browser tab, where a sentence reads best. */
const refusal = (message: string, status: number) =>
  new Response(`${message}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });

// `/admin/privacy.zip?email=<address>` or `?request=<id>`: everything held about a person, as JSON
// and CSV files in a ZIP, for admins; each download is audited.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "privacy:manage");
  const query = exportQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return refusal(query.error.issues[0]!.message, 400);
  const event = await currentEvent(context);
  try {
    const file = await exportPerson({ eventId: event.id, requestId: query.data.request, email: query.data.email }, event, user.id, clock.now());
    return zipDownload(file.body, file.filename);
  } catch (error) {
    if (error instanceof DomainError && statusOf[error.rule]) return refusal(error.message, statusOf[error.rule]!);
    throw error;
  }
}
