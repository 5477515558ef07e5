import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { AttendeeDetailsList, AttendeeFields } from "~/components/attendee-fields";
import { FormErrors } from "~/components/form-errors";
import { attendeeDetailsSchema, type AttendeeDetails } from "~/validation/attendee";
import { SavedNotice } from "./notices";

export function DetailsSection({
  details,
  version,
  locked,
  openUntil,
  saved,
  lastResult,
}: {
  details: AttendeeDetails;
  /** Changes after a save, so the form remounts and shows what was stored (trimmed, lowercased). */
  version: string;
  /** Why the details can no longer be changed, or null while they can. */
  locked: string | null;
  openUntil: string | null;
  saved: string | null;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  return (
    <section aria-labelledby="details-title" className="panel-section" id="details">
      <h2 id="details-title">Your details</h2>
      <SavedNotice message={saved} />
      {locked ? (
        <>
          <p className="alert alert--info">{locked}</p>
          <AttendeeDetailsList details={details} />
        </>
      ) : (
        <DetailsForm key={version} details={details} openUntil={openUntil} lastResult={lastResult} />
      )}
    </section>
  );
}

function DetailsForm({
  details,
  openUntil,
  lastResult,
}: {
  details: AttendeeDetails;
  openUntil: string | null;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "details-form",
    lastResult,
    constraint: getZodConstraint(attendeeDetailsSchema),
    defaultValue: details,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: attendeeDetailsSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "details";
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="details" />
      <p>
        Correct anything that is wrong: your badge is printed from these.{openUntil ? ` You can change them until ${openUntil}.` : ""}
      </p>
      <FormErrors errors={form.errors} id={form.errorId} />
      <AttendeeFields fields={fields} emailHint="Fix a typo here. To give the ticket to someone else, transfer it instead." ownDetails />
      <p className="form-actions">
        <button type="submit" className="button" disabled={busy}>
          Save my details
        </button>
      </p>
    </Form>
  );
}
