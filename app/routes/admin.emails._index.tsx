import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import * as z from "~/validation/zod";
import { AdminTable, Pager } from "~/components/admin-list";
import { EmailStatusBadge } from "~/components/email-status";
import { carriesAccountLink } from "~/domain/emails.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { can, requireUser } from "~/services/auth.server";
import { listOutboxEmails, stamp } from "~/domain/outbox.server";

export const meta: MetaFunction = () => [{ title: "Emails · RE3M admin" }];

const pageParam = z.catch(z.coerce.number().check(z.int(), z.gte(1), z.lte(100_000)), 1);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "emails:read");
  const event = await adminEvent(request, context);
  const { emails, total, page, pages } = await listOutboxEmails(pageParam.parse(new URL(request.url).searchParams.get("page") ?? 1));
  // Invitations and password resets open for admins only (see admin.emails.$id.tsx).
  const opens = (template: string) => !carriesAccountLink(template) || can(user, "users:manage");
  return { total, page, pages, emails: emails.map((e) => ({ ...e, opens: opens(e.template), createdAt: stamp(e.createdAt, event.timeZone) })) };
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
        <AdminTable
          caption={`Emails, page ${page} of ${pages}`}
          cards
          rows={emails}
          columns={[
            { header: "Queued", cell: (e) => e.createdAt },
            { header: "To", cellClassName: "wrap-anywhere", cell: (e) => e.toAddress },
            {
              header: "Subject",
              cell: (e) =>
                e.opens ? (
                  <Link to={`/admin/emails/${e.id}`}>{e.subject}</Link>
                ) : (
                  <>
                    {e.subject} <span className="small muted">(holds a password link: admins only)</span>
                  </>
                ),
            },
            { header: "Template", cell: (e) => <code>{e.template}</code> },
            { header: "Status", cell: (e) => <EmailStatusBadge status={e.status} /> },
            { header: "Attempts", numeric: true, cell: (e) => e.attempts },
            { header: "Last error", cellClassName: "wrap-anywhere", cell: (e) => e.lastError ?? "—" },
          ]}
        />
      )}
      <Pager filter={{ page }} pages={pages} />
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
