import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import * as z from "~/validation/zod";
import { AdminTable } from "~/components/admin-list";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const meta: MetaFunction = () => [{ title: "Audit log · RE3M admin" }];

const PAGE = 50;
const filters = z.object({
  action: z.optional(z.string().check(z.maxLength(80))),
  subject: z.optional(z.string().check(z.maxLength(120))),
  actor: z.optional(z.string().check(z.maxLength(254))),
  page: z.catch(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_000)), 1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, "audit:read");
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const f = z.catch(filters, { page: 1 }).parse(params);
  const where = {
    ...(f.action ? { action: { startsWith: f.action } } : {}),
    ...(f.subject ? { subject: { contains: f.subject } } : {}),
    ...(f.actor ? { actor: { email: { contains: f.actor.toLowerCase() } } } : {}),
  };
  const [rows, total, actions] = await Promise.all([
    db().auditLog.findMany({
      where,
      select: { id: true, action: true, subject: true, before: true, after: true, createdAt: true, actor: { select: { email: true } } },
      orderBy: { createdAt: "desc" },
      skip: (f.page - 1) * PAGE,
      take: PAGE,
    }),
    db().auditLog.count({ where }),
    db().auditLog.groupBy({ by: ["action"], orderBy: { action: "asc" } }),
  ]);
  return { rows, total, page: f.page, pages: Math.max(1, Math.ceil(total / PAGE)), filters: f, actions: actions.map((a) => a.action) };
}

export default function AuditLog() {
  const { rows, total, page, pages, filters: f, actions } = useLoaderData<typeof loader>();
  const pageHref = (p: number) => `?${new URLSearchParams({ ...(f.action ? { action: f.action } : {}), ...(f.subject ? { subject: f.subject } : {}), ...(f.actor ? { actor: f.actor } : {}), page: String(p) })}`;
  return (
    <div className="stack">
      <header>
        <h1>Audit log</h1>
        <p className="muted">{total} changes, newest first. Every admin change and every state change of an order is here.</p>
      </header>
      <Form method="get" className="toolbar">
        <div className="field">
          <label htmlFor="action">Action</label>
          <select id="action" name="action" defaultValue={f.action ?? ""}>
            <option value="">All</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="subject">Subject contains</label>
          <input id="subject" name="subject" defaultValue={f.subject ?? ""} placeholder="order:…" />
        </div>
        <div className="field">
          <label htmlFor="actor">Who (email)</label>
          <input id="actor" name="actor" defaultValue={f.actor ?? ""} />
        </div>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <AdminTable
        caption="Audit entries"
        rows={rows}
        columns={[
          { header: "When (UTC)", cell: (r) => new Date(r.createdAt).toISOString().slice(0, 19).replace("T", " ") },
          { header: "Who", cell: (r) => r.actor?.email ?? "system" },
          { header: "Action", cell: (r) => <code>{r.action}</code> },
          { header: "Subject", cell: (r) => <code>{r.subject}</code> },
          {
            header: "Before → after",
            cellClassName: "small",
            cell: (r) => (
              <>
                {r.before ? <code>{JSON.stringify(r.before)}</code> : null}
                {r.before && r.after ? " → " : null}
                {r.after ? <code>{JSON.stringify(r.after)}</code> : null}
              </>
            ),
          },
        ]}
      />
      <nav aria-label="Pages" className="button-row">
        {page > 1 ? <Link to={pageHref(page - 1)}>← Newer</Link> : null}
        <span className="small muted">
          Page {page} of {pages}
        </span>
        {page < pages ? <Link to={pageHref(page + 1)}>Older →</Link> : null}
      </nav>
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
