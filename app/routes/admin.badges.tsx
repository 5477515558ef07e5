import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { badgeChoices } from "~/domain/badges.server";
import { searchDoor } from "~/domain/check-in.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { ticketStatusLabel } from "~/domain/labels";
import { requireUser } from "~/services/auth.server";
import { BADGE_LAYOUTS, badgeLayoutLabels, badgesPdfHref } from "~/validation/badges";

export const meta: MetaFunction = () => [{ title: "Badges · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "orders:read");
  const event = await adminEvent(request, context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const [choices, people] = await Promise.all([badgeChoices(event.id), searchDoor(event.id, q)]);
  return { ...choices, q, people };
}

export default function Badges() {
  const { types, total, q, people } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header>
        <h1>Badges</h1>
        <p className="muted">
          Name badges with the QR code that sponsors scan at their booths, for valid tickets only. Each PDF you open is recorded in the audit log: a badge’s QR code admits its holder.
        </p>
      </header>

      <section className="card stack" aria-labelledby="batch-title">
        <h2 id="batch-title">Print a batch</h2>
        {total === 0 ? (
          <p>No valid tickets yet, so there are no badges to print.</p>
        ) : (
          // A plain form: the answer is a PDF for the browser to show, not a page.
          <form method="get" action="/admin/badges.pdf" className="stack">
            <div className="field badge-batch__who">
              <label htmlFor="badge-type">Whose badges</label>
              <select id="badge-type" name="type" defaultValue="all">
                <option value="all">Everyone ({count(total)})</option>
                {types.map((t) => (
                  <option key={t.id} value={t.id} disabled={t.valid === 0}>
                    {t.name} ({count(t.valid)})
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="rating-choice badge-layouts">
              <legend>Layout</legend>
              {BADGE_LAYOUTS.map((layout) => (
                <label key={layout}>
                  <input type="radio" name="layout" value={layout} defaultChecked={layout === "sheet"} />
                  <span>
                    <span className="badge-layouts__title">{badgeLayoutLabels[layout].title}</span>
                    <span className="badge-layouts__hint">{badgeLayoutLabels[layout].hint}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <p>
              <button type="submit" className="button">
                Open the badges PDF
              </button>
            </p>
          </form>
        )}
      </section>

      <section className="card stack" aria-labelledby="person-title">
        <h2 id="person-title">One person</h2>
        <Form method="get" className="toolbar" role="search">
          <div className="field">
            <label htmlFor="q">Name, email, company or badge code</label>
            <input id="q" name="q" type="search" defaultValue={q} autoComplete="off" minLength={2} />
          </div>
          <button type="submit" className="button button--ghost">
            Search
          </button>
        </Form>
        {q.length >= 2 ? (
          people.length === 0 ? (
            <p>No ticket matches “{q}”.</p>
          ) : (
            <ul className="door-list">
              {people.map((t) => (
                <li key={t.id} className="door-list__item">
                  <div>
                    <p className="door-list__name">{t.name}</p>
                    <p className="small muted">{[t.company, t.ticketType, t.shortCode].filter(Boolean).join(" · ")}</p>
                  </div>
                  {t.status === "VALID" ? (
                    <p className="button-row">
                      {(["label", "sheet"] as const).map((layout) => (
                        <a key={layout} className="button button--small button--ghost" href={badgesPdfHref({ ticket: t.id }, layout)} aria-label={`${personLinks[layout]} for ${t.name}`}>
                          {personLinks[layout]}
                        </a>
                      ))}
                    </p>
                  ) : (
                    <span className="badge badge--danger">{ticketStatusLabel[t.status]}: no badge</span>
                  )}
                </li>
              ))}
            </ul>
          )
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="printing-title">
        <h2 id="printing-title">Printing</h2>
        <ul>
          <li>Print at actual size (100%, not “fit to page”), or the badges drift off the stock’s perforations.</li>
          <li>Sheets: badges are in name order, six to a page, with grey cut marks in the margins for plain paper.</li>
          <li>Door staff can print one person’s label from the check-in page.</li>
        </ul>
      </section>
    </div>
  );
}

const personLinks = { label: "Label (PDF)", sheet: "On a sheet (PDF)" } as const;

const count = (n: number) => (n === 1 ? "1 badge" : `${n.toLocaleString("en-CA")} badges`);

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
