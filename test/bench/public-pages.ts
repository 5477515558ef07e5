// Requests per second and latency of the public pages (the whole stack: Express, Remix, Prisma,
// PostgreSQL) beside a bare Node HTTP server returning the same bytes.
import os from "node:os";
import path from "node:path";
import { load, startAppServer, startBareServer, type Row } from "./support";

export async function publicPagesBench(options: { seconds: number; connections: number }): Promise<Row[]> {
  const app = await startAppServer();
  const paths = ["/", "/agenda", "/speakers", "/sponsors", "/tickets"];
  const pages: Record<string, string> = {};
  for (const p of paths) pages[p] = await (await fetch(`${app.origin}${p}`)).text();
  const bare = await startBareServer(pages, path.join(os.tmpdir(), `re3m-bench-pages-${process.pid}.json`));
  const rows: Row[] = [];
  try {
    for (const p of paths) {
      // A short warm-up so the first measurement is not the JIT's.
      await load(`${app.origin}${p}`, { connections: options.connections, seconds: 2 });
      const ours = await load(`${app.origin}${p}`, options);
      const base = await load(`${bare.origin}${p}`, options);
      rows.push(
        { target: `app ${p}`, "req/s": Math.round(ours.rps), "p50 ms": ours.p50, "p99 ms": ours.p99, "bytes": Buffer.byteLength(pages[p]!), "vs bare": `${(ours.rps / base.rps * 100).toFixed(1)}%` },
        { target: `bare ${p}`, "req/s": Math.round(base.rps), "p50 ms": base.p50, "p99 ms": base.p99, "bytes": Buffer.byteLength(pages[p]!), "vs bare": "100%" },
      );
    }
  } finally {
    await bare.stop();
    await app.stop();
  }
  return rows;
}
