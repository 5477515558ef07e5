import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { changePassword } from "~/domain/accounts.server";
import { DomainError } from "~/domain/errors";
import { requireUser } from "~/services/auth.server";
import { changePasswordSchema } from "~/validation/account";

export const meta: MetaFunction = () => [{ title: "Your account · RE3M admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  return { name: user.name, email: user.email };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  const submission = parseWithZod(await request.formData(), { schema: changePasswordSchema });
  const hide = { hideFields: ["current", "password", "confirm"] };
  if (submission.status !== "success") return data({ result: submission.reply(hide), changed: false }, { status: 400 });
  try {
    await changePassword(user.id, user.sessionId, submission.value.current, submission.value.password);
    return { result: submission.reply({ resetForm: true }), changed: true };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data({ result: submission.reply({ fieldErrors: { [error.field ?? "current"]: [error.message] }, ...hide }), changed: false }, { status: 400 });
  }
}

const labels = { current: "Current password", password: "New password", confirm: "Repeat the new password" } as const;

export default function Account() {
  const { name, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "change-password", lastResult: actionData?.result, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }) });
  return (
    <div className="stack container--narrow" style={{ marginInline: 0 }}>
      <header>
        <h1>Your account</h1>
        <p className="muted">
          {name} · {email}
        </p>
      </header>
      {actionData?.changed ? (
        <div className="alert alert--ok" role="status">
          <p>Password changed. Any other browser logged in as you has been logged out.</p>
        </div>
      ) : null}
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="stack auth-form">
        <h2>Change password</h2>
        {(Object.keys(labels) as (keyof typeof labels)[]).map((name) => (
          <div className="field" key={name}>
            <label htmlFor={fields[name].id}>{labels[name]}</label>
            <input {...getInputProps(fields[name], { type: "password" })} autoComplete={name === "current" ? "current-password" : "new-password"} key={fields[name].key} />
            {fields[name].errors ? <p className="field-error" id={fields[name].errorId}>{fields[name].errors.join(" ")}</p> : null}
          </div>
        ))}
        <button type="submit" className="button">
          Change password
        </button>
      </Form>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
