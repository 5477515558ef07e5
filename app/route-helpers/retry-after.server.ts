/**
 * A route's document headers with the Retry-After its action answered (a refused attempt, 429).
 * An action's own headers reach a script's or a browser's data request as they are; a plain form
 * post is answered by the route's page, whose headers come from the route's `headers` export.
 */
export function withRetryAfter(actionHeaders: Headers, headers: Record<string, string> = {}): Record<string, string> {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { ...headers, "Retry-After": retryAfter } : headers;
}
