import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AppChrome } from "~/components/app-chrome";
import { adminSections } from "~/components/admin-nav";
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
    <AppChrome
      home="/admin"
      title="RE3M admin"
      navLabel="Admin"
      sections={[...sections, { to: "/", label: "View the public site", end: true }]}
      user={
        <>
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

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
