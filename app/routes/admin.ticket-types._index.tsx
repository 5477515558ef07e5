import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { formatMoney } from "~/domain/money";
import { ticketTypesWithCounts } from "~/domain/ticket-admin.server";
import { formatDayKey, dayKey, formatTime } from "~/domain/time";
import { requireUser } from "~/services/auth.server";

export const meta: MetaFunction = () => [{ title: "Ticket types · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "tickets:write");
  const event = await adminEvent(request, context);
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
      <AdminTable
        caption="Ticket types"
        rows={types}
        columns={[
          { header: "Name", rowHeader: true, cell: (t) => <Link to={`/admin/ticket-types/${t.id}`}>{t.name}</Link> },
          { header: "Price", numeric: true, cell: (t) => formatMoney(t.priceCents, t.currency) },
          { header: "Sold", numeric: true, cell: (t) => t.sold },
          { header: "Held", numeric: true, cell: (t) => t.held },
          { header: "Available", numeric: true, cell: (t) => (t.available === 0 ? <span className="badge badge--danger">0</span> : t.available) },
          { header: "Capacity", numeric: true, cell: (t) => t.capacity },
          { header: "On sale (Toronto time)", cellClassName: "small", cell: (t) => `${t.opens ? `from ${t.opens}` : "now"}${t.closes ? ` until ${t.closes}` : ""}` },
          { header: "Visibility", cell: (t) => (t.isPublic ? "Public" : <span className="badge badge--warn">Code only</span>) },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
