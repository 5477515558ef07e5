import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Tracks · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  return {
    tracks: await db().track.findMany({
      where: { eventId: event.id },
      select: { id: true, slug: true, name: true, color: true, position: true, _count: { select: { sessions: true } } },
      orderBy: { position: "asc" },
    }),
  };
}

export default function AdminTracks() {
  const { tracks } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <ListHead title="Tracks" intro="Themes that group sessions; visitors filter the agenda by them." newHref="/admin/tracks/new" newLabel="Add a track">
        <Link to="/admin/sessions" className="button button--ghost">
          Sessions
        </Link>
      </ListHead>
      <DoneNotice />
      <AdminTable
        caption="Tracks"
        rows={tracks}
        columns={[
          { header: "Order", cell: (t) => t.position },
          {
            header: "Name",
            cell: (t) => (
              <>
                <span className="track-dot" style={{ "--track": t.color } as React.CSSProperties} /> <Link to={`/admin/tracks/${t.id}`}>{t.name}</Link>
              </>
            ),
          },
          { header: "Address", cell: (t) => `/agenda?track=${t.slug}` },
          { header: "Sessions", cell: (t) => t._count.sessions },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
