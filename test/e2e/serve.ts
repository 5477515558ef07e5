// The server the browser tests use: the real server, compiled as production runs it
// (build/server.js), against its own throwaway embedded PostgreSQL (never the development
// database), seeded by the server's own start-up.
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { startTestCluster } from "../support/postgres";
import { e2eDatabaseFile } from "./database";

const cluster = await startTestCluster("e2e");
// Browser tests arrange data the UI cannot (a sold-out type) straight in this database.
writeFileSync(e2eDatabaseFile(process.env.E2E_PORT ?? "3100"), JSON.stringify({ url: cluster.urlFor("postgres_admin") }));
// `npm run test:e2e` has built everything; a run of `npx playwright test` alone compiles the server
// entry when it is stale, and the server builds the app when that is (as `npm start` does).
execFileSync(process.execPath, ["scripts/build-server.mjs", "--if-stale"], { stdio: "inherit" });
const server = spawn(process.execPath, ["build/server.js"], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: cluster.urlFor("postgres_admin"),
    PORT: process.env.E2E_PORT ?? "3100",
    APP_URL: `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`,
    LOG_LEVEL: "warn",
    // The tests change this database behind the app's back (a sold-out type), which no
    // organiser does: pages must show it at once rather than after the page cache's seconds.
    PAGE_CACHE_SECONDS: "0",
  },
});

async function stop() {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  await cluster.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
server.on("exit", (code) => {
  if (code !== 0 && code !== null) void cluster.stop().then(() => process.exit(code));
});
