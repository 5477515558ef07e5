// Generated input (issue 15): every route's loader and action, found in app/routes, gets requests
// made by fast-check (methods, content types, bodies, headers, path segments, field values) as an
// anonymous visitor, an attendee with a ticket link, organisers, door staff and a sponsor. Every
// answer must be below 500, without a stack trace or an error logged; a refusal (4xx) must leave
// the database as it was (the in-process server runs no job worker, so only requests write); and
// the server must still answer /healthz.
// FUZZ_RUNS: how many requests (CI: the default below; `npm run fuzz`: 10,000). FUZZ_SEED: the
// seed ("random" for a new one). FUZZ_PATH: replays one case of a seed, as a report names it.
// FUZZ_DEBUG=1: prints every request with its status.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startCheckout } from "~/domain/checkout-session.server";
import { placeOrder } from "~/domain/orders.server";
import { scanForBooth } from "~/domain/leads.server";
import { settleSession } from "~/domain/settlement.server";
import { joinWaitlist } from "~/domain/waitlist.server";
import { hashToken, startSession } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { applyRuntimeSettings } from "~/services/env.server";
import { forgetStripeClient, stripe } from "~/services/stripe.server";
import { startStripeEmulator, type StripeEmulator } from "../stripe-emulator/server";
import { useAppServer } from "../support/app-server";
import { userWithRole } from "../support/auth";
import { order, seededEvent, ticketType } from "../support/factories";
import { changedTables, openDatabaseProbe, type DatabaseProbe, type Fingerprint } from "../support/fuzz/database";
import { buildRequest, describeRequest, planFor, ROLES, type BuiltRequest, type FuzzRole, type RequestPlan, type World } from "../support/fuzz/requests";
import { fuzzRoutes, type FuzzRoute } from "../support/fuzz/routes";
import { sendRequest, type Answer } from "../support/http";
import { issuedTickets } from "../support/issued-tickets";

const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);
const SEED = process.env.FUZZ_SEED === "random" ? randomBytes(4).readInt32LE() : Number(process.env.FUZZ_SEED ?? 15);
const REPLAY = process.env.FUZZ_PATH;

// Images the fuzz manages to upload stay out of the checkout's own uploads folder.
const uploadsDir = mkdtempSync(path.join(os.tmpdir(), "re3m-fuzz-uploads-"));
process.env.UPLOADS_DIR = uploadsDir;
afterAll(() => rmSync(uploadsDir, { recursive: true, force: true }));

// The emulator answers the app's Stripe calls; it delivers no webhooks, which would change the
// database between a request and its check.
let emulator: StripeEmulator;
beforeAll(async () => {
  emulator = await startStripeEmulator({ webhookSecret: "whsec_fuzz" });
  applyRuntimeSettings({ STRIPE_SECRET_KEY: "sk_test_fuzz", STRIPE_WEBHOOK_SECRET: "whsec_fuzz", STRIPE_API_BASE: emulator.url });
  forgetStripeClient();
  return () => emulator.stop();
});

const app = useAppServer();

type LoggedIn = Exclude<FuzzRole, "anonymous">;
let routes: FuzzRoute[];
let probe: DatabaseProbe;
let world: World;
let sponsorId: string;
const users = {} as Record<LoggedIn, { id: string; cookie: string }>;

beforeAll(async () => {
  routes = await fuzzRoutes();
  probe = await openDatabaseProbe(process.env.DATABASE_URL!);
  sponsorId = (await db().sponsor.findFirstOrThrow({ where: { tier: { includesAttendeeList: true } }, select: { id: true } })).id;
  await ensureRoles();
  await realRecords();
  world = { port: app.port, cookies: cookies(), rows: await probe.keyRows(200) };
  return () => probe.close();
});

