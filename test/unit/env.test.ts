import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { DEV_ADMIN_PASSWORD, EnvError, mailFromAddress, parseEnv } from "~/services/env.server";

function problemsOf(source: Record<string, string>) {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

const production = {
  NODE_ENV: "production",
  APP_URL: "https://tickets.example.com/",
  DATABASE_URL: "postgresql://app:secret@db.internal:5432/re3m",
  SESSION_SECRET: "x".repeat(40),
  STRIPE_SECRET_KEY: "sk_live_abc",
  STRIPE_WEBHOOK_SECRET: "whsec_abc",
  ADMIN_EMAIL: "ops@example.com",
  ADMIN_PASSWORD: "a-long-production-password",
};

describe("settings", () => {
  it("starts with no settings at all, using the development defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.ADMIN_PASSWORD).toBe(DEV_ADMIN_PASSWORD);
  });

  it("names each bad variable and what it expects", () => {
    const problems = problemsOf({ PORT: "eighty", DATABASE_URL: "mysql://x", SMTP_URL: "http://mail", REDIS_URL: "127.0.0.1:6379", LOG_LEVEL: "loud" });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT must be a port number/),
        expect.stringMatching(/^DATABASE_URL must be a PostgreSQL URL/),
        expect.stringMatching(/^SMTP_URL must be an smtp:\/\//),
        expect.stringMatching(/^REDIS_URL must be a Redis URL/),
        expect.stringMatching(/^LOG_LEVEL must be one of/),
      ]),
    );
  });

  it("refuses the development defaults in production", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    for (const name of ["DATABASE_URL", "SESSION_SECRET", "APP_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "ADMIN_EMAIL", "ADMIN_PASSWORD"]) {
      expect(problems.some((p) => p.startsWith(`${name} `))).toBe(true);
    }
    expect(problemsOf({ NODE_ENV: "production", ADMIN_PASSWORD: DEV_ADMIN_PASSWORD }).some((p) => p.startsWith("ADMIN_PASSWORD"))).toBe(true);
  });

  it("accepts a complete production configuration", () => {
    const env = parseEnv(production);
    expect(env.APP_URL).toBe("https://tickets.example.com");
  });

  it("drains a stopping server for 5 s in production and not at all elsewhere, unless SHUTDOWN_DRAIN_SECONDS says otherwise", () => {
    expect(parseEnv(production).SHUTDOWN_DRAIN_SECONDS).toBe(5);
    expect(parseEnv({ ...production, SHUTDOWN_DRAIN_SECONDS: "25" }).SHUTDOWN_DRAIN_SECONDS).toBe(25);
    expect(parseEnv({ ...production, SHUTDOWN_DRAIN_SECONDS: "" }).SHUTDOWN_DRAIN_SECONDS).toBe(5);
    expect(parseEnv({}).SHUTDOWN_DRAIN_SECONDS).toBe(0);
    expect(parseEnv({ SHUTDOWN_DRAIN_SECONDS: "3" }).SHUTDOWN_DRAIN_SECONDS).toBe(3);
    expect(problemsOf({ SHUTDOWN_DRAIN_SECONDS: "soon" })).toEqual(["SHUTDOWN_DRAIN_SECONDS must be a number of seconds such as 10"]);
    expect(problemsOf({ SHUTDOWN_DRAIN_SECONDS: "-5" })).toEqual(["SHUTDOWN_DRAIN_SECONDS must be 0 (stop accepting requests at once) or more"]);
  });

  it("renders PDFs in one worker thread per core beyond the first, one or two, unless PDF_WORKERS says otherwise", () => {
    expect(parseEnv({}).PDF_WORKERS).toBe(Math.max(1, Math.min(2, availableParallelism() - 1)));
    expect(parseEnv({ PDF_WORKERS: "" }).PDF_WORKERS).toBe(parseEnv({}).PDF_WORKERS);
    expect(parseEnv({ PDF_WORKERS: "0" }).PDF_WORKERS).toBe(0);
    expect(parseEnv({ PDF_WORKERS: "4" }).PDF_WORKERS).toBe(4);
    expect(problemsOf({ PDF_WORKERS: "two" })).toEqual(["PDF_WORKERS must be a number of threads such as 1"]);
    expect(problemsOf({ PDF_WORKERS: "-1" })).toEqual(["PDF_WORKERS must be 0 (render PDFs in the thread serving requests) or more"]);
  });

  it("reads the bare sender address out of MAIL_FROM, for calendar organisers", () => {
    expect(mailFromAddress(parseEnv({}).MAIL_FROM)).toBe("tickets@re3m.example");
    expect(mailFromAddress(parseEnv({ MAIL_FROM: '"RE3M, Tickets" <hello@example.com>' }).MAIL_FROM)).toBe("hello@example.com");
    expect(mailFromAddress(parseEnv({ MAIL_FROM: "hello@example.com" }).MAIL_FROM)).toBe("hello@example.com");
  });
});
