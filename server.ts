// The one process: settings, database (embedded when DATABASE_URL is unset), migrations, and the
// Express server that mounts the Remix build. Seeding, the background jobs and the middlewares come
// from the build itself (its serverRuntime, exported by app/entry.server.tsx), so that they share
// the routes' modules; this file imports only what must run before the build exists.
import { existsSync, readdirSync, statSync, watch } from "node:fs";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { env, EnvError, applyRuntimeSettings, DEV_ADMIN_PASSWORD } from "./app/services/env.server";
import { log } from "./app/services/log.server";
import { startEmbeddedPostgres } from "./app/services/embedded-postgres.server";
import { applyMigrations } from "./app/services/migrations.server";
import type { MiddlewareName, ServerRuntime } from "./app/server-runtime.server";

const DEV = process.argv.includes("--dev");
const BUILD_PATH = path.resolve("build/index.js");

// Writes after `remix dev` exits hit EPIPE; there is nobody left to read them.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

/**
 * Once the drain period is over, how long the requests still being answered may take before their
 * connections are cut: the slowest answer, a payment step that waits 10 s for its turn and 20 s
 * for Stripe, fits.
 */
const FINISH_REQUESTS_WITHIN_MS = 30_000;

const stops: Array<() => Promise<void>> = [];
let startingUp: Promise<unknown> = Promise.resolve();
let shuttingDown = false;
// A second signal (Ctrl-C again) skips the waits: the rest of the drain, and slow requests.
let hurry = () => {};
const hurried = new Promise<void>((resolve) => (hurry = resolve));

async function shutdown(signal: string) {
  if (shuttingDown) {
    log.info("stopping at once", { signal });
    return hurry();
  }
  shuttingDown = true;
  log.info("shutting down", { signal });
  // A Ctrl-C during start-up must not orphan the database: wait for it to finish first.
  await startingUp.catch(() => {});
  // Last started, first stopped: the HTTP server, then the jobs and the pools, then the database.
  for (const stop of stops.reverse()) {
    await stop().catch((error) => log.error("shutdown step failed", { error: String(error) }));
  }
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How long a stopping server goes on accepting the connections already queued for it, at most:
 * a busy server takes one per turn of its event loop, 10 ms or more each in a rush.
 */
const ACCEPT_QUEUED_WITHIN_MS = 10_000;

/**
 * Accepts the connections waiting in the listen queue. The kernel completes a client's connection,
 * which may already carry its request, before the server accepts it, and libuv accepts one
 * connection per turn of the event loop; closing the server resets every connection still queued.
 * In test/integration/shutdown.test.ts, up to 116 of 128 checkout posts sent before the signal were
 * still queued on Node 24 (fewer, less often, on Node 20). Returns once 10 ms have passed with no
 * connection accepted: the queue was empty for a whole turn.
 */
async function acceptQueuedConnections(server: http.Server) {
  let accepted = 0;
  const count = () => accepted++;
  server.on("connection", count);
  const until = Date.now() + ACCEPT_QUEUED_WITHIN_MS;
  do {
    accepted = 0;
    await Promise.race([delay(10), hurried]);
  } while (accepted > 0 && Date.now() < until);
  server.off("connection", count);
}

/**
 * Stops serving without dropping a request. For the drain period the server answers as usual,
 * new connections included, while /healthz says 503 and every answer closes its connection, so
 * that the load balancer moves its traffic elsewhere. Then it stops accepting connections, lets
 * every request it has received be answered (those waiting in the checkout queue too), and closes
 * each connection as it falls idle, within FINISH_REQUESTS_WITHIN_MS.
 */
async function stopServing(server: http.Server, runtime: ServerRuntime, drainSeconds: number) {
  runtime.startDraining();
  if (drainSeconds > 0) {
    log.info(`serving ${drainSeconds} s more while load balancers see /healthz say 503 (SHUTDOWN_DRAIN_SECONDS); send the signal again to stop at once`);
  }
  await Promise.race([delay(drainSeconds * 1000), hurried]);
  await acceptQueuedConnections(server);
  // One more turn of the event loop reads the requests already sent on open connections: closing
  // the server closes every connection that has not started a request, and would reset those.
  await new Promise((resolve) => setImmediate(resolve));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // An answer whose headers went out before the drain kept its connection alive; close it once idle.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const finished = await Promise.race([closed.then(() => true), delay(FINISH_REQUESTS_WITHIN_MS).then(() => false), hurried.then(() => false)]);
  clearInterval(idle);
  if (!finished) {
    const open = await new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count ?? 0)));
    if (open > 0) log.warn("cutting the connections of requests not answered in time", { connections: open });
    server.closeAllConnections();
    await closed;
  }
}

