import { db } from "~/services/db.server";

// 200 only when the database answers, so a load balancer stops sending traffic otherwise.
export async function loader() {
  try {
    await db().$queryRaw`SELECT 1`;
    return new Response("ok\n", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unreachable\n", { status: 503, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }
}
