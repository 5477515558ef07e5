import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client";
import type { Tx } from "./audit.server";
import { env } from "./env.server";
import { log } from "./log.server";

export type Db = PrismaClient;

// The process's client and pool, made on first use. server.ts reaches the app through the Remix
// build (server-runtime.server.ts), so one copy of this module serves the routes and the jobs.
let shared: { client: PrismaClient; pool: pg.Pool } | undefined;

/** Connections each instance keeps to PostgreSQL. */
export const POOL_SIZE = 10;

/** A pool whose idle connections may be ended by the server (restart, failover, shutdown) without crashing the process. */
function newPool(connectionString: string, max: number) {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", (error) => log.warn("a database connection ended", { error: error.message }));
  return pool;
}

/** A client with a pool of its own, ended by `$disconnect()`. */
export function createDb(databaseUrl: string, max = POOL_SIZE): PrismaClient {
  return clientOn(newPool(databaseUrl, max), true);
}

function clientOn(pool: pg.Pool, ownsPool: boolean) {
  return new PrismaClient({
    adapter: returningFailedTransactions(new PrismaPg(pool, { disposeExternalPool: ownsPool })),
    // In a ticket rush, buyers queue for a connection: waiting a few seconds beats failing them
    // (Prisma's default is to give up after 2 s).
    transactionOptions: { maxWait: 15_000, timeout: 20_000 },
  });
}

/**
 * Works around a connection leak of Prisma 6.19's client engine with @prisma/adapter-pg: a
 * transaction ends by sending COMMIT or ROLLBACK, then calling the adapter's commit() or
 * rollback(), which returns the connection to the pool. When the statement fails, as it does on a
 * connection the server ended (a failover, a restart, a network cut), the call is skipped and the
 * connection stays lent out for good: each outage that caught a transaction took one of the
 * POOL_SIZE connections, until every query waited forever. Here the connection goes back (and,
 * being dead, is dropped by the pool) when that statement fails, and only once.
 */
function returningFailedTransactions(factory: PrismaPg): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const startTransaction = adapter.startTransaction.bind(adapter);
      adapter.startTransaction = async (isolationLevel) => returnedOnce(await startTransaction(isolationLevel));
      return adapter;
    },
  };
}

function returnedOnce(transaction: Transaction): Transaction {
  const [commit, rollback, executeRaw] = [transaction.commit.bind(transaction), transaction.rollback.bind(transaction), transaction.executeRaw.bind(transaction)];
  let returned: Promise<void> | undefined;
  transaction.commit = () => (returned ??= commit());
  transaction.rollback = () => (returned ??= rollback());
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.sql === "COMMIT" || query.sql === "ROLLBACK") await transaction.rollback();
      throw error;
    }
  };
  return transaction;
}

function connection() {
  if (!shared) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: the server sets it after starting the embedded database");
    const pool = newPool(url, POOL_SIZE);
    shared = { client: clientOn(pool, false), pool };
  }
  return shared;
}

export function db(): PrismaClient {
  return connection().client;
}

/**
 * A statement on the hot path of a ticket rush, run on db()'s own connections as a named prepared
 * statement: PostgreSQL plans it once per connection, and Prisma's query pipeline is skipped.
 * Planning the seat-hold statement cost PostgreSQL more CPU than running it (ADR 0005), and every
 * buyer in a rush runs it. Only for statements whose text never changes; the rest of
 * the app goes through Prisma. Errors are node-postgres's (`code`, `constraint`, `message`).
 */
export async function hotQuery<Row extends object>(name: string, text: string, values: unknown[]): Promise<pg.QueryResult<Row>> {
  return connection().pool.query<Row>({ name, text, values });
}

/**
 * Statements of one transaction, written once for either connection that may run them: a
 * transaction of its own on db()'s pool (sqlTransaction), or the connection of a Prisma
 * transaction already under way (prismaSql). Write each text so that its rows read the same
 * through both: cast counts and sums to int (node-postgres reads bigint as a string, Prisma as a
 * BigInt), pass times as ISO strings cast to timestamp.
 */
export type Sql = { rows<Row extends object>(text: string, values: unknown[]): Promise<Row[]> };

