import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SpeakerCard } from "~/components/people";
import { pageMeta, rootData } from "~/components/seo";
import { SessionSlot } from "~/components/session-slot";
import { SponsorTiers } from "~/components/sponsor-tiers";
import { allPublishedSessions, publicSpeakers } from "~/domain/agenda.server";
import { currentEvent } from "~/domain/event.server";
import { sponsorsByTier } from "~/domain/sponsors.server";
import { dayKey, formatDateSpan, formatDayKey, zoneAbbreviation } from "~/domain/time";
import { publicCacheHeaders } from "~/services/http-cache.server";
import { requirePastEdition } from "~/route-helpers/past-edition.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

// A past edition's archive: what its agenda, speakers and sponsors were, read-only, with nothing
// to buy. Sessions and speakers have no pages of their own here: their addresses belong to the
// public edition.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const event = await requirePastEdition(params.year, "/");
  const [sessions, speakers, tiers, live] = await Promise.all([allPublishedSessions(event.id), publicSpeakers(event.id), sponsorsByTier(event.id), currentEvent(context)]);
  const sample = sessions[0]?.startsAt ?? new Date(`${event.days[0]}T16:00:00Z`);
  return {
    edition: {
      year: event.year,
      name: event.name,
      shortName: event.shortName,
      dates: formatDateSpan(event.days[0]!, event.days[event.days.length - 1]!),
      venue: `${event.venueName}, ${event.city}`,
      timeZone: event.timeZone,
      zone: `${event.city} time (${zoneAbbreviation(sample, event.timeZone)})`,
    },
    live: { shortName: live.shortName },
    days: event.days.map((day, i) => ({
      key: day,
      label: `Day ${i + 1}: ${formatDayKey(day)}`,
      sessions: sessions.filter((s) => dayKey(s.startsAt, event.timeZone) === day),
    })),
    speakers,
    tiers,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) =>
  pageMeta(rootData(matches), {
    title: data ? `${data.edition.shortName}, a past edition` : "A past edition",
    description: data ? `${data.edition.name} took place on ${data.edition.dates} in ${data.edition.venue}: its agenda, speakers and sponsors.` : "A past edition.",
    path: location.pathname,
  });

export default function PastEdition() {
  const { edition, live, days, speakers, tiers } = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <header className="page-head">
        <p className="eyebrow">Past edition</p>
        <h1>{edition.name}</h1>
        <div className="alert alert--info edition-banner">
          <p>
            <strong>{`${edition.shortName} took place on ${edition.dates}`}</strong>
            {` at ${edition.venue}. This archive keeps its agenda, speakers and sponsors as they were; its tickets are no longer sold.`}
          </p>
          <p>
            <Link to="/">{`See ${live.shortName}, the current edition`}</Link>
          </p>
        </div>
        <nav aria-label="On this page">
          <ul className="chips">
            <li>
              <a href="#agenda">Agenda</a>
            </li>
            <li>
              <a href="#speakers">Speakers</a>
            </li>
            <li>
              <a href="#sponsors">Sponsors</a>
            </li>
            <li>
              <a href={`/editions/${edition.year}/agenda.ics`}>The agenda as a calendar (.ics)</a>
            </li>
          </ul>
        </nav>
      </header>

      <section aria-labelledby="agenda" className="archive-section">
        <h2 id="agenda">Agenda</h2>
        <p className="muted">All times are {edition.zone}.</p>
        {days.map((day) => (
          <section key={day.key} aria-labelledby={`day-${day.key}`} className="stack">
            <h3 id={`day-${day.key}`}>{day.label}</h3>
            {day.sessions.length === 0 ? (
              <p className="muted">No sessions were published for this day.</p>
            ) : (
              <ul className="session-list">
                {day.sessions.map((s) => (
                  <SessionSlot key={s.slug} session={s} timeZone={edition.timeZone} linked={false} />
                ))}
              </ul>
            )}
          </section>
        ))}
      </section>

      <section aria-labelledby="speakers" className="archive-section">
        <h2 id="speakers">Speakers</h2>
        {speakers.length === 0 ? (
          <p className="muted">No speakers were published for this edition.</p>
        ) : (
          <ul className="card-grid" aria-label={`Speakers of ${edition.shortName}`}>
            {speakers.map((speaker) => (
              <li key={speaker.slug}>
                <SpeakerCard speaker={speaker} linked={false} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="sponsors" className="archive-section">
        <h2 id="sponsors">Sponsors</h2>
        {tiers.length === 0 ? <p className="muted">No sponsors were listed for this edition.</p> : <SponsorTiers tiers={tiers} linked={false} headingLevel={3} />}
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
