import type { LoaderFunctionArgs } from "@remix-run/node";
import { leadsCsv, leadsDownload, sponsorOf } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const sponsorId = sponsorOf(user);
  const sponsor = await db().sponsor.findUniqueOrThrow({ where: { id: sponsorId }, select: { slug: true } });
  return leadsDownload(await leadsCsv(sponsorId, user.id), sponsor.slug);
}
