// Uploaded speaker photos and sponsor logos. Stored names are random and never reused, so a
// browser or CDN may keep them for a year.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { readImage } from "~/services/uploads.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const image = await readImage(params["*"] ?? "");
  if (!image) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=60" } });
  return new Response(new Uint8Array(image.body), {
    headers: {
      "Content-Type": image.contentType,
      "Content-Length": String(image.body.length),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
