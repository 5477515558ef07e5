import type { HeadersFunction, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { privateHeaders } from "~/services/http-cache.server";

export const headers: HeadersFunction = () => privateHeaders;

export const meta: MetaFunction = () => [{ title: "Ticket transferred · RE3M 2025" }, { name: "robots", content: "noindex" }];

// Where a transfer ends: the old link is dead, and the new one only ever travels by email.
export default function Transferred() {
  return (
    <div className="container container--narrow">
      <header className="page-head">
        <p className="eyebrow">Ticket transferred</p>
        <h1>The ticket is on its way to its new holder</h1>
        <p className="lead">
          We are emailing them the ticket with a new QR code and their own link. You get a confirmation by email too.
        </p>
      </header>
      <div className="alert alert--info" role="status">
        <p>Your old QR code and your old ticket link no longer work. Nothing else is needed from you.</p>
      </div>
      <p className="button-row">
        <Link className="button" to="/agenda">
          See the agenda
        </Link>
        <Link className="button button--ghost" to="/">
          Go to the home page
        </Link>
      </p>
    </div>
  );
}
