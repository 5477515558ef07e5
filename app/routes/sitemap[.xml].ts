import type { LoaderFunctionArgs } from "@remix-run/node";
import { allPublishedSessions, publicSpeakers } from "~/domain/agenda.server";
import { currentEvent } from "~/domain/event.server";
import { sponsorsByTier } from "~/domain/sponsors.server";
import { env } from "~/services/env.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export async function loader({ context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const [sessions, speakers, tiers] = await Promise.all([
    allPublishedSessions(event.id),
    publicSpeakers(event.id),
    sponsorsByTier(event.id),
  ]);
  const origin = env().APP_URL;
  const paths = [
    "/",
    "/agenda",
    ...event.days.map((d) => `/agenda?day=${d}`),
    "/speakers",
    "/sponsors",
    "/tickets",
    ...sessions.map((s) => `/sessions/${s.slug}`),
    ...speakers.map((s) => `/speakers/${s.slug}`),
    ...tiers.flatMap((t) => t.sponsors.map((s) => `/sponsors/${s.slug}`)),
  ];
  const body = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${paths.map((p) => `  <url><loc>${escapeXml(`${origin}${p}`)}</loc></url>`).join("\n")}
</urlset>
`;
  return new Response(body, { headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": PUBLIC_CACHE_CONTROL } });
}
