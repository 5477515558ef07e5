import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import * as z from "~/validation/zod";
import { DomainError } from "~/domain/errors";
import { pendingProfileChanges, recentProfileReviews, reviewProfileChange } from "~/domain/sponsor-profile.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";

export const meta: MetaFunction = () => [{ title: "Sponsor profile changes · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "sponsors:review");
  const event = await adminEvent(request, context);
  const [pending, recent] = await Promise.all([pendingProfileChanges(event.id), recentProfileReviews(event.id)]);
  return { pending, recent };
}

const reviewForm = z.object({
  changeId: z.string().check(z.minLength(1), z.maxLength(40)),
  decision: z.enum(["APPROVED", "REJECTED"]),
  note: z._default(z.string().check(z.trim(), z.maxLength(500, "Keep the note under 500 characters.")), ""),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "sponsors:review");
  const parsed = reviewForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false, message: parsed.error.issues[0]!.message }, { status: 400 });
  try {
    await reviewProfileChange((await adminEvent(request, context)).id, parsed.data.changeId, parsed.data.decision, parsed.data.note, user.id, clock.now());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data({ ok: false, message: error.message }, { status: 409 });
  }
  return { ok: true, message: parsed.data.decision === "APPROVED" ? "Approved: the sponsors page shows the new profile." : "Rejected: the sponsor sees your note." };
}

export default function SponsorChanges() {
  const { pending, recent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="stack">
      <header>
        <h1>Sponsor profile changes</h1>
        <p className="muted">Sponsors propose changes to their public profile; they reach the sponsors page once approved here.</p>
      </header>
      {result ? (
        <div className={result.ok ? "alert alert--ok" : "alert alert--error"} role={result.ok ? "status" : "alert"}>
          <p>{result.message}</p>
        </div>
      ) : null}
      {pending.length === 0 ? <p>No change is waiting for review.</p> : null}
      {pending.map((c) => (
        <section key={c.id} className="card stack" aria-labelledby={`change-${c.id}`}>
          <h2 id={`change-${c.id}`}>{c.sponsor.name}</h2>
          <p className="small muted">Sent {new Date(c.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC</p>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">Current and proposed profile of {c.sponsor.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Now</th>
                  <th scope="col">Proposed</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Description</th>
                  <td className="lead-notes">{c.sponsor.description}</td>
                  <td className="lead-notes">{c.description}</td>
                </tr>
                <tr>
                  <th scope="row">Website</th>
                  <td>{c.sponsor.website ?? "—"}</td>
                  <td>{c.website ?? "—"}</td>
                </tr>
                <tr>
                  <th scope="row">Logo</th>
                  <td>{c.sponsor.logoUrl ? <img src={c.sponsor.logoUrl} alt="Current logo" className="profile-logo" /> : "—"}</td>
                  <td>{c.logoUrl ? <img src={c.logoUrl} alt="Proposed logo" className="profile-logo" /> : "Unchanged"}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <Form method="post" className="toolbar">
            <input type="hidden" name="changeId" value={c.id} />
            <div className="field">
              <label htmlFor={`note-${c.id}`}>
                Note to the sponsor <span className="muted">(optional)</span>
              </label>
              <input id={`note-${c.id}`} name="note" maxLength={500} />
            </div>
            <button type="submit" name="decision" value="APPROVED" className="button">
              Approve
            </button>
            <button type="submit" name="decision" value="REJECTED" className="button button--ghost">
              Reject
            </button>
          </Form>
        </section>
      ))}
      {recent.length > 0 ? (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">Recently reviewed</h2>
          <ul>
            {recent.map((r) => (
              <li key={r.id}>
                {r.sponsor.name}: {r.status === "APPROVED" ? "approved" : "rejected"}
                {r.reviewNote ? ` (${r.reviewNote})` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
