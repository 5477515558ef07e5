import type { LoaderFunctionArgs } from "@remix-run/node";
import { leadsCsv } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { leadsDownload } from "~/route-helpers/downloads.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "leads:all");
  const sponsorId = new URL(request.url).searchParams.get("sponsor") ?? "";
  const event = await adminEvent(request, context);
  const sponsor = await db().sponsor.findFirst({ where: { id: sponsorId, eventId: event.id }, select: { id: true, slug: true } });
  // A Response, as requireUser's refusal: a resource route logs a thrown data() as a server error.
  if (!sponsor) throw Response.json({ message: "That sponsor does not exist. Choose one from the list." }, { status: 404 });
  return leadsDownload(await leadsCsv(sponsor.id, user.id), sponsor.slug);
}
