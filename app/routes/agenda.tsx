import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SessionSlot } from "~/components/session-slot";
import { pageMeta, rootData } from "~/components/seo";
import { agendaDay, tracksAndRooms } from "~/domain/agenda.server";
import { currentEvent } from "~/domain/event.server";
import { dayKey, formatDayKey, formatMinuteOfDay, zoneAbbreviation } from "~/domain/time";
import { clock } from "~/services/clock.server";
import { publicCacheHeaders } from "~/services/http-cache.server";
import { agendaQuerySchema } from "~/validation/agenda-query.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

const ROW_MINUTES = 5;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = agendaQuerySchema.safeParse({ day: params.day || undefined, track: params.track || undefined });
  if (!parsed.success) {
    throw data({ message: parsed.error.issues[0]?.message ?? "That agenda link is not valid." }, { status: 404 });
  }
  const today = dayKey(clock.now(), event.timeZone);
  const day = parsed.data.day ?? (event.days.includes(today) ? today : event.days[0]);
  if (!event.days.includes(day)) {
    throw data({ message: `The event runs on ${event.days.map((d) => formatDayKey(d)).join(" and ")}; there is no agenda for ${day}.` }, { status: 404 });
  }
  const { tracks, rooms } = await tracksAndRooms(event.id);
  const track = parsed.data.track ? tracks.find((t) => t.slug === parsed.data.track) : undefined;
  if (parsed.data.track && !track) {
    throw data({ message: `There is no track called “${parsed.data.track}”.` }, { status: 404 });
  }
  const { sessions, countsByDay } = await agendaDay(event, day, track?.slug ?? null);

  // The timetable grid: rooms used today as columns, 5-minute rows from the first hour.
  const roomsToday = rooms.filter((r) => sessions.some((s) => s.room?.id === r.id && !s.spansAllRooms));
  const first = sessions.length ? Math.floor(Math.min(...sessions.map((s) => s.startMinute)) / 60) * 60 : 8 * 60;
  const last = sessions.length ? Math.max(...sessions.map((s) => s.endMinute)) : 18 * 60;
  const row = (minute: number) => Math.round((minute - first) / ROW_MINUTES) + 2;
  const times: { label: string; row: number }[] = [];
  for (let m = first; m < last; m += 30) times.push({ label: formatMinuteOfDay(m), row: row(m) });
  const sample = sessions[0]?.startsAt ?? new Date(`${day}T16:00:00Z`);
  return data({
    timeZone: event.timeZone,
    zone: zoneAbbreviation(sample, event.timeZone),
    city: event.city,
    days: event.days.map((d) => ({ key: d, label: formatDayKey(d, "short"), count: countsByDay[d] ?? 0 })),
    day,
    dayLabel: formatDayKey(day),
    tracks,
    track: track?.slug ?? null,
    rooms: roomsToday.map((r) => r.name),
    rows: row(last) - 1,
    times,
    sessions: sessions.map((s) => ({
      ...s,
      gridRow: [row(s.startMinute), row(s.endMinute)] as const,
      gridColumn: s.spansAllRooms || !s.room ? null : roomsToday.findIndex((r) => r.id === s.room!.id) + 2,
    })),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) =>
  pageMeta(rootData(matches), {
    title: data ? `Agenda, ${data.dayLabel}` : "Agenda",
    description: data
      ? `Sessions, keynotes, panels and workshops on ${data.dayLabel}, in ${data.city} time. Filter by track and add sessions to your calendar.`
      : "The conference agenda.",
    path: `${location.pathname}${location.search}`,
  });

function agendaHref(day: string, track: string | null) {
  const params = new URLSearchParams({ day });
  if (track) params.set("track", track);
  return `/agenda?${params}`;
}

export default function Agenda() {
  const a = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <header className="page-head">
        <p className="eyebrow">Agenda</p>
        <h1>{a.dayLabel}</h1>
        <p className="tz-note">
          <span>
            All times are {a.city} time ({a.zone}, {a.timeZone}).
          </span>
          <a href="/agenda.ics">Add the whole agenda to your calendar (.ics)</a>
        </p>
      </header>

      <div className="agenda-controls">
        <nav aria-label="Days">
          <ul className="tabs">
            {a.days.map((d, i) => (
              <li key={d.key}>
                <Link to={agendaHref(d.key, a.track)} aria-current={d.key === a.day ? "page" : undefined} preventScrollReset>
                  <strong>Day {i + 1}</strong>
                  <span>
                    {d.label} · {d.count} sessions
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-label="Tracks">
          <ul className="chips">
            <li>
              <Link to={agendaHref(a.day, null)} aria-current={a.track === null ? "true" : undefined} preventScrollReset>
                All tracks
              </Link>
            </li>
            {a.tracks.map((t) => (
              <li key={t.slug}>
                <Link to={agendaHref(a.day, t.slug)} aria-current={a.track === t.slug ? "true" : undefined} preventScrollReset>
                  <span className="track-dot" style={{ "--track": t.color } as React.CSSProperties} />
                  {t.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {a.track ? <p className="small muted">Plenary sessions, breaks and networking are shown with every track.</p> : null}
      </div>

      {a.sessions.length === 0 ? (
        <p className="agenda-empty">No sessions are published for this day yet.</p>
      ) : (
        <ol
          className="timetable"
          aria-label={`Sessions on ${a.dayLabel}`}
          style={{ "--rooms": Math.max(1, a.rooms.length), "--rows": a.rows } as React.CSSProperties}
        >
          {a.rooms.map((room, i) => (
            <li key={room} aria-hidden="true" className="timetable__head" style={{ gridColumn: i + 2 }}>
              {room}
            </li>
          ))}
          {a.times.map((t) => (
            <li key={t.row} aria-hidden="true" className="timetable__time" style={{ gridRow: t.row }}>
              {t.label}
            </li>
          ))}
          {a.sessions.map((s) => (
            <SessionSlot
              key={s.slug}
              session={s}
              timeZone={a.timeZone}
              headingLevel={2}
              className={s.gridColumn === null ? "slot--span" : ""}
              style={
                {
                  "--row-start": s.gridRow[0],
                  "--row-end": s.gridRow[1],
                  ...(s.gridColumn === null ? {} : { "--col": s.gridColumn }),
                } as React.CSSProperties
              }
            />
          ))}
        </ol>
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
