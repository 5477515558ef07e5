import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { withRetryAfter } from "~/route-helpers/retry-after.server";
import { assertSameOrigin, homeFor, logIn, safeRedirect, userFromRequest } from "~/services/auth.server";
import { loginSchema } from "~/validation/account";

export const meta: MetaFunction = () => [{ title: "Log in · RE3M 2025" }, { name: "robots", content: "noindex" }];

export function headers({ actionHeaders }: HeadersArgs) {
  return withRetryAfter(actionHeaders);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await userFromRequest(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), homeFor(user)));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const submission = parseWithZod(await request.formData(), { schema: loginSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const result = await logIn(submission.value.email, submission.value.password, context.clientIp ?? "unknown");
  if (!result.ok) {
    return data(submission.reply({ formErrors: [result.message], hideFields: ["password"] }), {
      status: result.retryAfter ? 429 : 401,
      headers: result.retryAfter ? { "Retry-After": String(result.retryAfter) } : {},
    });
  }
  return redirect(safeRedirect(submission.value.redirectTo, homeFor(result.user)), { headers: { "Set-Cookie": result.cookie } });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [form, fields] = useForm({ id: "login", lastResult, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }) });
  return (
    <div className="container container--narrow">
      <header className="page-head">
        <p className="eyebrow">Organisers, door staff and sponsors</p>
        <h1>Log in</h1>
      </header>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="stack auth-form">
        {/* The page to return to comes from the address, not from the last post: both made React complain of an input with a value and a default. */}
        <input type="hidden" name={fields.redirectTo.name} value={params.get("redirectTo") ?? ""} />
        <TextField field={fields.email} label="Email" type="email" autoComplete="username" />
        <div className="field">
          <label htmlFor={fields.password.id}>Password</label>
          <input {...getInputProps(fields.password, { type: "password" })} autoComplete="current-password" key={fields.password.key} />
          {fields.password.errors ? (
            <p className="field-error" id={fields.password.errorId}>
              {fields.password.errors.join(" ")}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button">
          Log in
        </button>
        <p className="small">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      </Form>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
