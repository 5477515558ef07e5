import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { currentEvent } from "~/domain/event.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Tracks · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await currentEvent(context);
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
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Tracks</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Name</th>
              <th scope="col">Address</th>
              <th scope="col">Sessions</th>
            </tr>
          </thead>
          <tbody>
            {tracks.map((t) => (
              <tr key={t.id}>
                <td>{t.position}</td>
                <td>
                  <span className="track-dot" style={{ "--track": t.color } as React.CSSProperties} /> <Link to={`/admin/tracks/${t.id}`}>{t.name}</Link>
                </td>
                <td>/agenda?track={t.slug}</td>
                <td>{t._count.sessions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
