import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
} from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import type { ReactNode } from "react";
import { BrandMark } from "~/components/brand";
import { useNonce } from "~/components/nonce";
import { errorTitles, RouteErrorBoundary, useErrorKind } from "~/components/route-error";
import { currentEvent } from "~/domain/event.server";
import { formatDateSpan } from "~/domain/time";
import { env } from "~/services/env.server";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "icon", href: "/favicon.ico", sizes: "32x32" },
];

// The root's data is the event's public facts, which no form on the site changes: loaded with the
// document, not fetched again after every form post and navigation.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export async function loader({ context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  return {
    origin: env().APP_URL,
    siteName: event.shortName,
    event: {
      name: event.name,
      shortName: event.shortName,
      city: event.city,
      venueName: event.venueName,
      organiser: event.organiser,
      dates: formatDateSpan(event.days[0], event.days[event.days.length - 1]),
      timeZone: event.timeZone,
    },
  };
}

const navItems = [
  { to: "/agenda", label: "Agenda" },
  { to: "/speakers", label: "Speakers" },
  { to: "/sponsors", label: "Sponsors" },
];

function Document({ children, title }: { children: ReactNode; title?: string }) {
  const nonce = useNonce();
  return (
    <html lang="en-CA">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#14123a" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function SiteHeader({ shortName }: { shortName: string }) {
  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link to="/" className="brand" aria-label={`${shortName} home`}>
          <BrandMark />
          <span className="brand__name">{shortName}</span>
        </Link>
        <nav aria-label="Main" className="site-nav">
          <ul>
            {navItems.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} prefetch="intent">
                  {item.label}
                </NavLink>
              </li>
            ))}
            <li>
              <NavLink to="/tickets" className="button button--small" prefetch="intent">
                Tickets
              </NavLink>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
}

function SiteFooter({ event }: { event?: ReturnType<typeof useLoaderData<typeof loader>>["event"] }) {
  return (
    <footer className="site-footer">
      <div className="container site-footer__inner">
        <div>
          <p className="site-footer__name">{event?.name ?? "Rare Earth Mines, Magnets & Motors 2025"}</p>
          {event ? (
            <p>
              {event.dates} · {event.venueName}, {event.city} · Organised by {event.organiser}
            </p>
          ) : null}
          <p className="muted">
            Speakers, sessions, sponsors and prices shown here are sample content for this demonstration.
          </p>
        </div>
        <nav aria-label="Footer">
          <ul className="footer-links">
            <li><Link to="/agenda">Agenda</Link></li>
            <li><a href="/agenda.ics">Agenda calendar (.ics)</a></li>
            <li><Link to="/speakers">Speakers</Link></li>
            <li><Link to="/sponsors">Sponsors</Link></li>
            <li><Link to="/tickets">Tickets</Link></li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}

export default function App() {
  const { event } = useLoaderData<typeof loader>();
  // The admin area and the sponsor portal bring their own header (handle: { chrome: "app" }).
  const appChrome = useMatches().some((m) => (m.handle as { chrome?: string } | undefined)?.chrome === "app");
  if (appChrome) {
    return (
      <Document>
        <Outlet />
      </Document>
    );
  }
  return (
    <Document>
      <SiteHeader shortName={event.shortName} />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <SiteFooter event={event} />
    </Document>
  );
}


export function ErrorBoundary() {
  const kind = useErrorKind();
  return (
    <Document title={`${errorTitles[kind]} · RE3M 2025`}>
      <SiteHeader shortName="RE3M 2025" />
      <main id="main" tabIndex={-1}>
        <RouteErrorBoundary />
      </main>
      <SiteFooter />
    </Document>
  );
}
