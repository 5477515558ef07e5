import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Sponsors · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
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
      <AdminTable
        caption="Sponsors"
        rows={sponsors}
        columns={[
          {
            header: "Sponsor",
            cell: (s) => (
              <span className="admin-name">
                {s.logoUrl ? <img src={s.logoUrl} alt="" width={32} height={32} className="admin-avatar" /> : null}
                <Link to={`/admin/sponsors/${s.id}`}>{s.name}</Link>
              </span>
            ),
          },
          { header: "Tier", cell: (s) => s.tier.name },
          { header: "Booth", cell: (s) => s.booth ?? "None" },
          { header: "Leads", cell: (s) => s._count.leads },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
