// The door's ticket list for working offline (ADR 0016): every ticket of the admin's edition,
// signed for this login session. Read by the check-in page's script, kept on the device.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { signedDoorList } from "~/domain/door-offline.server";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "checkin:scan");
  const event = await adminEvent(request, context);
  return Response.json(await signedDoorList(event, user, clock.now()), { headers: { "Cache-Control": "private, no-store" } });
}
