// The booth page's scan endpoint for script: a form in, JSON out, so queued offline scans can be
// sent with fetch and dropped from the phone once answered.
import type { ActionFunctionArgs } from "@remix-run/node";
import { scanForBooth } from "~/domain/leads.server";
import { requireUser } from "~/services/auth.server";
import { scanSchema } from "~/validation/sponsor";
import { scanAnswer, sponsorOf } from "~/route-helpers/sponsor-portal.server";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, "sponsor:portal");
  const parsed = scanSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ ok: false, message: parsed.error.issues[0]!.message }, { status: 400 });
  const { body, status } = scanAnswer(await scanForBooth(sponsorOf(user), parsed.data.code, user.id, parsed.data.clientScanId));
  return Response.json(body, { status });
}
