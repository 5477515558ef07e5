import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { currentEvent } from "~/domain/event.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Sponsor tiers · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "content:write");
  const event = await currentEvent(context);
  return {
    tiers: await db().sponsorTier.findMany({
      where: { eventId: event.id },
      select: { id: true, name: true, rank: true, includesAttendeeList: true, _count: { select: { sponsors: true } } },
      orderBy: { rank: "asc" },
    }),
  };
}

export default function AdminTiers() {
  const { tiers } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <ListHead title="Sponsor tiers" intro="Tiers order the sponsors page, rank 1 first." newHref="/admin/tiers/new" newLabel="Add a tier">
        <Link to="/admin/sponsors" className="button button--ghost">
          Sponsors
        </Link>
      </ListHead>
      <DoneNotice />
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Sponsor tiers</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Name</th>
              <th scope="col">Attendee list</th>
              <th scope="col">Sponsors</th>
            </tr>
          </thead>
          <tbody>
            {tiers.map((t) => (
              <tr key={t.id}>
                <td>{t.rank}</td>
                <td>
                  <Link to={`/admin/tiers/${t.id}`}>{t.name}</Link>
                </td>
                <td>{t.includesAttendeeList ? "Included" : "No"}</td>
                <td>{t._count.sponsors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
