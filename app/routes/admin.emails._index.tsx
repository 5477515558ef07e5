import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Pager } from "~/components/admin-list";
import { EmailStatusBadge } from "~/components/email-status";
import { currentEvent } from "~/domain/event.server";
import { requireUser } from "~/services/auth.server";
import { listOutboxEmails, stamp } from "~/domain/outbox.server";

export const meta: MetaFunction = () => [{ title: "Emails · RE3M admin" }];

const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, "emails:read");
  const event = await currentEvent(context);
  const { emails, total, page, pages } = await listOutboxEmails(pageParam.parse(new URL(request.url).searchParams.get("page") ?? 1));
  return { total, page, pages, emails: emails.map((e) => ({ ...e, createdAt: stamp(e.createdAt, event.timeZone) })) };
}

export default function EmailsPage() {
  const { emails, total, page, pages } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header>
        <h1>Emails</h1>
        <p className="muted">
          {`${total} ${total === 1 ? "email" : "emails"}, newest first. Without an SMTP server (SMTP_URL) nothing leaves this machine: messages are kept here as “Stored”.`}
        </p>
      </header>
      {emails.length === 0 ? (
        <p className="muted">No emails yet. They appear here as soon as an order is paid.</p>
      ) : (
        <table className="data-table data-table--cards">
          <caption className="visually-hidden">{`Emails, page ${page} of ${pages}`}</caption>
          <thead>
            <tr>
              <th scope="col">Queued</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Template</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {emails.map((e) => (
              <tr key={e.id}>
                <td data-label="Queued">{e.createdAt}</td>
                <td data-label="To" className="wrap-anywhere">
                  {e.toAddress}
                </td>
                <td data-label="Subject">
                  <Link to={`/admin/emails/${e.id}`}>{e.subject}</Link>
                </td>
                <td data-label="Template">
                  <code>{e.template}</code>
                </td>
                <td data-label="Status">
                  <EmailStatusBadge status={e.status} />
                </td>
                <td data-label="Attempts" className="num">
                  {e.attempts}
                </td>
                <td data-label="Last error" className="wrap-anywhere">
                  {e.lastError ?? "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager filter={{ page }} pages={pages} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
