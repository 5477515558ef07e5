// `npm run db:seed`: writes the sample event into DATABASE_URL, or, when that is unset, into the
// embedded database that `npm start` uses (started here for the duration if it is not running).
import { createDb } from "../app/services/db.server";
import { runningEmbeddedUrl, startEmbeddedPostgres } from "../app/services/embedded-postgres.server";
import { env, EnvError } from "../app/services/env.server";
import { applyMigrations } from "../app/services/migrations.server";
import { SEED_EVENT_SLUG, seed } from "./seed-data";

type Cluster = Awaited<ReturnType<typeof startEmbeddedPostgres>>;

async function main() {
  const settings = env();
  let url = settings.DATABASE_URL;
  let cluster: Cluster | undefined;
  if (!url) {
    // A second postgres on the same data directory would refuse to start; reuse the running one.
    url = runningEmbeddedUrl(settings.DATA_DIR) ?? undefined;
    if (!url) {
      cluster = await startEmbeddedPostgres(settings.DATA_DIR, console.error);
      url = cluster.url;
    }
  }
  const db = createDb(url, 2);
  try {
    if (!settings.DATABASE_URL) await applyMigrations(url);
    await seed(db, { adminEmail: settings.ADMIN_EMAIL, adminPassword: settings.ADMIN_PASSWORD });
    const where = { event: { slug: SEED_EVENT_SLUG } };
    const [sessions, speakers, sponsors, ticketTypes, discounts] = await Promise.all([
      db.session.count({ where }),
      db.speaker.count({ where }),
      db.sponsor.count({ where }),
      db.ticketType.count({ where }),
      db.discountCode.count({ where }),
    ]);
    process.stdout.write(
      `Seeded ${SEED_EVENT_SLUG} into ${settings.DATABASE_URL ? "DATABASE_URL" : "the embedded database"}: ` +
        `${sessions} sessions, ${speakers} speakers, ${sponsors} sponsors, ${ticketTypes} ticket types, ` +
        `${discounts} discount codes; organiser login ${settings.ADMIN_EMAIL}\n`,
    );
  } finally {
    await db.$disconnect();
    await cluster?.stop();
  }
}

main().catch((error: unknown) => {
  // A settings error already says what to fix; anything else needs its stack.
  const text = error instanceof EnvError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  // P2021: a table is missing, i.e. DATABASE_URL points at a database that was never migrated.
  const missingTables = (error as { code?: unknown } | null)?.code === "P2021";
  process.stderr.write(`${text}\n${missingTables ? "The database has no tables yet: run `npm run db:migrate` first.\n" : ""}`);
  process.exitCode = 1;
});
