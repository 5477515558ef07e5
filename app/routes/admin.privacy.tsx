import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { AdminTable } from "~/components/admin-list";
import { FormErrors } from "~/components/form-errors";
import { DomainError, type Rule } from "~/domain/errors";
import { currentEvent } from "~/domain/event.server";
import { personOverview } from "~/domain/privacy-export.server";
import { closeRequest, erasePerson, privacyRequests, retentionPlan, type ErasureCounts } from "~/domain/privacy.server";
import { formatDayKey } from "~/domain/time";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { personQuerySchema, privacyActionSchema, privacyKindLabel, privacyStatusLabel } from "~/validation/privacy";

export const meta: MetaFunction = () => [{ title: "Privacy requests · RE3M admin" }];

const when = (date: Date | string) => new Date(date).toISOString().slice(0, 16).replace("T", " ") + " UTC";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "privacy:manage");
  const event = await currentEvent(context);
  const url = new URL(request.url);
  const asked = url.searchParams.get("email");
  const [requests, retention] = await Promise.all([privacyRequests(event.id), retentionPlan(event)]);
  // The erasure request being reviewed, when the page was opened from the list.
  const reviewing = requests.waiting.find((r) => r.kind === "ERASURE" && r.id === url.searchParams.get("request")) ?? null;
  const query = asked === null ? null : personQuerySchema.safeParse({ email: asked });
  const page = {
    requests,
    retention: { ...retention, dayLabel: retention.day ? formatDayKey(retention.day) : null },
    asked: asked?.slice(0, 254) ?? "",
    reviewing: reviewing ? { id: reviewing.id, email: reviewing.email } : null,
    searchError: query && !query.success ? query.error.issues[0]!.message : null,
    person: query?.success ? await personOverview(query.data.email) : null,
  };
  return data(page, { status: page.searchError ? 400 : 200 });
}

const statusOf: Partial<Record<Rule, number>> = { "privacy.request-not-found": 404, "privacy.nothing-held": 404 };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "privacy:manage");
  const submission = parseWithZod(await request.formData(), { schema: privacyActionSchema });
  if (submission.status !== "success") {
    return data({ ok: null, error: Object.values(submission.error ?? {}).flat()[0] ?? "Check the form and try again." }, { status: 400 });
  }
  const event = await currentEvent(context);
  const input = submission.value;
  const now = clock.now();
  try {
    switch (input.intent) {
      case "erase": {
        const { counts, erased } = await erasePerson({ eventId: event.id, email: input.email, requestId: input.requestId }, user.id, now);
        return { ok: erased ? describeErasure(input.email, counts) : `Nothing was held under ${input.email}; the request is closed.`, error: null };
      }
      case "refuse":
        await closeRequest(event.id, input.requestId, "REFUSED", input.note, user.id, now);
        return { ok: "The request was refused with your reason. Tell the person, with the reason, from the event's contact address.", error: null };
      case "complete":
        await closeRequest(event.id, input.requestId, "DONE", input.note, user.id, now);
        return { ok: "The request is marked as done.", error: null };
    }
  } catch (error) {
    if (error instanceof DomainError) return data({ ok: null, error: error.message }, { status: statusOf[error.rule] ?? 409 });
    throw error;
  }
}

const countLabels: [keyof ErasureCounts, string, string][] = [
  ["tickets", "ticket", "tickets"],
  ["orders", "order", "orders"],
  ["checkoutEntries", "checkout entry", "checkout entries"],
  ["leads", "sponsor lead", "sponsor leads"],
  ["agendaPicks", "agenda pick", "agenda picks"],
  ["waitingList", "waiting-list place", "waiting-list places"],
  ["emails", "email", "emails"],
  ["auditEntries", "audit entry", "audit entries"],
];

function describeErasure(email: string, counts: ErasureCounts) {
  const parts = countLabels.filter(([key]) => counts[key] > 0).map(([key, one, many]) => `${counts[key]} ${counts[key] === 1 ? one : many}`);
  const kept = counts.invoicesKept > 0 ? ` Kept ${counts.invoicesKept === 1 ? "1 invoice" : `${counts.invoicesKept} invoices and credit notes`} as issued (tax law).` : "";
  return `${email}’s data is erased: ${parts.join(", ")}.${kept}`;
}

