import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { currentEvent } from "~/domain/event.server";
import { formatMoney } from "~/domain/money";
import { ticketTypesWithCounts } from "~/domain/ticket-admin.server";
import { formatDayKey, dayKey, formatTime } from "~/domain/time";
import { requireUser } from "~/services/auth.server";

export const meta: MetaFunction = () => [{ title: "Ticket types · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "tickets:write");
  const event = await currentEvent(context);
  const types = await ticketTypesWithCounts(event.id);
  const when = (at: Date | null) => (at ? `${formatDayKey(dayKey(at, event.timeZone), "short")}, ${formatTime(at, event.timeZone)}` : null);
  return { types: types.map((t) => ({ ...t, opens: when(t.salesStartAt), closes: when(t.salesEndAt) })) };
}

export default function TicketTypes() {
  const { types } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header className="page-head page-head--actions">
        <div>
          <h1>Ticket types</h1>
          <p className="muted">Live seat counts. Held seats belong to orders waiting for payment (30 minutes at most).</p>
        </div>
        <Link to="/admin/ticket-types/new" className="button button--small">
          Add a ticket type
        </Link>
      </header>
      <div className="table-scroll" role="region" aria-label="Ticket types" tabIndex={0}>
        <table className="data-table">
          <caption className="visually-hidden">Ticket types</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" className="num">Price</th>
              <th scope="col" className="num">Sold</th>
              <th scope="col" className="num">Held</th>
              <th scope="col" className="num">Available</th>
              <th scope="col" className="num">Capacity</th>
              <th scope="col">On sale (Toronto time)</th>
              <th scope="col">Visibility</th>
            </tr>
          </thead>
          <tbody>
            {types.map((t) => (
              <tr key={t.id}>
                <th scope="row">
                  <Link to={`/admin/ticket-types/${t.id}`}>{t.name}</Link>
                </th>
                <td className="num">{formatMoney(t.priceCents, t.currency)}</td>
                <td className="num">{t.sold}</td>
                <td className="num">{t.held}</td>
                <td className="num">{t.available === 0 ? <span className="badge badge--danger">0</span> : t.available}</td>
                <td className="num">{t.capacity}</td>
                <td className="small">
                  {t.opens ? `from ${t.opens}` : "now"}
                  {t.closes ? ` until ${t.closes}` : ""}
                </td>
                <td>{t.isPublic ? "Public" : <span className="badge badge--warn">Code only</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
