import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { leadCountsBySponsor } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";

export const meta: MetaFunction = () => [{ title: "Sponsor leads · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "leads:all");
  const event = await adminEvent(request, context);
  return { sponsors: await leadCountsBySponsor(event.id) };
}

export default function SponsorLeads() {
  const { sponsors } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header>
        <h1>Sponsor leads</h1>
        <p className="muted">
          Badge scans per sponsor, and the consenting attendees that tiers with the attendee list receive. Every export is recorded in the audit log.
        </p>
      </header>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Leads per sponsor</caption>
          <thead>
            <tr>
              <th scope="col">Sponsor</th>
              <th scope="col">Tier</th>
              <th scope="col" className="num">
                Badge scans
              </th>
              <th scope="col" className="num">
                Opted in
              </th>
              <th scope="col" className="num">
                Hot
              </th>
              <th scope="col">Export</th>
            </tr>
          </thead>
          <tbody>
            {sponsors.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>
                  {s.tier.name}
                  {s.tier.includesAttendeeList ? <span className="small muted"> · attendee list</span> : null}
                </td>
                <td className="num">{s.counts.scans}</td>
                <td className="num">{s.tier.includesAttendeeList ? s.counts.optIn : "—"}</td>
                <td className="num">{s.counts.hot}</td>
                <td>
                  <a href={`/admin/sponsors/leads.csv?sponsor=${encodeURIComponent(s.id)}`} download aria-label={`Download the leads of ${s.name} as CSV`}>
                    CSV
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
