-- The counters of every rate limit (login failures, checkout attempts, booth scans), shared by
-- all app instances: rate-limiter-flexible's PostgreSQL store reads and writes them (ADR 0019).
-- Created here rather than by the library at run time. A schema of their own keeps them out of
-- the Prisma schema's diff, like graphile_worker's tables. Column order matters: the library
-- inserts VALUES (key, points, expire), expire being milliseconds since 1970 (NULL: never).
CREATE SCHEMA IF NOT EXISTS "rate_limit";

CREATE TABLE "rate_limit"."counters" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT
);
