// Two checkouts side by side: the second one's embedded database must not need the first's port.
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import {
  choosePort,
  EMBEDDED_PORT,
  embeddedDatabaseUrl,
  embeddedDatabaseUrlFor,
  freePort,
  runningEmbeddedPort,
  startEmbeddedPostgres,
} from "~/services/embedded-postgres.server";

const servers: net.Server[] = [];
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Holds the port like another copy's PostgreSQL would; already held by something else is as good. */
function occupy(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => (error.code === "EADDRINUSE" ? resolve() : reject(error)));
    server.listen(port, "127.0.0.1", () => {
      servers.push(server);
      resolve();
    });
  });
}

async function bindable(port: number) {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  await new Promise((resolve) => server.close(resolve));
}

function dataFolder(postmasterPid?: string) {
  const folder = mkdtempSync(path.join(os.tmpdir(), "re3m-port-"));
  folders.push(folder);
  if (postmasterPid !== undefined) {
    mkdirSync(path.join(folder, "postgres"));
    writeFileSync(path.join(folder, "postgres", "postmaster.pid"), postmasterPid);
  }
  return folder;
}

describe("the embedded database's port", () => {
  it("keeps the preferred port when it is free", async () => {
    const port = await freePort();
    expect(await choosePort(port)).toBe(port);
  });

  it("takes another free port when something already listens on 54329", async () => {
    await occupy(EMBEDDED_PORT);
    const chosen = await choosePort();
    expect(chosen).not.toBe(EMBEDDED_PORT);
    await bindable(chosen);
  });

  it("finds the port a running server of this data folder took, and ignores a stale pid file", () => {
    const running = dataFolder(`${process.pid}\n/somewhere/postgres\n1765000000\n61234\n/tmp\nlocalhost\n  1234 5678\nready\n`);
    expect(runningEmbeddedPort(running)).toBe(61234);
    expect(embeddedDatabaseUrlFor(running)).toBe("postgresql://postgres:postgres@%2Ftmp:61234/re3m");
    // Pid 2^22 + 1 is above Linux's largest pid, so no process has it.
    const stale = dataFolder(`${2 ** 22 + 1}\n/somewhere/postgres\n1765000000\n61234\n`);
    expect(runningEmbeddedPort(stale)).toBeNull();
    expect(embeddedDatabaseUrlFor(dataFolder())).toBe(`postgresql://postgres:postgres@%2Ftmp:${EMBEDDED_PORT}/re3m`);
  });
});

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe("the embedded database's first start", () => {
  it("creates the database at the next start when the first stopped between initdb and creating it", async () => {
    const folder = dataFolder();
    // As root, embedded-postgres runs the server as the "postgres" user, which must enter the folder.
    chmodSync(folder, 0o755);
    const first = await startEmbeddedPostgres(folder, () => {}, { port: await freePort() });
    // What a first start that failed after initdb leaves behind: a cluster without the database.
    await query(embeddedDatabaseUrl(first.port, "postgres"), "DROP DATABASE re3m");
    await first.stop();
    const next = await startEmbeddedPostgres(folder, () => {}, { port: await freePort() });
    try {
      expect(await query(next.url, "SELECT current_database() AS name")).toEqual([{ name: "re3m" }]);
    } finally {
      await next.stop();
    }
  }, 60_000);
});
