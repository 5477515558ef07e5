// Speakers, tracks, rooms, sponsors and sponsor tiers as organisers edit them. Each change is one
// transaction with its audit row; a delete that would orphan or silently change other records is
// refused with a message saying what still uses the thing.
import { Prisma } from "~/generated/prisma/client";
import { audit, type Tx } from "~/services/audit.server";
import { db } from "~/services/db.server";
import type { RoomInput, SpeakerInput, SponsorInput, TierInput, TrackInput } from "~/validation/agenda-admin";
import { DomainError, fail, failOn } from "./errors";

/** "Mine & Refine: Ore to Oxide" → "mine-and-refine-ore-to-oxide". */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 70)
    .replace(/-+$/g, "");
  return slug || "item";
}

type SluggedModel = "session" | "speaker" | "sponsor" | "track";

/** A slug from the name that no other record of the event uses: "name", then "name-2", "name-3"… */
export async function uniqueSlug(tx: Tx, model: SluggedModel, eventId: string, name: string): Promise<string> {
  const base = slugify(name);
  const where = { eventId, slug: { startsWith: base } };
  const select = { slug: true } as const;
  // One query per model, since Prisma delegates do not share a callable type.
  const rows =
    model === "session"
      ? await tx.session.findMany({ where, select })
      : model === "speaker"
        ? await tx.speaker.findMany({ where, select })
        : model === "sponsor"
          ? await tx.sponsor.findMany({ where, select })
          : await tx.track.findMany({ where, select });
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

type Kind = "speaker" | "track" | "room" | "sponsor" | "sponsor tier";

/** Runs one change in a transaction and writes its audit row; unique-name clashes become a message on the name field. */
async function change<T>(
  kind: Kind,
  name: string | undefined,
  run: (tx: Tx) => Promise<{ action: string; id: string; before?: unknown; after?: unknown; result: T }>,
  actorId: string,
): Promise<T> {
  try {
    return await db().$transaction(async (tx) => {
      const { action, id, before, after, result } = await run(tx);
      await audit(tx, { action, subject: `${kind.replace(" ", "-")}:${id}`, actorId, before, after });
      return result;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002" && name) failOn("name", "content.name-taken", kind, name);
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") fail("content.not-found", kind);
    throw error;
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function refuseDeleteWhenUsed(kind: Kind, uses: string[]) {
  if (uses.length > 0) fail("content.in-use", kind, uses.join(" and "));
}

// ------------------------------------------------------------------------------------------
// Tracks

const trackSelect = { id: true, slug: true, name: true, color: true, position: true } as const;

export function saveTrack(eventId: string, input: TrackInput, actorId: string, id?: string) {
  return change("track", input.name, async (tx) => {
    if (!id) {
      const after = await tx.track.create({ data: { ...input, eventId, slug: await uniqueSlug(tx, "track", eventId, input.name) }, select: trackSelect });
      return { action: "track.created", id: after.id, after, result: after };
    }
    const before = await tx.track.findFirstOrThrow({ where: { id, eventId }, select: trackSelect });
    const after = await tx.track.update({ where: { id }, data: input, select: trackSelect });
    return { action: "track.updated", id, before, after, result: after };
  }, actorId);
}

export function deleteTrack(eventId: string, id: string, actorId: string) {
  return change("track", undefined, async (tx) => {
    const before = await tx.track.findFirstOrThrow({ where: { id, eventId }, select: { ...trackSelect, _count: { select: { sessions: true } } } });
    refuseDeleteWhenUsed("track", before._count.sessions ? [`${plural(before._count.sessions, "session is", "sessions are")} in it`] : []);
    await tx.track.delete({ where: { id } });
    return { action: "track.deleted", id, before, result: null };
  }, actorId);
}

// ------------------------------------------------------------------------------------------
// Rooms

const roomSelect = { id: true, name: true, capacity: true, position: true } as const;

export function saveRoom(eventId: string, input: RoomInput, actorId: string, id?: string) {
  const data = { name: input.name, capacity: input.capacity ?? null, position: input.position };
  return change("room", input.name, async (tx) => {
    if (!id) {
      const after = await tx.room.create({ data: { ...data, eventId }, select: roomSelect });
      return { action: "room.created", id: after.id, after, result: after };
    }
    const before = await tx.room.findFirstOrThrow({ where: { id, eventId }, select: roomSelect });
    const after = await tx.room.update({ where: { id }, data, select: roomSelect });
    return { action: "room.updated", id, before, after, result: after };
  }, actorId);
}

export function deleteRoom(eventId: string, id: string, actorId: string) {
  return change("room", undefined, async (tx) => {
    const before = await tx.room.findFirstOrThrow({ where: { id, eventId }, select: { ...roomSelect, _count: { select: { sessions: true } } } });
    refuseDeleteWhenUsed("room", before._count.sessions ? [`${plural(before._count.sessions, "session is", "sessions are")} scheduled in it`] : []);
    await tx.room.delete({ where: { id } });
    return { action: "room.deleted", id, before, result: null };
  }, actorId);
}

// ------------------------------------------------------------------------------------------
// Sponsor tiers

const tierSelect = { id: true, name: true, rank: true, benefits: true, includesAttendeeList: true } as const;

export function saveTier(eventId: string, input: TierInput, actorId: string, id?: string) {
  return change("sponsor tier", input.name, async (tx) => {
    if (!id) {
      const after = await tx.sponsorTier.create({ data: { ...input, eventId }, select: tierSelect });
      return { action: "sponsor-tier.created", id: after.id, after, result: after };
    }
    const before = await tx.sponsorTier.findFirstOrThrow({ where: { id, eventId }, select: tierSelect });
    const after = await tx.sponsorTier.update({ where: { id }, data: input, select: tierSelect });
    return { action: "sponsor-tier.updated", id, before, after, result: after };
  }, actorId);
}

export function deleteTier(eventId: string, id: string, actorId: string) {
  return change("sponsor tier", undefined, async (tx) => {
    const before = await tx.sponsorTier.findFirstOrThrow({ where: { id, eventId }, select: { ...tierSelect, _count: { select: { sponsors: true } } } });
    refuseDeleteWhenUsed("sponsor tier", before._count.sponsors ? [`${plural(before._count.sponsors, "sponsor belongs", "sponsors belong")} to it`] : []);
    await tx.sponsorTier.delete({ where: { id } });
    return { action: "sponsor-tier.deleted", id, before, result: null };
  }, actorId);
}

// ------------------------------------------------------------------------------------------
// Speakers

const speakerSelect = { id: true, slug: true, name: true, role: true, company: true, bio: true, photoUrl: true, featured: true } as const;

/** `photoUrl`: a newly uploaded photo, or undefined to keep the current one (unless removeImage). */
export function saveSpeaker(eventId: string, input: SpeakerInput, actorId: string, id?: string, photoUrl?: string) {
  const { removeImage, ...fields } = input;
  const photo = photoUrl ?? (removeImage ? null : undefined);
  return change("speaker", undefined, async (tx) => {
    if (!id) {
      const after = await tx.speaker.create({
        data: { ...fields, eventId, slug: await uniqueSlug(tx, "speaker", eventId, input.name), photoUrl: photo ?? null },
        select: speakerSelect,
      });
      return { action: "speaker.created", id: after.id, after, result: after };
    }
    const before = await tx.speaker.findFirstOrThrow({ where: { id, eventId }, select: speakerSelect });
    const after = await tx.speaker.update({ where: { id }, data: { ...fields, ...(photo !== undefined ? { photoUrl: photo } : {}) }, select: speakerSelect });
    return { action: "speaker.updated", id, before, after, result: after };
  }, actorId);
}

export function deleteSpeaker(eventId: string, id: string, actorId: string) {
  return change("speaker", undefined, async (tx) => {
    const before = await tx.speaker.findFirstOrThrow({ where: { id, eventId }, select: { ...speakerSelect, _count: { select: { sessions: true } } } });
    refuseDeleteWhenUsed("speaker", before._count.sessions ? [`they are listed on ${plural(before._count.sessions, "session", "sessions")}`] : []);
    await tx.speaker.delete({ where: { id } });
    return { action: "speaker.deleted", id, before, result: null };
  }, actorId);
}

// ------------------------------------------------------------------------------------------
// Sponsors

const sponsorSelect = { id: true, slug: true, name: true, tierId: true, description: true, website: true, logoUrl: true, accent: true, booth: true } as const;

export function saveSponsor(eventId: string, input: SponsorInput, actorId: string, id?: string, logoUrl?: string) {
  const { removeImage, ...fields } = input;
  const logo = logoUrl ?? (removeImage ? null : undefined);
  return change("sponsor", undefined, async (tx) => {
    if ((await tx.sponsorTier.count({ where: { id: input.tierId, eventId } })) !== 1) throw new DomainError("content.not-found", "That tier no longer exists. Please choose another.", "tierId");
    if (!id) {
      const after = await tx.sponsor.create({
        data: { ...fields, eventId, slug: await uniqueSlug(tx, "sponsor", eventId, input.name), logoUrl: logo ?? null },
        select: sponsorSelect,
      });
      return { action: "sponsor.created", id: after.id, after, result: after };
    }
    const before = await tx.sponsor.findFirstOrThrow({ where: { id, eventId }, select: sponsorSelect });
    const after = await tx.sponsor.update({ where: { id }, data: { ...fields, ...(logo !== undefined ? { logoUrl: logo } : {}) }, select: sponsorSelect });
    return { action: "sponsor.updated", id, before, after, result: after };
  }, actorId);
}

export function deleteSponsor(eventId: string, id: string, actorId: string) {
  return change("sponsor", undefined, async (tx) => {
    const before = await tx.sponsor.findFirstOrThrow({ where: { id, eventId }, select: { ...sponsorSelect, _count: { select: { users: true, leads: true } } } });
    const uses = [
      before._count.users ? `${plural(before._count.users, "account belongs", "accounts belong")} to it` : "",
      before._count.leads ? `it has collected ${plural(before._count.leads, "lead", "leads")}` : "",
    ].filter(Boolean);
    refuseDeleteWhenUsed("sponsor", uses);
    await tx.sponsor.delete({ where: { id } });
    return { action: "sponsor.deleted", id, before, result: null };
  }, actorId);
}
