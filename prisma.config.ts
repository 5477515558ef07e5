import { defineConfig } from "prisma/config";
import { migrationAdapter } from "./prisma/migration-adapter";
import { embeddedDatabaseUrlFor } from "./app/services/embedded-postgres.server";
import { env } from "./app/services/env.server";

// The variable must resolve whenever the CLI runs, or it falls back to the library engine and
// tries to download it; the default is the embedded database that `npm start` runs.
process.env.DATABASE_URL ??= embeddedDatabaseUrlFor(env().DATA_DIR);
const databaseUrl = process.env.DATABASE_URL;

// This file is loaded only by the Prisma CLI. The wasm schema engine leaves a 10 s timer running
// after a command has finished (an idle timeout inside the engine), so every CLI call took 10 s
// longer than its work. Long timers are unref'd: they still fire if the CLI is busy, but no longer
// keep a finished CLI alive.
const setTimeoutOriginal = globalThis.setTimeout as (...args: unknown[]) => NodeJS.Timeout;
globalThis.setTimeout = ((handler: () => void, ms?: number, ...rest: unknown[]) => {
  const timer = setTimeoutOriginal(handler, ms, ...rest);
  if ((ms ?? 0) >= 5000) timer.unref();
  return timer;
}) as typeof setTimeout;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => migrationAdapter(databaseUrl),
});
