import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { formatMoney, formatRate } from "~/domain/money";
import { discountCodes } from "~/domain/ticket-admin.server";
import { dayKey, formatDayKey } from "~/domain/time";
import { requireUser } from "~/services/auth.server";

export const meta: MetaFunction = () => [{ title: "Discount codes · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "tickets:write");
  const event = await adminEvent(request, context);
  const codes = await discountCodes(event.id);
  const day = (at: Date | null) => (at ? formatDayKey(dayKey(at, event.timeZone), "short") : null);
  return { currency: event.currency, codes: codes.map((c) => ({ ...c, from: day(c.validFrom), until: day(c.validUntil) })) };
}

export default function DiscountCodes() {
  const { codes, currency } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header className="page-head page-head--actions">
        <div>
          <h1>Discount codes</h1>
          <p className="muted">A code limited to ticket types discounts only those, and also unlocks the code-only ones among them.</p>
        </div>
        <Link to="/admin/discount-codes/new" className="button button--small">
          Add a code
        </Link>
      </header>
      <AdminTable
        caption="Discount codes"
        rows={codes}
        columns={[
          {
            header: "Code",
            rowHeader: true,
            cell: (c) => (
              <Link to={`/admin/discount-codes/${c.id}`}>
                <code>{c.code}</code>
              </Link>
            ),
          },
          { header: "Discount", numeric: true, cell: (c) => (c.kind === "PERCENT" ? formatRate(c.amount) : formatMoney(c.amount, currency)) },
          { header: "Used", numeric: true, cell: (c) => `${c.used}${c.maxUses !== null ? ` of ${c.maxUses}` : ""}` },
          { header: "Valid", cellClassName: "small", cell: (c) => `${c.from ? `from ${c.from}` : "now"}${c.until ? ` until ${c.until}` : ""}` },
          {
            header: "Ticket types",
            cellClassName: "small",
            cell: (c) => (c.ticketTypes.length === 0 ? "All" : c.ticketTypes.map((t) => t.name + (t.isPublic ? "" : " (unlocks)")).join(", ")),
          },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
