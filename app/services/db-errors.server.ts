// "The database cannot be reached right now", recognised in one place, whichever layer said it:
// Prisma (its P-codes), its pg adapter (DriverAdapterError kinds), node-postgres and pg-pool
// (socket codes, PostgreSQL's SQLSTATE, or words only), and Node's sockets. Such a failure is
// temporary and says nothing about the request, so it is answered 503 (outage.server.ts), not 500.

/** Prisma's codes for a server it cannot reach, or one that went away or did not answer in time. */
const PRISMA_CODES = new Set([
  "P1001", // can't reach database server
  "P1002", // reached but timed out
  "P1008", // operation timed out
  "P1017", // server has closed the connection
  "P2024", // timed out waiting for a connection from the pool
  "P2037", // too many database connections opened
]);

/** @prisma/adapter-pg's names for the same, on `meta.driverAdapterError.cause.kind`. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * PostgreSQL's SQLSTATEs: class 08 (connection exception), 57P01 to 57P03 (the server is
 * shutting down, as on a failover or pg_terminate_backend, or not yet accepting connections) and
 * 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** node-postgres and pg-pool say these in words only. */
const DRIVER_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)$/;

/** Prisma when a transaction could not get a connection within its `maxWait`. */
const TRANSACTION_START_TIMEOUT = /Unable to start a transaction in the given time/;

type Inspectable = { code?: unknown; errorCode?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: unknown };

/** True when `error`, or an error it wraps, says the database is unreachable or went away. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const { code, errorCode, kind, originalCode, message, cause, meta } = current as Inspectable;
    for (const value of [code, errorCode, originalCode]) {
      if (typeof value !== "string") continue;
      if (PRISMA_CODES.has(value) || SOCKET_CODES.has(value) || UNAVAILABLE_SQLSTATE.test(value)) return true;
    }
    if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
    if (typeof message === "string" && (DRIVER_MESSAGES.test(message) || (code === "P2028" && TRANSACTION_START_TIMEOUT.test(message)))) return true;
    pending.push(cause, (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError);
    // An AggregateError (a connection tried on several addresses) holds its failures here.
    if (Array.isArray((current as { errors?: unknown }).errors)) pending.push(...(current as { errors: unknown[] }).errors);
  }
  return false;
}
