import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DateTimeField, FieldError, singleSelectProps } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { DomainError } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { discountCodeForEdit, saveDiscountCode, ticketTypesWithCounts, toLocalInput } from "~/domain/ticket-admin.server";
import { requireUser } from "~/services/auth.server";
import { bpsToInput, centsToInput, discountCodeFormSchema } from "~/validation/admin-commerce";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.code ? `Code ${d.code.code}` : "New discount code"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, "tickets:write");
  const event = await adminEvent(request, context);
  const types = (await ticketTypesWithCounts(event.id)).map((t) => ({ id: t.id, name: t.name, isPublic: t.isPublic }));
  if (params.id === "new") return { code: null, types, timeZone: event.timeZone, defaults: { kind: "PERCENT", ticketTypeIds: [] as string[] } };
  const code = await discountCodeForEdit(event.id, params.id ?? "");
  if (!code) throw data({ message: "That discount code does not exist." }, { status: 404 });
  return {
    code: { code: code.code, used: code.used },
    types,
    timeZone: event.timeZone,
    defaults: {
      code: code.code,
      kind: code.kind,
      amount: code.kind === "PERCENT" ? bpsToInput(code.amount) : centsToInput(code.amount),
      maxUses: code.maxUses === null ? "" : String(code.maxUses),
      startsAt: toLocalInput(code.validFrom, event.timeZone),
      endsAt: toLocalInput(code.validUntil, event.timeZone),
      ticketTypeIds: code.ticketTypes.map((t) => t.id),
    },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "tickets:write");
  const submission = parseWithZod(await request.formData(), { schema: discountCodeFormSchema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    await saveDiscountCode(await adminEvent(request, context), params.id === "new" ? null : (params.id ?? null), submission.value, user.id);
    return redirect("/admin/discount-codes");
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const reply = error.field ? submission.reply({ fieldErrors: { [error.field]: [error.message] } }) : submission.reply({ formErrors: [error.message] });
    return data({ result: reply }, { status: 409 });
  }
}

export default function DiscountCodeForm() {
  const { code, types, timeZone, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "discount-code",
    lastResult: actionData?.result,
    defaultValue: defaults,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: discountCodeFormSchema }),
  });
  const chosen = new Set(defaults.ticketTypeIds);
  return (
    <div className="stack">
      <p className="small">
        <Link to="/admin/discount-codes">← All codes</Link>
      </p>
      <header>
        <h1>{code ? `Edit code ${code.code}` : "New discount code"}</h1>
        {code ? <p className="muted">Used {code.used} times. Orders already placed keep the discount they got.</p> : null}
      </header>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="form-grid card">
        <div className="field">
          <label htmlFor={fields.code.id}>Code</label>
          <input {...getInputProps(fields.code, { type: "text" })} key={fields.code.key} autoCapitalize="characters" />
          <FieldError field={fields.code} />
        </div>
        <div className="field">
          <label htmlFor={fields.kind.id}>Kind</label>
          <select {...singleSelectProps(fields.kind)} key={fields.kind.key}>
            <option value="PERCENT">Percentage off</option>
            <option value="FIXED">Fixed amount off the order (CAD)</option>
          </select>
          <FieldError field={fields.kind} />
        </div>
        <div className="field">
          <label htmlFor={fields.amount.id}>Amount</label>
          <input {...getInputProps(fields.amount, { type: "text" })} key={fields.amount.key} inputMode="decimal" aria-describedby={`${fields.amount.id}-hint`} />
          <span className="hint" id={`${fields.amount.id}-hint`}>
            15 means 15% or $15.00, by kind. 100% makes the tickets free.
          </span>
          <FieldError field={fields.amount} />
        </div>
        <div className="field">
          <label htmlFor={fields.maxUses.id}>
            Maximum uses <span className="muted">(optional)</span>
          </label>
          <input {...getInputProps(fields.maxUses, { type: "number" })} key={fields.maxUses.key} min={1} />
          <FieldError field={fields.maxUses} />
        </div>
        <DateTimeField field={fields.startsAt} label="Valid from" timeZone={timeZone} />
        <DateTimeField field={fields.endsAt} label="Valid until" timeZone={timeZone} />
        <fieldset className="field field--wide">
          <legend>Ticket types (none ticked: every public type)</legend>
          {types.map((t) => (
            <label className="check" key={t.id}>
              <input type="checkbox" name={fields.ticketTypeIds.name} value={t.id} defaultChecked={chosen.has(t.id)} />
              {t.name}
              {t.isPublic ? "" : " (code only: this code unlocks it)"}
            </label>
          ))}
          <FieldError field={fields.ticketTypeIds} />
        </fieldset>
        <div className="field">
          <button type="submit" className="button">
            {code ? "Save changes" : "Add code"}
          </button>
        </div>
      </Form>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
