import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventOf } from "~/domain/event.server";
import { invoicePdf, orderDocument } from "~/domain/invoices.server";
import { orderForBuyer } from "~/domain/orders.server";
import { pdfDownload } from "~/route-helpers/downloads.server";

// `/orders/:ref/invoices/:number/pdf?k=…`: the buyer's invoice or credit note as a PDF.
export async function loader({ params, request }: LoaderFunctionArgs) {
  const order = await orderForBuyer(params.ref!, new URL(request.url).searchParams.get("k") ?? "");
  const doc = order ? await orderDocument(order.id, params.number ?? "") : null;
  if (!order || !doc) return new Response("We could not find that invoice. Use the link on your order page.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
  const event = await eventOf(order.eventId);
  return pdfDownload(await invoicePdf(doc, event.name), `${doc.number}.pdf`);
}
