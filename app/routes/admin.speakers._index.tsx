import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminTable } from "~/components/admin-list";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Speakers · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "content:write");
  const event = await adminEvent(request, context);
  return {
    speakers: await db().speaker.findMany({
      where: { eventId: event.id },
      select: { id: true, name: true, role: true, company: true, photoUrl: true, featured: true, _count: { select: { sessions: true } } },
      orderBy: { name: "asc" },
    }),
  };
}

export default function AdminSpeakers() {
  const { speakers } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <ListHead title="Speakers" intro={`${speakers.length} speakers. A speaker appears on the public site once one of their sessions is published.`} newHref="/admin/speakers/new" newLabel="Add a speaker" />
      <DoneNotice />
      <AdminTable
        caption="Speakers"
        rows={speakers}
        columns={[
          {
            header: "Name",
            cell: (s) => (
              <span className="admin-name">
                {s.photoUrl ? <img src={s.photoUrl} alt="" width={32} height={32} className="admin-avatar" /> : null}
                <Link to={`/admin/speakers/${s.id}`}>{s.name}</Link>
                {s.featured ? <span className="badge badge--ok">Featured</span> : null}
              </span>
            ),
          },
          { header: "Role and organisation", cell: (s) => `${s.role}, ${s.company}` },
          { header: "Sessions", cell: (s) => s._count.sessions },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
