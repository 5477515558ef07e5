// One attendee's fields, wherever they are entered: checkout (one per ticket), the attendee's own
// ticket page and the organiser's attendee page. Names and rules come from the one attendee
// schema (app/validation/attendee.ts); only the email hint depends on what a change does there.
import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { attendeeLabels, type AttendeeDetails } from "~/validation/attendee";
import { TextField } from "./field";

type DetailFields = { [K in keyof AttendeeDetails]: FieldMetadata<string | undefined> };

export function AttendeeFields({
  fields,
  emailHint,
  ownDetails = false,
}: {
  fields: DetailFields;
  emailHint: ReactNode;
  /** The person fills in their own details, so the browser may offer what it knows of them. */
  ownDetails?: boolean;
}) {
  const auto = (value: string) => (ownDetails ? value : undefined);
  return (
    <div className="form-grid">
      <TextField field={fields.name} label={attendeeLabels.name} hint="As it should appear on the badge." autoComplete={auto("name")} />
      <TextField field={fields.email} label={attendeeLabels.email} type="email" hint={emailHint} autoComplete={auto("email")} />
      <TextField field={fields.company} label={attendeeLabels.company} autoComplete={auto("organization")} />
      <TextField field={fields.jobTitle} label={attendeeLabels.jobTitle} autoComplete={auto("organization-title")} />
      <TextField field={fields.country} label={attendeeLabels.country} autoComplete={auto("country-name")} />
      <TextField field={fields.dietaryNeeds} label={attendeeLabels.dietaryNeeds} />
      <TextField field={fields.accessNeeds} label={attendeeLabels.accessNeeds} hint="Anything that helps you take part fully." />
    </div>
  );
}

/** The opt-in asked at checkout; afterwards it is changed on its own from the ticket page. */
export function SponsorConsentField({ field }: { field: FieldMetadata<boolean | undefined> }) {
  return (
    <div className="check" style={{ marginTop: "var(--space-4)" }}>
      <input {...getInputProps(field, { type: "checkbox", value: "on" })} key={field.key} />
      <label htmlFor={field.id}>
        Share my contact details (email, job title, country) with the event's sponsors. You can change this later from
        your ticket page.
      </label>
    </div>
  );
}

/** The details as text, for a ticket whose details can no longer be changed. */
export function AttendeeDetailsList({ details }: { details: AttendeeDetails }) {
  return (
    <dl className="facts">
      {(Object.keys(attendeeLabels) as (keyof AttendeeDetails)[]).map((key) => (
        <div key={key}>
          <dt>{attendeeLabels[key]}</dt>
          <dd>{details[key] || "—"}</dd>
        </div>
      ))}
    </dl>
  );
}
