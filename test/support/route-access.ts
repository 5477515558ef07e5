// Who may do what, route by route: the decisions the authorization matrix
// (test/integration/authorization.test.ts) checks over HTTP for every route in app/routes. A route
// without a row here fails that test, and so does a row without a route.
//
// Each row has one outcome per caller, in this order:
//   anonymous · attendee (only the links from their emails) · sponsor A · sponsor B · door staff ·
//   organiser · admin
// GET runs the route's loader (as a page, and on its own as the app's data request); POST runs
// its action with a form that would succeed for a caller who is allowed.
import { TEST_PASSWORD } from "./auth";
import { contentForms, type AccessWorld, type Caller } from "./access-world";

export const OK = "ok"; // 200
export const LOGIN = "login"; // sent to /login?redirectTo=… to log in first
export const FORBIDDEN = "forbidden"; // 403
export const NOT_FOUND = "not found"; // 404: the link or id opens nothing for this caller
export const BAD_REQUEST = "bad request"; // 400
export const CONFLICT = "conflict"; // 409: allowed in, but the change is refused
export const NOT_ALLOWED = "method not allowed"; // 405
/** Redirected there (no login involved); `*` stands for one path segment. */
export const to = (path: string) => `→ ${path}` as const;
export type Outcome = typeof OK | typeof LOGIN | typeof FORBIDDEN | typeof NOT_FOUND | typeof BAD_REQUEST | typeof CONFLICT | typeof NOT_ALLOWED | ReturnType<typeof to>;
export type Row = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

/** Outcomes that must leave the database as it was. */
export const REFUSALS: readonly Outcome[] = [LOGIN, FORBIDDEN, NOT_FOUND, BAD_REQUEST, CONFLICT, NOT_ALLOWED];

// The usual rows.
const everyone = (o: Outcome): Row => [o, o, o, o, o, o, o];
/** The attendee's private link opens it; anyone else (with the badge's QR secret, or the order reference alone) finds nothing. */
const linkHolder = (o: Outcome = OK): Row => [NOT_FOUND, o, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND];
/** The sponsor portal: sponsors' own accounts only, not the organisers. */
const sponsors = (o: Outcome = OK): Row => [LOGIN, LOGIN, o, o, FORBIDDEN, FORBIDDEN, FORBIDDEN];
/** Sponsor A's lead: only sponsor A; sponsor B finds nothing there. */
const sponsorAOnly = (o: Outcome = OK): Row => [LOGIN, LOGIN, o, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN];
/** Door staff and organisers: check-in and one's own account. */
const staff = (o: Outcome = OK): Row => [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, o, o, o];
const organisers = (o: Outcome = OK): Row => [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, o, o];
/** The team's accounts, and anything that could take one over. */
const admins = (o: Outcome = OK): Row => [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, o];

type Fields = Record<string, string>;
type PerCaller<T> = T | ((world: AccessWorld, caller: Caller) => T);

export type Probe = {
  /** What this probe asks for, when a route has several. */
  case?: string;
  /** Values of the route's `:params` (and `*`). */
  params?: PerCaller<Fields>;
  query?: PerCaller<Fields>;
  get?: Row;
  post?: Row;
  form?: PerCaller<Fields>;
};

export const resolve = <T>(value: PerCaller<T> | undefined, world: AccessWorld, caller: Caller): T | undefined =>
  typeof value === "function" ? (value as (w: AccessWorld, c: Caller) => T)(world, caller) : value;

// The attendee's links: ticket X's manage link, and (as its buyer) their order's private link.
// Anyone else tries what they could know: the QR secret printed on the badge, the order reference.
const myTicket = (w: AccessWorld, c: Caller) => ({ token: c === "attendee" ? w.ticketX.manageToken : w.ticketX.qrCode });
const myOrder = { params: (w: AccessWorld) => ({ ref: w.attendeeOrder.reference }), query: (w: AccessWorld, c: Caller): Fields => (c === "attendee" ? { k: w.attendeeOrder.key } : {}) };
/** The attendee's key on another buyer's order. */
const otherOrder = { params: (w: AccessWorld) => ({ ref: w.otherOrder.reference }), query: (w: AccessWorld) => ({ k: w.attendeeOrder.key }) };

