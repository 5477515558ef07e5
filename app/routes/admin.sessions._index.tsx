import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "~/validation/zod";
import { AdminTable } from "~/components/admin-list";
import { DoneNotice, ListHead } from "~/components/admin-content";
import { adminSessionList, duplicateSession, setSessionStatus } from "~/domain/agenda-admin.server";
import { DomainError } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { sessionKindLabel } from "~/domain/labels";
import { formatDayKey, formatTimeRange } from "~/domain/time";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Agenda · RE3M admin" }];

const filters = z.object({
  day: z.catch(z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))), undefined),
  trackId: z.catch(z.optional(z.string().check(z.maxLength(40))), undefined),
  status: z.catch(z.optional(z.enum(["DRAFT", "PUBLISHED"])), undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const f = filters.parse(params);
  const [sessions, tracks] = await Promise.all([
    adminSessionList(event, f),
    db().track.findMany({ where: { eventId: event.id }, select: { id: true, name: true }, orderBy: { position: "asc" } }),
  ]);
  return {
    timeZone: event.timeZone,
    days: event.days.map((d) => ({ key: d, label: formatDayKey(d, "short") })),
    tracks,
    filters: f,
    sessions,
  };
}

const listAction = z.object({ intent: z.enum(["publish", "unpublish", "duplicate"]), sessionId: z.string().check(z.minLength(1)) });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  const parsed = listAction.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "That action is not recognised. Please reload the page." }, { status: 400 });
  const { intent, sessionId } = parsed.data;
  try {
    if (intent === "duplicate") {
      const copy = await duplicateSession(event.id, sessionId, user.id);
      return redirect(`/admin/sessions/${copy.id}?copied=1`);
    }
    await setSessionStatus(event.id, sessionId, intent === "publish" ? "PUBLISHED" : "DRAFT", user.id);
    // Back to the same filtered list; "index" is Remix's marker for posts to an index route.
    const back = new URL(request.url);
    back.searchParams.delete("index");
    back.searchParams.set("done", "saved");
    return redirect(`${back.pathname}${back.search}`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data({ error: error.message }, { status: 409 });
  }
}

export default function AdminSessions() {
  const { sessions, days, tracks, filters: f, timeZone } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <ListHead title="Agenda" intro={`${sessions.length} sessions. Times are event time (${timeZone}).`} newHref="/admin/sessions/new" newLabel="Add a session">
        <Link to="/admin/timetable" className="button button--ghost">
          Timetable
        </Link>
      </ListHead>
      <nav aria-label="Agenda settings" className="admin-subnav">
        <Link to="/admin/tracks">Tracks</Link>
        <Link to="/admin/rooms">Rooms</Link>
        <Link to="/admin/speakers">Speakers</Link>
      </nav>
      <DoneNotice />
      <Form method="get" className="toolbar">
        <div className="field">
          <label htmlFor="day">Day</label>
          <select id="day" name="day" defaultValue={f.day ?? ""}>
            <option value="">All days</option>
            {days.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="trackId">Track</label>
          <select id="trackId" name="trackId" defaultValue={f.trackId ?? ""}>
            <option value="">All tracks</option>
            {tracks.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={f.status ?? ""}>
            <option value="">Drafts and published</option>
            <option value="DRAFT">Drafts</option>
            <option value="PUBLISHED">Published</option>
          </select>
        </div>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <AdminTable
        caption="Sessions"
        rows={sessions}
        columns={[
          {
            header: "Session",
            cell: (s) => (
              <>
                <Link to={`/admin/sessions/${s.id}`}>{s.title}</Link>
                <div className="small muted">
                  {sessionKindLabel[s.kind]}
                  {s.speakers.length ? ` · ${s.speakers.map((x) => x.speaker.name).join(", ")}` : ""}
                </div>
              </>
            ),
          },
          {
            header: "When",
            cellClassName: "nowrap",
            cell: (s) => (
              <>
                {formatDayKey(s.day, "short")}
                <br />
                {formatTimeRange(s.startsAt, s.endsAt, timeZone)}
              </>
            ),
          },
          {
            header: "Track and room",
            cell: (s) => (
              <>
                {s.track?.name ?? "Plenary"}
                <br />
                <span className="small muted">{s.room?.name ?? "No room"}</span>
              </>
            ),
          },
          {
            header: "Status",
            cell: (s) => (
              <>
                {s.status === "PUBLISHED" ? <span className="badge badge--ok">Published</span> : <span className="badge badge--warn">Draft</span>}
                {s.conflicts ? <span className="badge badge--danger">{s.conflicts === 1 ? "1 clash" : `${s.conflicts} clashes`}</span> : null}
              </>
            ),
          },
          {
            header: "Actions",
            cell: (s) => (
              <Form method="post" className="admin-row-actions">
                <input type="hidden" name="sessionId" value={s.id} />
                <button type="submit" name="intent" value={s.status === "PUBLISHED" ? "unpublish" : "publish"} className="button button--small button--ghost" aria-label={`${s.status === "PUBLISHED" ? "Unpublish" : "Publish"} ${s.title}`}>
                  {s.status === "PUBLISHED" ? "Unpublish" : "Publish"}
                </button>
                <button type="submit" name="intent" value="duplicate" className="button button--small button--ghost" aria-label={`Duplicate ${s.title}`}>
                  Duplicate
                </button>
              </Form>
            ),
          },
        ]}
      />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
