import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const e2eDatabaseFile = (port: string) => path.join(os.tmpdir(), `re3m-e2e-${port}.json`);

/** Runs SQL against the database of the server under test (for arranging, never for asserting UI). */
export async function e2eSql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const { url } = JSON.parse(readFileSync(e2eDatabaseFile(process.env.E2E_PORT ?? "3100"), "utf8")) as { url: string };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
