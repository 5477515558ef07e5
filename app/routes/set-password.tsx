import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/form-errors";
import { setPasswordWithToken, tokenHolder } from "~/domain/accounts.server";
import { DomainError } from "~/domain/errors";
import { assertSameOrigin, homeFor, startSession } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { db } from "~/services/db.server";
import { setPasswordSchema } from "~/validation/account";

export const meta: MetaFunction = () => [{ title: "Choose a password · RE3M 2025" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const holder = token ? await tokenHolder(token, clock.now()) : null;
  return { token, valid: Boolean(holder), email: holder?.user.email ?? null, invitation: holder?.purpose === "INVITATION" };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const submission = parseWithZod(await request.formData(), { schema: setPasswordSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password", "confirm"] }), { status: 400 });
  try {
    const user = await setPasswordWithToken(submission.value.token, submission.value.password, clock.now());
    const full = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { role: true } });
    return redirect(homeFor(full), { headers: { "Set-Cookie": await startSession(user.id) } });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data(submission.reply({ formErrors: [error.message], hideFields: ["password", "confirm"] }), { status: 400 });
  }
}

export default function SetPassword() {
  const { token, valid, email, invitation } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "set-password", lastResult, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema: setPasswordSchema }) });
  if (!valid) {
    return (
      <div className="container container--narrow">
        <header className="page-head">
          <h1>This link no longer works</h1>
          <p className="lead">Links to set a password work once and expire. Ask for a new one.</p>
        </header>
        <Link className="button" to="/forgot-password">
          Get a new link
        </Link>
      </div>
    );
  }
  return (
    <div className="container container--narrow">
      <header className="page-head">
        <h1>{invitation ? "Welcome! Choose your password" : "Choose a new password"}</h1>
        <p className="lead">For {email}. At least 12 characters; a short sentence is easy to remember.</p>
      </header>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="stack auth-form">
        <input type="hidden" name="token" value={token} />
        {(["password", "confirm"] as const).map((name) => (
          <div className="field" key={name}>
            <label htmlFor={fields[name].id}>{name === "password" ? "New password" : "Repeat the new password"}</label>
            <input {...getInputProps(fields[name], { type: "password" })} autoComplete="new-password" key={fields[name].key} />
            {fields[name].errors ? (
              <p className="field-error" id={fields[name].errorId}>
                {fields[name].errors.join(" ")}
              </p>
            ) : null}
          </div>
        ))}
        <button type="submit" className="button">
          Save password and log in
        </button>
      </Form>
    </div>
  );
}
