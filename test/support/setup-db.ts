// Before each test file: its own database, copied from the seeded template, so files can run in
// parallel and in any order. Also: any console.error fails the test that caused it.
import pg from "pg";
import { afterAll, afterEach, beforeEach, inject, vi } from "vitest";

const prefix = inject("databaseUrlPrefix");
const adminUrl = `${prefix}${inject("adminDatabase")}`;
const database = `${inject("databaseNamePrefix")}_test_${process.env.VITEST_POOL_ID ?? "0"}_${Date.now()}`;

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${database}" TEMPLATE ${inject("templateDatabase")}`);
await admin.end();
process.env.DATABASE_URL = `${prefix}${database}`;
process.env.LOG_LEVEL ??= "silent";

let consoleError: { mock: { calls: unknown[][] }; mockRestore(): void };
beforeEach(() => {
  consoleError = vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = consoleError.mock.calls;
  consoleError.mockRestore();
  if (calls.length > 0) throw new Error(`console.error was called: ${calls.map((c: unknown[]) => c.join(" ")).join("\n")}`);
});

afterAll(async () => {
  const { disconnectDb } = await import("../../app/services/db.server");
  await disconnectDb();
  const dropper = new pg.Client({ connectionString: adminUrl });
  await dropper.connect();
  await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await dropper.end();
});
