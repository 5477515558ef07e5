import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable, Pager, SearchToolbar } from "~/components/admin-list";
import { searchAttendees } from "~/domain/admin-orders.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { ticketStatusLabel } from "~/domain/labels";
import { ticketTypesWithCounts } from "~/domain/ticket-admin.server";
import { requireUser } from "~/services/auth.server";
import { peopleFilterFrom, TICKET_STATUSES } from "~/validation/admin-commerce";

export const meta: MetaFunction = () => [{ title: "Attendees · RE3M admin" }];

const statuses = TICKET_STATUSES.map((value) => ({ value, label: ticketStatusLabel[value] }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "orders:read");
  const event = await adminEvent(request, context);
  const filter = peopleFilterFrom(request.url);
  const [result, types] = await Promise.all([searchAttendees(event.id, filter), ticketTypesWithCounts(event.id)]);
  return { ...result, filter, types: types.map((t) => ({ id: t.id, name: t.name })) };
}

export default function Attendees() {
  const { rows, total, pages, filter, types } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header>
        <h1>Attendees</h1>
        <p className="muted">{total === 1 ? "1 ticket" : `${total} tickets`}, by name.</p>
      </header>
      <SearchToolbar filter={filter} statuses={statuses} types={types} searchHint="Name, email, company, or order reference" />
      <AdminTable
        caption="Attendees"
        rows={rows}
        empty="No attendees match. Try fewer words or clear the filters."
        columns={[
          {
            header: "Name",
            cell: (t) => (
              <>
                <Link to={`/admin/attendees/${t.id}`}>{t.name}</Link>
                <br />
                <span className="small muted">{t.email}</span>
              </>
            ),
          },
          { header: "Company", cell: (t) => t.company },
          { header: "Type", cell: (t) => t.ticketType.name },
          {
            header: "Status",
            cell: (t) => (
              <>
                {ticketStatusLabel[t.status]}
                {t.checkedInAt ? <span className="small muted"> · checked in</span> : null}
              </>
            ),
          },
          { header: "Order", cell: (t) => <Link to={`/admin/orders/${t.order.id}`}>{t.order.reference}</Link> },
        ]}
      />
      <Pager filter={filter} pages={pages} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
