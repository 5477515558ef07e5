import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pager, SearchToolbar } from "~/components/admin-list";
import { searchOrders } from "~/domain/admin-orders.server";
import { currentEvent } from "~/domain/event.server";
import { formatMoney } from "~/domain/money";
import { ticketTypesWithCounts } from "~/domain/ticket-admin.server";
import { can, requireUser } from "~/services/auth.server";
import { ORDER_STATUSES, orderStatusBadge, orderStatusLabel, peopleFilterFrom } from "~/validation/admin-commerce";

export const meta: MetaFunction = () => [{ title: "Orders · RE3M admin" }];

const statuses = ORDER_STATUSES.map((value) => ({ value, label: orderStatusLabel[value] }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "orders:read");
  const event = await currentEvent(context);
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
      <div className="table-scroll" role="region" aria-label="Orders" tabIndex={0}>
        <table className="data-table">
          <caption className="visually-hidden">Orders</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Buyer</th>
              <th scope="col">Tickets</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">Total</th>
              <th scope="col">Placed (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6}>No orders match. Try fewer words or clear the filters.</td>
              </tr>
            ) : null}
            {rows.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/admin/orders/${o.id}`}>{o.reference}</Link>
                  {o.isComp ? <span className="badge"> comp</span> : null}
                </td>
                <td>
                  {o.buyerName}
                  <br />
                  <span className="small muted">{o.buyerEmail}</span>
                </td>
                <td>{o.items.map((i) => `${i.quantity} × ${i.ticketType.name}`).join(", ")}</td>
                <td>
                  <span className={`badge ${orderStatusBadge[o.status]}`}>{orderStatusLabel[o.status]}</span>
                </td>
                <td className="num">
                  {formatMoney(o.totalCents, o.currency)}
                  {o.refundedCents > 0 ? <span className="small muted"> ({formatMoney(o.refundedCents, o.currency)} refunded)</span> : null}
                </td>
                <td>{new Date(o.createdAt).toISOString().slice(0, 16).replace("T", " ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager filter={filter} pages={pages} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
