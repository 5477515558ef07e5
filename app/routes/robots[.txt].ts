import { env } from "~/services/env.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";

export function loader() {
  const body = [
    "User-agent: *",
    "Disallow: /admin",
    "Disallow: /sponsor",
    "Disallow: /my/",
    "Disallow: /orders/",
    "Disallow: /login",
    "Allow: /",
    "",
    `Sitemap: ${env().APP_URL}/sitemap.xml`,
    "",
  ].join("\n");
  return new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": PUBLIC_CACHE_CONTROL } });
}
