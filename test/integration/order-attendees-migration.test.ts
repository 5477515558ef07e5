// The migration that turned Order.attendees (JSON) into OrderAttendee rows: orders placed before
// it keep every attendee, in their order. The migrations before it are applied as plain SQL to a
// database of its own, so there is an Order.attendees column to fill.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { db } from "~/services/db.server";

const MIGRATION = "20261207120000_order_attendees";
const migrations = path.resolve("prisma/migrations");
const sqlOf = (name: string) => readFileSync(path.join(migrations, name, "migration.sql"), "utf8");
const before = readdirSync(migrations, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name < MIGRATION)
  .map((entry) => entry.name)
  .sort();

const prefix = inject("databaseUrlPrefix");
const database = `${inject("databaseNamePrefix")}_migration_${process.env.VITEST_POOL_ID ?? "0"}_${Date.now()}`;

async function connect(name: string) {
  const client = new pg.Client({ connectionString: `${prefix}${name}` });
  await client.connect();
  return client;
}

afterAll(async () => {
  const admin = await connect(inject("adminDatabase"));
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

describe("moving attendees from the order's JSON to OrderAttendee rows", () => {
  it("keeps every attendee of every existing order, in order, with their types and consent", async () => {
    const admin = await connect(inject("adminDatabase"));
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const client = await connect(database);
    try {
      for (const name of before) await client.query(sqlOf(name));
      // The event and two ticket types as the seed made them; the migration leaves both tables alone.
      const event = await db().event.findFirstOrThrow();
      const [pass, workshop] = await db().ticketType.findMany({ where: { eventId: event.id }, orderBy: { position: "asc" }, take: 2 });
      const copy = (table: string, row: unknown) =>
        client.query(`INSERT INTO "${table}" SELECT * FROM json_populate_record(NULL::"${table}", $1::json)`, [JSON.stringify(row)]);
      await copy("Event", event);
      await copy("TicketType", pass);
      await copy("TicketType", workshop);

      const attendees = [
        { name: "Marie Curie", email: "marie@example.com", company: "Sample Magnetics", jobTitle: "Chemist", country: "France", dietaryNeeds: "Vegetarian", accessNeeds: "", shareWithSponsors: true, ticketTypeId: pass!.id },
        { name: "Pierre Curie", email: "pierre@example.com", company: "", jobTitle: "", country: "", dietaryNeeds: "", accessNeeds: "Step-free access", shareWithSponsors: false, ticketTypeId: workshop!.id },
      ];
      const order = (id: string, people: unknown[]) =>
        client.query(
          `INSERT INTO "Order" (id, "eventId", reference, "accessToken", status, "buyerName", "buyerEmail", "subtotalCents", "taxCents", "totalCents", attendees, "expiresAt", "updatedAt")
           VALUES ($1, $2, $3, $4, 'PENDING', 'Buyer', 'buyer@example.com', 0, 0, 0, $5::jsonb, now(), now())`,
          [id, event.id, `RE3M-${id.toUpperCase()}`, `token-${id}`, JSON.stringify(people)],
        );
      await order("two", attendees);
      await order("none", []);

      await client.query(sqlOf(MIGRATION));

      const { rows } = await client.query(
        `SELECT "orderId", position, "ticketTypeId", name, email, company, "jobTitle", country, "dietaryNeeds", "accessNeeds", "shareWithSponsors"
         FROM "OrderAttendee" ORDER BY "orderId", position`,
      );
      expect(rows).toEqual(attendees.map(({ ticketTypeId, ...a }, position) => ({ orderId: "two", position, ticketTypeId, ...a })));
      const { rows: columns } = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'Order' AND column_name = 'attendees'`);
      expect(columns).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
