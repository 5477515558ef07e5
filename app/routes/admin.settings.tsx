import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { InputField, SelectField, TextAreaField } from "~/components/admin-content";
import { DateTimeField, TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { eventSettingsForEdit, saveEventSettings, sessionsOutsideEventDays } from "~/domain/event-settings.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { eventSettingsSchema } from "~/validation/event-settings";

export const meta: MetaFunction = () => [{ title: "Event settings · RE3M admin" }];

/** Every zone this server knows; the event's own comes first so a long list never hides it. */
function timeZones(current: string) {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [current, ...all.filter((z) => z !== current)];
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "settings:manage");
  const event = await adminEvent(request, context);
  const [settings, outside] = await Promise.all([eventSettingsForEdit(event.id), sessionsOutsideEventDays(event)]);
  return { settings, outside, zones: timeZones(settings.timeZone) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "settings:manage");
  const submission = parseWithZod(await request.formData(), { schema: eventSettingsSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const event = await adminEvent(request, context);
  const { changed } = await saveEventSettings(event.id, submission.value, user.id, clock.now());
  // The page again, so the form shows what was stored (a registration number without its spaces).
  return redirect(`/admin/settings?saved=${changed.length}`, 303);
}

export default function EventSettings() {
  const { settings, outside, zones } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const saved = useSearchParams()[0].get("saved");
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    id: `event-settings-${settings.version}`,
    lastResult: actionData?.result,
    defaultValue: settings,
    constraint: getZodConstraint(eventSettingsSchema),
    shouldValidate: "onBlur",
    // A corrected field loses its message as it is typed, not when it is left: leaving it for the
    // button would move the button under the pointer and lose the click.
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: eventSettingsSchema }),
  });
  return (
    <div className="stack">
      <header>
        <h1>Event settings</h1>
        <p className="muted">
          What the public site, calendars, emails and receipts say about the event and its organiser. Every change is recorded in the{" "}
          <Link to="/admin/audit">audit log</Link>.
        </p>
      </header>
      {saved && !actionData ? (
        <p className="alert alert--ok" role="status">
          {saved === "0" ? "Nothing had changed." : `Saved ${saved === "1" ? "1 change" : `${saved} changes`}. The site shows them now.`}
        </p>
      ) : null}
      {outside.length > 0 ? (
        <section className="alert alert--error" role="alert" aria-labelledby="outside-title">
          <h2 id="outside-title">
            {outside.length === 1 ? "1 session is" : `${outside.length} sessions are`} outside the event's days
          </h2>
          <p>The agenda shows only the event's days, so these need a new day or time by hand:</p>
          <ul>
            {outside.map((s) => (
              <li key={s.id}>
                <Link to={`/admin/sessions/${s.id}`}>{s.title}</Link> ({s.day}
                {s.published ? ", published" : ", draft"})
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="card stack">
        <fieldset className="form-grid">
          <legend>The event</legend>
          <TextField field={fields.name} label="Event name" />
          <TextField field={fields.shortName} label="Short name" hint="In email subjects and the browser tab, like RE3M 2025." />
          <div className="field--wide">
            <TextField field={fields.tagline} label="Tagline" />
          </div>
          <InputField field={fields.startsOn} label="First day" type="date" />
          <InputField field={fields.endsOn} label="Last day" type="date" hint="The agenda's days and the calendar files follow these dates." />
          <SelectField
            field={fields.timeZone}
            label="Time zone"
            options={zones.map((z) => ({ value: z, label: z.replaceAll("_", " ") }))}
            hint="Session times keep their moment: another zone shows them at other local times."
          />
        </fieldset>
        <fieldset className="form-grid">
          <legend>Venue</legend>
          <TextField field={fields.venueName} label="Venue" />
          <TextField field={fields.venueAddress} label="Venue address" />
          <TextField field={fields.city} label="City" />
          <TextField field={fields.country} label="Country" />
        </fieldset>
        <fieldset className="form-grid">
          <legend>Organiser</legend>
          <TextField field={fields.organiser} label="Organiser's name" hint="As the public site shows it." />
          <TextField field={fields.legalName} label="Legal name" hint="As registered with the Canada Revenue Agency; printed on receipts." />
          <TextField field={fields.contactEmail} label="Contact email" type="email" hint="Buyers' replies to our emails go here." />
          <div className="field--wide">
            <TextAreaField field={fields.legalAddress} label="Legal address" rows={3} />
          </div>
        </fieldset>
        <fieldset className="form-grid">
          <legend>Tax</legend>
          <TextField field={fields.taxName} label="Tax name" hint="HST, GST, or GST + QST." />
          <TextField field={fields.taxRate} label="Tax rate (%)" hint="Applies to orders placed from now on; placed orders keep their rate." />
          <TextField
            field={fields.taxNumber}
            label="GST/HST registration number"
            hint="9 digits, RT and 4 digits, like 123456789 RT0001. Receipts show it; without it they are not valid for input tax credits."
          />
        </fieldset>
        <fieldset className="form-grid">
          <legend>Sales</legend>
          <DateTimeField field={fields.defaultSalesEnd} label="Default end of sales" timeZone={settings.timeZone} />
          <div className="field--wide">
            <TextAreaField field={fields.refundPolicy} label="Refund policy" rows={4} hint="Shown on the tickets page and the buyer's order page." />
          </div>
        </fieldset>
        <fieldset className="form-grid">
          <legend>Invoices and pay by invoice</legend>
          <TextField field={fields.invoicePrefix} label="Invoice number prefix" hint="Invoices are numbered RE3M25-00001, RE3M25-00002…; credit notes RE3M25-CN-00001." />
          <div className="field field--wide">
            <label className="check">
              <input {...getInputProps(fields.payByInvoice, { type: "checkbox", value: "on" })} key={fields.payByInvoice.key} /> Offer pay by invoice
              (bank transfer, cheque or EFT) at checkout
            </label>
            <p className="small muted">
              The buyer's seats are held until the due date; unpaid orders are cancelled then and the seats go back on sale. Record transfers on the
              order's page.
            </p>
          </div>
          <TextField field={fields.invoiceMinTickets} label="Offered from (tickets per order)" inputMode="numeric" />
          <TextField
            field={fields.invoiceDueDays}
            label="Days to pay"
            inputMode="numeric"
            hint="Due date = order day + these days, and never after the event starts. Closes when fewer than 3 days are left."
          />
          <div className="field--wide">
            <TextAreaField
              field={fields.paymentInstructions}
              label="Payment instructions"
              rows={5}
              hint="Bank name, account holder, transit, institution and account numbers, or where to mail a cheque. Printed in the invoice email; buyers quote the invoice number."
            />
          </div>
        </fieldset>
        <fieldset className="form-grid">
          <legend>Attendee data</legend>
          <TextField
            field={fields.retentionDays}
            label="Days to keep attendee data after the event"
            inputMode="numeric"
            hint="Empty: kept until people are erased one by one. Otherwise tickets, buyers, leads, agenda picks and emails of this event are erased that many days after its last day; invoices are kept six years (tax law)."
          />
          <p className="small muted field--wide">
            The first erasure waits at least 7 days after you set this. <Link to="/admin/privacy#retention">Privacy requests</Link> shows how many people
            would be erased and on which day.
          </p>
        </fieldset>
        <div>
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Saving…" : "Save settings"}
          </button>
        </div>
      </Form>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