export default function PrivacyRequests() {
  const { requests, retention, asked, reviewing, searchError, person } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <div className="stack privacy">
      <header>
        <h1>Privacy requests</h1>
        <p className="muted">
          Find everything held about a person, give them a copy, or erase it (PIPEDA, GDPR). Invoices are kept six years, as tax law requires. Every
          step is recorded in the <Link to="/admin/audit">audit log</Link>.
        </p>
      </header>
      {result?.ok ? (
        <p className="alert alert--ok" role="status">
          {result.ok}
        </p>
      ) : null}
      <FormErrors errors={result?.error} />

      <section className="card stack" aria-labelledby="requests-title">
        <h2 id="requests-title">Requests waiting ({requests.waiting.length})</h2>
        {requests.waiting.length === 0 ? (
          <p>No requests are waiting. Attendees ask from their ticket page; a request received by email is handled below, under “Find a person”.</p>
        ) : (
          <AdminTable
            caption="Requests waiting"
            cards
            rows={requests.waiting}
            columns={[
              { header: "Asked", cell: (r) => when(r.createdAt) },
              { header: "Person", cellClassName: "wrap-anywhere", cell: (r) => r.email },
              { header: "Request", cell: (r) => privacyKindLabel[r.kind] },
              { header: "Handle", cell: (r) => <RequestActions request={r} busy={busy} /> },
            ]}
          />
        )}
        {requests.handled.length > 0 ? (
          <details>
            <summary>Recently handled ({requests.handled.length})</summary>
            <AdminTable
              caption="Recently handled requests"
              cards
              rows={requests.handled}
              columns={[
                { header: "Asked", cell: (r) => when(r.createdAt) },
                { header: "Person", cellClassName: "wrap-anywhere", cell: (r) => r.email },
                { header: "Request", cell: (r) => privacyKindLabel[r.kind] },
                {
                  header: "Outcome",
                  cell: (r) => (
                    <span>
                      <span className={`badge ${r.status === "DONE" ? "badge--ok" : "badge--danger"}`}>{privacyStatusLabel[r.status]}</span> {r.note}
                      <br />
                      <span className="small muted">
                        {r.handledAt ? when(r.handledAt) : ""}
                        {r.handledBy ? ` · ${r.handledBy.name}` : ""}
                      </span>
                    </span>
                  ),
                },
              ]}
            />
          </details>
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="person-title" id="person">
        <h2 id="person-title">Find a person</h2>
        <Form method="get" className="toolbar" role="search">
          <div className="field privacy__email">
            <label htmlFor="email">Email address</label>
            <input
              id="email"
              name="email"
              type="email"
              defaultValue={asked}
              autoComplete="off"
              required
              maxLength={254}
              aria-invalid={searchError ? true : undefined}
              aria-describedby={searchError ? "email-error" : undefined}
            />
            {searchError ? (
              <p className="field-error" id="email-error">
                {searchError}
              </p>
            ) : null}
          </div>
          {reviewing ? <input type="hidden" name="request" value={reviewing.id} /> : null}
          <button type="submit" className="button button--small">
            Find
          </button>
        </Form>
        {person ? <PersonFound person={person} requestId={reviewing?.email === person.email ? reviewing.id : null} busy={busy} /> : null}
      </section>

      <section className="card stack" aria-labelledby="retention-title" id="retention">
        <h2 id="retention-title">Retention</h2>
        {retention.days === null ? (
          <p>
            Attendee data of this event is kept until people are erased one by one. To erase it a number of days after the event, set “Days to keep
            attendee data” in the <Link to="/admin/settings">event settings</Link>.
          </p>
        ) : (
          <>
            <p className="privacy__dry-run">
              <strong>
                {retention.people === 1 ? "1 person" : `${retention.people.toLocaleString("en-CA")} people`} would be erased on {retention.dayLabel}.
              </strong>
            </p>
            <p>
              The event keeps attendee data for {retention.days === 1 ? "1 day" : `${retention.days} days`} after its last day (
              <Link to="/admin/settings">settings</Link>). On that day the daily job erases their tickets, orders’ buyer details, leads, agenda picks and
              emails, as an erasure above does; invoices are kept.
              {retention.awaitingPayment > 0
                ? ` ${retention.awaitingPayment === 1 ? "1 of them has" : `${retention.awaitingPayment} of them have`} an order awaiting payment and will be left until it is paid or cancelled.`
                : ""}
            </p>
          </>
        )}
      </section>
    </div>
  );
}

type Waiting = ReturnType<typeof useLoaderData<typeof loader>>["requests"]["waiting"][number];

function RequestActions({ request, busy }: { request: Waiting; busy: boolean }) {
  const who = request.email;
  return (
    <div className="stack privacy__actions">
      {request.kind === "EXPORT" ? (
        <div className="button-row">
          <a className="button button--small" href={`/admin/privacy.zip?request=${request.id}`} aria-label={`Download the data of ${who}`}>
            Download (ZIP)
          </a>
          <Form method="post">
            <input type="hidden" name="intent" value="complete" />
            <input type="hidden" name="requestId" value={request.id} />
            <button type="submit" className="button button--small button--ghost" disabled={busy} aria-label={`Mark the copy for ${who} as sent`}>
              Mark as sent
            </button>
          </Form>
        </div>
      ) : (
        <p>
          <Link className="button button--small" to={`?email=${encodeURIComponent(who)}&request=${request.id}#person`} aria-label={`Review and erase ${who}`}>
            Review and erase
          </Link>
        </p>
      )}
      <details>
        <summary>Refuse…</summary>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="refuse" />
          <input type="hidden" name="requestId" value={request.id} />
          <div className="field">
            <label htmlFor={`note-${request.id}`}>Reason, for the person</label>
            <textarea id={`note-${request.id}`} name="note" rows={2} required maxLength={1000} />
          </div>
          <p>
            <button type="submit" className="button button--small button--ghost" disabled={busy}>
              Refuse the request
            </button>
          </p>
        </Form>
      </details>
    </div>
  );
}

type Person = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["person"]>;

function PersonFound({ person, requestId, busy }: { person: Person; requestId: string | null; busy: boolean }) {
  const found = person.sections.filter((s) => s.count > 0);
  const heading = useRef<HTMLHeadingElement>(null);
  const { hash } = useLocation();
  // Opened from a request's "Review and erase": the reader goes on from what was found, not from the link.
  useEffect(() => {
    if (hash === "#person") heading.current?.focus();
  }, [hash, person.email]);
  if (!person.held) return <p role="status">Nothing is held under {person.email}. It may have been erased already, or never used here.</p>;
  const zip = `/admin/privacy.zip?email=${encodeURIComponent(person.email)}`;
  return (
    <div className="stack">
      <h3 className="wrap-anywhere" ref={heading} tabIndex={-1}>
        Held about {person.email}
      </h3>
      <ul className="privacy__counts" aria-label="What is held">
        {person.sections.map((s) => (
          <li key={s.file}>
            {s.count > 0 ? <a href={`#held-${s.file}`}>{s.title}</a> : <span className="muted">{s.title}</span>} <strong>{s.count}</strong>
          </li>
        ))}
      </ul>
      <p className="button-row">
        <a className="button" href={zip}>
          Download everything (ZIP)
        </a>
      </p>
      {found.map((s) => (
        <section key={s.file} id={`held-${s.file}`} aria-labelledby={`held-${s.file}-title`} className="stack privacy__kind">
          <h4 id={`held-${s.file}-title`}>
            {s.title} ({s.count})
          </h4>
          {s.note ? <p className="small muted">{s.note}</p> : null}
          <AdminTable
            caption={s.title}
            cards
            rows={s.rows}
            columns={s.columns.map((c) => ({ header: c.header, cellClassName: "wrap-anywhere", cell: (row: (typeof s.rows)[number]) => row.cells[c.key] }))}
          />
          {s.count > s.rows.length ? <p className="small muted">And {s.count - s.rows.length} more in the download.</p> : null}
        </section>
      ))}
      <section className="stack privacy__erase" aria-labelledby="erase-title">
        <h3 id="erase-title">Erase this person</h3>
        {!person.erasable ? (
          <p>Only invoices are held, and they are kept as issued (tax law): there is nothing to erase.</p>
        ) : person.blocker ? (
          <p className="alert alert--error" role="alert">
            {person.blocker}
          </p>
        ) : (
          <Form method="post" className="stack">
            <p>
              Their sponsor leads and agenda picks are deleted; their tickets, orders, checkout entries, waiting-list places, emails and audit entries
              keep no name, address or detail of theirs. Orders keep their amounts and invoices keep the buyer’s details as issued, for six years
              (Canadian tax law). Tickets stay valid, as “Erased attendee”.
            </p>
            <input type="hidden" name="intent" value="erase" />
            <input type="hidden" name="email" value={person.email} />
            {requestId ? <input type="hidden" name="requestId" value={requestId} /> : null}
            <label className="check">
              <input type="checkbox" name="confirm" value="on" required /> I understand that this erases {person.email}’s data for good.
            </label>
            <p>
              <button type="submit" className="button button--danger" disabled={busy}>
                Erase their data
              </button>
            </p>
          </Form>
        )}
      </section>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
