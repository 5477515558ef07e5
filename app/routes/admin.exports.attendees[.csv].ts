import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminEvent } from "~/route-helpers/admin-edition.server";
import { exportCsv } from "~/domain/exports.server";
import { csvDownload } from "~/route-helpers/downloads.server";
import { requireUser } from "~/services/auth.server";
import { clock } from "~/services/clock.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, "exports:read");
  const { filename, body } = await exportCsv("attendees", await adminEvent(request, context), user.id, clock.now());
  return csvDownload(body, filename);
}
