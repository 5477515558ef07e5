// The message form of /admin/messages (new) and /admin/messages/:id (a draft): subject, Markdown
// body with its placeholders, who receives it, essential or not.
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form } from "@remix-run/react";
import { useState } from "react";
import { TextAreaField } from "./admin-content";
import { TextField } from "./field";
import { FormErrors } from "./form-errors";
import { audienceKinds, messageSchema } from "~/validation/message";

export type MessageFormValues = { subject: string; body: string; audience: string; ticketTypeIds: string[]; essential: string };

export function MessageForm({
  id,
  defaults,
  ticketTypes,
  lastResult,
  submitLabel,
  busy,
}: {
  id: string;
  defaults: MessageFormValues;
  ticketTypes: { id: string; name: string }[];
  lastResult?: SubmissionResult<string[]>;
  submitLabel: string;
  busy: boolean;
}) {
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: defaults,
    constraint: getZodConstraint(messageSchema),
    shouldValidate: "onBlur",
    // A corrected field loses its message as it is typed, not when it is left: leaving it for the
    // button would move the button under the pointer and lose the click.
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: messageSchema }),
  });
  // Which audience is ticked, to show the ticket types when it is "some ticket types".
  const [chosen, setChosen] = useState(defaults.audience);
  return (
    <Form method="post" {...getFormProps(form)} className="card stack">
      <FormErrors errors={form.errors} id={form.errorId} />
      <TextField field={fields.subject} label="Subject" hint="Placeholders work here too: {{name}}." />
      <TextAreaField
        field={fields.body}
        label="Message"
        rows={10}
        hint="Markdown: a blank line between paragraphs, **bold**, *italic*, [text](https://…), “- ” for a list, “## ” for a heading. {{name}} is each person's name, {{link}} their ticket page (buyers: their order, sponsors: the portal)."
      />
      <fieldset className="stack">
        <legend>Who receives it</legend>
        {Object.entries(audienceKinds).map(([value, label]) => (
          <label className="check" key={value}>
            <input
              type="radio"
              name={fields.audience.name}
              value={value}
              id={`${fields.audience.id}-${value}`}
              defaultChecked={defaults.audience === value}
              onChange={() => setChosen(value)}
            />{" "}
            {label}
          </label>
        ))}
        {chosen === "ticket-types" ? (
          <div className="stack" role="group" aria-label="Ticket types">
            {ticketTypes.map((t) => (
              <label className="check" key={t.id}>
                <input type="checkbox" name="ticketTypeIds" value={t.id} defaultChecked={defaults.ticketTypeIds.includes(t.id)} /> {t.name}
              </label>
            ))}
          </div>
        ) : null}
        {fields.ticketTypeIds.errors ? <p className="field-error">{fields.ticketTypeIds.errors.join(" ")}</p> : null}
        {fields.audience.errors ? <p className="field-error">{fields.audience.errors.join(" ")}</p> : null}
      </fieldset>
      <label className="check">
        <input {...getInputProps(fields.essential, { type: "checkbox", value: "on" })} key={fields.essential.key} /> Essential: about the event itself (a room or
        time change, safety). Sent to everyone, without an unsubscribe link. Leave unticked for news and offers, which people can unsubscribe from.
      </label>
      <div>
        <button type="submit" className="button" name="intent" value="save" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
