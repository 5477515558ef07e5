import { db } from "~/services/db.server";
import { isDraining } from "~/services/shutdown.server";

// 200 only when the database answers, so a load balancer stops sending traffic otherwise; 503 as
// soon as the instance is stopping, while it still serves what comes (its drain period).
export async function loader() {
  if (isDraining()) {
    return new Response("shutting down\n", { status: 503, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }
  try {
    await db().$queryRaw`SELECT 1`;
    return new Response("ok\n", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unreachable\n", { status: 503, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  }
}
