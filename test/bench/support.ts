import { execFileSync, spawn, fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { freePort, startTestCluster } from "../support/postgres";

export type Row = Record<string, string | number>;

/** Reads a stream (a CSV export) to the end, timed, with the process's resident memory sampled meanwhile. */
export async function measureStream(open: () => Promise<ReadableStream<Uint8Array>>) {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const reader = (await open()).getReader();
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const b of value) if (b === 10) lines++;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { lines, seconds, bytes, before, peak };
}

/**
 * A throwaway embedded database, migrated and seeded with the sample event, that the app's modules
 * imported after this call use. The caller stops the cluster it returns.
 */
export async function seededBenchDatabase(name: string) {
  const cluster = await startTestCluster(name);
  const url = cluster.urlFor("postgres_admin");
  // The app's modules read the environment on first use: point them at this database first.
  process.env.LOG_LEVEL ??= "warn";
  const { applyRuntimeSettings } = await import("~/services/env.server");
  applyRuntimeSettings({ DATABASE_URL: url });
  try {
    const { applyMigrations } = await import("~/services/migrations.server");
    const { createDb } = await import("~/services/db.server");
    const { seed } = await import("../../prisma/seed-data");
    await applyMigrations(url);
    const seeding = createDb(url, 2);
    await seed(seeding, { adminEmail: "bench@example.com", adminPassword: "bench-password-123" });
    await seeding.$disconnect();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

export async function waitFor(url: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** The real server in production mode against its own throwaway embedded database. */
export async function startAppServer(extraEnv: Record<string, string> = {}) {
  const cluster = await startTestCluster("bench");
  const port = await freePort();
  // BENCH_PROFILE_DIR=dir writes a CPU profile of the server (node --cpu-prof) for a closer look.
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  // As production runs it: the compiled entry (built here when stale; it builds the app when that
  // is), not `tsx server.ts`, whose loader and source maps a production server does not have.
  execFileSync(process.execPath, ["scripts/build-server.mjs", "--if-stale"], { stdio: "inherit" });
  const child = spawn(process.execPath, [...profile, "build/server.js"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: cluster.urlFor("postgres_admin"),
      SESSION_SECRET: "bench-session-secret-bench-session-secret",
      STRIPE_SECRET_KEY: "sk_test_bench",
      STRIPE_WEBHOOK_SECRET: "whsec_bench",
      ADMIN_EMAIL: "bench@example.com",
      ADMIN_PASSWORD: "bench-password-123",
      LOG_LEVEL: "warn",
      ...extraEnv,
    },
  });
  // If the benchmark itself dies, the server must not outlive it.
  process.once("exit", () => child.kill("SIGKILL"));
  const origin = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the server exited (${code}) before answering`))));
  await Promise.race([waitFor(`${origin}/healthz`), exited]);
  return {
    origin,
    pid: child.pid!,
    databaseUrl: cluster.urlFor("postgres_admin"),
    async stop() {
      await stopChild(child);
      await cluster.stop();
    },
  };
}

export async function startBareServer(pages: Record<string, string>, file: string) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(file, JSON.stringify(pages));
  const port = await freePort();
  const child = fork(new URL("./bare-server.ts", import.meta.url).pathname, [file, String(port)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise<void>((resolve) => child.once("message", () => resolve()));
  const { rmSync } = await import("node:fs");
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      await stopChild(child);
      rmSync(file, { force: true });
    },
  };
}

function stopChild(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Load from this process (a second process on loopback) with autocannon. */
export async function load(url: string, { connections = 32, seconds = 8 } = {}) {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses and ${result.errors} errors under load`);
  }
  return { rps: result.requests.average, requests: result.requests.total, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * CPU time a process has used so far, in ms (user and system, from /proc): unlike requests per
 * second it hardly moves when other programs share the machine.
 */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
