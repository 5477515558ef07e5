// Public pages may be served by a CDN for a minute and then stale while it revalidates; browsers
// always revalidate, and app/entry.server.tsx answers 304 when the ETag still matches.
export const PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate, s-maxage=60, stale-while-revalidate=300";

export const publicCacheHeaders = { "Cache-Control": PUBLIC_CACHE_CONTROL };

// Pages behind a secret link (orders, tickets): never stored by a cache, and the link never leaves
// in a Referer header when someone follows a link on the page.
export const privateHeaders = { "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" };
