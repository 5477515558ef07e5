import pg from "pg";
import { describe, expect, it } from "vitest";
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