function newestSourceTime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

async function loadBuild(): Promise<ServerBuild> {
  return (await import(`${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`)) as ServerBuild;
}

// `npm start` builds when the build is missing, stale, or a development build (which fails
// under a production start with "jsxDEV is not a function"). A production image holds the build
// and not its sources (nor the compiler): there the build is used as it is.
async function productionBuild(): Promise<ServerBuild> {
  const buildable = existsSync("remix.config.js");
  const sources = buildable ? Math.max(newestSourceTime("app"), newestSourceTime("emails"), statSync("remix.config.js").mtimeMs) : 0;
  let build = existsSync(BUILD_PATH) && statSync(BUILD_PATH).mtimeMs >= sources ? await loadBuild() : undefined;
  if (build?.mode !== "production") {
    if (!buildable) throw new Error(`${BUILD_PATH} is ${build ? "a development build" : "missing"}: run \`npm run build\` where the sources are`);
    log.info(build ? "rebuilding: the build in build/ is a development build" : "building the app (remix build)");
    execFileSync(process.execPath, [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "build"], {
      stdio: ["ignore", "ignore", "inherit"],
      // @remix-run/dev loads Vite's CJS entry for its (unused here) Vite plugin, which warns.
      env: { ...process.env, VITE_CJS_IGNORE_WARNING: "true" },
    });
    build = await loadBuild();
  }
  return build;
}

// A fresh object per request: loaders use it to share per-request work (see currentEvent) and
// read the client's address (behind a proxy, from X-Forwarded-For; `trust proxy` is on).
// A checkout post's load context also ends its turn in the checkout queue (checkoutAdmission).
const getLoadContext = (req: express.Request, res: express.Response) => ({
  clientIp: req.ip ?? "unknown",
  leaveCheckoutQueue: res.locals.leaveCheckoutQueue as (() => void) | undefined,
  plainFormPost: res.locals.plainFormPost === true,
});

const runtimeOf = (build: ServerBuild) => (build.entry.module as unknown as { serverRuntime: ServerRuntime }).serverRuntime;

