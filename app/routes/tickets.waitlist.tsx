import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import * as z from "~/validation/zod";
import { TextField } from "~/components/field";
import { pageMeta, rootData } from "~/components/seo";
import { DomainError } from "~/domain/errors";
import { currentEvent } from "~/domain/event.server";
import { joinWaitlist, OFFER_HOURS } from "~/domain/waitlist.server";
import { db } from "~/services/db.server";
import { attendeeSchema } from "~/validation/attendee";

const schema = z.object({ type: z.string().check(z.maxLength(80)), name: attendeeSchema.shape.name, email: attendeeSchema.shape.email });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const event = await currentEvent(context);
  const slug = new URL(request.url).searchParams.get("type") ?? "";
  const type = await db().ticketType.findFirst({ where: { eventId: event.id, slug, isPublic: true }, select: { slug: true, name: true } });
  if (!type) throw data({ message: "There is no such ticket type." }, { status: 404 });
  return { type, offerHours: OFFER_HOURS };
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageMeta(rootData(matches), { title: `Waitlist: ${data?.type.name ?? "tickets"}`, description: "Be the first to hear when a seat comes back.", path: "/tickets/waitlist" });

export async function action({ request, context }: ActionFunctionArgs) {
  const event = await currentEvent(context);
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    const { typeName } = await joinWaitlist(event.id, submission.value.type, submission.value);
    return redirect(`/tickets?waitlisted=${encodeURIComponent(typeName)}`, 303);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data(submission.reply({ formErrors: [error.message] }), { status: 409 });
  }
}

export default function Waitlist() {
  const { type, offerHours } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({ id: "waitlist", lastResult, shouldValidate: "onBlur", onValidate: ({ formData }) => parseWithZod(formData, { schema }) });
  return (
    <div className="container container--narrow">
      <header className="page-head">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link to="/tickets">← Tickets</Link>
        </nav>
        <p className="eyebrow">Waitlist</p>
        <h1>{type.name} is sold out</h1>
        <p className="lead">
          Leave your name and email. When a seat comes back, the first person waiting gets an email and the seat is
          held for them for {offerHours} hours.
        </p>
      </header>
      <FormErrors errors={form.errors} id={form.errorId} />
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="type" value={type.slug} />
        <div className="form-grid">
          <TextField field={fields.name} label="Full name" autoComplete="name" />
          <TextField field={fields.email} label="Email" type="email" autoComplete="email" />
        </div>
        <button type="submit" className="button">
          Join the waitlist
        </button>
      </Form>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
import { FormErrors } from "~/components/form-errors";
