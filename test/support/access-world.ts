// The data the authorization matrix (test/integration/authorization.test.ts) asks about: the seven
// callers, and for each route something real to ask for (an attendee's ticket and order, sponsor
// A's lead, a room, a failed job…), so that a refusal is about access and never about a missing row.
import { randomUUID } from "node:crypto";
import { proposeProfileChange } from "~/domain/sponsor-profile.server";
import { requestPasswordReset } from "~/domain/accounts.server";
import { saveRoom, saveSpeaker, saveSponsor, saveTier, saveTrack } from "~/domain/content-admin.server";
import { saveSession } from "~/domain/agenda-admin.server";
import { eventSettingsForEdit } from "~/domain/event-settings.server";
import { fulfilOrder } from "~/domain/fulfilment.server";
import { requestFromTicket } from "~/domain/privacy.server";
import { placeOrder } from "~/domain/orders.server";
import { saveDiscountCode, saveTicketType } from "~/domain/ticket-admin.server";
import { hashToken, startSession } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { addJob } from "~/services/job-queue.server";
import { storeImage } from "~/services/uploads.server";
import { createMessage, unsubscribeUrl } from "~/domain/messages.server";
import { discountCodeFormSchema, ticketTypeSchema } from "~/validation/admin-commerce";
import { roomSchema, sessionSchema, speakerSchema, sponsorSchema, tierSchema, trackSchema } from "~/validation/agenda-admin";
import { TEST_PASSWORD, userWithRole } from "./auth";
import { attendee, order, seededEvent, ticketType } from "./factories";

/** Who asks, in the order of the matrix's columns. */
export const CALLERS = ["anonymous", "attendee", "sponsorA", "sponsorB", "door", "organiser", "admin"] as const;
export type Caller = (typeof CALLERS)[number];
/** The callers who log in; the attendee has only the links from their emails. */
const LOGGED_IN = ["sponsorA", "sponsorB", "door", "organiser", "admin"] as const satisfies readonly Caller[];

/** Forms the matrix posts to organisers' edit pages; the rows they edit are created from them. */
export const contentForms = {
  room: { name: "Sample Access Room", capacity: "40", position: "9" },
  track: { name: "Sample Access Track", color: "#123456", position: "9" },
  tier: { name: "Sample Access Tier", rank: "9", benefits: "Logo on the site" },
  speaker: { name: "Sample Access Speaker", role: "Engineer", company: "Sample Magnetics", bio: "" },
  session: { title: "Sample access session", kind: "TALK", status: "DRAFT", day: "2025-09-10", start: "07:00", end: "07:30" },
  ticketType: { name: "Sample Access Pass", description: "A pass made by the authorization test.", includes: "", price: "100", capacity: "50", visibility: "public", maxPerOrder: "4", position: "0" },
  discountCode: { code: "ACCESS-CHECK", kind: "PERCENT", amount: "10" },
} as const;

/** A free order (100% code), paid at once: its reference, buyer's key and tickets. */
async function freeOrder(people: { name: string; email: string; shareWithSponsors?: boolean }[], buyerEmail: string) {
  const event = await seededEvent();
  const type = await ticketType({ priceCents: 50_000 });
  const placed = await placeOrder(
    event,
    order({ [type.slug]: people.length }, { code: "SPEAKERGUEST", buyer: { name: "Sample Buyer", email: buyerEmail }, attendees: people.map((p) => attendee(p)) }),
    new Date(),
  );
  await fulfilOrder(placed.id, "free", new Date());
  const tickets = await db().ticket.findMany({
    where: { orderId: placed.id },
    select: { id: true, email: true, manageToken: true, qrCode: true, shortCode: true },
    orderBy: { createdAt: "asc" },
  });
  return { id: placed.id, reference: placed.reference, key: placed.accessToken, tickets };
}

/** A job that failed every attempt, as /admin/jobs lists it. */
async function failedJob() {
  const marker = randomUUID();
  await db().$transaction((tx) => addJob(tx, "handle-stripe-event", { eventId: `evt_${marker}` }, { maxAttempts: 1 }));
  const [job] = await db().$queryRaw<{ id: bigint }[]>`
    UPDATE graphile_worker._private_jobs SET attempts = max_attempts, last_error = 'failed in a test'
    WHERE payload->>'eventId' = ${`evt_${marker}`} RETURNING id`;
  return String(job!.id);
}

