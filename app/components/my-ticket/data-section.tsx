import { Form } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { SavedNotice } from "./notices";

/** "Your data": the holder asks the organisers for a copy of their data, or for its erasure. */
export function DataSection({
  waiting,
  erased,
  saved,
  error,
}: {
  /** The day each waiting request was made ("December 7, 2026"). */
  waiting: { EXPORT: string | null; ERASURE: string | null };
  erased: boolean;
  saved: string | null;
  error: string | null;
}) {
  return (
    <section aria-labelledby="data-title" className="panel-section" id="privacy">
      <h2 id="data-title">Your data</h2>
      <SavedNotice message={saved} />
      {erased ? (
        <p>The details on this ticket were erased at your request or after the event, as the organisers’ retention policy says.</p>
      ) : (
        <>
          <p>
            You can ask the organisers for a copy of everything this site holds about you, or to erase it. They answer within 30 days, at the email
            address on this ticket. Invoices are kept as issued for six years, as tax law requires.
          </p>
          <FormErrors errors={error} />
          <div className="data-requests">
            {waiting.EXPORT ? (
              <p className="data-requests__waiting">You asked for a copy of your data on {waiting.EXPORT}. The organisers have your request.</p>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="privacy" />
                <input type="hidden" name="kind" value="EXPORT" />
                <button type="submit" className="button button--ghost">
                  Ask for a copy of my data
                </button>
              </Form>
            )}
            {waiting.ERASURE ? (
              <p className="data-requests__waiting">You asked for your data to be erased on {waiting.ERASURE}. The organisers have your request.</p>
            ) : (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="privacy" />
                <input type="hidden" name="kind" value="ERASURE" />
                <label className="check">
                  <input type="checkbox" name="confirm" value="on" required /> I understand that my name and details are then erased from this ticket,
                  my agenda and sponsors’ lead lists, for good.
                </label>
                <p>
                  <button type="submit" className="button button--ghost">
                    Ask to erase my data
                  </button>
                </p>
              </Form>
            )}
          </div>
        </>
      )}
    </section>
  );
}
