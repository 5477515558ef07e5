import { Link } from "@remix-run/react";

type Tier = {
  name: string;
  rank: number;
  sponsors: { slug: string; name: string; description: string; logoUrl: string | null; booth: string | null }[];
};

/** The sponsors by tier, as /sponsors shows them; `linked`: false where sponsors have no page of their own (a past edition's archive). */
export function SponsorTiers({ tiers, linked = true, headingLevel = 2 }: { tiers: Tier[]; linked?: boolean; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const Name = headingLevel === 2 ? "h3" : "h4";
  return tiers.map((tier) => (
    <section key={tier.name} className="tier" aria-labelledby={`tier-${tier.rank}`}>
      <Heading id={`tier-${tier.rank}`}>{tier.name}</Heading>
      <ul className={`sponsor-grid sponsor-grid--rank-${Math.min(tier.rank, 4)}`}>
        {tier.sponsors.map((sponsor) => (
          <li key={sponsor.slug}>
            <article className="card sponsor-card">
              <div className="logo">{sponsor.logoUrl ? <img src={sponsor.logoUrl} alt="" width={240} height={80} loading="lazy" /> : null}</div>
              <Name>
                {linked ? (
                  <Link className="card__link" to={`/sponsors/${sponsor.slug}`}>
                    {sponsor.name}
                  </Link>
                ) : (
                  sponsor.name
                )}
              </Name>
              {tier.rank <= 2 ? <p>{sponsor.description}</p> : null}
              {sponsor.booth ? <p className="muted">Booth {sponsor.booth}</p> : null}
            </article>
          </li>
        ))}
      </ul>
    </section>
  ));
}
