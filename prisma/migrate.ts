// `npm run db:migrate [-- name]`: applies committed migrations, then, if prisma/schema.prisma has
// changed since, writes the difference as a new migration and applies it. (`migrate dev` is
// broken on the wasm engine path; see docs/decisions/0002-prisma-6-wasm-engine.md.)
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { env } from "../app/services/env.server";
import { runningEmbeddedUrl, startEmbeddedPostgres } from "../app/services/embedded-postgres.server";
import { applyMigrations } from "../app/services/migrations.server";

const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");

/**
 * The wasm schema engine crashes ("RuntimeError: unreachable") when it introspects CHECK
 * constraints in the shadow database, and our migrations add some by hand. The Prisma schema cannot
 * express them, so they play no part in a diff: diff from a copy of the migrations without them.
 */
function migrationsWithoutChecks(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), "re3m-migrations-"));
  cpSync("prisma/migrations", copy, { recursive: true });
  for (const dir of readdirSync(copy, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const file = path.join(copy, dir.name, "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8").replace(/ALTER TABLE [^;]*? ADD CONSTRAINT [^;]*? CHECK \([^;]*;/gs, ""));
  }
  return copy;
}

let url = env().DATABASE_URL;
let stop = async () => {};
if (!url) {
  // A running `npm start` of this checkout already owns the embedded cluster; otherwise start it
  // for this command. Port 54329 answering proves nothing: it may be another checkout's.
  url = runningEmbeddedUrl(env().DATA_DIR) ?? undefined;
  if (!url) {
    const cluster = await startEmbeddedPostgres(env().DATA_DIR, (line) => process.stderr.write(`${line}\n`));
    url = cluster.url;
    stop = () => cluster.stop();
  }
}

try {
  await applyMigrations(url);
  const diff = execFileSync(
    process.execPath,
    [cli, "migrate", "diff", "--from-migrations", migrationsWithoutChecks(), "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { env: { ...process.env, DATABASE_URL: url }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (diff.includes("This is an empty migration")) {
    process.stdout.write("The database is up to date and the schema has no unmigrated changes.\n");
  } else {
    const name = (process.argv[2] ?? "change").toLowerCase().replace(/[^a-z0-9]+/g, "_");
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), diff);
    await applyMigrations(url);
    process.stdout.write(`Wrote and applied ${dir}/migration.sql. Review it and commit it.\n`);
  }
} finally {
  await stop();
}
