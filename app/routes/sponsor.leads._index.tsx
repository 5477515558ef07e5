import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "~/validation/zod";
import { leadListFor } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { leadSorts } from "~/validation/sponsor";
import { sponsorOf } from "~/route-helpers/sponsor-portal.server";

export const meta: MetaFunction = () => [{ title: "Leads · Sponsor portal" }];

const filters = z.object({
  q: z.catch(z.string().check(z.maxLength(100)), ""),
  sort: z.catch(z.enum(leadSorts), "recent"),
  page: z.catch(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000)), 1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const f = filters.parse(Object.fromEntries(new URL(request.url).searchParams));
  const list = await leadListFor(sponsorOf(user), f);
  return { ...list, filters: f };
}

const sortLabels = { recent: "Most recent scan", name: "Name", company: "Company", rating: "Rating (hot first)" } as const;
const ratingBadge = { HOT: "badge--danger", WARM: "badge--warn", COLD: "badge--talk" } as const;

export default function Leads() {
  const { leads, total, pages, filters: f } = useLoaderData<typeof loader>();
  const pageHref = (p: number) => `?${new URLSearchParams({ ...(f.q ? { q: f.q } : {}), sort: f.sort, page: String(p) })}`;
  return (
    <div className="stack">
      <header>
        <h1>Leads</h1>
        <p className="muted">
          {total} {total === 1 ? "lead" : "leads"}
          {f.q ? ` matching “${f.q}”` : ""}. Email and country appear only for attendees who agreed to share them.
        </p>
      </header>
      <p className="button-row">
        <a className="button" href="/sponsor/leads.csv" download>
          Download CSV
        </a>
        <Link className="button button--ghost" to="/sponsor/scan">
          Scan a badge
        </Link>
      </p>
      <Form method="get" className="toolbar" role="search">
        <div className="field">
          <label htmlFor="q">Search</label>
          <input id="q" name="q" type="search" defaultValue={f.q} placeholder="Name, company, title, notes" />
        </div>
        <div className="field">
          <label htmlFor="sort">Sort by</label>
          <select id="sort" name="sort" defaultValue={f.sort}>
            {leadSorts.map((s) => (
              <option key={s} value={s}>
                {sortLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--small">
          Apply
        </button>
      </Form>
      {leads.length === 0 ? (
        <p>{f.q ? "No lead matches your search." : "No leads yet. Scan badges at your booth to add them."}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Your leads</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Company and title</th>
                <th scope="col">Contact</th>
                <th scope="col">Source</th>
                <th scope="col">Rating</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {leads.map((l) => (
                <tr key={l.ticketId}>
                  <td>
                    <Link to={`/sponsor/leads/${l.ticketId}`}>{l.name}</Link>
                  </td>
                  <td>{[l.company, l.jobTitle].filter(Boolean).join(" · ")}</td>
                  <td>{l.email ? `${l.email}${l.country ? ` · ${l.country}` : ""}` : <span className="muted">Not shared</span>}</td>
                  <td>{l.source === "BADGE_SCAN" ? "Badge scan" : "Opted in"}</td>
                  <td>{l.rating ? <span className={`badge ${ratingBadge[l.rating]}`}>{l.rating.toLowerCase()}</span> : null}</td>
                  <td>
                    {l.notes ? <span className="lead-notes">{l.notes}</span> : null}{" "}
                    <Link to={`/sponsor/leads/${l.ticketId}`} aria-label={`${l.notes ? "Edit notes" : "Add notes"} for ${l.name}`}>
                      {l.notes ? "Edit notes" : "Add notes"}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages" className="button-row">
          {f.page > 1 ? <Link to={pageHref(f.page - 1)}>← Previous</Link> : null}
          <span>
            Page {f.page} of {pages}
          </span>
          {f.page < pages ? <Link to={pageHref(f.page + 1)}>Next →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
