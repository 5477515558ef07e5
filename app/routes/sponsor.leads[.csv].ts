import type { LoaderFunctionArgs } from "@remix-run/node";
import { leadsCsv } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { leadsDownload } from "~/route-helpers/downloads.server";
import { sponsorOf } from "~/route-helpers/sponsor-portal.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const sponsorId = sponsorOf(user);
  const sponsor = await db().sponsor.findUniqueOrThrow({ where: { id: sponsorId }, select: { slug: true } });
  return leadsDownload(await leadsCsv(sponsorId, user.id), sponsor.slug);
}
