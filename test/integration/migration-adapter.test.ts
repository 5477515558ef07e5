import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { applyMigrations } from "~/services/migrations.server";
import { migrationAdapter } from "../../prisma/migration-adapter";

const url = () => process.env.DATABASE_URL!;

async function databases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: url() });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database");
  await client.end();
  return rows.map((r) => r.datname);
}

describe("the migration adapter (Prisma's wasm schema engine over adapter-pg)", () => {
  it("reads catalog columns of type name and \"char\" as text", async () => {
    const adapter = await migrationAdapter(url()).connect();
    try {
      const result = await adapter.queryRaw({
        sql: "SELECT c.relname, c.relkind FROM pg_class c WHERE c.relname = 'Event'",
        args: [],
        argTypes: [],
      });
      expect(result.rows).toEqual([["Event", "r"]]);
    } finally {
      await adapter.dispose();
    }
  });

  it("creates a shadow database on its own connection and drops it after closing its pool", async () => {
    const adapter = migrationAdapter(url());
    const shadow = await adapter.connectToShadowDb();
    const info = await shadow.queryRaw({ sql: "SELECT current_database()", args: [], argTypes: [] });
    const name = String(info.rows[0]?.[0]);
    expect(name).toMatch(/^prisma_shadow_/);
    expect(name).not.toBe(new URL(url()).pathname.slice(1));
    expect(await databases()).toContain(name);
    await shadow.dispose();
    expect(await databases()).not.toContain(name);
  });
});

describe("applying migrations at start-up", () => {
  it("skips the Prisma CLI when every migration is applied, and runs it when one is not", async () => {
    // A checkout with only the migration folders: the CLI cannot run there (no schema, no config).
    const checkout = mkdtempSync(path.join(os.tmpdir(), "re3m-migrations-"));
    try {
      cpSync("prisma/migrations", path.join(checkout, "prisma", "migrations"), { recursive: true });
      await expect(applyMigrations(url(), checkout)).resolves.toBe("No pending migrations to apply.\n");
      mkdirSync(path.join(checkout, "prisma", "migrations", "29990101000000_not_yet_applied"));
      await expect(applyMigrations(url(), checkout)).rejects.toThrow("Applying migrations failed");
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });
});
