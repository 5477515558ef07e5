import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Exports · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "exports:read");
  const event = await adminEvent(request, context);
  const [attendees, orders, sessions, invoices] = await Promise.all([
    db().ticket.count({ where: { order: { eventId: event.id } } }),
    db().order.count({ where: { eventId: event.id } }),
    db().session.count({ where: { eventId: event.id } }),
    db().invoice.count({ where: { eventId: event.id } }),
  ]);
  return { counts: { attendees, orders, sessions, invoices }, timeZone: event.timeZone };
}

const files = [
  { kind: "attendees", title: "Attendees", what: "One row per ticket: name, contact, company, type, status, check-in, sponsor consent, dietary and access needs." },
  { kind: "orders", title: "Orders", what: "One row per order: buyer, status, subtotal, discount, tax, total, refunded and net, in dollars." },
  { kind: "sessions", title: "Sessions", what: "The agenda, drafts included: day and times in the event's time zone, track, room and speakers." },
  { kind: "invoices", title: "Invoices", what: "Every tax invoice and credit note: number, date, buyer, net, tax and total; credit notes negative, so each column adds up to the net." },
] as const;

export default function Exports() {
  const { counts } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header>
        <h1>Exports</h1>
        <p className="muted">
          CSV files in UTF-8 that open in Excel, Numbers and Google Sheets. Cells that a spreadsheet could run as a formula start with an apostrophe. Each download is recorded in the audit log.
        </p>
      </header>
      <ul className="export-list">
        {files.map((f) => (
          <li key={f.kind} className="card">
            <h2>{f.title}</h2>
            <p>{f.what}</p>
            <p>
              <a href={`/admin/exports/${f.kind}.csv`} className="button button--small" download>
                Download {f.title.toLowerCase()} CSV ({counts[f.kind].toLocaleString("en-CA")} rows)
              </a>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