/** What the seed lacks and deep pages need: tickets, a lead, orders pending and paid by card, a waitlist, a password link. */
async function realRecords() {
  const event = await seededEvent();
  const tickets = await issuedTickets([{ shareWithSponsors: true }, { shareWithSponsors: false }, {}]);
  await scanForBooth(sponsorId, tickets[0]!.qrCode, users.SPONSOR.id);
  const type = await ticketType({ priceCents: 49_500, capacity: 50 });
  await placeOrder(event, order({ [type.slug]: 2 }), new Date());
  const paid = await placeOrder(event, order({ [type.slug]: 1 }), new Date());
  await startCheckout(paid, event, { successUrl: "http://localhost/s", cancelUrl: "http://localhost/c" });
  const { stripeSessionId } = await db().order.findUniqueOrThrow({ where: { id: paid.id }, select: { stripeSessionId: true } });
  emulator.pay(stripeSessionId!, "success");
  await settleSession(await stripe().checkout.sessions.retrieve(stripeSessionId!), new Date());
  const soldOut = await ticketType({ capacity: 0 });
  await joinWaitlist(event.id, soldOut.slug, { name: "Wait Listed", email: "wait.listed@example.com" });
  await db().passwordToken.create({
    data: { userId: users.CHECKIN.id, tokenHash: hashToken(randomBytes(32).toString("base64url")), purpose: "INVITATION", expiresAt: new Date(Date.now() + 86_400_000) },
  });
}

/** A logged-in user per role; one that the fuzz logged out, demoted or removed is replaced. */
async function ensureRoles() {
  for (const role of ROLES) {
    if (role === "anonymous") continue;
    const known = users[role];
    const intact =
      known &&
      (await db().authSession.count({ where: { userId: known.id, expiresAt: { gt: new Date() }, user: { role, sponsorId: role === "SPONSOR" ? sponsorId : null } } })) > 0;
    if (intact) continue;
    const user = await userWithRole(role, role === "SPONSOR" ? sponsorId : null);
    users[role] = { id: user.id, cookie: (await startSession(user.id)).split(";")[0]! };
  }
}

const cookies = () => Object.fromEntries(Object.entries(users).map(([role, user]) => [role, user.cookie])) as World["cookies"];

it("notices every committed change to the database, and only those", async () => {
  const look = async () => ({ mark: await probe.writeMark(), fingerprint: await probe.fingerprint() });
  const start = await look();
  const speaker = await db().speaker.findFirstOrThrow({ select: { id: true, bio: true } });
  await db().$transaction(async (tx) => {
    await tx.speaker.update({ where: { id: speaker.id }, data: { bio: "changed and rolled back" } });
    await tx.$executeRaw`SELECT pg_current_xact_id()`;
    throw new Error("roll back");
  }).catch(() => {});
  await db().speaker.findMany({ select: { id: true } });
  const afterRollback = await look();
  expect(changedTables(start.fingerprint, afterRollback.fingerprint)).toEqual([]);

  // An update keeps the count the same: its new row version is what shows.
  await db().speaker.update({ where: { id: speaker.id }, data: { bio: speaker.bio } });
  const afterUpdate = await look();
  expect(afterUpdate.mark).not.toBe(afterRollback.mark);
  expect(changedTables(afterRollback.fingerprint, afterUpdate.fingerprint)).toEqual(["public.Speaker"]);
});

type Problem = { key: string; count: number; run: number; request: string; answer: string };

const title = REPLAY ? `replays case ${REPLAY} of seed ${SEED}` : `answers ${RUNS} generated requests below 500, and a refusal changes nothing`;

