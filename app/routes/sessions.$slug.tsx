import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Avatar } from "~/components/people";
import { KindBadge } from "~/components/session-slot";
import { pageMeta, rootData } from "~/components/seo";
import { sessionBySlug } from "~/domain/agenda.server";
import { currentEvent } from "~/domain/event.server";
import { isIntermission } from "~/domain/labels";
import { dayKey, formatDayKey, formatTimeRange, zoneAbbreviation } from "~/domain/time";
import { publicCacheHeaders } from "~/services/http-cache.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

export async function loader({ params, context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const session = await sessionBySlug(event.id, params.slug!);
  if (!session) throw data({ message: "That session does not exist or is not published yet." }, { status: 404 });
  const day = dayKey(session.startsAt, event.timeZone);
  return {
    session,
    timeZone: event.timeZone,
    when: `${formatDayKey(day)}, ${formatTimeRange(session.startsAt, session.endsAt, event.timeZone)} ${zoneAbbreviation(session.startsAt, event.timeZone)}`,
    day,
    venue: event.venueName,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) =>
  pageMeta(rootData(matches), {
    title: data?.session.title ?? "Session",
    description: data ? `${data.when}. ${data.session.summary}` : "",
    path: location.pathname,
    type: "article",
  });

export default function SessionPage() {
  const { session, when, day, venue } = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <header className="page-head">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={`/agenda?day=${day}`}>← Agenda for {formatDayKey(day, "short")}</Link>
        </nav>
        <p className="slot__meta">
          {isIntermission(session.kind) ? null : <KindBadge kind={session.kind} />}
          {session.track ? (
            <span className="badge">
              <span className="track-dot" style={{ "--track": session.track.color } as React.CSSProperties} />
              {session.track.name}
            </span>
          ) : null}
        </p>
        <h1>{session.title}</h1>
      </header>
      <div className="detail">
        <div className="stack">
          {session.summary ? <p className="lead">{session.summary}</p> : null}
          {session.speakers.length > 0 ? (
            <section aria-labelledby="speakers-title">
              <h2 id="speakers-title">{session.speakers.length === 1 ? "Speaker" : "Speakers"}</h2>
              <ul className="people">
                {session.speakers.map(({ role, speaker }) => (
                  <li key={speaker.slug} className="person">
                    <Avatar name={speaker.name} photoUrl={speaker.photoUrl} />
                    <div>
                      <h3>
                        <Link to={`/speakers/${speaker.slug}`}>{speaker.name}</Link>
                      </h3>
                      <p className="muted small">
                        {role !== "Speaker" ? `${role} · ` : ""}
                        {speaker.role}, {speaker.company}
                      </p>
                    </div>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
        <aside aria-label="When and where">
          <dl className="facts">
            <div>
              <dt>When</dt>
              <dd>{when}</dd>
            </div>
            <div>
              <dt>Where</dt>
              <dd>{session.room ? `${session.room.name}, ${venue}` : venue}</dd>
            </div>
            <div>
              <dt>Calendar</dt>
              <dd>
                <a href={`/sessions/${session.slug}.ics`} download>
                  Add to calendar (.ics)
                </a>
              </dd>
            </div>
          </dl>
        </aside>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
