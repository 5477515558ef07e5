import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { currentEvent } from "~/domain/event.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Sponsors · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "content:write");
  const event = await currentEvent(context);
  return {
    sponsors: await db().sponsor.findMany({
      where: { eventId: event.id },
      select: { id: true, name: true, logoUrl: true, booth: true, tier: { select: { name: true } }, _count: { select: { leads: true } } },
      orderBy: [{ tier: { rank: "asc" } }, { name: "asc" }],
    }),
  };
}

export default function AdminSponsors() {
  const { sponsors } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <ListHead title="Sponsors" intro={`${sponsors.length} sponsors, by tier.`} newHref="/admin/sponsors/new" newLabel="Add a sponsor">
        <Link to="/admin/tiers" className="button button--ghost">
          Tiers
        </Link>
      </ListHead>
      <DoneNotice />
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Sponsors</caption>
          <thead>
            <tr>
              <th scope="col">Sponsor</th>
              <th scope="col">Tier</th>
              <th scope="col">Booth</th>
              <th scope="col">Leads</th>
            </tr>
          </thead>
          <tbody>
            {sponsors.map((s) => (
              <tr key={s.id}>
                <td>
                  <span className="admin-name">
                    {s.logoUrl ? <img src={s.logoUrl} alt="" width={32} height={32} className="admin-avatar" /> : null}
                    <Link to={`/admin/sponsors/${s.id}`}>{s.name}</Link>
                  </span>
                </td>
                <td>{s.tier.name}</td>
                <td>{s.booth ?? "None"}</td>
                <td>{s._count.leads}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
