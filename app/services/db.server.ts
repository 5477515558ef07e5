import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { env } from "./env.server";

export type Db = PrismaClient;

// server.ts (run by tsx) and the Remix build each load this module; the client lives on
// globalThis so the process holds one pool, not two.
const globalForDb = globalThis as unknown as { re3mDb?: PrismaClient };

/** Connections each instance keeps to PostgreSQL. */
export const POOL_SIZE = 10;

export function createDb(databaseUrl: string, max = POOL_SIZE): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max }),
    // In a ticket rush, buyers queue for a connection: waiting a few seconds beats failing them
    // (Prisma's default is to give up after 2 s).
    transactionOptions: { maxWait: 15_000, timeout: 20_000 },
  });
}

export function db(): PrismaClient {
  if (!globalForDb.re3mDb) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: the server sets it after starting the embedded database");
    globalForDb.re3mDb = createDb(url);
  }
  return globalForDb.re3mDb;
}

export async function disconnectDb() {
  await globalForDb.re3mDb?.$disconnect();
  globalForDb.re3mDb = undefined;
}
