import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { adminTimetableDay, moveSession, SessionConflicts, type Conflict } from "~/domain/agenda-admin.server";
import { DomainError } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { formatDayKey, formatMinuteOfDay, formatTimeRange, minuteOfDay } from "~/domain/time";
import { requireUser } from "~/services/auth.server";
import { moveSchema, type MoveInput } from "~/validation/agenda-admin";

export const meta: MetaFunction = () => [{ title: "Timetable · RE3M admin" }];

const ROW_MINUTES = 15;
const NO_ROOM = "none";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  const asked = new URL(request.url).searchParams.get("day");
  const day = asked && event.days.includes(asked) ? asked : event.days[0];
  const { rooms, sessions } = await adminTimetableDay(event, day);
  const withMinutes = sessions.map((s) => ({ ...s, startMinute: minuteOfDay(s.startsAt, event.timeZone), endMinute: minuteOfDay(s.endsAt, event.timeZone) || 24 * 60 }));
  const columns = [...rooms, ...(sessions.some((s) => !s.roomId) ? [{ id: NO_ROOM, name: "No room" }] : [])];
  const first = withMinutes.length ? Math.floor(Math.min(...withMinutes.map((s) => s.startMinute)) / 60) * 60 : 8 * 60;
  const last = withMinutes.length ? Math.max(...withMinutes.map((s) => s.endMinute)) : 18 * 60;
  const row = (minute: number) => Math.floor((minute - first) / ROW_MINUTES) + 2;
  const times: { label: string; row: number }[] = [];
  for (let m = first; m < last; m += 60) times.push({ label: formatMinuteOfDay(m), row: row(m) });
  return {
    timeZone: event.timeZone,
    days: event.days.map((d) => ({ key: d, label: formatDayKey(d, "short") })),
    day,
    dayLabel: formatDayKey(day),
    rooms,
    columns,
    rows: Math.max(1, row(last) - 1),
    times,
    sessions: withMinutes.map((s) => ({
      ...s,
      gridRow: [row(s.startMinute), Math.max(row(s.endMinute), row(s.startMinute) + 1)] as const,
      gridColumn: columns.findIndex((c) => c.id === (s.roomId ?? NO_ROOM)) + 2,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "agenda:write");
  const event = await adminEvent(request, context);
  const submission = parseWithZod(await request.formData(), { schema: moveSchema });
  if (submission.status !== "success") {
    return data({ error: "Choose a day, a start time (HH:MM) and a room.", conflicts: [] as Conflict[], move: null }, { status: 400 });
  }
  try {
    await moveSession(event, submission.value, user.id);
  } catch (error) {
    if (error instanceof SessionConflicts) return data({ error: null, conflicts: error.conflicts, move: submission.value }, { status: 409 });
    if (!(error instanceof DomainError)) throw error;
    return data({ error: error.message, conflicts: [] as Conflict[], move: null }, { status: 409 });
  }
  return redirect(`/admin/timetable?day=${submission.value.day}&moved=${submission.value.sessionId}`);
}

function MoveFields({ move, days, rooms, idPrefix }: { move: Omit<MoveInput, "override">; days: { key: string; label: string }[]; rooms: { id: string; name: string }[]; idPrefix: string }) {
  return (
    <>
      <input type="hidden" name="sessionId" value={move.sessionId} />
      <div className="field">
        <label htmlFor={`${idPrefix}-day`}>Day</label>
        <select id={`${idPrefix}-day`} name="day" defaultValue={move.day}>
          {days.map((d) => (
            <option key={d.key} value={d.key}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-start`}>New start</label>
        <input id={`${idPrefix}-start`} name="start" type="time" step={300} defaultValue={move.start} required />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-room`}>Room</label>
        <select id={`${idPrefix}-room`} name="roomId" defaultValue={move.roomId ?? ""}>
          <option value="">No room</option>
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

export default function Timetable() {
  const t = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const blocked = actionData?.move ?? null;
  return (
    <div className="stack">
      <header className="admin-head">
        <div>
          <h1>Timetable, {t.dayLabel}</h1>
          <p className="muted">Drafts included. Times are event time ({t.timeZone}). Use “Move” on a session to change its start or room; clashes are checked first.</p>
        </div>
        <div className="admin-head__actions">
          <Link to="/admin/sessions" className="button button--ghost">
            List of sessions
          </Link>
        </div>
      </header>
      <nav aria-label="Days">
        <ul className="tabs">
          {t.days.map((d, i) => (
            <li key={d.key}>
              <Link to={`?day=${d.key}`} aria-current={d.key === t.day ? "page" : undefined}>
                <strong>Day {i + 1}</strong>
                <span>{d.label}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <FormErrors errors={actionData?.error} />
      {blocked ? (
        <section className="alert alert--error" aria-labelledby="move-conflicts">
          <h2 id="move-conflicts">The session was not moved</h2>
          <ul>
            {actionData!.conflicts.map((c) => (
              <li key={`${c.kind}-${c.sessionId ?? ""}-${c.message}`}>{c.message}</li>
            ))}
          </ul>
          {actionData!.conflicts.every((c) => c.overridable) ? (
            <Form method="post" className="toolbar">
              <MoveFields move={blocked} days={t.days} rooms={t.rooms} idPrefix="retry" />
              <input type="hidden" name="override" value="on" />
              <button type="submit" className="button button--small">
                Move anyway
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
      {t.sessions.length === 0 ? (
        <p className="agenda-empty">No sessions on this day yet.</p>
      ) : (
        <ol className="timetable admin-timetable" aria-label={`Sessions on ${t.dayLabel}`} style={{ "--rooms": t.columns.length, "--rows": t.rows } as React.CSSProperties}>
          {t.columns.map((room, i) => (
            <li key={room.id} aria-hidden="true" className="timetable__head" style={{ gridColumn: i + 2 }}>
              {room.name}
            </li>
          ))}
          {t.times.map((time) => (
            <li key={time.row} aria-hidden="true" className="timetable__time" style={{ gridRow: time.row }}>
              {time.label}
            </li>
          ))}
          {t.sessions.map((s) => (
            <li
              key={s.id}
              className={`tt-card${s.status === "DRAFT" ? " tt-card--draft" : ""}`}
              style={{ "--row-start": s.gridRow[0], "--row-end": s.gridRow[1], "--col": s.gridColumn, ...(s.track ? { "--track": s.track.color } : {}) } as React.CSSProperties}
            >
              <p className="tt-card__meta">
                <span>{formatTimeRange(s.startsAt, s.endsAt, t.timeZone)}</span>
                <span>{t.columns[s.gridColumn - 2]?.name}</span>
                {s.status === "DRAFT" ? <span className="badge badge--warn">Draft</span> : null}
              </p>
              <h2 className="tt-card__title">
                <Link to={`/admin/sessions/${s.id}`}>{s.title}</Link>
              </h2>
              <details>
                <summary>
                  Move<span className="visually-hidden"> {s.title}</span>
                </summary>
                <Form method="post" className="stack">
                  <MoveFields move={{ sessionId: s.id, day: t.day, start: s.start, roomId: s.roomId }} days={t.days} rooms={t.rooms} idPrefix={`move-${s.id}`} />
                  <button type="submit" className="button button--small">
                    Move
                  </button>
                </Form>
              </details>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
import { FormErrors } from "~/components/form-errors";
