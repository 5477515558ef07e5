// The edition switcher in the admin header: which edition the admin pages show in this browser.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { adminSections } from "~/components/admin-nav";
import { eventById } from "~/domain/event.server";
import { chooseEdition } from "~/route-helpers/admin-edition.server";
import { requireUser } from "~/services/auth.server";
import { switchEditionSchema } from "~/validation/editions";

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request, "admin:access");
  const parsed = switchEditionSchema.safeParse(Object.fromEntries(await request.formData()));
  // Response.json: this route has no page, so its answer goes out as it is.
  if (!parsed.success) return Response.json({ message: parsed.error.issues[0]!.message }, { status: 400 });
  const event = await eventById(parsed.data.edition);
  if (!event) return Response.json({ message: "That edition does not exist. Reload the page and choose one from the list." }, { status: 404 });
  // Back to the same section, never to an address the form names freely.
  const back = adminSections.find((s) => s.to === parsed.data.back)?.to ?? "/admin";
  return redirect(back, { status: 303, headers: { "Set-Cookie": await chooseEdition(event.id, event.status === "PUBLIC") } });
}