export const routeAccess: Record<string, Probe | Probe[]> = {
  // ---- Public site: the same for everyone -------------------------------------------------------
  "routes/_index": { get: everyone(OK) },
  "routes/$": { params: { "*": "no-such-page" }, get: everyone(NOT_FOUND) },
  "routes/agenda": { get: everyone(OK) },
  "routes/agenda[.ics]": { get: everyone(OK) },
  // A draft is not public to anyone, organisers included: they see it in the admin.
  "routes/sessions.$slug": [
    { case: "a published session", params: (w) => ({ slug: w.published.slug }), get: everyone(OK) },
    { case: "a draft", params: (w) => ({ slug: w.draft.slug }), get: everyone(NOT_FOUND) },
  ],
  "routes/sessions.$slug[.ics]": [
    { case: "a published session", params: (w) => ({ slug: w.published.slug }), get: everyone(OK) },
    { case: "a draft", params: (w) => ({ slug: w.draft.slug }), get: everyone(NOT_FOUND) },
  ],
  "routes/speakers._index": { get: everyone(OK) },
  "routes/speakers.$slug": { params: (w) => ({ slug: w.publicSpeaker.slug }), get: everyone(OK) },
  "routes/sponsors._index": { get: everyone(OK) },
  "routes/sponsors.$slug": { params: (w) => ({ slug: w.sponsorA.slug }), get: everyone(OK) },
  "routes/uploads.$": { params: (w) => ({ "*": w.upload }), get: everyone(OK) },
  // A past edition's archive; the public edition's year goes to its live page; a year without one is a 404.
  "routes/editions.$year": [
    { case: "a past edition", params: { year: "2024" }, get: everyone(OK) },
    { case: "the public edition's year", params: { year: "2025" }, get: everyone(to("/")) },
    { case: "a year without a past edition", params: { year: "2031" }, get: everyone(NOT_FOUND) },
  ],
  "routes/editions.$year_.agenda[.ics]": [
    { case: "a past edition", params: { year: "2024" }, get: everyone(OK) },
    { case: "the public edition's year", params: { year: "2025" }, get: everyone(to("/agenda.ics")) },
    { case: "a year without a past edition", params: { year: "2031" }, get: everyone(NOT_FOUND) },
  ],
  "routes/healthz": { get: everyone(OK) },
  // Prometheus's figures: a network decision, not a role's (a token, or a private network; these
  // callers all come from loopback). test/integration/metrics.test.ts refuses the others.
  "routes/metrics": { get: everyone(OK) },
  // The signed link from a message: it names its address; anyone holding it may use it (a mail client's one-click POST included).
  "routes/unsubscribe": [
    { case: "a link from a message", query: (w) => w.unsubscribeQuery, form: { "List-Unsubscribe": "One-Click" }, get: everyone(OK), post: everyone(OK) },
    { case: "a forged link", query: (w) => ({ e: w.unsubscribeQuery.e!, t: "A".repeat(43) }), form: { "List-Unsubscribe": "One-Click" }, get: everyone(BAD_REQUEST), post: everyone(BAD_REQUEST) },
  ],
  "routes/robots[.txt]": { get: everyone(OK) },
  "routes/sitemap[.xml]": { get: everyone(OK) },

  // ---- Buying: anyone may buy, whoever they are logged in as -----------------------------------------
  "routes/tickets._index": { get: everyone(OK) },
  "routes/tickets.checkout": {
    query: (w) => ({ [`quantities.${w.onSale.slug}`]: "1" }),
    form: (w) => ({ [`quantities.${w.onSale.slug}`]: "1", "buyer.name": "Sample Buyer", "buyer.email": "buyer@example.com", "attendees[0].name": "Sample Attendee", "attendees[0].email": "attendee@example.com" }),
    get: everyone(OK),
    post: everyone(to("/orders/*/pay")),
  },
  "routes/tickets.waitlist": {
    query: (w) => ({ type: w.soldOut.slug }),
    form: (w) => ({ type: w.soldOut.slug, name: "Sample Waiter", email: "waiter@example.com" }),
    get: everyone(OK),
    post: everyone(to("/tickets")),
  },
  // Stripe's signature decides, not who sends.
  "routes/webhooks.stripe": { form: { id: "evt_unsigned", type: "checkout.session.completed" }, get: everyone(NOT_ALLOWED), post: everyone(BAD_REQUEST) },

  // ---- The buyer's order (its private link) and the attendee's ticket (/my/:token) -------------------
  "routes/orders.$ref": [
    { case: "the attendee's own order", ...myOrder, form: (w) => ({ ticketId: w.ticketX.id }), get: linkHolder(), post: linkHolder(OK) },
    { case: "another buyer's order, with the attendee's key", ...otherOrder, form: (w) => ({ ticketId: w.ticketY.id }), get: everyone(NOT_FOUND), post: everyone(NOT_FOUND) },
    {
      case: "the attendee's order, resending a ticket of another order",
      ...myOrder,
      query: (w) => ({ k: w.attendeeOrder.key }),
      form: (w) => ({ ticketId: w.ticketY.id }),
      post: everyone(CONFLICT),
    },
  ],
  "routes/orders.$ref_.cancel": [
    { case: "the attendee's own (paid) order", ...myOrder, get: linkHolder(to("/orders/*")) },
    { case: "another buyer's order, with the attendee's key", ...otherOrder, get: everyone(NOT_FOUND) },
  ],
  "routes/orders.$ref_.pay": [
    { case: "the attendee's own (paid) order", ...myOrder, get: linkHolder(to("/orders/*")) },
    { case: "another buyer's order, with the attendee's key", ...otherOrder, get: everyone(NOT_FOUND) },
  ],
  // The order's invoices: the order's private link opens them; its key opens no other order's.
  "routes/orders.$ref_.invoices.$number": [
    { case: "the attendee's own invoice", ...myOrder, params: (w) => ({ ref: w.attendeeOrder.reference, number: w.invoices.attendee.number }), get: linkHolder() },
    { case: "another buyer's invoice, with the attendee's key", ...otherOrder, params: (w) => ({ ref: w.otherOrder.reference, number: w.invoices.other.number }), get: everyone(NOT_FOUND) },
    { case: "another order's invoice number on the attendee's order", ...myOrder, params: (w) => ({ ref: w.attendeeOrder.reference, number: w.invoices.other.number }), get: everyone(NOT_FOUND) },
  ],
  "routes/orders.$ref_.invoices.$number_.pdf": [
    { case: "the attendee's own invoice", ...myOrder, params: (w) => ({ ref: w.attendeeOrder.reference, number: w.invoices.attendee.number }), get: linkHolder() },
    { case: "another buyer's invoice, with the attendee's key", ...otherOrder, params: (w) => ({ ref: w.otherOrder.reference, number: w.invoices.other.number }), get: everyone(NOT_FOUND) },
  ],
  "routes/my.$token": { params: myTicket, form: { intent: "sharing", shareWithSponsors: "off" }, get: linkHolder(), post: linkHolder(to("/my/*")) },
  "routes/my.$token_.print": { params: myTicket, get: linkHolder() },
  "routes/my.$token_.event[.ics]": { params: myTicket, get: linkHolder() },
  "routes/my.$token_.agenda[.ics]": { params: myTicket, get: linkHolder() },
  // The ticket the attendee gives away, so that ticket X's link keeps working for the other routes.
  "routes/my.$token_.transfer": {
    params: (w, c) => ({ token: c === "attendee" ? w.ticketToGive.manageToken : w.ticketToGive.qrCode }),
    form: { name: "Grace Successor", email: "grace.successor@example.com", confirm: "on" },
    get: linkHolder(),
    post: linkHolder(to("/my/transferred")),
  },
  "routes/my.transferred": { get: everyone(OK) },

  // ---- Accounts ----------------------------------------------------------------------------------------
  "routes/login": {
    form: (w) => ({ email: w.loginProbe.email, password: w.loginProbe.password }),
    get: [OK, OK, to("/sponsor"), to("/sponsor"), to("/admin/check-in"), to("/admin"), to("/admin")],
    post: everyone(to("/admin")),
  },
  "routes/logout": { get: everyone(to("/login")), post: everyone(to("/login")) },
  "routes/forgot-password": { form: { email: "nobody@example.com" }, get: everyone(OK), post: everyone(OK) },
  // The link decides; each caller uses an invitation of their own.
  "routes/set-password": {
    query: (w, c) => ({ token: w.invitations[c] }),
    form: (w, c) => ({ token: w.invitations[c], password: "a long new password", confirm: "a long new password" }),
    get: everyone(OK),
    post: everyone(to("/admin/check-in")),
  },

  // ---- Sponsor portal ----------------------------------------------------------------------------------
  "routes/sponsor": { get: sponsors() },
  "routes/sponsor._index": { get: sponsors() },
  "routes/sponsor.leads._index": { get: sponsors() },
  "routes/sponsor.leads[.csv]": { get: sponsors() },
  "routes/sponsor.leads.$id": { params: (w) => ({ id: w.leadTicket.id }), form: { notes: "Wants samples", rating: "HOT" }, get: sponsorAOnly(), post: sponsorAOnly() },
  "routes/sponsor.profile": { form: { description: "We make sample magnets for sample motors, fictional since 2025.", website: "https://magnets.example" }, get: sponsors(), post: sponsors() },
  "routes/sponsor.scan": { form: (w) => ({ code: w.scannedTicket.shortCode }), get: sponsors(), post: sponsors() },
  "routes/sponsor.scans": { form: (w) => ({ code: w.scannedTicket.shortCode }), post: sponsors() },

  // ---- Organisers' area: door staff get check-in and their account only -----------------------------
  "routes/admin": { get: staff() },
  // Its one action (closing ticket sales) would change what other rows test: an unknown intent
  // still shows who gets past the door.
  "routes/admin._index": { form: { intent: "no-such-action" }, get: [LOGIN, LOGIN, FORBIDDEN, FORBIDDEN, to("/admin/check-in"), OK, OK], post: organisers(BAD_REQUEST) },
  "routes/admin.account": { form: { current: TEST_PASSWORD, password: "a long new password", confirm: "a long new password" }, get: staff(), post: staff() },
  "routes/admin.check-in": { form: (w) => ({ intent: "scan", code: w.scannedTicket.shortCode }), get: staff(), post: staff() },
  "routes/admin.check-in_.list": { get: staff() },
  // One admission per caller (its own client id), as a device sends its queue.
  "routes/admin.check-in_.replay": {
    form: (w, c) => ({ deviceId: "AUTH", entries: JSON.stringify([{ clientId: `access-matrix-${c}`, ticketId: w.scannedTicket.id, scannedAt: new Date().toISOString() }]) }),
    post: staff(),
  },

  "routes/admin.orders._index": { get: organisers() },
  "routes/admin.invoices._index": { get: organisers() },
  "routes/admin.invoices.$id": { params: (w) => ({ id: w.invoices.other.id }), get: organisers() },
  "routes/admin.invoices.$id_.pdf": { params: (w) => ({ id: w.invoices.other.id }), get: organisers() },
  "routes/admin.orders.$id": { params: (w) => ({ id: w.otherOrder.id }), form: { intent: "resend-confirmation" }, get: organisers(), post: organisers() },
  "routes/admin.orders.comp": {
    form: (w) => ({ ticketTypeId: w.onSale.id, name: "Sample Guest", email: "guest@example.com", company: "Sample Magnetics", jobTitle: "Engineer", reason: "Press" }),
    get: organisers(),
    post: organisers(to("/admin/orders/*")),
  },
  "routes/admin.attendees._index": { get: organisers() },
  "routes/admin.badges": { query: { q: "Yuri" }, get: organisers() },
  // Door staff print one person's label at the door; batches are the organisers'.
  "routes/admin.badges[.pdf]": [
    { case: "everyone's badges", query: { type: "all", layout: "sheet" }, get: organisers() },
    { case: "a ticket type without valid tickets", query: (w) => ({ type: w.soldOut.id }), get: organisers(CONFLICT) },
    { case: "one person's label", query: (w) => ({ ticket: w.ticketY.id, layout: "label" }), get: staff() },
  ],
  "routes/admin.attendees.$id": { params: (w) => ({ id: w.ticketY.id }), form: { intent: "resend-ticket" }, get: organisers(), post: organisers() },
  "routes/admin.ticket-types._index": { get: organisers() },
  "routes/admin.ticket-types.$id": { params: (w) => ({ id: w.editedType.id }), form: contentForms.ticketType, get: organisers(), post: organisers(to("/admin/ticket-types")) },
  "routes/admin.discount-codes._index": { get: organisers() },
  "routes/admin.discount-codes.$id": { params: (w) => ({ id: w.code.id }), form: contentForms.discountCode, get: organisers(), post: organisers(to("/admin/discount-codes")) },
  "routes/admin.exports._index": { get: organisers() },
  "routes/admin.exports.attendees[.csv]": { get: organisers() },
  "routes/admin.exports.orders[.csv]": { get: organisers() },
  "routes/admin.exports.invoices[.csv]": { get: organisers() },
  "routes/admin.exports.sessions[.csv]": { get: organisers() },
  "routes/admin.messages._index": {
    form: { subject: "Parking", body: "Hello {{name}}, park at the north lot.", audience: "everyone" },
    get: organisers(),
    post: organisers(to("/admin/messages/*")),
  },
  "routes/admin.messages.$id": {
    params: (w) => ({ id: w.message.id }),
    form: { intent: "save", subject: "Doors open at 8", body: "Hello {{name}}, doors open at 8.", audience: "everyone" },
    get: organisers(),
    post: organisers(OK),
  },
  "routes/admin.emails._index": { get: organisers() },
  "routes/admin.emails.$id": [
    { case: "a ticket email", params: (w) => ({ id: w.ticketEmail.id }), get: organisers(), post: organisers(to("/admin/emails/*")) },
    // Its link sets the admin's password: an organiser who could read it could become admin.
    { case: "the admin's password-reset email", params: (w) => ({ id: w.resetEmail.id }), get: admins(), post: admins(to("/admin/emails/*")) },
  ],
  "routes/admin.jobs": { form: (w, c) => ({ intent: "retry", jobId: c === "admin" ? w.failedJobs.admin : w.failedJobs.organiser }), get: organisers(), post: organisers(to("/admin/jobs")) },
  "routes/admin.audit": { get: organisers() },

  "routes/admin.sessions._index": { form: (w) => ({ intent: "unpublish", sessionId: w.session.id }), get: organisers(), post: organisers(to("/admin/sessions")) },
  "routes/admin.sessions.$id": { params: (w) => ({ id: w.session.id }), form: contentForms.session, get: organisers(), post: organisers(to("/admin/sessions/*")) },
  "routes/admin.timetable": { form: (w) => ({ sessionId: w.session.id, day: "2025-09-10", start: "06:00", roomId: w.room.id }), get: organisers(), post: organisers(to("/admin/timetable")) },
  "routes/admin.tracks._index": { get: organisers() },
  "routes/admin.tracks.$id": { params: (w) => ({ id: w.track.id }), form: contentForms.track, get: organisers(), post: organisers(to("/admin/tracks")) },
  "routes/admin.rooms._index": { get: organisers() },
  "routes/admin.rooms.$id": { params: (w) => ({ id: w.room.id }), form: contentForms.room, get: organisers(), post: organisers(to("/admin/rooms")) },
  "routes/admin.speakers._index": { get: organisers() },
  "routes/admin.speakers.$id": { params: (w) => ({ id: w.speaker.id }), form: contentForms.speaker, get: organisers(), post: organisers(to("/admin/speakers")) },
  "routes/admin.sponsors._index": { get: organisers() },
  "routes/admin.sponsors.$id": { params: (w) => ({ id: w.sponsor.id }), form: (w) => w.sponsorForm, get: organisers(), post: organisers(to("/admin/sponsors")) },
  "routes/admin.tiers._index": { get: organisers() },
  "routes/admin.tiers.$id": { params: (w) => ({ id: w.tier.id }), form: contentForms.tier, get: organisers(), post: organisers(to("/admin/tiers")) },
  "routes/admin.sponsors.leads": { get: organisers() },
  "routes/admin.sponsors.leads[.csv]": { query: (w) => ({ sponsor: w.sponsorA.id }), get: organisers() },
  "routes/admin.sponsor-changes": {
    form: (w, c) => ({ changeId: c === "admin" ? w.changes.admin : w.changes.organiser, decision: "REJECTED", note: "Please send a longer text." }),
    get: organisers(),
    post: organisers(),
  },

  // The event's identity, tax number and rate: admins only, like the team's accounts.
  "routes/admin.settings": { form: (w) => w.settingsForm, get: admins(), post: admins(to("/admin/settings")) },
  // Starting and publishing editions switch what the public site shows: admins only. Which edition
  // the admin pages show is each organiser's own choice.
  "routes/admin.editions._index": {
    form: { intent: "start", startsOn: `${new Date().getUTCFullYear() + 1}-09-07`, name: "Sample Access Edition", shortName: "Access Edition", invoicePrefix: "ACCESS-ED-" },
    get: admins(),
    post: admins(to("/admin/editions")),
  },
  "routes/admin.editions.switch": { form: (w) => ({ edition: w.pastEdition.id, back: "/admin/orders" }), post: organisers(to("/admin/orders")) },
  "routes/admin.users": { form: { email: "new.door@example.com", name: "New Door", role: "CHECKIN" }, get: admins(), post: admins() },
  // A person's whole data and its erasure: admins only. The post refuses a request, so that nobody
  // the other rows ask about is erased.
  "routes/admin.privacy": {
    query: { email: "yuri.other@example.com" },
    form: (w) => ({ intent: "refuse", requestId: w.privacyRequests.toRefuse.id, note: "We hold no data beyond what the invoice needs." }),
    get: admins(),
    post: admins(),
  },
  "routes/admin.privacy[.zip]": [
    { case: "a person by email", query: { email: "yuri.other@example.com" }, get: admins() },
    { case: "an attendee's request", query: (w) => ({ request: w.privacyRequests.toDownload.id }), get: admins() },
  ],
};