async function start() {
  const settings = env();
  if (!settings.DATABASE_URL) {
    const cluster = await startEmbeddedPostgres(settings.DATA_DIR, (line) => log.warn(line), { stopOnSignals: false });
    stops.push(() => cluster.stop());
    applyRuntimeSettings({ DATABASE_URL: cluster.url });
    log.info("embedded PostgreSQL started", { dataDir: path.resolve(settings.DATA_DIR, "postgres"), port: cluster.port });
  }
  await applyMigrations(env().DATABASE_URL!);

  if (!settings.STRIPE_SECRET_KEY) {
    // No Stripe keys: payments go to the local emulator (test/stripe-emulator), which signs and
    // delivers webhooks to this server like Stripe does. Production refuses this (env.server.ts).
    const { startStripeEmulator } = await import("./test/stripe-emulator/server");
    const webhookSecret = `whsec_emulator_${randomBytes(12).toString("hex")}`;
    const emulator = await startStripeEmulator({
      webhookUrl: `http://127.0.0.1:${settings.PORT}/webhooks/stripe`,
      webhookSecret,
      log: (line: string) => log.debug(line),
    });
    stops.push(() => emulator.stop());
    applyRuntimeSettings({ STRIPE_SECRET_KEY: "sk_test_emulator", STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_BASE: emulator.url });
    log.info("Stripe emulator started (no STRIPE_SECRET_KEY set)", { url: emulator.url });
  }

  let build = DEV ? await loadBuild() : await productionBuild();
  // The build's jobs and pool; in development each rebuild replaces them (see below).
  let stopRuntime = await runtimeOf(build).start();
  stops.push(() => stopRuntime());
  let middlewares = runtimeOf(build).middlewares();
  // tsx turns on source-mapped stack traces, and Node then maps every frame of every stack read
  // through the source maps of its file. The Stripe SDK reads one per API call (to name the
  // caller in its errors), a cost every buyer pays in a ticket rush (ADR 0009). A production
  // server's traces name the built files (build/index.js).
  if (!DEV) process.setSourceMapsEnabled(false);
  const app = express();
  app.disable("x-powered-by");
  // Only proxies on private networks may tell us the client address (X-Forwarded-For).
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  // The current build's middleware: a development rebuild swaps them with the rest of the build.
  const current =
    (name: MiddlewareName): express.RequestHandler =>
    (req, res, next) =>
      middlewares[name](req, res, next);
  app.use(current("closeConnectionsWhenDraining"));
  app.use(current("requestLog"));
  app.use(current("errorsNotStored"));
  // A request no route can read (not a form, a NUL byte, another origin, too large) is answered
  // with its 4xx before anything else works on it.
  app.use(current("refuseBadRequests"));
  // Not while developing: a page changed in the editor must show on the next reload. Fresh copies
  // of public pages go out before Express (see the HTTP server below), or here when only these
  // middlewares could tell how to answer: before compression and the headers, which they carry.
  const cache = DEV ? undefined : middlewares.pageCache;
  if (cache) app.use(cache.hits);
  // First, so that in a rush the buyers waiting for their turn cost nothing more than their place
  // in the queue.
  app.post(["/tickets/checkout", "/tickets/checkout.data"], current("checkoutAdmission"));
  app.get("/orders/:ref/pay", current("seatsFirst"));
  // Pages, data and assets are compressed; answers to form posts are not. Those are short (a
  // redirect, a field's error) and streamed, so the threshold cannot skip them, and in a ticket
  // rush a gzip stream per refused buyer is a cost worth skipping (ADR 0009).
  app.use(compression({ filter: (req, res) => (req.method === "GET" || req.method === "HEAD") && compression.filter(req, res) }));
  app.use(current("securityHeaders"));
  // Fingerprinted assets never change under the same name.
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h", redirect: false }));
  if (cache) app.use(cache);
  // Every loader and action of the build answers a database outage with 503 (outage.server.ts).
  const served = (of: ServerBuild) => runtimeOf(of).withOutageAnswers(of);
  app.all(
    "*",
    DEV
      ? (req, res, next) => createRequestHandler({ build: served(build), mode: "development", getLoadContext })(req, res, next)
      : createRequestHandler({ build: served(build), mode: build.mode, getLoadContext }),
  );
  // In place of Express's own, which shows a stack trace whenever NODE_ENV is not "production".
  app.use(((error, req, res, next) => middlewares.errorPage(error, req, res, next)) satisfies express.ErrorRequestHandler);

  // Fresh copies of public pages are answered before Express runs at all (ADR 0022); every other
  // request, and a copy whose answer Express must decide, goes to Express.
  const early = cache ? middlewares.servedFromCache : undefined;
  const server = http.createServer(early ? (req, res) => void (early(req, res) || app(req, res)) : app);
  // A rush opens thousands of connections at once; the default queue of 511 resets the rest.
  await new Promise<void>((resolve) => server.listen({ port: settings.PORT, backlog: 4096 }, resolve));
  stops.push(() => stopServing(server, runtimeOf(build), settings.SHUTDOWN_DRAIN_SECONDS));
  if (DEV) {
    await broadcastDevReady(build);
    // A rebuild loads a new copy of every app module: the old copy's jobs and pool stop first.
    let reloading = Promise.resolve();
    watch(path.dirname(BUILD_PATH), { persistent: false }, () => {
      reloading = reloading
        .then(async () => {
          const next = await loadBuild();
          await stopRuntime();
          build = next;
          stopRuntime = await runtimeOf(build).start();
          middlewares = runtimeOf(build).middlewares();
          await broadcastDevReady(build);
        })
        .catch((error) => log.error("reloading the build failed", { error: error instanceof Error ? error.stack : String(error) }));
    });
  }
  const url = settings.APP_URL;
  log.info(`RE3M registration is ready at ${url}`);
  if (settings.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
    log.info(`development organiser login: ${settings.ADMIN_EMAIL} / ${DEV_ADMIN_PASSWORD}`);
  }
}

startingUp = start().catch(async (error) => {
  if (error instanceof EnvError) process.stderr.write(`${error.message}\n`);
  else log.error("start-up failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(1);
});
