import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageMeta, rootData } from "~/components/seo";
import { currentEvent } from "~/domain/event.server";
import { sponsorBySlug } from "~/domain/sponsors.server";
import { publicCacheHeaders } from "~/services/http-cache.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

export async function loader({ params, context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const sponsor = await sponsorBySlug(event.id, params.slug!);
  if (!sponsor) throw data({ message: "We have no sponsor page at that address." }, { status: 404 });
  return { sponsor };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) =>
  pageMeta(rootData(matches), {
    title: data?.sponsor.name ?? "Sponsor",
    description: data ? `${data.sponsor.tier.name} sponsor. ${data.sponsor.description}` : "",
    path: location.pathname,
  });

export default function SponsorPage() {
  const { sponsor } = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <header className="page-head">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/sponsors">← All sponsors</Link>
        </nav>
      </header>
      <div className="sponsor-hero">
        <div>
          <p className="eyebrow">{sponsor.tier.name} sponsor</p>
          <h1>{sponsor.name}</h1>
          <p className="lead">{sponsor.description}</p>
          <dl className="facts">
            {sponsor.booth ? (
              <div>
                <dt>Booth</dt>
                <dd>{sponsor.booth}</dd>
              </div>
            ) : null}
            {sponsor.website ? (
              <div>
                <dt>Website</dt>
                <dd>
                  <a href={sponsor.website} rel="noopener noreferrer" target="_blank">
                    {sponsor.website.replace(/^https?:\/\//, "")}
                    <span className="visually-hidden"> (opens in a new tab)</span>
                  </a>
                </dd>
              </div>
            ) : null}
          </dl>
        </div>
        {sponsor.logoUrl ? (
          <div className="logo">
            <img src={sponsor.logoUrl} alt={`${sponsor.name} logo`} width={240} height={80} />
          </div>
        ) : null}
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
