import type { HeadersFunction, MetaFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { pageMeta, rootData } from "~/components/seo";
import { SponsorTiers } from "~/components/sponsor-tiers";
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
      <SponsorTiers tiers={tiers} />
    </div>
  );
}
