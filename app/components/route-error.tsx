import { isRouteErrorResponse, Link, useLocation, useRouteError } from "@remix-run/react";

export type ErrorKind = "not-found" | "forbidden" | "refused" | "unavailable" | "failed";

/**
 * What went wrong, as the error boundaries say it: 404, 403 (an account without the right), another
 * 4xx (the request itself could not be used), 503 (the database is unavailable for a moment), or a
 * failure on our side.
 */
export function useErrorKind(): ErrorKind {
  return errorKindOf(useRouteError());
}

export function errorKindOf(error: unknown): ErrorKind {
  if (!isRouteErrorResponse(error)) return "failed";
  if (error.status === 404) return "not-found";
  if (error.status === 403) return "forbidden";
  if (error.status === 503) return "unavailable";
  if (error.status >= 400 && error.status < 500) return "refused";
  return "failed";
}

/** The page title of an error page, for the tab and for screen readers. */
export const errorTitles: Record<ErrorKind, string> = { "not-found": "Page not found", forbidden: "Not allowed", refused: "Request not accepted", unavailable: "Briefly unavailable", failed: "Something went wrong" };

/** The meta of a layout route whose boundary shows its children's errors: they bring no title then. */
export const errorPageMeta =
  (suffix: string) =>
  ({ error }: { error?: unknown }) =>
    error ? [{ title: `${errorTitles[errorKindOf(error)]} · ${suffix}` }, { name: "robots", content: "noindex" }] : [];

const headings: Record<ErrorKind, { eyebrow: string; title: string }> = {
  "not-found": { eyebrow: "Not found", title: "We couldn't find that" },
  forbidden: { eyebrow: "Not allowed", title: "You don't have access to this" },
  refused: { eyebrow: "Not accepted", title: "That request couldn't be used" },
  unavailable: { eyebrow: "Briefly unavailable", title: "The site is briefly unavailable" },
  failed: { eyebrow: "Error", title: "Something went wrong on our side" },
};

const fallbackMessages: Record<ErrorKind, string> = {
  "not-found": "The link may be mistyped, or the item may have moved or not be published yet.",
  forbidden: "It needs a role your account doesn't have. Ask an admin of the event if you need it.",
  refused: "Go back and try again from the page. If it keeps happening, write to the organisers.",
  unavailable: "Please try again in a moment. If it keeps happening, write to the organisers.",
  failed: "Please try again in a moment. If it keeps happening, write to the organisers.",
};

/** A friendly in-layout message for a route's 404s, outages (503) and, rarely, failures. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  const kind = useErrorKind();
  const location = useLocation();
  const message =
    isRouteErrorResponse(error) && typeof error.data === "object" && error.data && "message" in error.data
      ? String(error.data.message)
      : null;
  return (
    <section className="container error-panel" aria-labelledby="error-title">
      <p className="eyebrow">{headings[kind].eyebrow}</p>
      <h1 id="error-title">{headings[kind].title}</h1>
      <p className="lead">
        {message ?? fallbackMessages[kind]}
      </p>
      <p className="button-row">
        {kind === "unavailable" ? (
          // A fresh load of the same address: the page, or the form to send again.
          <a className="button" href={`${location.pathname}${location.search}`}>Try again</a>
        ) : (
          <Link className="button" to="/agenda">See the agenda</Link>
        )}
        <Link className="button button--ghost" to="/">Go to the home page</Link>
      </p>
    </section>
  );
}

/**
 * The boundary of a layout that brings its own chrome (the admin area, the sponsor portal): its
 * header is not drawn when its own loader refused, so the message stands in the page's main
 * landmark, where the skip link leads.
 */
export function LayoutErrorBoundary() {
  return (
    <main id="main" tabIndex={-1}>
      <RouteErrorBoundary />
    </main>
  );
}
