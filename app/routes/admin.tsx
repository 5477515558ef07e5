import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { adminSections } from "~/components/admin-nav";
import { BrandMark } from "~/components/brand";
import { can, requireUser } from "~/services/auth.server";

export const handle = { chrome: "app" };
export const headers = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  // Door staff only see check-in; every page below checks its own permission too.
  const user = await requireUser(request, "checkin:scan");
  return {
    user: { name: user.name, email: user.email, role: user.role },
    sections: adminSections.filter((s) => can(user, s.permission)).map(({ to, label, end }) => ({ to, label, end: end ?? false })),
  };
}

export default function AdminLayout() {
  const { user, sections } = useLoaderData<typeof loader>();
  return (
    <>
      <header className="app-header">
        <div className="app-header__inner">
          <Link to="/admin" className="brand">
            <BrandMark size={28} />
            <span className="brand__name">RE3M admin</span>
          </Link>
          <div className="app-header__user">
            <span className="small">
              {user.name} · {user.role.toLowerCase()}
            </span>
            <Link to="/admin/account" className="small">
              Account
            </Link>
            <Form method="post" action="/logout">
              <button type="submit" className="button button--small button--ghost-light">
                Log out
              </button>
            </Form>
          </div>
        </div>
        <nav aria-label="Admin" className="app-nav">
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <NavLink to={s.to} end={s.end} prefetch="intent">
                  {s.label}
                </NavLink>
              </li>
            ))}
            <li>
              <Link to="/">View the public site</Link>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="app-main">
        <Outlet />
      </main>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
