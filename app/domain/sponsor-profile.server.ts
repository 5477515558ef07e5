// Sponsors edit their public profile; organisers approve each change before it reaches /sponsors.
import { audit } from "~/services/audit.server";
import { db } from "~/services/db.server";
import { fail } from "./errors";

export type ProfileInput = { description: string; website: string | null; logoUrl: string | null };

/** The sponsor's current public profile and its newest change waiting for review. */
export async function profileFor(sponsorId: string) {
  const [sponsor, pending] = await Promise.all([
    db().sponsor.findUniqueOrThrow({ where: { id: sponsorId }, select: { name: true, slug: true, description: true, website: true, logoUrl: true } }),
    db().sponsorProfileChange.findFirst({
      where: { sponsorId, status: "PENDING" },
      select: { id: true, description: true, website: true, logoUrl: true, createdAt: true },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  const lastReview = await db().sponsorProfileChange.findFirst({
    where: { sponsorId, status: { not: "PENDING" } },
    select: { status: true, reviewNote: true, reviewedAt: true },
    orderBy: { reviewedAt: "desc" },
  });
  return { sponsor, pending, lastReview };
}

/**
 * Records a proposed change for review. A newer proposal replaces one still waiting, so organisers
 * review only what the sponsor wants now.
 */
export async function proposeProfileChange(sponsorId: string, input: ProfileInput, submittedById: string, now: Date) {
  return db().$transaction(async (tx) => {
    await tx.sponsorProfileChange.updateMany({
      where: { sponsorId, status: "PENDING" },
      data: { status: "REJECTED", reviewNote: "Replaced by a newer proposal from the sponsor.", reviewedAt: now },
    });
    const change = await tx.sponsorProfileChange.create({ data: { sponsorId, ...input, submittedById }, select: { id: true } });
    await audit(tx, { action: "sponsor.profile.proposed", subject: `sponsor:${sponsorId}`, actorId: submittedById, after: { changeId: change.id, ...input } });
    return change;
  });
}

export function pendingProfileChanges(eventId: string) {
  return db().sponsorProfileChange.findMany({
    where: { status: "PENDING", sponsor: { eventId } },
    select: {
      id: true,
      description: true,
      website: true,
      logoUrl: true,
      createdAt: true,
      sponsor: { select: { id: true, name: true, slug: true, description: true, website: true, logoUrl: true } },
    },
    orderBy: { createdAt: "asc" },
  });
}

export function recentProfileReviews(eventId: string, take = 20) {
  return db().sponsorProfileChange.findMany({
    where: { status: { not: "PENDING" }, sponsor: { eventId } },
    select: { id: true, status: true, reviewNote: true, reviewedAt: true, sponsor: { select: { name: true } } },
    orderBy: { reviewedAt: "desc" },
    take,
  });
}

/**
 * Approves (applies to the public profile) or rejects a change, exactly once: the status moves from
 * PENDING in one conditional update, so two organisers clicking at once cannot apply it twice.
 */
export async function reviewProfileChange(eventId: string, changeId: string, decision: "APPROVED" | "REJECTED", note: string, reviewerId: string, now: Date) {
  return db().$transaction(async (tx) => {
    const claimed = await tx.sponsorProfileChange.updateMany({
      where: { id: changeId, status: "PENDING", sponsor: { eventId } },
      data: { status: decision, reviewedById: reviewerId, reviewNote: note, reviewedAt: now },
    });
    if (claimed.count === 0) fail("sponsor-change.not-pending");
    const change = await tx.sponsorProfileChange.findUniqueOrThrow({
      where: { id: changeId },
      select: { sponsorId: true, description: true, website: true, logoUrl: true },
    });
    const subject = `sponsor:${change.sponsorId}`;
    if (decision === "REJECTED") {
      await audit(tx, { action: "sponsor.profile.rejected", subject, actorId: reviewerId, after: { changeId, note } });
      return;
    }
    const before = await tx.sponsor.findUniqueOrThrow({ where: { id: change.sponsorId }, select: { description: true, website: true, logoUrl: true } });
    const after = { description: change.description, website: change.website, logoUrl: change.logoUrl ?? before.logoUrl };
    await tx.sponsor.update({ where: { id: change.sponsorId }, data: after });
    await audit(tx, { action: "sponsor.profile.approved", subject, actorId: reviewerId, before, after: { changeId, ...after } });
  });
}
