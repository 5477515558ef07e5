import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Avatar } from "~/components/people";
import { SessionSlot } from "~/components/session-slot";
import { pageMeta, rootData } from "~/components/seo";
import { speakerBySlug } from "~/domain/agenda.server";
import { currentEvent } from "~/domain/event.server";
import { dayKey, formatDayKey } from "~/domain/time";
import { publicCacheHeaders } from "~/services/http-cache.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

export async function loader({ params, context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const speaker = await speakerBySlug(event.id, params.slug!);
  if (!speaker) throw data({ message: "We have no speaker page at that address." }, { status: 404 });
  return {
    speaker,
    timeZone: event.timeZone,
    dayLabels: Object.fromEntries(speaker.sessions.map(({ session }) => [session.slug, formatDayKey(dayKey(session.startsAt, event.timeZone), "short")])),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) =>
  pageMeta(rootData(matches), {
    title: data?.speaker.name ?? "Speaker",
    description: data ? `${data.speaker.role}, ${data.speaker.company}. ${data.speaker.bio}` : "",
    path: location.pathname,
    type: "profile",
  });

export default function SpeakerPage() {
  const { speaker, timeZone, dayLabels } = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <header className="page-head">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/speakers">← All speakers</Link>
        </nav>
        <div className="profile-head">
          <Avatar name={speaker.name} photoUrl={speaker.photoUrl} size="lg" />
          <div>
            <h1>{speaker.name}</h1>
            <p className="lead">
              {speaker.role}, {speaker.company}
            </p>
          </div>
        </div>
      </header>
      <div className="detail">
        <section aria-labelledby="bio-title" className="prose">
          <h2 id="bio-title">About</h2>
          {speaker.bio.split(/\n\s*\n/).map((paragraph) => (
            <p key={paragraph.slice(0, 32)}>{paragraph}</p>
          ))}
        </section>
        <section aria-labelledby="sessions-title">
          <h2 id="sessions-title">Sessions</h2>
          <ul className="session-list">
            {speaker.sessions.map(({ session, role }) => (
              <SessionSlot
                key={session.slug}
                session={session}
                timeZone={timeZone}
                dayLabel={dayLabels[session.slug]}
                role={role === "Speaker" ? undefined : role}
              />
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
