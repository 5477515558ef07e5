import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { BrandMark } from "~/components/brand";
import { sponsorOf } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export const handle = { chrome: "app" };
export const headers = () => ({ "Cache-Control": "private, no-store" });

const sections = [
  { to: "/sponsor", label: "Summary", end: true },
  { to: "/sponsor/scan", label: "Scan badges", end: false },
  { to: "/sponsor/leads", label: "Leads", end: false },
  { to: "/sponsor/profile", label: "Public profile", end: false },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const sponsor = await db().sponsor.findUniqueOrThrow({ where: { id: sponsorOf(user) }, select: { name: true } });
  return { user: { name: user.name }, sponsor };
}

export default function SponsorLayout() {
  const { user, sponsor } = useLoaderData<typeof loader>();
  return (
    <>
      <header className="app-header">
        <div className="app-header__inner">
          <Link to="/sponsor" className="brand">
            <BrandMark size={28} />
            <span className="brand__name">{sponsor.name} · RE3M</span>
          </Link>
          <div className="app-header__user">
            <span className="small">{user.name}</span>
            <Form method="post" action="/logout">
              <button type="submit" className="button button--small button--ghost-light">
                Log out
              </button>
            </Form>
          </div>
        </div>
        <nav aria-label="Sponsor portal" className="app-nav">
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <NavLink to={s.to} end={s.end} prefetch="intent">
                  {s.label}
                </NavLink>
              </li>
            ))}
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
