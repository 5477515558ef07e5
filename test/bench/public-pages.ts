// Requests per second and latency of the public pages (the whole stack: Express, Remix, Prisma,
// PostgreSQL) beside a bare Node HTTP server returning the same bytes. The load generator runs on
// the same machine as both; each server's CPU time per request is the figure other programs on a
// shared machine move least.
import os from "node:os";
import path from "node:path";
import { cpuMs, load, startAppServer, startBareServer, type Row } from "./support";

/** The load on `url`, and the CPU time the server `pid` spent per request meanwhile. */
async function measure(url: string, pid: number, options: { seconds: number; connections: number }) {
  const before = cpuMs(pid);
  const result = await load(url, options);
  return { ...result, cpuUs: Math.round(((cpuMs(pid) - before) * 1000) / result.requests) };
}

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
      const ours = await measure(`${app.origin}${p}`, app.pid, options);
      const base = await measure(`${bare.origin}${p}`, bare.pid, options);
      const bytes = Buffer.byteLength(pages[p]!);
      rows.push(
        { target: `app ${p}`, "req/s": Math.round(ours.rps), "p50 ms": ours.p50, "p99 ms": ours.p99, "CPU µs/req": ours.cpuUs, bytes, "vs bare": `${(ours.rps / base.rps * 100).toFixed(1)}%` },
        { target: `bare ${p}`, "req/s": Math.round(base.rps), "p50 ms": base.p50, "p99 ms": base.p99, "CPU µs/req": base.cpuUs, bytes, "vs bare": "100%" },
      );
    }
  } finally {
    await bare.stop();
    await app.stop();
  }
  return rows;
}
