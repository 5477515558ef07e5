// Writes the sample event (prisma/seed-content.ts) into the database. Used by server.ts on an
// empty database and by `npm run db:seed`. Every write is an upsert on a natural key, so running
// it again converges on the same rows instead of adding new ones.
// Relative imports only: tsx runs this file outside the Remix build.
import type { Prisma, PrismaClient, SessionKind } from "../app/generated/prisma/client";
import { hashPassword } from "../app/services/password.server";
import {
  DISCOUNT_CODES,
  EVENT,
  EVENT_SLUG,
  ORGANISER_NAME,
  PLENARY_ROOM,
  ROOMS,
  SESSIONS,
  SPEAKERS,
  SPONSORS,
  SPONSOR_TIERS,
  TICKET_TYPES,
  TRACKS,
  type SpeakerRef,
} from "./seed-content";

export { EVENT_SLUG as SEED_EVENT_SLUG };

export type SeedOptions = {
  adminEmail: string;
  adminPassword: string;
  /**
   * The demonstration's discount codes (SPEAKERGUEST gives tickets away). A production server
   * seeds without them: an organiser creates the real ones at /admin/discount-codes.
   */
  sampleDiscountCodes?: boolean;
};

type Tx = Prisma.TransactionClient;

// A few hundred sequential statements; the default 5 s is too tight on a cold embedded database.
const TX_OPTIONS = { maxWait: 30_000, timeout: 120_000 } as const;

// Serialises seeding across processes: two app instances starting together on an empty database
// would otherwise both seed and one would fail on a unique constraint.
const SEED_LOCK_KEY = 0x5e3d_2025;

/** Seeds (or re-seeds) the sample event. Idempotent; never changes an existing user's password. */
export async function seed(db: PrismaClient, opts: SeedOptions): Promise<void> {
  const passwordHash = await hashPassword(opts.adminPassword);
  await db.$transaction(async (tx) => {
    await lockSeeding(tx);
    await writeSeed(tx, opts.adminEmail, passwordHash, opts.sampleDiscountCodes ?? true);
  }, TX_OPTIONS);
}

/** Seeds only a database without any event. Returns true when it seeded. */
export async function seedIfEmpty(db: PrismaClient, opts: SeedOptions): Promise<boolean> {
  // Cheap check first so a normal start-up neither hashes a password nor takes the lock.
  if ((await db.event.count()) > 0) return false;
  const passwordHash = await hashPassword(opts.adminPassword);
  return db.$transaction(async (tx) => {
    await lockSeeding(tx);
    // Another instance may have seeded while this one waited for the lock.
    if ((await tx.event.count()) > 0) return false;
    await writeSeed(tx, opts.adminEmail, passwordHash, opts.sampleDiscountCodes ?? true);
    return true;
  }, TX_OPTIONS);
}

async function lockSeeding(tx: Tx) {
  // $executeRaw: pg_advisory_xact_lock returns void, which the adapter cannot read back as a row.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
}

