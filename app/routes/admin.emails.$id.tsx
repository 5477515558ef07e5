import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { EmailStatusBadge } from "~/components/email-status";
import { carriesAccountLink } from "~/domain/emails.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { can, requireUser, type Permission } from "~/services/auth.server";
import { outboxEmail, outboxTemplate, resendEmail, stamp } from "~/domain/outbox.server";

const notFound = () => data({ message: "There is no email with that id in the outbox." }, { status: 404 });

/**
 * The person asking, when they may open this email. An invitation or a password reset holds a
 * link that sets its account's password: an organiser who read the admin's would become admin, so
 * only those who manage accounts may read or resend one.
 */
async function requireEmailAccess(request: Request, id: string, permission: Permission) {
  const user = await requireUser(request, permission);
  const template = await outboxTemplate(id);
  if (!template) throw notFound();
  if (carriesAccountLink(template) && !can(user, "users:manage")) {
    throw data({ message: "This email holds a link that sets the password of the account it was sent to, so only admins can open or resend it." }, { status: 403 });
  }
  return user;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireEmailAccess(request, params.id!, "emails:read");
  const event = await adminEvent(request, context);
  const email = await outboxEmail(params.id!);
  if (!email) throw notFound();
  const { row } = email;
  return {
    ...email,
    canResend: can(user, "orders:write"),
    row: {
      ...row,
      createdAt: stamp(row.createdAt, event.timeZone),
      dueAt: stamp(row.dueAt, event.timeZone),
      sentAt: row.sentAt ? stamp(row.sentAt, event.timeZone) : null,
    },
  };
}

// Sending mail to a buyer or attendee again is an order action, as on the order pages.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireEmailAccess(request, params.id!, "orders:write");
  const copy = await resendEmail(params.id!, { actorId: user.id });
  if (!copy) throw notFound();
  return redirect(`/admin/emails/${copy.id}`, 303);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.row.subject} · Emails · RE3M admin` : "Email · RE3M admin" }];

export default function EmailPage() {
  const { row, rendering, renderError, canResend } = useLoaderData<typeof loader>();
  const resending = useNavigation().state === "submitting";
  return (
    <div className="stack email-detail">
      <header>
        <p className="breadcrumb">
          <Link to="/admin/emails">All emails</Link>
        </p>
        <h1 className="wrap-anywhere">{row.subject}</h1>
        <p className="muted">
          <code>{row.template}</code> email to {row.toAddress}
        </p>
      </header>
      <div className="detail">
        <div className="stack">
          {renderError ? (
            <div className="alert alert--error" role="alert">
              <p>
                <strong>This email cannot be rendered now:</strong> {renderError}
              </p>
            </div>
          ) : null}
          {rendering ? (
            <>
              <section aria-labelledby="html-title" className="stack">
                <h2 id="html-title">Message</h2>
                {/* sandbox="": no scripts, forms or navigation, and the email's styles stay inside. */}
                <iframe className="email-frame" title={`The email “${row.subject}” as HTML`} sandbox="" srcDoc={rendering.html} />
              </section>
              <section aria-labelledby="text-title" className="stack">
                <h2 id="text-title">Plain text</h2>
                <pre className="email-text">{rendering.text}</pre>
              </section>
            </>
          ) : null}
        </div>
        <aside className="stack">
          <dl className="facts">
            <div>
              <dt>To</dt>
              <dd className="wrap-anywhere">{row.toAddress}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <EmailStatusBadge status={row.status} />
              </dd>
            </div>
            <div>
              <dt>Attempts</dt>
              <dd>{row.attempts}</dd>
            </div>
            <div>
              <dt>Queued</dt>
              <dd>{row.createdAt}</dd>
            </div>
            <div>
              <dt>{row.sentAt ? (row.status === "STORED" ? "Stored" : "Sent") : "Next attempt"}</dt>
              <dd>{row.sentAt ?? (row.status === "PENDING" ? row.dueAt : "—")}</dd>
            </div>
            {row.lastError ? (
              <div>
                <dt>Last error</dt>
                <dd className="wrap-anywhere">{row.lastError}</dd>
              </div>
            ) : null}
          </dl>
          {rendering ? (
            <section aria-labelledby="attachments-title">
              <h2 id="attachments-title">Attachments</h2>
              {rendering.attachments.length === 0 ? (
                <p className="muted">None.</p>
              ) : (
                <ul>
                  {rendering.attachments.map((a) => (
                    <li key={a.filename}>
                      <strong>{a.filename}</strong>
                      <br />
                      <span className="small muted">
                        {`${a.contentType.split(";")[0]}, ${(a.bytes / 1024).toFixed(1)} KB${a.cid ? `, inline as cid:${a.cid}` : ""}`}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ) : null}
          {canResend ? (
            <Form method="post">
              <button type="submit" className="button" disabled={resending}>
                {resending ? "Queuing…" : "Resend"}
              </button>
              <p className="small muted">Queues a new copy to the same address; this one stays as it is.</p>
            </Form>
          ) : null}
        </aside>
      </div>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
