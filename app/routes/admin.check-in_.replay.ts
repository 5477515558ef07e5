// The check-ins a door device queued while offline, sent as one batch when its connection returned
// (ADR 0016): a form with the device id and the admissions as JSON in, each one's answer out.
// A batch sent again records nothing twice. A batch that is not one the page makes changes nothing.
import type { ActionFunctionArgs } from "@remix-run/node";
import { recordAdmissions } from "~/domain/door-offline.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { presentReplay } from "~/route-helpers/door.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";
import { replayFormSchema } from "~/validation/door";

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  const parsed = replayFormSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ ok: false, message: parsed.error.issues[0]!.message }, { status: 400 });
  const event = await adminEvent(request, context);
  const results = await recordAdmissions(event.id, parsed.data.deviceId, parsed.data.entries, user.id, clock.now());
  return Response.json({ ok: true, results: results.map((r) => presentReplay(r, event.timeZone)) }, { headers: { "Cache-Control": "no-store" } });
}
