// Public pages may be served by a CDN for a minute and then stale while it revalidates; browsers
// always revalidate, and app/entry.server.tsx answers 304 when the ETag still matches.
export const PUBLIC_CACHE_CONTROL = "public, max-age=0, must-revalidate, s-maxage=60, stale-while-revalidate=300";

export const publicCacheHeaders = { "Cache-Control": PUBLIC_CACHE_CONTROL };
