// Applies committed migrations with the Prisma CLI (through the wasm schema engine), then
// graphile-worker's own (its graphile_worker schema, which add_job needs from the first request).
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { migrateJobQueue } from "./job-queue.server";

const require = createRequire(import.meta.url);

export async function applyMigrations(databaseUrl: string, cwd = process.cwd()): Promise<string> {
  const output = (await nothingPending(databaseUrl, cwd)) ? "No pending migrations to apply.\n" : await applyPrismaMigrations(databaseUrl, cwd);
  await migrateJobQueue(databaseUrl);
  return output;
}

/**
 * Whether every migration folder is recorded as applied, when `migrate deploy` has nothing to do.
 * Starting the Prisma CLI and its wasm engine to find that out took 2 to 5 s of every restart,
 * which a server back from a crash spends before it settles the payments made meanwhile.
 */
async function nothingPending(databaseUrl: string, cwd: string): Promise<boolean> {
  const folders = readdirSync(path.join(cwd, "prisma", "migrations"), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [table] = (await client.query<{ exists: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`)).rows;
    if (!table?.exists) return false;
    const { rows } = await client.query<{ name: string }>(
      `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((row) => row.name));
    return folders.every((folder) => applied.has(folder.name));
  } finally {
    await client.end();
  }
}

function applyPrismaMigrations(databaseUrl: string, cwd: string): Promise<string> {
  const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, "migrate", "deploy"],
      { cwd, env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`Applying migrations failed (${error.message.split("\n")[0]}):\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}
