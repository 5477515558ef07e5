import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { eventDocument, invoicePdf } from "~/domain/invoices.server";
import { pdfDownload } from "~/route-helpers/downloads.server";
import { requireUser } from "~/services/auth.server";

// `/admin/invoices/:id/pdf`: an invoice or credit note as the buyer received it.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "orders:read");
  const event = await adminEvent(request, context);
  const doc = await eventDocument(event.id, params.id ?? "");
  if (!doc) throw data({ message: "That invoice does not exist." }, { status: 404 });
  return pdfDownload(await invoicePdf(doc, event.name), `${doc.number}.pdf`);
}