/** A set-password link of a new door staff account, as its invitation email carries it. */
async function invitationToken() {
  const user = await db().user.create({ data: { email: `invitee-${randomUUID().slice(0, 8)}@test.example`, name: "Invited Door", role: "CHECKIN" } });
  const token = randomUUID() + randomUUID();
  await db().passwordToken.create({ data: { userId: user.id, tokenHash: hashToken(token), purpose: "INVITATION", expiresAt: new Date(Date.now() + 86_400_000) } });
  return token;
}

/** A tax invoice of an order, as fulfilment issues one for a paid order (these sample orders are free). */
async function invoiceOf(order: { id: string; reference: string }, eventId: string, sequence: number) {
  return db().invoice.create({
    data: {
      eventId,
      orderId: order.id,
      kind: "INVOICE",
      sequence,
      number: `ACCESS-${sequence}`,
      issuedAt: new Date(),
      sellerName: "Sample Seller Inc.",
      sellerAddress: "",
      buyerName: "Sample Buyer",
      buyerEmail: "buyer@example.com",
      orderReference: order.reference,
      currency: "CAD",
      taxName: "HST",
      taxRateBps: 1300,
      lines: [{ description: "Sample pass", quantity: 1, unitCents: 10_000, amountCents: 10_000 }],
      subtotalCents: 10_000,
      taxCents: 1_300,
      totalCents: 11_300,
    },
    select: { id: true, number: true },
  });
}

/** A past edition of the conference, archived: /editions/2024 shows it, and the admin's switcher offers it. */
function pastEdition() {
  return db().event.create({
    data: {
      slug: "re3m-2024",
      status: "ARCHIVED",
      name: "Rare Earth Mines, Magnets & Motors 2024",
      shortName: "RE3M 2024",
      tagline: "A sample past edition.",
      description: "A sample past edition, made by the authorization test.",
      timeZone: "America/Toronto",
      startsOn: new Date("2024-09-10T00:00:00Z"),
      endsOn: new Date("2024-09-11T00:00:00Z"),
      venueName: "Sample Hall",
      venueAddress: "1 Sample Street, Toronto",
      city: "Toronto",
      country: "Canada",
      organiser: "Adamas Intelligence",
      invoicePrefix: "RE3M24-",
    },
    select: { id: true },
  });
}

const perCaller = async <T>(make: () => Promise<T>) => Object.fromEntries(await Promise.all(CALLERS.map(async (c) => [c, await make()] as const))) as Record<Caller, T>;

