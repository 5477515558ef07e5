// A throwaway embedded PostgreSQL for a test run: its own temporary folder and a free port, so
// tests never touch the development database and need no server on the machine.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { embeddedDatabaseUrl, freePort, startEmbeddedPostgres } from "../../app/services/embedded-postgres.server";

export { freePort };

export async function startTestCluster(label: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `re3m-${label}-`));
  // As root, embedded-postgres runs the server as a separate "postgres" user, which must be able
  // to enter the folder that mkdtemp made private.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const cluster = await startEmbeddedPostgres(dir, (line) => process.stderr.write(`${line}\n`), { port, database: "postgres_admin" });
  return {
    adminUrl: embeddedDatabaseUrl(port, "postgres"),
    urlFor: (database: string) => embeddedDatabaseUrl(port, database),
    async stop() {
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
