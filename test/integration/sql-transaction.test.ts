// sqlTransaction: the few statements of a paid order's path on one of db()'s connections, prepared
// once per connection, committed or rolled back as a whole, and never a connection lost; and the
// same text read through a Prisma transaction (prismaSql) gives the same values.
import { describe, expect, it } from "vitest";
import { db, dbPool, prismaSql, sqlTransaction, type Sql } from "~/services/db.server";

const subject = (label: string) => `sql-transaction:${label}:${Math.random().toString(36).slice(2)}`;
const INSERT = `INSERT INTO "AuditLog" (id, action, subject, after) VALUES (gen_random_uuid()::text, 'test.sql', $1, $2::jsonb) RETURNING id`;
const written = (s: string) => db().auditLog.count({ where: { subject: s } });

/** Every connection the pool made is back in it (one held forever would starve the app). */
async function expectAllReturned() {
  await expect.poll(() => dbPool().totalCount - dbPool().idleCount).toBe(0);
}

describe("sqlTransaction", () => {
  it("commits what its work wrote when the work returns, and answers what the work returned", async () => {
    const s = subject("commit");
    const answer = await sqlTransaction(async (sql) => {
      const [row] = await sql.rows<{ id: string }>(INSERT, [s, JSON.stringify({ n: 1 })]);
      await sql.rows(INSERT, [s, JSON.stringify({ n: 2 })]);
      return row!.id;
    });
    expect(answer).toMatch(/^[0-9a-f-]{36}$/);
    expect(await written(s)).toBe(2);
    await expectAllReturned();
  });

  it("writes nothing when its work throws, and the error reaches the caller", async () => {
    const s = subject("rollback");
    await expect(
      sqlTransaction(async (sql) => {
        await sql.rows(INSERT, [s, "{}"]);
        throw new Error("refused halfway");
      }),
    ).rejects.toThrow("refused halfway");
    // A failed statement also ends the whole transaction.
    await expect(
      sqlTransaction(async (sql) => {
        await sql.rows(INSERT, [s, "{}"]);
        await sql.rows(INSERT, [s, "not json"]);
      }),
    ).rejects.toThrow(/json/i);
    expect(await written(s)).toBe(0);
    await expectAllReturned();
  });

  it("drops a connection the server ended under it, and the next transaction gets a working one", async () => {
    const s = subject("ended");
    await expect(
      sqlTransaction(async (sql) => {
        await sql.rows(INSERT, [s, "{}"]);
        await sql.rows("SELECT pg_terminate_backend(pg_backend_pid())", []);
      }),
    ).rejects.toThrow();
    expect(await written(s)).toBe(0);
    await expectAllReturned();
    await sqlTransaction((sql) => sql.rows(INSERT, [s, "{}"]));
    expect(await written(s)).toBe(1);
  });

  it("reads a text's rows as a Prisma transaction does: times, counts, JSON, arrays and nulls alike", async () => {
    const s = subject("types");
    await db().auditLog.create({ data: { action: "test.sql", subject: s, after: { a: [1, "two"], b: null } } });
    const text = `
      SELECT "createdAt", after, count(*) OVER ()::int AS n, $2::text[] AS tags, NULL::text AS nothing, 'x' || $1::text AS label
      FROM "AuditLog" WHERE subject = $1`;
    const read = (sql: Sql) => sql.rows<Record<string, unknown>>(text, [s, ["a", "b"]]);
    const [direct] = await sqlTransaction(read);
    const [throughPrisma] = await db().$transaction((tx) => read(prismaSql(tx)));
    expect(direct).toEqual(throughPrisma);
    expect(direct).toMatchObject({ after: { a: [1, "two"], b: null }, n: 1, tags: ["a", "b"], nothing: null, label: `x${s}` });
    expect(direct!.createdAt).toBeInstanceOf(Date);
    const stored = await db().auditLog.findFirstOrThrow({ where: { subject: s } });
    expect((direct!.createdAt as Date).getTime()).toBe(stored.createdAt.getTime());
  });

  it("runs many at once on the pool's connections and gives every one back", async () => {
    const s = subject("many");
    await Promise.all(Array.from({ length: 40 }, (_, i) => sqlTransaction((sql) => sql.rows(INSERT, [s, JSON.stringify({ i })]))));
    expect(await written(s)).toBe(40);
    await expectAllReturned();
  });
});
