import { env } from "~/services/env.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";

export function loader() {
  const body = [
    "User-agent: *",
    "Disallow: /admin",
    "Disallow: /sponsor",
    // The longest matching rule wins (RFC 9309): the public sponsors pages, which the line above
    // would otherwise take with the sponsor portal, stay crawlable.
    "Allow: /sponsors",
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
