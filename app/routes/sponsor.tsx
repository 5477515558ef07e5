import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppChrome } from "~/components/app-chrome";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { sponsorOf } from "~/route-helpers/sponsor-portal.server";
import { errorPageMeta } from "~/components/route-error";

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
    <AppChrome
      home="/sponsor"
      title={`${sponsor.name} · RE3M`}
      navLabel="Sponsor portal"
      sections={sections}
      user={<span className="small">{user.name}</span>}
    />
  );
}

export { LayoutErrorBoundary as ErrorBoundary } from "~/components/route-error";
export const meta = errorPageMeta("RE3M sponsor portal");