/** A Prisma transaction's connection as Sql, for a step shared with a sqlTransaction. */
export function prismaSql(tx: Tx): Sql {
  return { rows: <Row extends object>(text: string, values: unknown[]) => tx.$queryRawUnsafe<Row[]>(text, ...values) };
}

/** Names of the prepared statements sqlTransaction has made: one per text, never more than this many. */
const statementNames = new Map<string, string>();
const MAX_STATEMENTS = 100;

function statementName(text: string) {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_STATEMENTS) statementNames.set(text, (name = `tx${statementNames.size}`));
  return name;
}

/**
 * `work` in one transaction on one of db()'s connections, its statements prepared once per
 * connection (as hotQuery's): the path of a paid order, which every buyer of a rush takes, costs a
 * few round trips instead of Prisma's query pipeline per statement. Commits when `work` returns,
 * rolls back when it throws. Every statement of `work` must go through `sql`: waiting for another
 * connection of the pool while holding this one can wait forever once all are held that way. A
 * statement that waits more than 20 s (a lock) fails, as a Prisma transaction times out.
 */
export async function sqlTransaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const { client, release } = await borrowConnection();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN; SET LOCAL statement_timeout = '20s'");
    const result = await work({
      rows: async <Row extends object>(text: string, values: unknown[]) =>
        (await client.query<Row & pg.QueryResultRow>({ name: statementName(text), text, values, types: utcTimestamps })).rows,
    });
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((failed: Error) => (broken = failed));
    throw error;
  } finally {
    // A connection whose transaction may still be open is dropped rather than lent again.
    release(broken);
  }
}

/**
 * One of the pool's connections, lent to a caller that runs several statements on it. A
 * connection the server ends while it is lent out reports that as an 'error' event, which the
 * pool listens for only while the connection is idle: unheard, it would end the process. It is
 * heard here, and the connection is dropped on release.
 */
async function borrowConnection() {
  const client = await connection().pool.connect();
  let ended: Error | undefined;
  const onError = (error: Error) => {
    ended = error;
    log.warn("a database connection ended while in use", { error: error.message });
  };
  client.on("error", onError);
  return {
    client,
    release(broken?: Error) {
      client.removeListener("error", onError);
      client.release(broken ?? ended);
    },
  };
}

/** db()'s own pool, for the libraries that speak node-postgres (the rate limits' store). */
export function dbPool(): pg.Pool {
  return connection().pool;
}

// The pool's connections parse `timestamp` (no time zone, as Prisma stores UTC) in the process's
// time zone; these rows come straight from node-postgres, so read it as UTC, as Prisma does.
const TIMESTAMP = 1114;
const utcTimestamps = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP && format !== "binary" ? (value: string) => new Date(`${value.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * A long read-only query's rows, `batchSize` at a time, through a server-side cursor: PostgreSQL
 * runs the plan once and hands the rows over as they are asked for, where keyset batches re-ran
 * it per batch (and, with a poor plan, rescanned the table each time). Holds one connection and a
 * read-only transaction until the last row or the consumer's `return()` (a cancelled download);
 * a reader that stalls for a minute is cut off by the server.
 */
export async function* cursorRows<Row>(text: string, values: unknown[], batchSize: number): AsyncGenerator<Row[], void, undefined> {
  const { client, release } = await borrowConnection();
  let finished = false;
  let broken: Error | undefined;
  try {
    await client.query("BEGIN READ ONLY");
    await client.query("SET LOCAL idle_in_transaction_session_timeout = '60s'");
    await client.query({ text: `DECLARE rows_out NO SCROLL CURSOR FOR ${text}`, values });
    for (;;) {
      const { rows } = await client.query<Row & pg.QueryResultRow>({ text: `FETCH ${batchSize} FROM rows_out`, types: utcTimestamps });
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) break;
    }
    await client.query("COMMIT");
    finished = true;
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    if (!finished && !broken) await client.query("ROLLBACK").catch((error: Error) => (broken = error));
    // A connection whose transaction may still be open is dropped rather than lent again.
    release(broken);
  }
}

export async function disconnectDb() {
  const current = shared;
  shared = undefined;
  await current?.client.$disconnect();
  await current?.pool.end();
}
