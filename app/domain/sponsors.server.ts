import { db } from "~/services/db.server";

const sponsorCard = { slug: true, name: true, logoUrl: true, accent: true, website: true, description: true, booth: true } as const;

/** Tiers in rank order, each with its sponsors; empty tiers are left out. */
export async function sponsorsByTier(eventId: string) {
  const tiers = await db().sponsorTier.findMany({
    where: { eventId },
    select: { name: true, rank: true, sponsors: { select: sponsorCard, orderBy: { name: "asc" } } },
    orderBy: { rank: "asc" },
  });
  return tiers.filter((t) => t.sponsors.length > 0);
}

export async function sponsorBySlug(eventId: string, slug: string) {
  return db().sponsor.findFirst({
    where: { eventId, slug },
    select: { ...sponsorCard, tier: { select: { name: true, rank: true } } },
  });
}
