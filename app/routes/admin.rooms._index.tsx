import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Rooms · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
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
      <AdminTable
        caption="Rooms"
        rows={rooms}
        columns={[
          { header: "Order", cell: (r) => r.position },
          { header: "Name", cell: (r) => <Link to={`/admin/rooms/${r.id}`}>{r.name}</Link> },
          { header: "Seats", cell: (r) => r.capacity ?? "Not set" },
          { header: "Sessions", cell: (r) => r._count.sessions },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
