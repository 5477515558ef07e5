import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable, Pager, SearchToolbar } from "~/components/admin-list";
import { searchOrders } from "~/domain/admin-orders.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { formatMoney } from "~/domain/money";
import { ticketTypesWithCounts } from "~/domain/ticket-admin.server";
import { can, requireUser } from "~/services/auth.server";
import { ORDER_STATUSES, orderStatusBadge, orderStatusLabel, peopleFilterFrom } from "~/validation/admin-commerce";

export const meta: MetaFunction = () => [{ title: "Orders · RE3M admin" }];

const statuses = ORDER_STATUSES.map((value) => ({ value, label: orderStatusLabel[value] }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "orders:read");
  const event = await adminEvent(request, context);
  const filter = peopleFilterFrom(request.url);
  const [result, types] = await Promise.all([searchOrders(event.id, filter), ticketTypesWithCounts(event.id)]);
  return { ...result, filter, types: types.map((t) => ({ id: t.id, name: t.name })), canComp: can(user, "orders:write") };
}

export default function Orders() {
  const { rows, total, pages, filter, types, canComp } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header className="page-head page-head--actions">
        <div>
          <h1>Orders</h1>
          <p className="muted">{total === 1 ? "1 order" : `${total} orders`}, newest first.</p>
        </div>
        {canComp ? (
          <Link to="/admin/orders/comp" className="button button--small">
            Issue a comp ticket
          </Link>
        ) : null}
      </header>
      <SearchToolbar filter={filter} statuses={statuses} types={types} searchHint="Buyer or attendee name, email, company, or order reference" />
      <AdminTable
        caption="Orders"
        rows={rows}
        empty="No orders match. Try fewer words or clear the filters."
        columns={[
          {
            header: "Reference",
            cell: (o) => (
              <>
                <Link to={`/admin/orders/${o.id}`}>{o.reference}</Link>
                {o.isComp ? <span className="badge"> comp</span> : null}
              </>
            ),
          },
          {
            header: "Buyer",
            cell: (o) => (
              <>
                {o.buyerName}
                <br />
                <span className="small muted">{o.buyerEmail}</span>
              </>
            ),
          },
          { header: "Tickets", cell: (o) => o.items.map((i) => `${i.quantity} × ${i.ticketType.name}`).join(", ") },
          { header: "Status", cell: (o) => <span className={`badge ${orderStatusBadge[o.status]}`}>{orderStatusLabel[o.status]}</span> },
          {
            header: "Total",
            numeric: true,
            cell: (o) => (
              <>
                {formatMoney(o.totalCents, o.currency)}
                {o.refundedCents > 0 ? <span className="small muted"> ({formatMoney(o.refundedCents, o.currency)} refunded)</span> : null}
              </>
            ),
          },
          { header: "Placed (UTC)", cell: (o) => new Date(o.createdAt).toISOString().slice(0, 16).replace("T", " ") },
        ]}
      />
      <Pager filter={filter} pages={pages} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
