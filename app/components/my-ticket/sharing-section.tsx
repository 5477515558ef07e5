import { Form } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { SavedNotice } from "./notices";

export function SharingSection({
  on,
  since,
  refusal,
  saved,
  error,
}: {
  on: boolean;
  since: string | null;
  /** Why sharing cannot be turned on now; withdrawing is always possible. */
  refusal: string | null;
  saved: string | null;
  error: string | null;
}) {
  return (
    <section aria-labelledby="sharing-title" className="panel-section" id="sharing">
      <h2 id="sharing-title">Sharing with sponsors</h2>
      <SavedNotice message={saved} />
      <p>
        <span className={`badge ${on ? "badge--ok" : ""}`}>{on ? "Sharing is on" : "Sharing is off"}</span>
        {on && since ? <span className="small muted"> since {since}</span> : null}
      </p>
      <p>
        {on
          ? "Sponsors receive your email, job title and country when they scan your badge at their booth, and sponsors whose package includes the attendee list receive them from that list. If you turn this off, your contact details are left out of every lead list exported from then on; a list a sponsor already downloaded cannot be recalled."
          : "A sponsor who scans your badge at their booth gets your name and company only. Turn sharing on to also give sponsors your email, job title and country."}
      </p>
      <FormErrors errors={error} />
      {!on && refusal ? null : (
        <Form method="post">
          <input type="hidden" name="intent" value="sharing" />
          <input type="hidden" name="shareWithSponsors" value={on ? "off" : "on"} />
          <button type="submit" className={`button ${on ? "button--ghost" : ""}`}>
            {on ? "Stop sharing my contact details" : "Share my contact details with sponsors"}
          </button>
        </Form>
      )}
    </section>
  );
}
