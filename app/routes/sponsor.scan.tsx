import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { QrScanner } from "~/components/qr-scanner";
import { dropScan, enqueueScan, queuedScans } from "~/components/scan-queue";
import { FormErrors } from "~/components/form-errors";
import { scanForBooth, type ScanOutcome } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { leadRatings, scanSchema } from "~/validation/sponsor";
import { scanAnswer, sponsorOf } from "~/route-helpers/sponsor-portal.server";

export const meta: MetaFunction = () => [{ title: "Scan badges · Sponsor portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  sponsorOf(user);
  return { userId: user.id };
}

/** The typed code without script: the same scan, answered with the page. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const parsed = scanSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, status: 400, message: parsed.error.issues[0]!.message }, { status: 400 });
  const { body, status } = scanAnswer(await scanForBooth(sponsorOf(user), parsed.data.code, user.id));
  return data(body, { status });
}

type Lead = Extract<ScanOutcome, { ok: true }>["lead"];
type Answer = { ok: true; created: boolean; lead: Lead } | { ok: false; status: number; message: string };

export default function Scan() {
  const { userId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Answer | undefined;
  const [answer, setAnswer] = useState<Answer | undefined>(actionData);
  const [waiting, setWaiting] = useState(0);
  const flushing = useRef(false);

  const flush = useCallback(async () => {
    if (flushing.current) return;
    flushing.current = true;
    try {
      for (const scan of queuedScans(userId)) {
        let response: Response;
        try {
          response = await fetch("/sponsor/scans", { method: "POST", body: new URLSearchParams({ code: scan.code, clientScanId: scan.id }) });
        } catch {
          break; // Still offline: keep the scan for the next attempt.
        }
        if (response.status >= 500) break;
        dropScan(userId, scan.id);
        setAnswer((await response.json()) as Answer);
      }
    } finally {
      flushing.current = false;
      setWaiting(queuedScans(userId).length);
    }
  }, [userId]);

  useEffect(() => {
    setWaiting(queuedScans(userId).length);
    void flush();
    const online = () => void flush();
    window.addEventListener("online", online);
    return () => window.removeEventListener("online", online);
  }, [flush, userId]);

  const onCode = (code: string) => {
    enqueueScan(userId, code);
    setWaiting(queuedScans(userId).length);
    if (navigator.onLine) void flush();
  };

  return (
    <div className="stack">
      <header>
        <h1>Scan badges</h1>
        <p className="muted">Each scan is saved as a lead at once. Add notes and a rating while you talk.</p>
      </header>
      <p role="status" className={waiting > 0 ? "alert alert--info" : "visually-hidden"}>
        {waiting > 0 ? `${waiting} ${waiting === 1 ? "scan is" : "scans are"} saved on this phone and will be sent when the connection returns.` : "All scans sent."}
      </p>
      {answer?.ok ? <ScannedLead key={answer.lead.ticketId} lead={answer.lead} created={answer.created} /> : <FormErrors errors={answer?.message} />}
      <QrScanner
        title="Scan a badge"
        onCode={onCode}
        manual={{ name: "code", label: "Or type the code under the QR", hint: "8 characters, for example K7Q2MX9P", submitLabel: "Save lead" }}
      />
    </div>
  );
}

function ScannedLead({ lead, created }: { lead: Lead; created: boolean }) {
  const notes = useFetcher<{ ok: boolean; message: string }>();
  return (
    <section className="card stack" aria-labelledby="lead-title">
      <div role="status">
        <p className="badge badge--ok">{created ? "Lead saved" : "Already in your leads: scan updated"}</p>
        <h2 id="lead-title" className="door-result__name">
          {lead.name}
        </h2>
        <p>{[lead.jobTitle, lead.company].filter(Boolean).join(", ") || "No company given"}</p>
        {lead.email ? (
          <p>
            {lead.email}
            {lead.country ? ` · ${lead.country}` : ""}
          </p>
        ) : (
          <p className="small muted">This attendee has not agreed to share contact details with sponsors.</p>
        )}
      </div>
      <notes.Form method="post" action={`/sponsor/leads/${lead.ticketId}`} className="stack">
        <fieldset className="rating-choice">
          <legend>Rating</legend>
          {leadRatings.map((r) => (
            <label key={r}>
              <input type="radio" name="rating" value={r} defaultChecked={lead.rating === r} /> {r.toLowerCase()}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="lead-notes">Notes</label>
          <textarea id="lead-notes" name="notes" rows={3} defaultValue={lead.notes} maxLength={4000} />
        </div>
        <p className="button-row">
          <button type="submit" className="button scanner__button">
            Save notes
          </button>
          <Link to={`/sponsor/leads/${lead.ticketId}`} className="button button--ghost scanner__button">
            Open lead
          </Link>
        </p>
        {notes.data ? (
          <p role="status" className={notes.data.ok ? "alert alert--ok" : "alert alert--error"}>
            {notes.data.message}
          </p>
        ) : null}
      </notes.Form>
    </section>
  );
}
