// Rolling restarts (issue 15): the real server.ts, started the way `npm start` starts it, is told
// to stop while requests are on their way. It must answer every request it already received,
// tell the load balancer it is going (503 on /healthz) while it keeps serving for the drain
// period, then stop its jobs and its database and exit 0 with nothing logged as an error.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runningEmbeddedPort } from "~/services/embedded-postgres.server";
import { CHECKOUT_TURNS } from "~/services/work-queue.server";
import { freePort } from "../support/postgres";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Start-up may include `remix build` when build/ is older than the sources (about 2 s, more on a busy machine). */
const START_TIMEOUT_MS = 150_000;

type Exit = { code: number | null; signal: NodeJS.Signals | null };
type RunningServer = { origin: string; child: ChildProcess; exited: Promise<Exit>; stderr: () => string[] };

const started: RunningServer[] = [];
afterAll(async () => {
  // A failed test must not leave a server, or its database, behind: asked to stop, then killed.
  for (const server of started.filter((s) => s.child.exitCode === null && s.child.signalCode === null)) {
    server.child.kill("SIGTERM");
    const killed = setTimeout(() => server.child.kill("SIGKILL"), 30_000);
    await server.exited;
    clearTimeout(killed);
  }
}, 60_000);

/** server.ts as `npm start` runs it, on a free port, with the local Stripe emulator (no keys). */
async function startServer(settings: Record<string, string | undefined>): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: "info", PAGE_CACHE_SECONDS: "0" };
  for (const name of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE"]) delete env[name];
  // undefined: the setting is not set at all.
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  // In a process group of its own, like a shell's job, so that a test can press Ctrl-C (ctrlC).
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"], detached: true });
  const stderr: string[] = [];
  let partial = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    const lines = (partial + text).split("\n");
    partial = lines.pop()!;
    stderr.push(...lines);
  });
  const exited = new Promise<Exit>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const server = { origin: `http://127.0.0.1:${port}`, child, exited, stderr: () => (partial ? [...stderr, partial] : stderr) };
  started.push(server);
  const until = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering:\n${server.stderr().join("\n")}`);
    if (Date.now() > until) throw new Error(`the server did not answer within ${START_TIMEOUT_MS} ms:\n${server.stderr().join("\n")}`);
    const health = await get(server, "/healthz").catch(() => null);
    if (health?.status === 200) return server;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What a terminal does on Ctrl-C: SIGINT to every process of the foreground job. */
function ctrlC(server: RunningServer) {
  process.kill(-server.child.pid!, "SIGINT");
}

type Answer = { status: number; connection: string | undefined; body: string };
type Sent = { pathname: string; method?: string; body?: string; headers?: Record<string, string> };

function get(server: RunningServer, pathname: string) {
  return send(server, pathname, { agent: false }).answer;
}

/** One request; `written` resolves once it has been handed to the operating system. */
function send(server: RunningServer, pathname: string, options: Omit<Sent, "pathname"> & { agent: http.Agent | false }) {
  let sent!: () => void;
  const written = new Promise<void>((resolve) => (sent = resolve));
  let reused = false;
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = http.request(`${server.origin}${pathname}`, { method: options.method ?? "GET", agent: options.agent, headers: options.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: Buffer.concat(parts).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("socket", () => (reused = req.reusedSocket));
    req.on("finish", () => sent());
    req.on("error", (error) => {
      sent();
      reject(error);
    });
    req.end(options.body);
  });
  return { answer, written, reused: () => reused };
}

/**
 * A buyer's checkout post for one Full Delegate Pass. Each buyer comes from an address of their
 * own, as in a real sale, so that the checkout's rate limit is not the story.
 */
function checkout(buyer: number): Sent {
  return {
    pathname: "/tickets/checkout",
    method: "POST",
    body: new URLSearchParams({
      "quantities.full-delegate-pass": "1",
      "buyer.name": `Drain Buyer ${buyer}`,
      "buyer.email": `drain${buyer}@buyers.example`,
      "attendees[0].name": `Drain Attendee ${buyer}`,
      "attendees[0].email": `drain${buyer}@buyers.example`,
    }).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": `10.15.${buyer >> 8}.${buyer & 255}` },
  };
}

/** What a load balancer sends over its open connections: visitors' pages and calendars, buyers' checkouts. */
function requestMix(): Sent[] {
  const pages = ["/", "/agenda", "/speakers", "/sponsors", "/tickets", "/agenda.ics", "/sitemap.xml", "/robots.txt"];
  return [...Array.from({ length: 32 }, (_, i) => ({ pathname: pages[i % pages.length]! })), ...Array.from({ length: 8 }, (_, i) => checkout(i + 1))];
}

/** A status, or how the request failed (ECONNRESET: the server dropped it). */
const outcome = (answer: Promise<Answer>) => answer.then((a) => a.status, (error: NodeJS.ErrnoException) => error.code ?? error.message);

function tally(outcomes: Array<number | string>) {
  return {
    answered: outcomes.filter((o) => typeof o === "number" && o < 500).length,
    failed: outcomes.filter((o) => typeof o !== "number" || o >= 500),
  };
}

/** The lines of a server's error output that say something went wrong while it stopped. */
/**
 * The Go runtime's dump of tsx's esbuild service (a child process of the TypeScript loader, which a
 * compiled production start does not run) when it dies as the server exits: seen once in about
 * twenty runs. Only its own lines are set aside; anything else the server writes still counts.
 */
const ESBUILD_EXIT_DUMP = /^(fatal error: all goroutines are asleep - deadlock!|goroutine \d+ \[.*\]:|\t.*|\S+\(.*\)|created by \S+|github\.com\/evanw\/esbuild\/.*)$/;

function shutdownProblems(lines: string[]) {
  const dumped = lines.some((line) => line.startsWith("fatal error: all goroutines are asleep"));
  return lines.filter(
    (line) =>
      line.trim() !== "" &&
      !(dumped && ESBUILD_EXIT_DUMP.test(line)) &&
      (!line.startsWith("{") || /"level":"error"|unhandled|connection ended|UNLISTEN/i.test(line)),
  );
}

function embeddedDataDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "re3m-shutdown-"));
  // As root, embedded-postgres runs the server as the "postgres" user, which must enter the folder.
  chmodSync(dir, 0o755);
  return dir;
}

function postgresPid(dataDir: string) {
  return Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** 40 connections, open and idle, as a load balancer keeps them. */
async function fortyOpenConnections(server: RunningServer) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
  const warmUps = Array.from({ length: 40 }, () => send(server, "/healthz", { agent }).answer);
  expect((await Promise.all(warmUps)).map((a) => a.status)).toEqual(Array(40).fill(200));
  return agent;
}

/**
 * Sends 40 requests over the open connections and, once all are on their way, the signal.
 * Resolves with what became of them, and of `whileStopping`, which runs meanwhile.
 */
async function fortyRequestsThenStop<T>(server: RunningServer, agent: http.Agent, signal: NodeJS.Signals, whileStopping: () => Promise<T>) {
  const requests = requestMix().map(({ pathname, ...options }) => send(server, pathname, { agent, ...options }));
  await Promise.all(requests.map((r) => r.written));
  server.child.kill(signal);
  const [outcomes, meanwhile] = await Promise.all([Promise.all(requests.map((r) => outcome(r.answer))), whileStopping()]);
  agent.destroy();
  return { summary: { sentOnOpenConnections: requests.filter((r) => r.reused()).length, ...tally(outcomes) }, meanwhile };
}

const allAnswered = { sentOnOpenConnections: 40, answered: 40, failed: [] };

/** Asks /healthz on new connections until it says 503 (a refused connection counts as an answer too). */
async function healthWhenStopping(server: RunningServer) {
  let health: Answer | string | null = null;
  for (let tries = 0; tries < 60; tries++) {
    health = await get(server, "/healthz").catch((error: NodeJS.ErrnoException) => error.code ?? error.message);
    if (typeof health !== "object" || health.status === 503) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return health;
}

describe("stopping the server (SIGTERM, Ctrl-C)", () => {
  it("on its own database server: answers all 40 requests already sent, says 503 on /healthz while it drains, and exits 0", async () => {
    const server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, SHUTDOWN_DRAIN_SECONDS: "8" });
    const agent = await fortyOpenConnections(server);
    const { summary, meanwhile } = await fortyRequestsThenStop(server, agent, "SIGTERM", async () => {
      // The load balancer's view: /healthz turns 503 while the server still takes new
      // connections, and a visitor who arrives then is served, on a connection that then closes.
      const health = await healthWhenStopping(server);
      const visitor = await get(server, "/tickets").catch((error: NodeJS.ErrnoException) => error.code ?? error.message);
      return { health, visitor };
    });
    expect(summary).toEqual(allAnswered);
    expect(meanwhile).toMatchObject({ health: { status: 503, body: "shutting down\n" }, visitor: { status: 200, connection: "close" } });
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(shutdownProblems(server.stderr())).toEqual([]);
  }, 240_000);

  describe("with the embedded database (`npm start` with no DATABASE_URL)", () => {
    const dataDir = embeddedDataDir();
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
    // A fresh machine's `npm start`: no settings but where the data goes.
    const npmStart = { DATABASE_URL: undefined, DATA_DIR: dataDir, NODE_ENV: undefined };

    it("answers all 40 requests already sent, and every checkout waiting for its turn, stops the database after the jobs and the pools, and exits 0", async () => {
      const server = await startServer(npmStart);
      const postgres = postgresPid(dataDir);
      expect(alive(postgres)).toBe(true);
      const agent = await fortyOpenConnections(server);
      // More buyers than the checkout works on at once (CHECKOUT_TURNS). The signal comes once the
      // first is answered and every one has been sent (a post still unwritten when the server
      // closes would find it gone), when later ones are most likely still waiting for their turn.
      const rush = Array.from({ length: 2 * CHECKOUT_TURNS }, (_, i) => send(server, "/tickets/checkout", { agent: false, ...checkout(100 + i) }));
      await Promise.all([Promise.race(rush.map((r) => r.answer)), ...rush.map((r) => r.written)]);
      const { summary, meanwhile } = await fortyRequestsThenStop(server, agent, "SIGTERM", () => Promise.all(rush.map((r) => outcome(r.answer))));
      expect({ ...summary, rush: tally(meanwhile) }).toEqual({ ...allAnswered, rush: { answered: 2 * CHECKOUT_TURNS, failed: [] } });
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(shutdownProblems(server.stderr())).toEqual([]);
      expect(alive(postgres)).toBe(false);
      expect(runningEmbeddedPort(dataDir)).toBeNull();
    }, 240_000);

    it("stops at once, and as cleanly, on a second Ctrl-C during the drain", async () => {
      const server = await startServer({ ...npmStart, SHUTDOWN_DRAIN_SECONDS: "120" });
      const postgres = postgresPid(dataDir);
      ctrlC(server);
      expect(await healthWhenStopping(server)).toMatchObject({ status: 503 });
      // The terminal's Ctrl-C reached the app only: the database still serves the drain.
      expect(await get(server, "/tickets")).toMatchObject({ status: 200, connection: "close" });
      const second = Date.now();
      ctrlC(server);
      expect(await server.exited).toEqual({ code: 0, signal: null });
      // Far less than the drain period of two minutes.
      expect(Date.now() - second).toBeLessThan(30_000);
      expect(shutdownProblems(server.stderr())).toEqual([]);
      expect(alive(postgres)).toBe(false);
    }, 240_000);
  });
});
