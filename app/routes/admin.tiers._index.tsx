import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Sponsor tiers · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
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
      <AdminTable
        caption="Sponsor tiers"
        rows={tiers}
        columns={[
          { header: "Rank", cell: (t) => t.rank },
          { header: "Name", cell: (t) => <Link to={`/admin/tiers/${t.id}`}>{t.name}</Link> },
          { header: "Attendee list", cell: (t) => (t.includesAttendeeList ? "Included" : "No") },
          { header: "Sponsors", cell: (t) => t._count.sponsors },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
