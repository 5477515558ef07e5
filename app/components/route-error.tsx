import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

/** A friendly in-layout message for a route's 404s (and, rarely, failures). */
export function RouteErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const message =
    isRouteErrorResponse(error) && typeof error.data === "object" && error.data && "message" in error.data
      ? String(error.data.message)
      : null;
  return (
    <section className="container error-panel" aria-labelledby="error-title">
      <p className="eyebrow">{notFound ? "Not found" : "Error"}</p>
      <h1 id="error-title">{notFound ? "We couldn't find that" : "Something went wrong on our side"}</h1>
      <p className="lead">
        {message ?? (notFound
          ? "The link may be mistyped, or the item may have moved or not be published yet."
          : "Please try again in a moment. If it keeps happening, write to the organisers.")}
      </p>
      <p className="button-row">
        <Link className="button" to="/agenda">See the agenda</Link>
        <Link className="button button--ghost" to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
