import { Form, Link, NavLink, Outlet } from "@remix-run/react";
import type { ReactNode } from "react";
import { BrandMark } from "./brand";
import { forgetDoorLists } from "./door-storage";

/** The header, navigation and main area shared by the admin area and the sponsor portal. */
export function AppChrome({
  home,
  title,
  navLabel,
  sections,
  user,
  notice,
}: {
  home: string;
  title: string;
  navLabel: string;
  sections: { to: string; label: string; end: boolean }[];
  user: ReactNode;
  /** Above every page: what the whole area is showing (the admin's chosen edition). */
  notice?: ReactNode;
}) {
  return (
    <>
      <header className="app-header">
        <div className="app-header__inner">
          <Link to={home} className="brand">
            <BrandMark size={28} />
            <span className="brand__name">{title}</span>
          </Link>
          <div className="app-header__user">
            {user}
            <Form method="post" action="/logout" onSubmit={forgetDoorLists}>
              <button type="submit" className="button button--small button--ghost-light">
                Log out
              </button>
            </Form>
          </div>
        </div>
        <nav aria-label={navLabel} className="app-nav">
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
        {notice}
        <Outlet />
      </main>
    </>
  );
}
