import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DateTimeField, FieldError, TextField, singleSelectProps } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { DomainError } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { saveTicketType, ticketTypeForEdit, toLocalInput } from "~/domain/ticket-admin.server";
import { requireUser } from "~/services/auth.server";
import { centsToInput, ticketTypeSchema } from "~/validation/admin-commerce";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.type?.name ?? "New ticket type"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "tickets:write");
  const event = await adminEvent(request, context);
  if (params.id === "new") {
    // Sales close at the event's default end (settings) unless the organiser picks another.
    const endsAt = toLocalInput(event.defaultSalesEndAt, event.timeZone);
    return { type: null, defaults: { visibility: "public", maxPerOrder: "10", position: "0", endsAt }, timeZone: event.timeZone };
  }
  const type = await ticketTypeForEdit(event.id, params.id ?? "");
  if (!type) throw data({ message: "That ticket type does not exist." }, { status: 404 });
  return {
    type: { name: type.name, sold: type.sold, held: type.held, capacity: type.capacity },
    defaults: {
      name: type.name,
      description: type.description,
      includes: type.includes.join("\n"),
      price: centsToInput(type.priceCents),
      capacity: String(type.capacity),
      startsAt: toLocalInput(type.salesStartAt, event.timeZone),
      endsAt: toLocalInput(type.salesEndAt, event.timeZone),
      visibility: type.isPublic ? "public" : "code",
      maxPerOrder: String(type.maxPerOrder),
      position: String(type.position),
    },
    timeZone: event.timeZone,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "tickets:write");
  const submission = parseWithZod(await request.formData(), { schema: ticketTypeSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    await saveTicketType(await adminEvent(request, context), params.id === "new" ? null : (params.id ?? null), submission.value, user.id);
    return redirect("/admin/ticket-types");
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const reply = error.field ? submission.reply({ fieldErrors: { [error.field]: [error.message] } }) : submission.reply({ formErrors: [error.message] });
    return data({ result: reply }, { status: 409 });
  }
}

export default function TicketTypeForm() {
  const { type, defaults, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "ticket-type",
    lastResult: actionData?.result,
    defaultValue: defaults,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ticketTypeSchema }),
  });
  return (
    <div className="stack">
      <p className="small">
        <Link to="/admin/ticket-types">← All ticket types</Link>
      </p>
      <header>
        <h1>{type ? `Edit ${type.name}` : "New ticket type"}</h1>
        {type ? (
          <p className="muted">
            {type.sold} sold and {type.held} held of {type.capacity}. Price changes apply to new orders only: placed orders keep the price they were charged.
          </p>
        ) : null}
      </header>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="form-grid card">
        <TextField field={fields.name} label="Name" />
        <div className="field">
          <label htmlFor={fields.description.id}>Description</label>
          <textarea {...getTextareaProps(fields.description)} key={fields.description.key} rows={3} />
          <FieldError field={fields.description} />
        </div>
        <div className="field">
          <label htmlFor={fields.includes.id}>
            What is included <span className="muted">(optional, one per line)</span>
          </label>
          <textarea {...getTextareaProps(fields.includes)} key={fields.includes.key} rows={4} />
          <FieldError field={fields.includes} />
        </div>
        <TextField field={fields.price} label="Price before tax (CAD)" hint="In dollars, like 1495.00. 0 makes it free." />
        <div className="field">
          <label htmlFor={fields.capacity.id}>Capacity</label>
          <input {...getInputProps(fields.capacity, { type: "number" })} key={fields.capacity.key} min={0} />
          <FieldError field={fields.capacity} />
        </div>
        <div className="field">
          <label htmlFor={fields.maxPerOrder.id}>Per-order maximum</label>
          <input {...getInputProps(fields.maxPerOrder, { type: "number" })} key={fields.maxPerOrder.key} min={1} max={20} />
          <FieldError field={fields.maxPerOrder} />
        </div>
        <DateTimeField field={fields.startsAt} label="Sales open" timeZone={timeZone} />
        <DateTimeField field={fields.endsAt} label="Sales close" timeZone={timeZone} />
        <div className="field">
          <label htmlFor={fields.visibility.id}>Who can buy it</label>
          <select {...singleSelectProps(fields.visibility)} key={fields.visibility.key}>
            <option value="public">Everyone (listed on /tickets)</option>
            <option value="code">Only with a discount code that unlocks it</option>
          </select>
          <FieldError field={fields.visibility} />
        </div>
        <div className="field">
          <label htmlFor={fields.position.id}>Position in the list</label>
          <input {...getInputProps(fields.position, { type: "number" })} key={fields.position.key} min={0} />
          <FieldError field={fields.position} />
        </div>
        <div className="field">
          <button type="submit" className="button">
            {type ? "Save changes" : "Add ticket type"}
          </button>
        </div>
      </Form>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
