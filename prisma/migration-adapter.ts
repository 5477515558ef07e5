// The driver adapter that Prisma's wasm schema engine uses for `migrate` and `db` commands.
// Prisma 6.19 cannot download its native schema engine here, so migrations run through
// @prisma/adapter-pg, which needs three workarounds (see ../shared/notes/prisma-offline.md).
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

type Result = { fields?: { dataTypeID: number }[] };

function relabelCatalogColumns(result: Result | Result[]) {
  for (const part of Array.isArray(result) ? result : [result]) {
    for (const field of part?.fields ?? []) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

// Bug 1: adapter-pg cannot deserialize the `name` and `"char"` columns of the engine's catalog
// queries ("Column type 'name' could not be deserialized"). Their text form is exactly what the
// engine wants, so the client reports them as text.
class CatalogFriendlyClient extends pg.Client {
  // pg's overloads cannot be restated generically. pg.Pool calls this with a callback; Prisma's
  // transactions call it for a promise. Both are relabelled.
  query(...args: unknown[]): never {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = (error: Error | null, result: Result) => callback(error, error ? result : relabelCatalogColumns(result));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<Result>).then === "function") {
      return (result as Promise<Result>).then(relabelCatalogColumns) as never;
    }
    return result as never;
  }
}

// Bug 3: a connection string overrides the `database` field, pointing the shadow pool at the main
// database, so the config is built from separate fields.
export function poolConfigFrom(databaseUrl: string, database?: string): pg.PoolConfig {
  const url = new URL(databaseUrl);
  return {
    host: decodeURIComponent(url.hostname),
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: database ?? decodeURIComponent(url.pathname.slice(1)),
    // The CLI would otherwise wait for idle timers for up to a minute before exiting.
    allowExitOnIdle: true,
    idleTimeoutMillis: 100,
    Client: CatalogFriendlyClient,
  } as pg.PoolConfig;
}

export function migrationAdapter(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const main = new PrismaPg(poolConfigFrom(databaseUrl));
  return {
    provider: "postgres",
    adapterName: main.adapterName,
    connect: () => main.connect(),
    // Bug 2: adapter-pg's own helper drops the shadow database while its pool is still connected
    // ("database ... is being accessed by other users"): close the pool first, then drop.
    async connectToShadowDb() {
      const name = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client(poolConfigFrom(databaseUrl, "postgres"));
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const shadow = await new PrismaPg(poolConfigFrom(databaseUrl, name)).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        const dropper = new pg.Client(poolConfigFrom(databaseUrl, "postgres"));
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS "${name}"`);
        await dropper.end();
      };
      return shadow;
    },
  };
}
