import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { InvoiceSheet } from "~/components/invoice-view";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { eventDocument } from "~/domain/invoices.server";
import { requireUser } from "~/services/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d ? `${d.doc.number} · RE3M admin` : "Invoice · RE3M admin" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "orders:read");
  const event = await adminEvent(request, context);
  const doc = await eventDocument(event.id, params.id ?? "");
  if (!doc) throw data({ message: "That invoice does not exist. It may belong to another event." }, { status: 404 });
  return { doc, eventName: event.name, pdfHref: `/admin/invoices/${params.id}/pdf` };
}

export default function AdminInvoice() {
  const { doc, eventName, pdfHref } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <p className="small print-hide">
        <Link to={`/admin/orders/${doc.orderId}`}>← Order {doc.orderReference}</Link>
      </p>
      <InvoiceSheet doc={doc} eventName={eventName} pdfHref={pdfHref} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
