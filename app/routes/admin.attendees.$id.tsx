import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { History } from "~/components/admin-history";
import { AttendeeFields } from "~/components/attendee-fields";
import { FormErrors } from "~/components/form-errors";
import { attendeeDetail, editAttendee, resendTicket } from "~/domain/admin-orders.server";
import { DomainError } from "~/domain/errors";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { ticketStatusLabel } from "~/domain/labels";
import { can, requireUser } from "~/services/auth.server";
import { attendeeDetailsSchema } from "~/validation/attendee";
import { BADGE_LAYOUTS, badgeLayoutLabels, badgesPdfHref } from "~/validation/badges";
import { attempt } from "~/route-helpers/admin-forms.server";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.ticket.name ?? "Attendee"} · RE3M admin` }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "orders:read");
  const event = await adminEvent(request, context);
  const ticket = await attendeeDetail(event.id, params.id ?? "");
  if (!ticket) throw data({ message: "That attendee does not exist. The ticket may belong to another event." }, { status: 404 });
  return { ticket, canWrite: can(user, "orders:write") };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "orders:write");
  const event = await adminEvent(request, context);
  const form = await request.formData();
  const ticketId = params.id ?? "";
  if (form.get("intent") === "resend-ticket") {
    return attempt(async () => `The ticket was queued to ${await resendTicket(event.id, ticketId, user.id)}.`);
  }
  const submission = parseWithZod(form, { schema: attendeeDetailsSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), ok: null, error: null }, { status: 400 });
  try {
    const { changed } = await editAttendee(event.id, ticketId, submission.value, user.id);
    return { result: submission.reply(), ok: changed.length === 0 ? "Nothing changed." : `Saved: ${changed.length} field${changed.length === 1 ? "" : "s"} changed.`, error: null };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return data({ result: submission.reply({ formErrors: [error.message] }), ok: null, error: null }, { status: 409 });
  }
}

export default function AttendeePage() {
  const { ticket, canWrite } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "attendee",
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
    constraint: getZodConstraint(attendeeDetailsSchema),
    defaultValue: ticket,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: attendeeDetailsSchema }),
  });
  return (
    <div className="stack">
      <p className="small">
        <Link to="/admin/attendees">← All attendees</Link>
      </p>
      <header>
        <h1>{ticket.name}</h1>
        <p className="muted">
          {ticket.ticketType.name} · {ticketStatusLabel[ticket.status]}
          {ticket.checkedInAt ? ` · checked in ${new Date(ticket.checkedInAt).toISOString().slice(0, 16).replace("T", " ")} UTC` : ""} · badge code{" "}
          <span className="mono">{ticket.shortCode}</span> · order <Link to={`/admin/orders/${ticket.order.id}`}>{ticket.order.reference}</Link> (bought by {ticket.order.buyerName})
        </p>
        <p className="small">{ticket.shareWithSponsors ? "Shares contact details with sponsors." : "Does not share contact details with sponsors."}</p>
        {ticket.status === "VALID" ? (
          <p className="small">
            Badge:{" "}
            {BADGE_LAYOUTS.map((layout, i) => (
              <span key={layout}>
                {i > 0 ? " · " : null}
                <a href={badgesPdfHref({ ticket: ticket.id }, layout)}>{badgeLayoutLabels[layout].title.toLowerCase()} (PDF)</a>
              </span>
            ))}
          </p>
        ) : null}
      </header>
      {actionData?.ok ? (
        <div className="alert alert--ok" role="status">
          <p>{actionData.ok}</p>
        </div>
      ) : null}
      <FormErrors errors={actionData?.error} />
      {canWrite ? (
        <section aria-labelledby="details-title" className="card stack">
          <h2 id="details-title">Details</h2>
          <FormErrors errors={form.errors} id={form.errorId} />
          <Form method="post" {...getFormProps(form)} className="stack">
            <AttendeeFields fields={fields} emailHint="Changing it sends the ticket to the new address." />
            <p className="form-actions">
              <button type="submit" className="button">
                Save details
              </button>
            </p>
          </Form>
          {ticket.status === "VALID" ? (
            <Form method="post">
              <button type="submit" name="intent" value="resend-ticket" className="button button--small button--ghost">
                Resend ticket email
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
      <History events={ticket.history.events} emails={ticket.history.emails} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
