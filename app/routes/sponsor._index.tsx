import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { leadCounts } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { sponsorOf } from "~/route-helpers/sponsor-portal.server";

export const meta: MetaFunction = () => [{ title: "Sponsor portal · RE3M 2025" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const sponsorId = sponsorOf(user);
  const [sponsor, counts, pendingChanges] = await Promise.all([
    db().sponsor.findUniqueOrThrow({
      where: { id: sponsorId },
      select: { name: true, slug: true, booth: true, tier: { select: { name: true, includesAttendeeList: true, benefits: true } } },
    }),
    leadCounts(sponsorId),
    db().sponsorProfileChange.count({ where: { sponsorId, status: "PENDING" } }),
  ]);
  return { sponsor, counts, pendingChanges };
}

export default function SponsorHome() {
  const { sponsor, counts, pendingChanges } = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <header>
        <h1>{sponsor.name}</h1>
        <p className="muted">
          {sponsor.tier.name} sponsor{sponsor.booth ? ` · booth ${sponsor.booth}` : ""}
        </p>
      </header>
      <div className="stat-grid">
        <div className="stat">
          <p className="stat__label">Badge scans</p>
          <p className="stat__value">{counts.scans}</p>
        </div>
        <div className="stat">
          <p className="stat__label">Opted-in attendees</p>
          <p className="stat__value">{sponsor.tier.includesAttendeeList ? counts.optIn : "—"}</p>
        </div>
        <div className="stat">
          <p className="stat__label">Rated hot</p>
          <p className="stat__value">{counts.hot}</p>
        </div>
      </div>
      <div className={`alert ${sponsor.tier.includesAttendeeList ? "alert--ok" : "alert--info"}`}>
        <p>
          {sponsor.tier.includesAttendeeList
            ? `Your ${sponsor.tier.name} tier includes the attendee list: every attendee who agreed to share their details with sponsors is in your leads.`
            : `Your ${sponsor.tier.name} tier does not include the attendee list: your leads are the badges you scan at your booth.`}
        </p>
      </div>
      <p className="button-row">
        <Link className="button" to="/sponsor/scan">
          Scan a badge
        </Link>
        <Link className="button button--ghost" to="/sponsor/leads">
          See and download leads
        </Link>
        <Link className="button button--ghost" to="/sponsor/profile">
          Edit public profile{pendingChanges > 0 ? " (change waiting for review)" : ""}
        </Link>
      </p>
      <p className="small muted">
        Contact details (email and country) appear only for attendees who agreed to share them; if someone withdraws consent, their details leave your list and later downloads.
      </p>
    </div>
  );
}
