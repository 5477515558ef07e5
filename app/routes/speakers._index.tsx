import type { HeadersFunction, MetaFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SpeakerCard } from "~/components/people";
import { pageMeta, rootData } from "~/components/seo";
import { publicSpeakers } from "~/domain/agenda.server";
import { currentEvent } from "~/domain/event.server";
import { publicCacheHeaders } from "~/services/http-cache.server";

export const headers: HeadersFunction = () => publicCacheHeaders;

export async function loader({ context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  return { speakers: await publicSpeakers(event.id), eventName: event.shortName };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(rootData(matches), {
    title: "Speakers",
    description: `${data?.speakers.length ?? "The"} speakers from mining, refining, magnet making, motor design and policy at ${data?.eventName ?? "RE3M 2025"}.`,
    path: "/speakers",
  });

export default function Speakers() {
  const { speakers } = useLoaderData<typeof loader>();
  return (
    <div className="container">
      <header className="page-head">
        <p className="eyebrow">Speakers</p>
        <h1>The people on stage</h1>
        <p className="lead">
          {speakers.length} speakers from across the supply chain: miners and refiners, magnet makers, motor and
          drone engineers, investors and policy makers.
        </p>
      </header>
      <ul className="card-grid" aria-label="Speakers">
        {speakers.map((speaker) => (
          <li key={speaker.slug}>
            <SpeakerCard speaker={speaker} headingLevel={2} />
          </li>
        ))}
      </ul>
    </div>
  );
}