it(title, { timeout: Math.max(120_000, RUNS * 250) }, async () => {
  const started = Date.now();
  const problems = new Map<string, Problem>();
  const statuses = new Map<string, number>();
  const openedBy = new Map<string, number>();
  const wroteBy = new Set<string>();
  let run = REPLAY ? Number(REPLAY) : 0;
  // The database as last seen, with the write mark it was seen at: only this file's requests and
  // its own bookkeeping write to its database, so while the mark stays, so does the fingerprint.
  const look = async () => ({ mark: await probe.writeMark(), fingerprint: await probe.fingerprint() });
  let known = await look();
  /** The tables written since the database was last seen. */
  const changes = async () => {
    if ((await probe.writeMark()) === known.mark) return [];
    const before = known.fingerprint;
    known = await look();
    return changedTables(before, known.fingerprint);
  };

  const report = (key: string, request: BuiltRequest, answer: string) => {
    const seen = problems.get(key);
    if (seen) seen.count++;
    else problems.set(key, { key, count: 1, run, request: describeRequest(request), answer });
  };

  const check = async (plan: RequestPlan) => {
    const route = routes.find((r) => r.id === plan.routeId)!;
    const request = buildRequest(plan, route, world);
    // test/support/setup-db.ts fails a test on any console.error; here each one is told with its request.
    const errorsLogged = vi.mocked(console.error).mock.calls.length;
    let answer: Answer;
    try {
      answer = await sendRequest(app.port, request.path, { method: request.method, headers: request.headers, body: request.body }, 20_000);
    } catch (error) {
      // Node answers a request head over its limit with 431 and closes the connection, often
      // before the client has written all of it: no answer then is the server's own.
      if (headBytes(request) <= http.maxHeaderSize) report(`${route.id} ${request.method}: no answer (${String(error)})`, request, String(error));
      answer = { status: 0, headers: {}, body: "" };
    }
    if (process.env.FUZZ_DEBUG) console.log(`${run} ${answer.status} ${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 300)}`);
    const kind = answer.status === 0 ? "none" : `${Math.floor(answer.status / 100)}xx`;
    statuses.set(kind, (statuses.get(kind) ?? 0) + 1);
    if (answer.status >= 200 && answer.status < 300) openedBy.set(route.id, (openedBy.get(route.id) ?? 0) + 1);
    const excerpt = `${answer.status} ${answer.body.slice(0, 600)}`;
    if (answer.status >= 500) report(`${route.id} ${request.method}: ${answer.status}`, request, excerpt);
    if (/\n\s+at .+:\d+:\d+/.test(answer.body)) report(`${route.id} ${request.method}: a stack trace in the answer`, request, excerpt);
    for (const call of vi.mocked(console.error).mock.calls.slice(errorsLogged)) {
      const logged = call.map((part) => (part instanceof Error ? part.stack : String(part))).join(" ");
      report(`${route.id} ${request.method}: logged an error (${logged.split("\n")[0]})`, request, `${excerpt}\n--- logged\n${logged.slice(0, 1500)}`);
    }

    const changed = await changes();
    if (answer.status >= 400 && answer.status < 500 && changed.length > 0) {
      report(`${route.id} ${request.method}: refused with ${answer.status} but wrote ${changed.join(", ")}`, request, excerpt);
    }
    if (changed.length > 0) {
      wroteBy.add(route.id);
      // The request changed something (as it may, when it was not refused): a logout or a
      // deleted record must not leave the rest of the run without a role or a real value.
      await ensureRoles();
      world = { ...world, cookies: cookies(), rows: await probe.keyRows(200) };
      known = await look();
    }
    run++;
    if (run % 250 === 0) await expectHealthy();
    return true;
  };

  const plans = fc.oneof(...routes.map((route) => ({ weight: route.hasAction ? 2 : 1, arbitrary: planFor(route) })));
  const details = await fc.check(fc.asyncProperty(plans, check), { seed: SEED, numRuns: REPLAY ? 1 : RUNS, ...(REPLAY ? { path: REPLAY } : {}) });
  await expectHealthy();
  // Each was reported with its request above.
  vi.mocked(console.error).mockClear();

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const never = routes.filter((r) => !openedBy.has(r.id)).map((r) => r.id);
  console.log(
    [
      `fuzz: ${details.numRuns} generated requests in ${seconds} s (seed ${SEED}); ${problems.size} distinct problems found`,
      `  answers: ${[...statuses].sort().map(([kind, n]) => `${kind} ${n}`).join(", ")}`,
      `  routes answering 2xx at least once: ${routes.length - never.length} of ${routes.length}${never.length ? ` (not: ${never.join(", ")})` : ""}`,
      `  routes that wrote to the database: ${wroteBy.size} (${[...wroteBy].sort().join(", ")})`,
    ].join("\n"),
  );
  expect(details.failed, `fast-check stopped: ${details.errorInstance instanceof Error ? details.errorInstance.stack : ""}`).toBe(false);
  const described = [...problems.values()].map(
    (p) => `${p.key} (×${p.count}); replay with FUZZ_SEED=${SEED} FUZZ_PATH=${p.run}\n--- request\n${p.request}\n--- answer\n${p.answer}`,
  );
  expect(described, described.join("\n\n")).toEqual([]);
});

const headBytes = ({ method, path, headers }: BuiltRequest) =>
  Buffer.byteLength(`${method} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("")}\r\n`, "latin1");

async function expectHealthy() {
  const health = await sendRequest(app.port, "/healthz", { method: "GET" });
  expect(health.status).toBe(200);
}
