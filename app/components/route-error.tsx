import { isRouteErrorResponse, Link, useLocation, useRouteError } from "@remix-run/react";

/** What went wrong, as the error boundaries say it: 404, 503 (the database is unavailable for a moment), or a failure. */
export function useErrorKind(): "not-found" | "unavailable" | "failed" {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return "not-found";
  if (isRouteErrorResponse(error) && error.status === 503) return "unavailable";
  return "failed";
}

const headings = {
  "not-found": { eyebrow: "Not found", title: "We couldn't find that" },
  unavailable: { eyebrow: "Briefly unavailable", title: "The site is briefly unavailable" },
  failed: { eyebrow: "Error", title: "Something went wrong on our side" },
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
        {message ?? (kind === "not-found"
          ? "The link may be mistyped, or the item may have moved or not be published yet."
          : "Please try again in a moment. If it keeps happening, write to the organisers.")}
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
