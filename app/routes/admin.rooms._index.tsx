import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { currentEvent } from "~/domain/event.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Rooms · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await currentEvent(context);
  return {
    rooms: await db().room.findMany({
      where: { eventId: event.id },
      select: { id: true, name: true, capacity: true, position: true, _count: { select: { sessions: true } } },
      orderBy: { position: "asc" },
    }),
  };
}

export default function AdminRooms() {
  const { rooms } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <ListHead title="Rooms" intro="The timetable shows rooms as columns, in this order." newHref="/admin/rooms/new" newLabel="Add a room">
        <Link to="/admin/timetable" className="button button--ghost">
          Timetable
        </Link>
      </ListHead>
      <DoneNotice />
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">Rooms</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Name</th>
              <th scope="col">Seats</th>
              <th scope="col">Sessions</th>
            </tr>
          </thead>
          <tbody>
            {rooms.map((r) => (
              <tr key={r.id}>
                <td>{r.position}</td>
                <td>
                  <Link to={`/admin/rooms/${r.id}`}>{r.name}</Link>
                </td>
                <td>{r.capacity ?? "Not set"}</td>
                <td>{r._count.sessions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
