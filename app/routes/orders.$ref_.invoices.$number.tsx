import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { InvoiceSheet } from "~/components/invoice-view";
import { eventOf } from "~/domain/event.server";
import { orderDocument } from "~/domain/invoices.server";
import { orderForBuyer } from "~/domain/orders.server";
import { privateHeaders } from "~/services/http-cache.server";

export const headers = () => privateHeaders;

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `${d.doc.title} ${d.doc.number}` : "Invoice" },
  { name: "robots", content: "noindex" },
];

// An invoice or credit note of the buyer's order, reached with the order's secret link.
export async function loader({ params, request }: LoaderFunctionArgs) {
  const key = new URL(request.url).searchParams.get("k") ?? "";
  const order = await orderForBuyer(params.ref!, key);
  const doc = order ? await orderDocument(order.id, params.number ?? "") : null;
  if (!order || !doc) throw data({ message: "We could not find that invoice. Use the link on your order page." }, { status: 404, headers: privateHeaders });
  const event = await eventOf(order.eventId);
  const k = encodeURIComponent(key);
  return { doc, eventName: event.name, orderHref: `/orders/${order.reference}?k=${k}`, pdfHref: `/orders/${order.reference}/invoices/${doc.number}/pdf?k=${k}` };
}

export default function BuyerInvoice() {
  const { doc, eventName, orderHref, pdfHref } = useLoaderData<typeof loader>();
  return (
    <div className="container stack">
      <p className="small print-hide">
        <Link to={orderHref}>← Back to your order</Link>
      </p>
      <InvoiceSheet doc={doc} eventName={eventName} pdfHref={pdfHref} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
