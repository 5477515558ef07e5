import { describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { seed } from "../../prisma/seed-data";
import { TEST_ADMIN } from "../support/constants";

async function counts() {
  const d = db();
  const [events, sessions, speakers, links, tiers, sponsors, types, codes, users, rooms, tracks] = await Promise.all([
    d.event.count(),
    d.session.count(),
    d.speaker.count(),
    d.sessionSpeaker.count(),
    d.sponsorTier.count(),
    d.sponsor.count(),
    d.ticketType.count(),
    d.discountCode.count(),
    d.user.count(),
    d.room.count(),
    d.track.count(),
  ]);
  return { events, sessions, speakers, links, tiers, sponsors, types, codes, users, rooms, tracks };
}

describe("the seed", () => {
  it("holds the event's real facts and enough sample content to feel real", async () => {
    const event = await db().event.findFirstOrThrow();
    expect(event.name).toBe("Rare Earth Mines, Magnets & Motors 2025");
    expect(event.timeZone).toBe("America/Toronto");
    expect(event.city).toBe("Toronto");
    expect(event.organiser).toBe("Adamas Intelligence");
    expect(event.specialGuest).toBe("Steve Wozniak");
    expect(event.taxRateBps).toBe(1300);
    expect(event.startsOn.toISOString().slice(0, 7)).toBe("2025-09");
    const c = await counts();
    expect(c.sessions).toBeGreaterThanOrEqual(40);
    expect(c.speakers).toBeGreaterThanOrEqual(30);
    expect(c.sponsors).toBeGreaterThanOrEqual(12);
    expect(c.tiers).toBe(4);
    expect(c.types).toBeGreaterThanOrEqual(4);
    expect(c.types).toBeLessThanOrEqual(6);
    expect(c.tracks).toBe(3);
    const kinds = await db().session.groupBy({ by: ["kind"], _count: true });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["BREAK", "KEYNOTE", "NETWORKING", "PANEL", "TALK", "WORKSHOP"]);
    const organiser = await db().user.findUniqueOrThrow({ where: { email: TEST_ADMIN.email } });
    expect(organiser.role).toBe("ADMIN");
  });

  it("never puts two sessions in one room at once", async () => {
    const clashes = await db().$queryRaw<{ a: string; b: string }[]>`
      SELECT a.slug AS a, b.slug AS b FROM "Session" a JOIN "Session" b
        ON a."roomId" = b."roomId" AND a.id < b.id AND a."startsAt" < b."endsAt" AND b."startsAt" < a."endsAt"`;
    expect(clashes).toEqual([]);
  });

  it("leaves the demonstration's discount codes out when asked (a production server's first start)", async () => {
    // A database of its own would take a cluster; the seeded event's codes are removed and the
    // seed written again without them.
    await db().discountCode.deleteMany({ where: { used: 0 } });
    const kept = await db().discountCode.count();
    await seed(db(), { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password, sampleDiscountCodes: false });
    expect(await db().discountCode.count()).toBe(kept);
    expect(await db().discountCode.findFirst({ where: { code: "SPEAKERGUEST" } })).toBeNull();
    await seed(db(), { adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password });
    expect(await db().discountCode.findFirst({ where: { code: "SPEAKERGUEST" } })).not.toBeNull();
  });

  it("is idempotent and keeps an existing organiser's password", async () => {
    const before = await counts();
    const hash = (await db().user.findUniqueOrThrow({ where: { email: TEST_ADMIN.email } })).passwordHash;
    await seed(db(), { adminEmail: TEST_ADMIN.email, adminPassword: "a-different-password" });
    expect(await counts()).toEqual(before);
    expect((await db().user.findUniqueOrThrow({ where: { email: TEST_ADMIN.email } })).passwordHash).toBe(hash);
  });
});
