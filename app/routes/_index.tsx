import type { HeadersFunction, MetaFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Avatar, SpeakerCard } from "~/components/people";
import { pageMeta, rootData } from "~/components/seo";
import { featuredSpeakers, guestAppearance } from "~/domain/agenda.server";
import { archivedYears } from "~/domain/editions.server";
import { currentEvent } from "~/domain/event.server";
import { sponsorsByTier } from "~/domain/sponsors.server";
import { eventJsonLd } from "~/domain/structured-data.server";
import { dayKey, formatDateSpan, formatDayKey, formatTime, zoneAbbreviation } from "~/domain/time";
import { clock } from "~/services/clock.server";
import { env } from "~/services/env.server";
import { publicCacheHeaders } from "~/services/http-cache.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

export async function loader({ context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const [speakers, tiers, guest, jsonLd, pastYears] = await Promise.all([
    featuredSpeakers(event.id),
    sponsorsByTier(event.id),
    event.specialGuest ? guestAppearance(event.id, event.specialGuest) : null,
    eventJsonLd(event, env().APP_URL, clock.now()),
    archivedYears(),
  ]);
  const guestSession = guest?.sessions[0]?.session;
  const first = event.days[0];
  const last = event.days[event.days.length - 1];
  return {
    event: {
      name: event.name,
      tagline: event.tagline,
      description: event.description,
      dates: formatDateSpan(first, last),
      venueName: event.venueName,
      city: event.city,
      organiser: event.organiser,
      specialGuest: event.specialGuest,
      themes: event.themes,
    },
    speakers: speakers.filter((s) => s.slug !== guest?.slug),
    guest: guest
      ? {
          ...guest,
          session: guestSession
            ? {
                slug: guestSession.slug,
                title: guestSession.title,
                when: `${formatDayKey(dayKey(guestSession.startsAt, event.timeZone), "short")}, ${formatTime(guestSession.startsAt, event.timeZone)} ${zoneAbbreviation(guestSession.startsAt, event.timeZone)}`,
              }
            : null,
        }
      : null,
    tiers: tiers.map((t) => ({ name: t.name, sponsors: t.sponsors.map(({ slug, name, logoUrl }) => ({ slug, name, logoUrl })) })),
    // `<` is escaped so that no text in the data can close the script element.
    jsonLd: JSON.stringify(jsonLd).replace(/</g, "\\u003c"),
    pastYears,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(rootData(matches), {
    title: data?.event.name ?? "RE3M 2025",
    description: data ? `${data.event.dates}, ${data.event.city}. ${data.event.tagline}` : "",
    path: "/",
  });

export default function Home() {
  const { event, speakers, guest, tiers, jsonLd, pastYears } = useLoaderData<typeof loader>();
  return (
    <>
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} />
      <section className="hero" aria-labelledby="hero-title">
        <div className="container">
          <p className="eyebrow">Mine to magnet to motor</p>
          <h1 id="hero-title">{event.name}</h1>
          <p className="lead">{event.tagline}</p>
          <ul className="hero__facts">
            <li>
              <strong>{event.dates}</strong>
              <span>Two days, three tracks</span>
            </li>
            <li>
              <strong>{event.city}</strong>
              <span>{event.venueName}</span>
            </li>
            <li>
              <strong>{event.organiser}</strong>
              <span>Organiser</span>
            </li>
          </ul>
          <p className="button-row">
            <Link className="button button--accent" to="/tickets">
              Get tickets
            </Link>
            <Link className="button button--ghost" to="/agenda">
              See the agenda
            </Link>
          </p>
        </div>
      </section>

      <section className="section" aria-labelledby="about-title">
        <div className="container detail">
          <div className="prose">
            <h2 id="about-title">Where the supply chain meets</h2>
            {event.description.split(/\n\s*\n/).map((paragraph) => (
              <p key={paragraph.slice(0, 32)}>{paragraph}</p>
            ))}
          </div>
          {event.specialGuest ? (
            <aside className="guest" aria-labelledby="guest-title">
              {guest ? <Avatar name={guest.name} photoUrl={guest.photoUrl} size="lg" /> : null}
              <div>
                <p className="eyebrow">Special guest</p>
                <h3 id="guest-title">{guest ? <Link to={`/speakers/${guest.slug}`}>{guest.name}</Link> : event.specialGuest}</h3>
                {guest ? (
                  <p className="muted">
                    {guest.role}, {guest.company}
                  </p>
                ) : null}
                {guest?.session ? (
                  <p>
                    <Link to={`/sessions/${guest.session.slug}`}>{guest.session.title}</Link>
                    <br />
                    <span className="small muted">{guest.session.when}</span>
                  </p>
                ) : null}
              </div>
            </aside>
          ) : null}
        </div>
      </section>

      <section className="section section--tint" aria-labelledby="themes-title">
        <div className="container">
          <div className="section__head">
            <h2 id="themes-title">Themes</h2>
          </div>
          <ul className="themes">
            {event.themes.map((theme) => (
              <li key={theme}>{theme}</li>
            ))}
          </ul>
        </div>
      </section>

      {speakers.length > 0 ? (
        <section className="section" aria-labelledby="speakers-title">
          <div className="container">
            <div className="section__head">
              <h2 id="speakers-title">Featured speakers</h2>
              <Link to="/speakers">All speakers</Link>
            </div>
            <ul className="card-grid">
              {speakers.map((speaker) => (
                <li key={speaker.slug}>
                  <SpeakerCard speaker={speaker} />
                </li>
              ))}
            </ul>
          </div>
        </section>
      ) : null}

      {tiers.length > 0 ? (
        <section className="section section--tint" aria-labelledby="sponsors-title">
          <div className="container">
            <div className="section__head">
              <h2 id="sponsors-title">Sponsors</h2>
              <Link to="/sponsors">All sponsors by tier</Link>
            </div>
            {tiers.map((tier) => (
              <div key={tier.name} className="stack" style={{ marginBottom: "var(--space-5)" }}>
                <h3 className="eyebrow">{tier.name}</h3>
                <ul className="logo-strip">
                  {tier.sponsors.map((sponsor) => (
                    <li key={sponsor.slug}>
                      <Link to={`/sponsors/${sponsor.slug}`} aria-label={sponsor.name}>
                        {sponsor.logoUrl ? <img src={sponsor.logoUrl} alt="" width={240} height={80} loading="lazy" /> : sponsor.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </section>
      ) : null}

      <section className="section" aria-labelledby="cta-title">
        <div className="container notice">
          <h2 id="cta-title">Join the people building the supply chain</h2>
          <p>Delegate, academic, startup and reception tickets are available. Prices in Canadian dollars, plus 13% HST.</p>
          <Link className="button" to="/tickets">
            Choose your ticket
          </Link>
          {pastYears.length > 0 ? (
            <p className="small">
              Past editions:{" "}
              {pastYears.map((year, i) => (
                <span key={year}>
                  {i > 0 ? ", " : ""}
                  <Link to={`/editions/${year}`}>{year}</Link>
                </span>
              ))}
            </p>
          ) : null}
        </div>
      </section>
    </>
  );
}
