import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DomainError } from "~/domain/errors";
import { leadFor, saveLeadNotes } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { leadNotesSchema, leadRatings } from "~/validation/sponsor";
import { keepingFormOnOutage } from "~/route-helpers/outage.server";
import { sponsorOf } from "~/route-helpers/sponsor-portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.lead.name ?? "Lead"} · Sponsor portal` }];

const notFound = () => data({ message: "That lead is not in your list." }, { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const lead = await leadFor(sponsorOf(user), params.id ?? "");
  if (!lead) throw notFound();
  return { lead };
}

// The booth's notes form is a fetcher on the scan page: thrown, an outage would replace the page.
// Called inside the action: a route-helper (.server) module is left out of the browser bundle, so
// a call at the top of the file would fail there when the route loads.
export const action = (args: ActionFunctionArgs) => keepingFormOnOutage(saveNotes, (message) => ({ ok: false, message }))(args);

async function saveNotes({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const parsed = leadNotesSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false, message: parsed.error.issues[0]!.message }, { status: 400 });
  try {
    await saveLeadNotes(sponsorOf(user), params.id ?? "", { notes: parsed.data.notes, rating: parsed.data.rating ?? null }, user.id);
  } catch (error) {
    if (error instanceof DomainError) throw notFound();
    throw error;
  }
  return { ok: true, message: "Notes saved." };
}

export default function LeadDetail() {
  const { lead } = useLoaderData<typeof loader>();
  const saved = useActionData<typeof action>();
  return (
    <div className="stack">
      <p>
        <Link to="/sponsor/leads">← All leads</Link>
      </p>
      <header>
        <h1>{lead.name}</h1>
        <p className="muted">
          {[lead.jobTitle, lead.company].filter(Boolean).join(", ")} · {lead.source === "BADGE_SCAN" ? "scanned at your booth" : "opted in to the attendee list"}
          {lead.scannedAt ? ` · ${new Date(lead.scannedAt).toISOString().slice(0, 16).replace("T", " ")} UTC${lead.scannedBy ? ` by ${lead.scannedBy}` : ""}` : ""}
        </p>
        {lead.email ? (
          <p>
            <a href={`mailto:${lead.email}`}>{lead.email}</a>
            {lead.country ? ` · ${lead.country}` : ""}
          </p>
        ) : (
          <p className="small muted">This attendee has not agreed to share contact details with sponsors.</p>
        )}
      </header>
      {saved ? (
        <p role="status" className={saved.ok ? "alert alert--ok" : "alert alert--error"}>
          {saved.message}
        </p>
      ) : null}
      <Form method="post" className="card stack">
        <fieldset className="rating-choice">
          <legend>Rating</legend>
          {leadRatings.map((r) => (
            <label key={r}>
              <input type="radio" name="rating" value={r} defaultChecked={lead.rating === r} /> {r.toLowerCase()}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="notes">Notes</label>
          <textarea id="notes" name="notes" rows={6} defaultValue={lead.notes} maxLength={4000} />
        </div>
        <p>
          <button type="submit" className="button scanner__button">
            Save notes
          </button>
        </p>
      </Form>
    </div>
  );
}