async function writeSeed(tx: Tx, adminEmail: string, passwordHash: string, sampleDiscountCodes: boolean) {
  // The sample event is the public edition of a new database; seeding again never takes that
  // place from an edition an organiser has published since.
  const status = (await tx.event.count({ where: { status: "PUBLIC" } })) === 0 ? "PUBLIC" : "DRAFT";
  const { id: eventId } = await tx.event.upsert({ where: { slug: EVENT.slug }, create: { ...EVENT, status }, update: EVENT });

  const roomIds = new Map<string, string>();
  for (const room of ROOMS) {
    const row = await tx.room.upsert({
      where: { eventId_name: { eventId, name: room.name } },
      create: { eventId, ...room },
      update: room,
    });
    roomIds.set(room.name, row.id);
  }

  const trackIds = new Map<string, string>();
  for (const { room: _room, ...track } of TRACKS) {
    const row = await tx.track.upsert({
      where: { eventId_slug: { eventId, slug: track.slug } },
      create: { eventId, ...track },
      update: track,
    });
    trackIds.set(track.slug, row.id);
  }
  const roomOfTrack = new Map<string, string>(TRACKS.map((track) => [track.slug, track.room]));

  const speakerIds = new Map<string, string>();
  for (const speaker of SPEAKERS) {
    const data = { ...speaker, featured: speaker.featured ?? false, photoUrl: null };
    const row = await tx.speaker.upsert({
      where: { eventId_slug: { eventId, slug: speaker.slug } },
      create: { eventId, ...data },
      update: data,
    });
    speakerIds.set(speaker.slug, row.id);
  }

  for (const { track, draft, speakers = [], ...session } of SESSIONS) {
    const room = track ? need(roomOfTrack, track, "room of track") : PLENARY_ROOM;
    const data = {
      ...session,
      summary: session.summary ?? "",
      status: draft ? ("DRAFT" as const) : ("PUBLISHED" as const),
      trackId: track ? need(trackIds, track, "track") : null,
      roomId: need(roomIds, room, "room"),
    };
    const { id: sessionId } = await tx.session.upsert({
      where: { eventId_slug: { eventId, slug: session.slug } },
      create: { eventId, ...data },
      update: data,
    });
    for (const [position, ref] of speakers.entries()) {
      const { slug, role } = speakerRole(ref, session.kind, position);
      const speakerId = need(speakerIds, slug, "speaker");
      await tx.sessionSpeaker.upsert({
        where: { sessionId_speakerId: { sessionId, speakerId } },
        create: { sessionId, speakerId, role, position },
        update: { role, position },
      });
    }
  }

  const tierIds = new Map<string, string>();
  for (const tier of SPONSOR_TIERS) {
    const row = await tx.sponsorTier.upsert({
      where: { eventId_name: { eventId, name: tier.name } },
      create: { eventId, ...tier },
      update: tier,
    });
    tierIds.set(tier.name, row.id);
  }

  for (const { tier, ...sponsor } of SPONSORS) {
    const data = { ...sponsor, logoUrl: `/logos/${sponsor.slug}.svg`, tierId: need(tierIds, tier, "sponsor tier") };
    await tx.sponsor.upsert({
      where: { eventId_slug: { eventId, slug: sponsor.slug } },
      create: { eventId, ...data },
      update: data,
    });
  }

  // held and sold are left alone on update: they count real orders, not seed content.
  const ticketTypeIds = new Map<string, string>();
  for (const ticketType of TICKET_TYPES) {
    const data = {
      ...ticketType,
      currency: EVENT.currency,
      maxPerOrder: ticketType.maxPerOrder ?? 10,
      isPublic: ticketType.isPublic ?? true,
      salesStartAt: null,
      salesEndAt: null,
    };
    const row = await tx.ticketType.upsert({
      where: { eventId_slug: { eventId, slug: ticketType.slug } },
      create: { eventId, ...data },
      update: data,
    });
    ticketTypeIds.set(ticketType.slug, row.id);
  }

  // used is left alone on update for the same reason.
  for (const { ticketTypes = [], ...discount } of sampleDiscountCodes ? DISCOUNT_CODES : []) {
    const links = ticketTypes.map((slug) => ({ id: need(ticketTypeIds, slug, "ticket type") }));
    await tx.discountCode.upsert({
      where: { eventId_code: { eventId, code: discount.code } },
      create: { eventId, ...discount, ticketTypes: { connect: links } },
      update: { ...discount, ticketTypes: { set: links } },
    });
  }

  // Create only: an existing account keeps its password, name and role.
  await tx.user.upsert({
    where: { email: adminEmail },
    create: { email: adminEmail, name: ORGANISER_NAME, role: "ADMIN", passwordHash },
    update: {},
  });
}

function speakerRole(ref: SpeakerRef, kind: SessionKind, position: number): { slug: string; role: string } {
  if (typeof ref !== "string") return ref;
  if (kind === "PANEL") return { slug: ref, role: position === 0 ? "Moderator" : "Panellist" };
  if (kind === "WORKSHOP") return { slug: ref, role: "Facilitator" };
  return { slug: ref, role: "Speaker" };
}

/** Looks up an id written earlier in this run; a miss means the seed content is inconsistent. */
function need(ids: Map<string, string>, key: string, what: string): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`Seed content refers to an unknown ${what}: "${key}"`);
  return id;
}