export async function buildAccessWorld() {
  const event = await seededEvent();
  const [sponsorA, sponsorB, sponsorC, sponsorD] = await db().sponsor.findMany({ where: { eventId: event.id }, select: { id: true, slug: true }, orderBy: { name: "asc" }, take: 4 });
  const users = {
    sponsorA: await userWithRole("SPONSOR", sponsorA!.id),
    sponsorB: await userWithRole("SPONSOR", sponsorB!.id),
    door: await userWithRole("CHECKIN"),
    organiser: await userWithRole("ORGANISER"),
    admin: await userWithRole("ADMIN"),
  };
  const loginProbe = await userWithRole("ORGANISER");
  const adminId = users.admin.id;

  // The attendee bought two tickets: one they keep (X) and one they give away (its transfer).
  const attendeeOrder = await freeOrder([{ name: "Ada Attendee", email: "ada.attendee@example.com" }, { name: "Ada's Guest", email: "ada.guest@example.com" }], "ada.attendee@example.com");
  // Someone else's order: Y (an organiser resends its email), the lead sponsor A scanned (who did
  // not agree to share details, so no other sponsor sees it) and a badge scanned at doors and booths.
  const otherOrder = await freeOrder(
    [
      { name: "Yuri Other", email: "yuri.other@example.com" },
      { name: "Lena Lead", email: "lena.lead@example.com", shareWithSponsors: false },
      { name: "Carl Scanned", email: "carl.scanned@example.com" },
    ],
    "yuri.other@example.com",
  );
  const [ticketX, ticketToGive] = attendeeOrder.tickets;
  const [ticketY, leadTicket, scannedTicket] = otherOrder.tickets;
  await db().lead.create({ data: { sponsorId: sponsorA!.id, ticketId: leadTicket!.id, source: "BADGE_SCAN", scannedById: users.sponsorA.id } });
  // Lena and Carl asked for a copy of their data from their ticket pages: one to download, one to refuse.
  const privacyRequests = {
    toDownload: await requestFromTicket(leadTicket!.manageToken, "EXPORT", new Date()),
    toRefuse: await requestFromTicket(scannedTicket!.manageToken, "EXPORT", new Date()),
  };
  // The settings as stored: saving them changes nothing that other rows test.
  const settingsForm = Object.fromEntries(Object.entries(await eventSettingsForEdit(event.id)).map(([k, v]) => [k, v === null ? "" : String(v)]));
  const invoices = { attendee: await invoiceOf(attendeeOrder, event.id, 900_001), other: await invoiceOf(otherOrder, event.id, 900_002) };

  const room = await saveRoom(event.id, roomSchema.parse(contentForms.room), adminId);
  const track = await saveTrack(event.id, trackSchema.parse(contentForms.track), adminId);
  const tier = await saveTier(event.id, tierSchema.parse(contentForms.tier), adminId);
  const speaker = await saveSpeaker(event.id, speakerSchema.parse(contentForms.speaker), adminId);
  const sponsorForm = { name: "Sample Access Sponsor", tierId: tier.id, description: "", website: "", accent: "#1f2937", booth: "" };
  const sponsor = await saveSponsor(event.id, sponsorSchema.parse(sponsorForm), adminId);
  const session = await saveSession(event, sessionSchema.parse(contentForms.session), adminId);
  const editedType = await saveTicketType(event, null, ticketTypeSchema.parse(contentForms.ticketType), adminId);
  const code = await saveDiscountCode(event, null, discountCodeFormSchema.parse(contentForms.discountCode), adminId);
  const onSale = await ticketType();
  const soldOut = await ticketType({ capacity: 0 });
  const published = await db().session.findFirstOrThrow({ where: { eventId: event.id, status: "PUBLISHED" }, select: { slug: true } });
  const draft = await db().session.findUniqueOrThrow({ where: { id: session.id }, select: { slug: true } });
  const publicSpeaker = await db().speaker.findFirstOrThrow({ where: { eventId: event.id }, select: { slug: true } });

  const ticketEmail = await db().emailOutbox.findFirstOrThrow({ where: { template: "ticket", toAddress: ticketY!.email }, select: { id: true } });
  await requestPasswordReset(users.admin.email, new Date());
  const resetEmail = await db().emailOutbox.findFirstOrThrow({ where: { template: "password-reset", toAddress: users.admin.email }, select: { id: true } });

  // One of each for each caller, where the first allowed use would spend it.
  const failedJobs = { organiser: await failedJob(), admin: await failedJob() };
  const invitations = await perCaller(invitationToken);
  const profileChange = (sponsorId: string) =>
    proposeProfileChange(sponsorId, { description: "A sample sponsor's new description, for review.", website: null, logoUrl: null }, adminId, new Date()).then(() =>
      db().sponsorProfileChange.findFirstOrThrow({ where: { sponsorId, status: "PENDING" }, select: { id: true } }),
    );
  const changes = { organiser: (await profileChange(sponsorC!.id)).id, admin: (await profileChange(sponsorD!.id)).id };
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3c8f5f10000000049454e44ae426082", "hex");
  const upload = await storeImage(new File([png], "logo.png", { type: "image/png" }), "logo");
  const past = await pastEdition();

  // A draft message (saving it again changes nothing others test), and an attendee's unsubscribe link.
  const message = await createMessage(event.id, { subject: "Doors open at 8", body: "Hello {{name}}, doors open at 8.", audience: "everyone", ticketTypeIds: [], essential: false }, adminId);
  const unsubscribeQuery = Object.fromEntries(new URL(unsubscribeUrl(ticketX!.email)).searchParams);

  return {
    message,
    unsubscribeQuery,
    sponsorA: sponsorA!,
    users,
    loginProbe: { email: loginProbe.email, password: TEST_PASSWORD },
    attendeeOrder,
    otherOrder,
    invoices,
    settingsForm,
    ticketX: ticketX!,
    ticketToGive: ticketToGive!,
    ticketY: ticketY!,
    leadTicket: leadTicket!,
    scannedTicket: scannedTicket!,
    room,
    track,
    tier,
    speaker,
    sponsor,
    sponsorForm,
    session,
    editedType,
    code,
    onSale,
    soldOut,
    published,
    draft,
    publicSpeaker,
    ticketEmail,
    resetEmail,
    failedJobs,
    invitations,
    changes,
    privacyRequests,
    upload: upload.replace(/^\/uploads\//, ""),
    pastEdition: past,
  };
}

export type AccessWorld = Awaited<ReturnType<typeof buildAccessWorld>>;

/** Fresh sessions for the callers who log in: a route's probes may log out or change passwords. */
export async function sessionCookies(world: AccessWorld): Promise<Partial<Record<Caller, string>>> {
  const cookies = await Promise.all(LOGGED_IN.map(async (c) => [c, (await startSession(world.users[c].id)).split(";")[0]!] as const));
  return Object.fromEntries(cookies);
}
