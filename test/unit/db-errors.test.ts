import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import { Prisma } from "~/generated/prisma/client";
import { isDatabaseUnavailable } from "~/services/db-errors.server";

// The shapes below are those the outage test (test/integration/outage.test.ts) met through Prisma
// 6.19, @prisma/adapter-pg and node-postgres, with the database cut or its connections ended.
const prismaError = (code: string, driverAdapterError?: unknown) =>
  new Prisma.PrismaClientKnownRequestError("Invalid `db().event.findFirst()` invocation", {
    code,
    clientVersion: "6.19.3",
    meta: driverAdapterError ? { driverAdapterError } : undefined,
  });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: "connect" });
const postgresError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: "FATAL" });

describe("recognising that the database is unavailable", () => {
  it("knows Prisma's, the adapter's, node-postgres's and the server's ways of saying so", () => {
    const unavailable = [
      prismaError("P1001", { cause: { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 } }),
      prismaError("P1017"),
      prismaError("P2024"),
      new Prisma.PrismaClientKnownRequestError("Transaction API error: Unable to start a transaction in the given time.", { code: "P2028", clientVersion: "6.19.3" }),
      // A raw query's failure ("Raw query failed") carries the reason in the adapter's error only.
      prismaError("P2010", { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 } }),
      prismaError("P2010", { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } }),
      socketError("ECONNREFUSED"),
      socketError("ECONNRESET"),
      postgresError("57P01", "terminating connection due to administrator command"),
      postgresError("57P03", "the database system is starting up"),
      postgresError("08006", "connection failure"),
      new Error("Connection terminated unexpectedly"),
      new Error("Client has encountered a connection error and is not queryable"),
      new Error("timeout exceeded when trying to connect"),
      new Error("wrapped", { cause: socketError("ECONNREFUSED") }),
      new AggregateError([socketError("ECONNREFUSED"), socketError("ECONNREFUSED")], "all addresses refused"),
    ];
    for (const error of unavailable) expect(isDatabaseUnavailable(error), String(error)).toBe(true);
  });

  it("leaves every other failure to be the error it is", () => {
    const others = [
      prismaError("P2002"),
      prismaError("P2025"),
      new Prisma.PrismaClientKnownRequestError("Transaction already closed: A commit cannot be executed on an expired transaction.", { code: "P2028", clientVersion: "6.19.3" }),
      postgresError("23505", "duplicate key value violates unique constraint"),
      postgresError("40001", "could not serialize access due to concurrent update"),
      new DomainError("order.changed", "Prices changed."),
      new Error("Cannot read properties of undefined"),
      "Connection terminated unexpectedly, said a string",
      null,
      undefined,
    ];
    for (const error of others) expect(isDatabaseUnavailable(error), String(error)).toBe(false);
  });
});
