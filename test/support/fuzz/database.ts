// What the fuzz reads from its database: whether a request changed anything, and the real values
// (ids, slugs, references, tokens) that open pages, so generated requests reach past the 404s.
import pg from "pg";

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A fingerprint of every table: its row count and the newest row version (the largest `xmin`, the
 * id of the transaction that wrote the row). An insert or a delete changes the count, an update
 * writes a new row version with a newer `xmin`; a transaction rolled back leaves no visible row
 * version, and a read (even `FOR UPDATE`) writes none. So two equal fingerprints mean no committed
 * change in between, at the cost of one scan of each (small) table rather than hashing contents.
 */
export type Fingerprint = Map<string, string>;

// The rate limits' counters (schema rate_limit) are left out: a refusal is what they count (a failed
// login, a booth code that matches no badge), so a refused request rightly writes one.
export async function openDatabaseProbe(connectionString: string) {
  const client = new pg.Client({ connectionString });
  // The test database is dropped at the end of the file, ending this connection too.
  client.on("error", () => {});
  await client.connect();
  const { rows: tables } = await client.query<{ schema: string; name: string }>(`
    SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'rate_limit') AND table_name <> '_prisma_migrations'
    ORDER BY 1, 2`);
  const fingerprintSql = tables
    .map(({ schema, name }) => `SELECT ${pg.escapeLiteral(`${schema}.${name}`)} AS name, count(*) || ':' || coalesce(max(xmin::text::bigint), 0) AS state FROM ${quote(schema)}.${quote(name)}`)
    .join("\nUNION ALL ");

  // Text columns that are part of a unique index of the app's tables: what addresses and forms name.
  const { rows: keyColumns } = await client.query<{ table: string; column: string }>(`
    SELECT DISTINCT c.relname AS table, a.attname AS column
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
    WHERE i.indisunique AND n.nspname = 'public' AND a.atttypid = 'text'::regtype AND c.relname <> '_prisma_migrations'
    ORDER BY 1, 2`);
  const columnsByTable = new Map<string, string[]>();
  for (const { table, column } of keyColumns) columnsByTable.set(table, [...(columnsByTable.get(table) ?? []), column]);

  return {
    tableCount: tables.length,

    /**
     * The next transaction id the cluster will hand out. Only a transaction that writes gets one,
     * so while it stays the same nothing was written anywhere and the fingerprint need not be
     * taken again; when it moves (a write here, or in another test file's database), it must.
     */
    async writeMark(): Promise<string> {
      const { rows } = await client.query<{ mark: string }>("SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS mark");
      return rows[0]!.mark;
    },

    async fingerprint(): Promise<Fingerprint> {
      const { rows } = await client.query<{ name: string; state: string }>(fingerprintSql);
      return new Map(rows.map((r) => [r.name, r.state]));
    },

    /**
     * Up to `limit` rows of each table's key columns, in storage order (roughly the order they were
     * written), so that values of one row stay together: a reference with its access token.
     */
    async keyRows(limit: number): Promise<Map<string, Record<string, string>[]>> {
      const result = new Map<string, Record<string, string>[]>();
      for (const [table, columns] of columnsByTable) {
        const { rows } = await client.query<Record<string, string>>(
          `SELECT ${columns.map(quote).join(", ")} FROM ${quote(table)} ORDER BY ctid LIMIT ${limit}`,
        );
        if (rows.length > 0) result.set(table, rows);
      }
      return result;
    },

    close: () => client.end(),
  };
}

export type DatabaseProbe = Awaited<ReturnType<typeof openDatabaseProbe>>;

/** The tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name));
}
