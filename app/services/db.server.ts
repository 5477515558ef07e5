import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client";
import { env } from "./env.server";

export type Db = PrismaClient;

// server.ts (run by tsx) and the Remix build each load this module; the client and its pool live
// on globalThis so the process holds one pool, not two.
const globalForDb = globalThis as unknown as { re3mDb?: PrismaClient; re3mPool?: pg.Pool };

/** Connections each instance keeps to PostgreSQL. */
export const POOL_SIZE = 10;

/** A client with a pool of its own, ended by `$disconnect()`. */
export function createDb(databaseUrl: string, max = POOL_SIZE): PrismaClient {
  return clientOn(new pg.Pool({ connectionString: databaseUrl, max }), true);
}

function clientOn(pool: pg.Pool, ownsPool: boolean) {
  return new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: ownsPool }),
    // In a ticket rush, buyers queue for a connection: waiting a few seconds beats failing them
    // (Prisma's default is to give up after 2 s).
    transactionOptions: { maxWait: 15_000, timeout: 20_000 },
  });
}

export function db(): PrismaClient {
  if (!globalForDb.re3mDb) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: the server sets it after starting the embedded database");
    globalForDb.re3mPool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
    globalForDb.re3mDb = clientOn(globalForDb.re3mPool, false);
  }
  return globalForDb.re3mDb;
}

/**
 * A statement on the hot path of a ticket rush, run on db()'s own connections as a named prepared
 * statement: PostgreSQL plans it once per connection, and Prisma's query pipeline is skipped.
 * Planning the seat-hold statement cost PostgreSQL more CPU than running it (ADR 0005), and every
 * buyer in a rush runs it. Only for statements whose text never changes; the rest of
 * the app goes through Prisma. Errors are node-postgres's (`code`, `constraint`, `message`).
 */
export async function hotQuery<Row extends object>(name: string, text: string, values: unknown[]): Promise<pg.QueryResult<Row>> {
  db();
  return globalForDb.re3mPool!.query<Row>({ name, text, values });
}

export async function disconnectDb() {
  const { re3mDb, re3mPool } = globalForDb;
  globalForDb.re3mDb = undefined;
  globalForDb.re3mPool = undefined;
  await re3mDb?.$disconnect();
  await re3mPool?.end();
}
