// Applies committed migrations with the Prisma CLI (through the wasm schema engine), then
// graphile-worker's own (its graphile_worker schema, which add_job needs from the first request).
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { migrateJobQueue } from "./job-queue.server";

const require = createRequire(import.meta.url);

export async function applyMigrations(databaseUrl: string, cwd = process.cwd()): Promise<string> {
  const output = await applyPrismaMigrations(databaseUrl, cwd);
  await migrateJobQueue(databaseUrl);
  return output;
}

function applyPrismaMigrations(databaseUrl: string, cwd: string): Promise<string> {
  const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, "migrate", "deploy"],
      { cwd, env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`Applying migrations failed:\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}
