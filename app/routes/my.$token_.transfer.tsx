import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TextField } from "~/components/field";
import { FormErrors } from "~/components/form-errors";
import { DomainError } from "~/domain/errors";
import { ticketPermissions, transferTicket } from "~/domain/tickets.server";
import { clock } from "~/services/clock.server";
import { privateHeaders } from "~/services/http-cache.server";
import { requireTicket, ticketNotFound } from "~/route-helpers/ticket-link.server";
import { transferSchema } from "~/validation/ticket";

export const headers: HeadersFunction = () => privateHeaders;

export async function loader({ params }: LoaderFunctionArgs) {
  const ticket = await requireTicket(params.token);
  return {
    token: params.token!,
    name: ticket.name,
    type: ticket.ticketType.name,
    eventName: ticket.order.event.shortName,
    refusal: ticketPermissions(ticket, clock.now()).transfer,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Transfer your ticket · ${data?.eventName ?? "RE3M 2025"}` },
  { name: "robots", content: "noindex" },
];

export async function action({ params, request }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: transferSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400, headers: privateHeaders });
  try {
    await transferTicket(params.token ?? "", submission.value, clock.now());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.rule === "ticket.not-found") throw ticketNotFound();
    const reply = error.field ? submission.reply({ fieldErrors: { [error.field]: [error.message] } }) : submission.reply({ formErrors: [error.message] });
    return data(reply, { status: 409, headers: privateHeaders });
  }
  // This page's link is dead now (its loader would answer 404), so the result has its own page.
  // The new link goes to the new holder by email only; no page ever shows it.
  return redirect("/my/transferred", { status: 303, headers: privateHeaders });
}

export default function TransferPage() {
  const { token, name, type, refusal } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "transfer",
    lastResult,
    constraint: getZodConstraint(transferSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: transferSchema }),
  });

  const confirm = fields.confirm;
  return (
    <div className="container container--narrow">
      <header className="page-head">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to={`/my/${token}`}>← Back to your ticket</Link>
        </nav>
        <p className="eyebrow">{type}</p>
        <h1>Transfer your ticket</h1>
        <p className="lead">Give {name}'s ticket to someone else. They receive it by email with its own QR code and link.</p>
      </header>
      {refusal ? (
        <div className="alert alert--info" role="status">
          <p>{refusal}</p>
        </div>
      ) : (
        <Form method="post" {...getFormProps(form)} className="panel-form">
          <div className="alert alert--info">
            <p>What happens when you transfer:</p>
            <ul>
              <li>Your QR code and this link stop working at once.</li>
              <li>The new holder gets the ticket by email and fills in their own details.</li>
              <li>Your details, your sponsor sharing choice and your agenda picks are removed from the ticket.</li>
            </ul>
          </div>
          <FormErrors errors={form.errors} id={form.errorId} />
          <fieldset className="panel">
            <legend>The new holder</legend>
            <div className="form-grid">
              <TextField field={fields.name} label="Full name" hint="As it should appear on their badge." />
              <TextField field={fields.email} label="Email" type="email" hint="Their ticket is sent here." />
            </div>
            <div className="check form-actions">
              <input
                {...getInputProps(confirm, {
                  type: "checkbox",
                  value: "on",
                  ariaDescribedBy: confirm.errors ? confirm.errorId : undefined,
                })}
                key={confirm.key}
              />
              <label htmlFor={confirm.id}>I understand that my ticket, its QR code and this link stop working once I transfer it.</label>
            </div>
            {confirm.errors ? (
              <p className="field-error" id={confirm.errorId}>
                {confirm.errors.join(" ")}
              </p>
            ) : null}
          </fieldset>
          <button type="submit" className="button button--accent" disabled={navigation.state === "submitting"}>
            Transfer the ticket
          </button>
        </Form>
      )}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
