import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AdminTable, Pager } from "~/components/admin-list";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { searchInvoices, taxSummary } from "~/domain/invoices.server";
import { formatMoney } from "~/domain/money";
import { requireUser } from "~/services/auth.server";
import { invoiceFilterFrom } from "~/validation/invoices";

export const meta: MetaFunction = () => [{ title: "Invoices · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "orders:read");
  const event = await adminEvent(request, context);
  const filter = invoiceFilterFrom(request.url);
  const [list, summary] = await Promise.all([searchInvoices(event, filter), taxSummary(event, filter)]);
  return { ...list, summary, filter, timeZone: event.timeZone };
}

export default function Invoices() {
  const { rows, total, pages, summary, filter, timeZone } = useLoaderData<typeof loader>();
  const period = filter.from || filter.to ? `from ${filter.from ?? "the first sale"} to ${filter.to ?? "today"}` : "since sales opened";
  return (
    <div className="stack">
      <header className="page-head page-head--actions">
        <div>
          <h1>Invoices</h1>
          <p className="muted">
            {total === 1 ? "1 document" : `${total} documents`} (tax invoices and credit notes), newest first. Days are in {timeZone} time.
          </p>
        </div>
        <a href="/admin/exports/invoices.csv" className="button button--small" download>
          Download all as CSV
        </a>
      </header>
      <Form method="get" className="toolbar" role="search">
        <div className="field">
          <label htmlFor="q">Search</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} aria-describedby="q-hint" />
        </div>
        <div className="field">
          <label htmlFor="from">From</label>
          <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="to">To</label>
          <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} />
        </div>
        <button type="submit" className="button button--small">
          Show
        </button>
        <p className="toolbar__hint" id="q-hint">
          Number, order reference, buyer, email, company or purchase order number.
        </p>
      </Form>
      <section aria-labelledby="summary-title" className="card stack tax-summary">
        <h2 id="summary-title">GST/HST summary, {period}</h2>
        {summary.length === 0 ? (
          <p className="muted">No invoices or credit notes in this period.</p>
        ) : (
          <AdminTable
            caption={`Tax summary ${period}`}
            rows={summary.map((s) => ({ ...s, id: s.label }))}
            columns={[
              { header: "Tax", rowHeader: true, cell: (s) => s.label },
              { header: "Invoices", numeric: true, cell: (s) => s.invoices },
              { header: "Sales (net)", numeric: true, cell: (s) => formatMoney(s.salesCents, s.currency) },
              { header: "Tax collected", numeric: true, cell: (s) => formatMoney(s.taxCents, s.currency) },
              { header: "Credit notes", numeric: true, cell: (s) => s.creditNotes },
              { header: "Sales credited", numeric: true, cell: (s) => formatMoney(s.creditedSalesCents, s.currency) },
              { header: "Tax credited", numeric: true, cell: (s) => formatMoney(s.creditedTaxCents, s.currency) },
              { header: "Net sales", numeric: true, cell: (s) => formatMoney(s.netSalesCents, s.currency) },
              { header: "Net tax", numeric: true, cell: (s) => <strong>{formatMoney(s.netTaxCents, s.currency)}</strong> },
            ]}
          />
        )}
      </section>
      <AdminTable
        caption="Invoices and credit notes"
        rows={rows}
        cards
        empty="No invoices match. Try fewer words or another period."
        columns={[
          { header: "Number", cell: (i) => <Link to={`/admin/invoices/${i.id}`}>{i.number}</Link> },
          { header: "Kind", cell: (i) => (i.kind === "INVOICE" ? "Tax invoice" : "Credit note") },
          { header: "Date", cell: (i) => i.issuedOn },
          {
            header: "Buyer",
            cell: (i) => (
              <span>
                {i.buyerCompany || i.buyerName}
                {i.buyerCompany ? (
                  <>
                    <br />
                    <span className="small muted">{i.buyerName}</span>
                  </>
                ) : null}
              </span>
            ),
          },
          { header: "Order", cell: (i) => <Link to={`/admin/orders/${i.orderId}`}>{i.orderReference}</Link> },
          { header: "Tax", numeric: true, cell: (i) => formatMoney(i.kind === "INVOICE" ? i.taxCents : -i.taxCents, i.currency) },
          { header: "Total", numeric: true, cell: (i) => formatMoney(i.kind === "INVOICE" ? i.totalCents : -i.totalCents, i.currency) },
        ]}
      />
      {pages > 1 ? <Pager filter={filter} pages={pages} /> : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
