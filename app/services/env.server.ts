// The only module that reads process.env. Every setting is validated once, at start-up, and a
// bad value stops the server with a message naming the variable and what it expects.
import { availableParallelism } from "node:os";
import * as z from "zod";

export const DEV_ADMIN_EMAIL = "organiser@re3m.example";
export const DEV_ADMIN_PASSWORD = "magnets-2025";
const DEV_SESSION_SECRET = "dev-only-session-secret-change-me";

const optionalUrl = (what: string) =>
  z
    .url({ error: `must be a full URL (${what})` })
    .optional()
    .or(z.literal("").transform(() => undefined));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"], {
      error: 'must be "development", "production" or "test"',
    }).default("development"),
    PORT: z.coerce
      .number({ error: "must be a port number such as 3000" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 65535")
      .max(65535, "must be between 1 and 65535")
      .default(3000),
    APP_URL: optionalUrl("the public address of the site, e.g. https://tickets.example.com"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL URL such as postgresql://user:pass@host:5432/db")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters of random text").optional(),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_/, "must be a Stripe secret key starting with sk_test_ or sk_live_")
      .optional(),
    STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "must start with whsec_").optional(),
    STRIPE_API_BASE: optionalUrl("where the Stripe API answers, e.g. http://127.0.0.1:12111"),
    // Rate-limit counters in Redis rather than PostgreSQL (rate-limit.server.ts); unset: PostgreSQL.
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a Redis URL such as redis://127.0.0.1:6379")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z
      .string()
      .regex(/^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, 'must be an address such as "RE3M 2025 <tickets@example.com>"')
      .default("RE3M 2025 <tickets@re3m.example>"),
    ADMIN_EMAIL: z.email("must be an email address").optional(),
    ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
    LOG_LEVEL: z.enum(["silent", "error", "warn", "info", "debug"], {
      error: 'must be one of "silent", "error", "warn", "info", "debug"',
    }).default("info"),
    // How long each instance keeps a public page it rendered (0: not at all); see page-cache.server.ts.
    PAGE_CACHE_SECONDS: z.coerce
      .number({ error: "must be a number of seconds such as 5" })
      .int("must be a whole number of seconds")
      .min(0, "must be 0 (off) or more")
      .max(60, "must be at most 60, the time a CDN may keep public pages")
      .default(5),
    // How long a stopping instance keeps serving, with /healthz at 503, so that its load balancer
    // stops sending it requests first (server.ts). Unset: 5 in production, 0 elsewhere.
    SHUTDOWN_DRAIN_SECONDS: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z.coerce
        .number({ error: "must be a number of seconds such as 10" })
        .int("must be a whole number of seconds")
        .min(0, "must be 0 (stop accepting requests at once) or more")
        .max(300, "must be at most 300 (five minutes)")
        .optional(),
    ),
    // Worker threads that render PDFs beside the thread serving requests (pdf.server.ts); 0: that
    // thread renders them. Unset: one per core beyond the first, at least one and at most two.
    PDF_WORKERS: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z.coerce
        .number({ error: "must be a number of threads such as 1" })
        .int("must be a whole number of threads")
        .min(0, "must be 0 (render PDFs in the thread serving requests) or more")
        .max(16, "must be at most 16")
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default(".data"),
    // Speaker photos and sponsor logos uploaded by organisers; defaults to DATA_DIR/uploads.
    UPLOADS_DIR: z.string().min(1).optional(),
    // Prometheus scrapes GET /metrics with "Authorization: Bearer <token>". Unset: only callers on
    // loopback or private networks get it (not through the reverse proxy, which names the client).
    METRICS_TOKEN: z.string().min(16, "must be at least 16 characters of random text").optional().or(z.literal("").transform(() => undefined)),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    const refuse = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (!env.DATABASE_URL) refuse("DATABASE_URL", "is required in production; the embedded PostgreSQL is for development only");
    if (!env.SESSION_SECRET) refuse("SESSION_SECRET", "is required in production (32+ random characters)");
    if (!env.APP_URL) refuse("APP_URL", "is required in production (links in emails and calendars use it)");
    if (!env.STRIPE_SECRET_KEY) refuse("STRIPE_SECRET_KEY", "is required in production; the local Stripe emulator is for development only");
    if (!env.STRIPE_WEBHOOK_SECRET) refuse("STRIPE_WEBHOOK_SECRET", "is required in production");
    if (!env.ADMIN_EMAIL) refuse("ADMIN_EMAIL", "is required in production");
    if (!env.ADMIN_PASSWORD || env.ADMIN_PASSWORD === DEV_ADMIN_PASSWORD) {
      refuse("ADMIN_PASSWORD", "is required in production and must not be the development default");
    }
  });

export type Env = z.infer<typeof schema> & {
  SESSION_SECRET: string;
  APP_URL: string;
  ADMIN_EMAIL: string;
  ADMIN_PASSWORD: string;
  UPLOADS_DIR: string;
  SHUTDOWN_DRAIN_SECONDS: number;
  PDF_WORKERS: number;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`The server cannot start because of its settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`));
  }
  const env = result.data;
  return {
    ...env,
    SESSION_SECRET: env.SESSION_SECRET ?? DEV_SESSION_SECRET,
    APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    ADMIN_EMAIL: env.ADMIN_EMAIL ?? DEV_ADMIN_EMAIL,
    ADMIN_PASSWORD: env.ADMIN_PASSWORD ?? DEV_ADMIN_PASSWORD,
    UPLOADS_DIR: env.UPLOADS_DIR ?? `${env.DATA_DIR}/uploads`,
    // A load balancer needs a few seconds to notice, and Docker and Cloud Run end a process 10 s
    // after SIGTERM, which leaves 5 s for the last answers and jobs; nobody is in front of `npm start`.
    SHUTDOWN_DRAIN_SECONDS: env.SHUTDOWN_DRAIN_SECONDS ?? (env.NODE_ENV === "production" ? 5 : 0),
    // A second core renders PDFs while the first serves. Receipts come a few at a time (the outbox
    // sends four emails at once), so a third thread would mostly hold memory (react-pdf and fonts).
    PDF_WORKERS: env.PDF_WORKERS ?? Math.max(1, Math.min(2, availableParallelism() - 1)),
  };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The bare address of MAIL_FROM ("RE3M 2025 <tickets@re3m.example>" gives tickets@re3m.example). */
export function mailFromAddress(from = env().MAIL_FROM): string {
  return from.match(/<([^<>]+)>\s*$/)?.[1] ?? from.trim();
}

type RuntimeSettings = Partial<Pick<Env, "DATABASE_URL" | "STRIPE_SECRET_KEY" | "STRIPE_WEBHOOK_SECRET" | "STRIPE_API_BASE">>;

// The embedded database and the Stripe emulator are started by the server before the app is
// loaded; their addresses become settings that every later reader (the Remix build included,
// which parses process.env on its own) must see.
export function applyRuntimeSettings(settings: RuntimeSettings) {
  for (const [name, value] of Object.entries(settings)) {
    if (value !== undefined) process.env[name] = value;
  }
  if (cached) cached = { ...cached, ...settings };
}
