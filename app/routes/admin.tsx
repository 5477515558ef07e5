import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { AppChrome } from "~/components/app-chrome";
import { adminSections } from "~/components/admin-nav";
import { editionStatusLabel } from "~/domain/labels";
import { editionChoices } from "~/domain/editions.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { can, requireUser } from "~/services/auth.server";
import { errorPageMeta } from "~/components/route-error";

export const handle = { chrome: "app" };
export const headers = () => ({ "Cache-Control": "private, no-store" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Door staff only see check-in; every page below checks its own permission too.
  const user = await requireUser(request, "checkin:scan");
  return {
    user: { name: user.name, email: user.email, role: user.role },
    sections: adminSections.filter((s) => can(user, s.permission)).map(({ to, label, end }) => ({ to, label, end: end ?? false })),
    editions: can(user, "admin:access") ? await editionSwitcher(request, context, can(user, "settings:manage")) : null,
  };
}

/** The switcher's choices and the edition the pages show, when there is more than one edition. */
async function editionSwitcher(request: Request, context: object, managesEditions: boolean) {
  const [viewing, choices] = await Promise.all([adminEvent(request, context), editionChoices()]);
  if (choices.length < 2) return null;
  return {
    choices: choices.map((c) => ({ id: c.id, label: `${c.shortName} (${editionStatusLabel[c.status]})` })),
    viewing: { id: viewing.id, shortName: viewing.shortName, status: viewing.status },
    publicName: choices.find((c) => c.status === "PUBLIC")?.shortName ?? null,
    managesEditions,
  };
}

type Switcher = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["editions"]>;

/** The section the page belongs to, where the switcher comes back to (a record of one edition is not in the other). */
function useSection() {
  const { pathname } = useLocation();
  const matching = adminSections.filter((s) => pathname === s.to || pathname.startsWith(`${s.to}/`));
  return matching.sort((a, b) => b.to.length - a.to.length)[0]?.to ?? "/admin";
}

function EditionSwitcher({ editions }: { editions: Switcher }) {
  const section = useSection();
  // A whole page load: every part of the admin area then shows the chosen edition.
  return (
    <Form method="post" action="/admin/editions/switch" reloadDocument className="edition-switch">
      <label htmlFor="edition-switch" className="small">
        Edition
      </label>
      <select id="edition-switch" name="edition" defaultValue={editions.viewing.id} key={editions.viewing.id}>
        {editions.choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
      <input type="hidden" name="back" value={section} />
      <button type="submit" className="button button--small button--ghost-light">
        Show
      </button>
    </Form>
  );
}

function EditionNotice({ editions }: { editions: Switcher }) {
  const { viewing, publicName, managesEditions } = editions;
  if (viewing.status === "PUBLIC") return null;
  return (
    <p className="alert alert--info edition-notice">
      You are working on <strong>{viewing.shortName}</strong>, {viewing.status === "DRAFT" ? "a draft edition not yet on the site" : "a past edition"}.
      {publicName ? ` The public site shows ${publicName}.` : ""} {managesEditions ? <Link to="/admin/editions">Manage editions</Link> : null}
    </p>
  );
}

export default function AdminLayout() {
  const { user, sections, editions } = useLoaderData<typeof loader>();
  return (
    <AppChrome
      home="/admin"
      title="RE3M admin"
      navLabel="Admin"
      sections={[...sections, { to: "/", label: "View the public site", end: true }]}
      notice={editions ? <EditionNotice editions={editions} /> : null}
      user={
        <>
          {editions ? <EditionSwitcher editions={editions} /> : null}
          <span className="small">
            {user.name} · {user.role.toLowerCase()}
          </span>
          <Link to="/admin/account" className="small">
            Account
          </Link>
        </>
      }
    />
  );
}

export { LayoutErrorBoundary as ErrorBoundary } from "~/components/route-error";
export const meta = errorPageMeta("RE3M admin");
