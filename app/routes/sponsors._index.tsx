import type { HeadersFunction, MetaFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageMeta, rootData } from "~/components/seo";
import { currentEvent } from "~/domain/event.server";
import { sponsorsByTier } from "~/domain/sponsors.server";
import { publicCacheHeaders } from "~/services/http-cache.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

export async function loader({ context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  return { tiers: await sponsorsByTier(event.id), eventName: event.shortName };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(rootData(matches), {
    title: "Sponsors",
    description: `The companies that make ${data?.eventName ?? "RE3M 2025"} possible, from miners and refiners to magnet and motor makers.`,
    path: "/sponsors",
  });

export default function Sponsors() {
  const { tiers } = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <header className="page-head">
        <p className="eyebrow">Sponsors</p>
        <h1>Our sponsors</h1>
        <p className="lead">Visit them at their booths in the exhibition hall, between sessions and at the reception.</p>
      </header>
      {tiers.map((tier) => (
        <section key={tier.name} className="tier" aria-labelledby={`tier-${tier.rank}`}>
          <h2 id={`tier-${tier.rank}`}>{tier.name}</h2>
          <ul className={`sponsor-grid sponsor-grid--rank-${Math.min(tier.rank, 4)}`}>
            {tier.sponsors.map((sponsor) => (
              <li key={sponsor.slug}>
                <article className="card sponsor-card">
                  <div className="logo">
                    {sponsor.logoUrl ? <img src={sponsor.logoUrl} alt="" width={240} height={80} loading="lazy" /> : null}
                  </div>
                  <h3>
                    <Link className="card__link" to={`/sponsors/${sponsor.slug}`}>
                      {sponsor.name}
                    </Link>
                  </h3>
                  {tier.rank <= 2 ? <p>{sponsor.description}</p> : null}
                  {sponsor.booth ? <p className="muted">Booth {sponsor.booth}</p> : null}
                </article>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
