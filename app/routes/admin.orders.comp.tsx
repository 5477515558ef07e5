import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { TextField, singleSelectProps } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { issueComp } from "~/domain/admin-orders.server";
import { DomainError } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { ticketTypesWithCounts } from "~/domain/ticket-admin.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { compSchema } from "~/validation/admin-commerce";

export const meta: MetaFunction = () => [{ title: "Issue a comp ticket · RE3M admin" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "orders:write");
  const event = await adminEvent(request, context);
  const types = await ticketTypesWithCounts(event.id);
  return { types: types.map((t) => ({ id: t.id, name: t.name, available: t.available, isPublic: t.isPublic })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "orders:write");
  const submission = parseWithZod(await request.formData(), { schema: compSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    const { id } = await issueComp(await adminEvent(request, context), submission.value, user.id, clock.now());
    return redirect(`/admin/orders/${id}`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const reply = error.field ? submission.reply({ fieldErrors: { [error.field]: [error.message] } }) : submission.reply({ formErrors: [error.message] });
    return data({ result: reply }, { status: 409 });
  }
}

export default function IssueComp() {
  const { types } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "comp", lastResult: actionData?.result, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: compSchema }) });
  return (
    <div className="stack">
      <p className="small">
        <Link to="/admin/orders">← All orders</Link>
      </p>
      <header>
        <h1>Issue a comp ticket</h1>
        <p className="muted">A free ticket for a speaker, guest or partner. It takes a seat like any sale, and the ticket email goes to the attendee at once.</p>
      </header>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="form-grid card">
        <div className="field">
          <label htmlFor={fields.ticketTypeId.id}>Ticket type</label>
          <select {...singleSelectProps(fields.ticketTypeId)} key={fields.ticketTypeId.key}>
            <option value="">Choose…</option>
            {types.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.available} left{t.isPublic ? "" : ", code only"})
              </option>
            ))}
          </select>
          {fields.ticketTypeId.errors ? <p className="field-error" id={fields.ticketTypeId.errorId}>{fields.ticketTypeId.errors.join(" ")}</p> : null}
        </div>
        <TextField field={fields.name} label="Full name" />
        <TextField field={fields.email} label="Email" type="email" />
        <TextField field={fields.company} label="Company" />
        <TextField field={fields.jobTitle} label="Job title" />
        <TextField field={fields.reason} label="Reason" hint="For the audit log, e.g. “Speaker, panel on magnet recycling”." />
        <div className="field">
          <button type="submit" className="button">
            Issue comp ticket
          </button>
        </div>
      </Form>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
