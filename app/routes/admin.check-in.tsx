import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import * as z from "~/validation/zod";
import { QrScanner } from "~/components/qr-scanner";
import { checkIn, doorCounts, searchDoor, type CheckInResult } from "~/domain/check-in.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { formatTime, zoneAbbreviation } from "~/domain/time";
import { keepingFormOnOutage } from "~/route-helpers/outage.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { badgesPdfHref } from "~/validation/badges";

export const meta: MetaFunction = () => [{ title: "Check-in · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "checkin:scan");
  const event = await adminEvent(request, context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const [counts, results] = await Promise.all([doorCounts(event.id), searchDoor(event.id, q)]);
  return { counts, q, results: results.map((t) => ({ ...t, checkedInAt: t.checkedInAt ? at(t.checkedInAt, event.timeZone) : null })) };
}

const checkInForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("scan"), code: z.string().trim().min(1).max(200) }),
  z.object({ intent: z.literal("admit"), ticketId: z.string().min(1).max(40) }),
]);

// The scan form is a fetcher: thrown, an outage would replace the door's page with an error.
// Called inside the action: a route-helper (.server) module is left out of the browser bundle, so
// a call at the top of the file would fail there when the route loads.
export const action = (args: ActionFunctionArgs) => keepingFormOnOutage(checkInAtDoor, (message) => ({ outcome: "unavailable" as const, message }))(args);

async function checkInAtDoor({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  const parsed = checkInForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ outcome: "invalid" as const, message: "Scan a QR code or type the 8-character code under it." }, { status: 400 });
  const event = await adminEvent(request, context);
  const by = parsed.data.intent === "scan" ? { code: parsed.data.code } : { ticketId: parsed.data.ticketId };
  return present(await checkIn(event.id, by, user.id, clock.now()), event.timeZone);
}

/** "9:42 a.m. EDT": check-in times are read by people at the door, in the event's own zone. */
const at = (date: Date, timeZone: string) => `${formatTime(date, timeZone)} ${zoneAbbreviation(date, timeZone)}`;

function present(result: CheckInResult, timeZone: string) {
  if (result.outcome === "unknown") return { outcome: "unknown" as const, message: "Unknown code: no ticket matches it. Ask for the ticket email or search by name." };
  const { ticket } = result;
  const shown = { id: ticket.id, name: ticket.name, company: ticket.company, ticketType: ticket.ticketType, status: ticket.status, shortCode: ticket.shortCode };
  const firstAt = ticket.checkedInAt ? at(ticket.checkedInAt, timeZone) : null;
  if (result.outcome === "checked-in") return { outcome: result.outcome, ticket: shown, message: `Welcome! Checked in at ${firstAt}.` };
  if (result.outcome === "already") return { outcome: result.outcome, ticket: shown, message: `Already checked in at ${firstAt}. Check the person's ID before letting them in.` };
  return { outcome: result.outcome, ticket: shown, message: `Refused: this ticket was ${ticket.status.toLowerCase()}. Send the person to the registration desk.` };
}

type Presented = ReturnType<typeof present> | { outcome: "invalid" | "unavailable"; message: string };

const tone = { "checked-in": "ok", already: "warn", refused: "danger", unknown: "danger", invalid: "danger", unavailable: "warn" } as const;
const verdict = { "checked-in": "Checked in", already: "Already checked in", refused: "Refused", unknown: "Not found", invalid: "Not found", unavailable: "Not checked: try again" } as const;

export default function CheckIn() {
  const { counts, q, results } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const scan = useFetcher<typeof action>({ key: "check-in" });
  const revalidator = useRevalidator();
  const result: Presented | undefined = scan.data ?? actionData;

  // Other doors check people in too: refresh the counts every 20 s while the page is open.
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, 20_000);
    return () => clearInterval(timer);
  }, [revalidator]);

  return (
    <div className="stack check-in">
      <header>
        <h1>Check-in</h1>
        <p className="stat-line" aria-live="polite">
          <strong>{counts.checkedIn}</strong> of <strong>{counts.valid}</strong> valid tickets checked in
        </p>
      </header>

      {result ? (
        <section className={`door-result door-result--${tone[result.outcome]}`} role="alert" aria-labelledby="door-result-title">
          <h2 id="door-result-title" className="door-result__verdict">
            {verdict[result.outcome]}
          </h2>
          {"ticket" in result && result.ticket ? (
            <dl className="door-result__ticket">
              <dt className="visually-hidden">Name</dt>
              <dd className="door-result__name">{result.ticket.name}</dd>
              <dt className="visually-hidden">Company</dt>
              <dd>{result.ticket.company || "No company given"}</dd>
              <dt className="visually-hidden">Ticket</dt>
              <dd>
                {result.ticket.ticketType} · <span className="mono">{result.ticket.shortCode}</span> · {result.ticket.status.toLowerCase()}
              </dd>
            </dl>
          ) : null}
          <p className="door-result__message">{result.message}</p>
          {"ticket" in result && result.ticket?.status === "VALID" ? <BadgeLink ticket={result.ticket} /> : null}
        </section>
      ) : null}

      <QrScanner
        title="Scan a ticket"
        onCode={(code) => scan.submit({ intent: "scan", code }, { method: "post" })}
        manual={{ name: "code", label: "Or type the code under the QR", hint: "8 characters, for example K7Q2MX9P", submitLabel: "Check in by code", hidden: { intent: "scan" } }}
      />

      <section className="card" aria-labelledby="search-title">
        <h2 id="search-title">Find by name</h2>
        <Form method="get" className="toolbar" role="search">
          <div className="field check-in__search">
            <label htmlFor="q">Name, email, company or badge code</label>
            <input id="q" name="q" type="search" defaultValue={q} autoComplete="off" minLength={2} />
          </div>
          <button type="submit" className="button">
            Search
          </button>
        </Form>
        {q.length >= 2 ? (
          results.length === 0 ? (
            <p>No ticket matches “{q}”.</p>
          ) : (
            <ul className="door-list">
              {results.map((t) => (
                <li key={t.id} className="door-list__item">
                  <div>
                    <p className="door-list__name">{t.name}</p>
                    <p className="small muted">
                      {[t.company, t.ticketType, t.shortCode].filter(Boolean).join(" · ")}
                    </p>
                  </div>
                  {t.status !== "VALID" ? (
                    <span className="badge badge--danger">{t.status.toLowerCase()}</span>
                  ) : (
                    <div className="button-row">
                      <BadgeLink ticket={t} />
                      {t.checkedInAt ? (
                        <span className="badge badge--warn">In at {t.checkedInAt}</span>
                      ) : (
                        <scan.Form method="post">
                          <input type="hidden" name="intent" value="admit" />
                          <input type="hidden" name="ticketId" value={t.id} />
                          <button type="submit" className="button" aria-label={`Check in ${t.name}`}>
                            Check in
                          </button>
                        </scan.Form>
                      )}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        ) : null}
      </section>
    </div>
  );
}

/** The person's badge as a 4 × 3 in label, for the printer at the door. */
function BadgeLink({ ticket }: { ticket: { id: string; name: string } }) {
  return (
    <a className="button button--ghost" href={badgesPdfHref({ ticket: ticket.id }, "label")} aria-label={`Print badge of ${ticket.name} (PDF)`}>
      Print badge
    </a>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
