import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { TextField } from "~/components/field";
import { requestPasswordReset } from "~/domain/accounts.server";
import { assertSameOrigin } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { checkoutLimiter, retryAfterSeconds } from "~/services/rate-limit.server";
import { forgotSchema } from "~/validation/account";

export const meta: MetaFunction = () => [{ title: "Reset your password · RE3M 2025" }, { name: "robots", content: "noindex" }];

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const submission = parseWithZod(await request.formData(), { schema: forgotSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: false }, { status: 400 });
  if ((await retryAfterSeconds(checkoutLimiter, `reset:${context.clientIp ?? "unknown"}`)) === 0) {
    await requestPasswordReset(submission.value.email, clock.now());
  }
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "forgot", lastResult: actionData?.result, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotSchema }) });
  return (
    <div className="container container--narrow">
      <header className="page-head">
        <h1>Reset your password</h1>
        <p className="lead">We will email you a link to choose a new password. It works for one hour.</p>
      </header>
      {actionData?.sent ? (
        <div className="alert alert--ok" role="status">
          <p>If that address has an account, a reset link is on its way.</p>
        </div>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack auth-form">
        <TextField field={fields.email} label="Email" type="email" autoComplete="username" />
        <button type="submit" className="button">
          Email me a link
        </button>
      </Form>
    </div>
  );
}
