// The database taken away under load (issue 15): the app talks to PostgreSQL through a TCP proxy
// that the test cuts for 20 s, then every connection is ended by the server (a failover). Public
// pages are served from their last good copy, every other request gets 503 with Retry-After and
// no-store (never a 500), nothing is half-written, and the app and its job workers recover
// without a restart.
import { isRouteErrorResponse } from "@remix-run/react";
// What Remix's browser code decodes a `.data` answer with (not exported from the package's entry).
import { decodeViaTurboStream } from "@remix-run/react/dist/single-fetch.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startBackgroundJobs } from "~/domain/jobs.server";
import { db, disconnectDb } from "~/services/db.server";
import { applyRuntimeSettings } from "~/services/env.server";
import { addJob, startJobWorkers, type TaskList } from "~/services/job-queue.server";
import { useAppServer } from "../support/app-server";
import { cookieFor } from "../support/auth";
import { paidOrder } from "../support/emails";
import { ticketType } from "../support/factories";
import { addressOf, startTcpProxy } from "../support/tcp-proxy";

const CUT_MS = 20_000;
/** Requests in flight at once: a few browsers each, on a 2-core machine that also runs the app. */
const CONCURRENCY = 6;

const directUrl = process.env.DATABASE_URL!;
const proxy = await startTcpProxy(addressOf(directUrl));
// Every connection of the app (its pool, the job workers) goes through the proxy.
applyRuntimeSettings({ DATABASE_URL: proxy.through(directUrl) });
const app = useAppServer();

type Kind = "public" | "page" | "post" | "script" | "health";
type Probe = { kind: Kind; label: string; path: string; init?: RequestInit };
type Answer = { probe: Probe; status: number; startedAt: number; endedAt: number; headers: Headers; body: string };

let probes: Probe[] = [];
let checkoutTypes: { paid: string; free: string };
let stopJobs = async () => {};
let buyers = 0;

/** A checkout post of one ticket, from an address of its own (the checkout limit counts per address). */
function checkout(slug: string, dataRequest = false): Probe {
  return {
    kind: "post",
    label: `checkout ${slug === checkoutTypes.free ? "free" : "paid"}${dataRequest ? " .data" : ""}`,
    path: `/tickets/checkout${dataRequest ? ".data" : ""}?quantities.${slug}=1`,
    init: { method: "POST" },
  };
}

function formInit(probe: Probe, n: number): RequestInit {
  if (probe.kind !== "post") return probe.init ?? {};
  const slug = probe.path.match(/quantities\.([^=]+)=/)![1]!;
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: app.url,
      "X-Forwarded-For": `198.18.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`,
    },
    body: new URLSearchParams({
      [`quantities.${slug}`]: "1",
      "buyer.name": `Buyer ${n}`,
      "buyer.email": `buyer${n}@example.com`,
      "attendees[0].name": `Attendee ${n}`,
      "attendees[0].email": `attendee${n}@example.com`,
    }),
  };
}

async function send(probe: Probe): Promise<Answer> {
  const startedAt = Date.now();
  const init = formInit(probe, buyers++);
  try {
    const response = await fetch(`${app.url}${probe.path}`, { redirect: "manual", signal: AbortSignal.timeout(20_000), ...init });
    const body = await response.text();
    return { probe, status: response.status, startedAt, endedAt: Date.now(), headers: response.headers, body };
  } catch (error) {
    // A hang or a reset connection: never acceptable, reported as status 0.
    return { probe, status: 0, startedAt, endedAt: Date.now(), headers: new Headers(), body: String(error) };
  }
}

/** CONCURRENCY clients sending the probes round and round until `until` resolves. */
async function load(until: Promise<unknown>) {
  const answers: Answer[] = [];
  let done = false;
  void until.then(() => (done = true));
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (!done) answers.push(await send(probes[next++ % probes.length]!));
    }),
  );
  return answers;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a request answered while the database could not be reached must be. */
function acceptableDuringOutage(answer: Answer): string | null {
  const { probe, status, headers, body } = answer;
  if (probe.kind === "public") return status === 200 && body.length > 0 ? null : `expected the last good copy (200), got ${status}`;
  if (status !== 503) return `expected 503, got ${status}`;
  // For a load balancer, which needs no more than the status.
  if (probe.kind === "health") return null;
  if (headers.get("retry-after") !== "5") return `no Retry-After (${headers.get("retry-after")})`;
  if (!/\bno-store\b/.test(headers.get("cache-control") ?? "")) return `cacheable: ${headers.get("cache-control")}`;
  if (probe.kind === "script" && !headers.get("content-type")?.startsWith("application/json")) return `not JSON: ${headers.get("content-type")}`;
  if (probe.path.includes(".data") && !headers.get("content-type")?.startsWith("text/x-script")) return `not single fetch: ${headers.get("content-type")}`;
  if (probe.kind === "page" && !probe.path.includes(".data") && !body.includes("The site is briefly unavailable")) return "the page does not say the site is briefly unavailable";
  if (probe.kind === "post" && !/nothing was charged/i.test(body)) return "it does not say that nothing was charged";
  return null;
}

/** A `.data` answer as Remix's browser code reads it. */
async function decoded(answer: Answer) {
  return (await decodeViaTurboStream(new Response(answer.body).body!, globalThis)).value as Record<string, { data?: unknown; error?: unknown }>;
}

/** Normal answers, with the database there. */
function acceptableWhenUp(answer: Answer): string | null {
  const { probe, status } = answer;
  if (probe.kind === "health") return status === 200 ? null : `healthz ${status}`;
  if (probe.kind === "post") return [303, 202].includes(status) ? null : `checkout answered ${status}: ${answer.body.slice(0, 200)}`;
  if (probe.kind === "script") return status < 500 ? null : `scan answered ${status}`;
  return status === 200 ? null : `${probe.path} answered ${status}`;
}

function tally(answers: Answer[]) {
  const byStatus: Record<string, number> = {};
  for (const a of answers) byStatus[`${a.probe.kind} ${a.status}`] = (byStatus[`${a.probe.kind} ${a.status}`] ?? 0) + 1;
  return byStatus;
}

function problems(answers: Answer[], rule: (answer: Answer) => string | null) {
  return answers.flatMap((a) => {
    const problem = rule(a);
    return problem ? [`${a.probe.label}: ${problem}`] : [];
  });
}

/** Orders of the test's ticket types whose rows disagree with each other: must be none. */
async function halfWritten() {
  const slugs = [checkoutTypes.paid, checkoutTypes.free];
  const types = await db().ticketType.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true, held: true, sold: true } });
  const orders = await db().order.findMany({
    where: { items: { some: { ticketType: { slug: { in: slugs } } } } },
    select: { reference: true, status: true, items: { select: { ticketTypeId: true, quantity: true } }, _count: { select: { attendees: true, tickets: true } } },
  });
  const found: string[] = [];
  for (const order of orders) {
    const seats = order.items.reduce((sum, item) => sum + item.quantity, 0);
    if (order._count.attendees !== seats) found.push(`${order.reference}: ${order._count.attendees} attendees for ${seats} seats`);
    const tickets = order.status === "PAID" ? seats : 0;
    if (order._count.tickets !== tickets) found.push(`${order.reference} (${order.status}): ${order._count.tickets} tickets`);
  }
  for (const type of types) {
    const count = (status: string) =>
      orders.filter((o) => o.status === status).flatMap((o) => o.items).filter((i) => i.ticketTypeId === type.id).reduce((sum, i) => sum + i.quantity, 0);
    if (type.held !== count("PENDING")) found.push(`${type.slug}: ${type.held} held for ${count("PENDING")} in pending orders`);
    if (type.sold !== count("PAID")) found.push(`${type.slug}: ${type.sold} sold for ${count("PAID")} in paid orders`);
  }
  return { found, orders: orders.length };
}

async function ordersOfTestTypes() {
  return db().order.count({ where: { items: { some: { ticketType: { slug: { in: [checkoutTypes.paid, checkoutTypes.free] } } } } } });
}

const tasks: TaskList = {};

/** Jobs of a task the workers have not finished: a job whose end could not be recorded stays here, locked. */
async function jobsLeft(task: string) {
  const [row] = await db().$queryRaw<{ left: bigint }[]>`
    SELECT count(*) AS left FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${task}`;
  return Number(row!.left);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await pause(200);
  }
  return null;
}

beforeAll(async () => {
  // graphile-worker prints a worker that stopped on a database error with console.trace as well as
  // through its logger (LOG_LEVEL), and the test set-up fails any test that writes console.error.
  vi.spyOn(console, "trace").mockImplementation(() => {});
  const paid = await ticketType({ capacity: 100_000, priceCents: 25_000 });
  const free = await ticketType({ capacity: 100_000, priceCents: 0 });
  checkoutTypes = { paid: paid.slug, free: free.slug };
  const [session, speaker, sponsor] = await Promise.all([
    db().session.findFirstOrThrow({ where: { status: "PUBLISHED" }, select: { slug: true } }),
    db().speaker.findFirstOrThrow({ select: { slug: true } }),
    db().sponsor.findFirstOrThrow({ select: { id: true, slug: true } }),
  ]);
  const organiser = await cookieFor("ADMIN");
  const booth = await cookieFor("SPONSOR", sponsor.id);
  const order = await paidOrder({ [paid.slug]: 1 });
  const asOrganiser = { headers: { Cookie: organiser.cookie } };
  const sameOrigin = { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url, Cookie: booth.cookie };
  probes = [
    ...["/", "/agenda", "/agenda?day=2025-09-10", "/agenda.data", "/speakers", `/speakers/${speaker.slug}`, "/sponsors", `/sponsors/${sponsor.slug}`, `/sessions/${session.slug}`, "/tickets", "/agenda.ics", `/sessions/${session.slug}.ics`].map(
      (path): Probe => ({ kind: "public", label: path, path }),
    ),
    checkout(paid.slug),
    { kind: "page", label: "admin home", path: "/admin", init: asOrganiser },
    checkout(free.slug),
    { kind: "page", label: "admin orders", path: "/admin/orders", init: asOrganiser },
    // In-page navigation: Remix's browser code fetches the next page's data.
    { kind: "page", label: "admin orders .data", path: "/admin/orders.data", init: asOrganiser },
    { kind: "page", label: "buyer's order page", path: `/orders/${order.reference}?k=${order.accessToken}` },
    checkout(paid.slug, true),
    { kind: "page", label: "attendee's ticket page", path: `/my/${order.tickets[0]!.manageToken}` },
    { kind: "page", label: "checkout form", path: `/tickets/checkout?quantities.${paid.slug}=2` },
    { kind: "script", label: "booth scan", path: "/sponsor/scans", init: { method: "POST", headers: sameOrigin, body: "code=K7Q2MX9P" } },
    { kind: "health", label: "healthz", path: "/healthz" },
  ];
  stopJobs = await startBackgroundJobs(proxy.through(directUrl));
});

afterAll(async () => {
  await stopJobs();
  await proxy.close();
});

describe("the database cut for 20 s under load", () => {
  it("serves public pages from their last copy, answers the rest 503, writes nothing by halves and recovers without a restart", async () => {
    // Every public page rendered once with the database there: its last good copy.
    for (const probe of probes) expect(acceptableWhenUp(await send(probe)), probe.label).toBeNull();
    const ordersBefore = await ordersOfTestTypes();

    const before = await load(pause(2_000));
    const cutAt = Date.now();
    let restoredAt = 0;
    const during = await load(
      (async () => {
        await proxy.cut();
        await pause(CUT_MS);
        restoredAt = Date.now();
        await proxy.restore();
      })(),
    );
    // Checkout posts sent before the cut and answered after it: they may have committed unheard.
    const inFlightAtCut = before.concat(during).filter((a) => a.probe.kind === "post" && a.startedAt < cutAt && a.endedAt >= cutAt).length;

    // Back: every kind of request answers normally again, measured from the restore.
    const rounds: Answer[] = [];
    const recoveryMs = await waitFor(async () => {
      const round = await Promise.all(probes.filter((p) => p.kind !== "public").map(send));
      rounds.push(...round);
      return round.every((a) => acceptableWhenUp(a) === null);
    }, 15_000);
    const after = await load(pause(2_000));
    const emailsMs = await waitFor(async () => (await jobsLeft("send-email")) === 0, 30_000);
    const ordersAfter = await ordersOfTestTypes();
    const written = await halfWritten();

    const all = [...before, ...during, ...rounds, ...after];
    // Sent and answered while the database was away.
    const cutAnswers = during.filter((a) => a.startedAt >= cutAt && a.endedAt <= restoredAt);
    const stale = cutAnswers.filter((a) => a.headers.get("warning")?.includes("Stale")).length;
    const placed = all.filter((a) => a.probe.kind === "post" && [303, 202].includes(a.status)).length;
    console.info(
      `outage: ${all.length} requests (${before.length} before, ${during.length} during the ${CUT_MS / 1000} s cut, ${after.length} after); ` +
        `during: ${JSON.stringify(tally(during))}, ${stale} public answers from a stale copy; ` +
        `recovered ${recoveryMs} ms after the restore, queued emails sent ${emailsMs} ms after that; ` +
        `orders ${ordersAfter - ordersBefore} new for ${placed} placed (${inFlightAtCut} posts in flight at the cut); ${written.orders} orders checked`,
    );

    expect(all.filter((a) => a.status >= 500 && a.status !== 503 || a.status === 0).map((a) => `${a.probe.label} ${a.status}`)).toEqual([]);
    expect(problems(before, acceptableWhenUp)).toEqual([]);
    expect(problems(cutAnswers, acceptableDuringOutage)).toEqual([]);
    // Remix's browser code shows the message in the error boundary for a page's data, and gives
    // the checkout its reply (the form, as typed, stays) rather than an error.
    const navigation = await decoded(cutAnswers.find((a) => a.probe.label === "admin orders .data")!);
    const shown = Object.values(navigation).map((route) => route.error).find(isRouteErrorResponse);
    expect(shown?.status).toBe(503);
    expect((shown?.data as { message: string }).message).toMatch(/Nothing was charged/);
    const reply = await decoded(cutAnswers.find((a) => a.probe.label === "checkout paid .data")!);
    expect(reply).toEqual({ data: { status: "error", error: { "": [expect.stringMatching(/nothing was charged\. What you typed is still here/)] } } });
    expect(cutAnswers.filter((a) => a.probe.kind === "health").length).toBeGreaterThan(0);
    expect(stale).toBeGreaterThan(0);
    expect(restoredAt - cutAt).toBeGreaterThanOrEqual(CUT_MS);
    expect(cutAnswers.length).toBeGreaterThan(during.length / 2);
    expect(recoveryMs).not.toBeNull();
    expect(recoveryMs!).toBeLessThan(10_000);
    expect(problems(after, acceptableWhenUp)).toEqual([]);
    expect(emailsMs).not.toBeNull();
    // Every order answered as placed exists, whole; at most the posts cut mid-way may have
    // committed without hearing so.
    expect(written.found).toEqual([]);
    expect(ordersAfter - ordersBefore).toBeGreaterThanOrEqual(placed);
    expect(ordersAfter - ordersBefore).toBeLessThanOrEqual(placed + inFlightAtCut);
  }, 120_000);
});

describe("every connection ended by the server (a failover)", () => {
  it("answers the requests caught in it 503, never 500, and the next ones normally", async () => {
    // Each public page has a copy to serve if the failover catches its render.
    for (const probe of probes.filter((p) => p.kind === "public")) await send(probe);
    const admin = new pg.Client({ connectionString: directUrl });
    await admin.connect();
    let endedAt = 0;
    let ended = 0;
    const answers = await load(
      (async () => {
        await pause(1_500);
        const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        endedAt = Date.now();
        ended = rowCount ?? 0;
        await pause(4_000);
      })(),
    );
    await admin.end();
    const caught = answers.filter((a) => a.status === 503);
    const afterwards = answers.filter((a) => a.startedAt > endedAt + 1_000);
    const emailsMs = await waitFor(async () => (await jobsLeft("send-email")) === 0, 30_000);
    const written = await halfWritten();
    console.info(
      `failover: ${ended} connections ended; ${answers.length} requests: ${JSON.stringify(tally(answers))}; ` +
        `${caught.length} answered 503 (${caught.filter((a) => a.startedAt <= endedAt).length} of them sent before the end), ` +
        `${afterwards.length} sent from 1 s after it, all answered normally; queued emails sent ${emailsMs} ms later`,
    );

    expect(ended).toBeGreaterThan(0);
    expect(answers.filter((a) => (a.status >= 500 && a.status !== 503) || a.status === 0).map((a) => `${a.probe.label} ${a.status}`)).toEqual([]);
    expect(problems(caught, acceptableDuringOutage)).toEqual([]);
    expect(afterwards.length).toBeGreaterThan(0);
    expect(problems(afterwards, acceptableWhenUp)).toEqual([]);
    expect(emailsMs).not.toBeNull();
    expect(written.found).toEqual([]);
  }, 60_000);
});

describe("a job worker whose database went away in the middle of a job", () => {
  it("starts again when the database is back, and the job runs to its end", async () => {
    let runs = 0;
    let finish = () => {};
    const running = new Promise<void>((started) => {
      tasks["outage-probe"] = async () => {
        runs++;
        if (runs === 1) {
          started();
          await new Promise<void>((resolve) => (finish = resolve));
        }
      };
    });
    const stopProbe = await startJobWorkers({ databaseUrl: proxy.through(directUrl), workers: [{ tasks, concurrency: 1 }] });
    try {
      await addJob(db(), "outage-probe", {});
      await running;
      // The job ends while the database is away: graphile-worker cannot record it.
      await proxy.cut();
      finish();
      await pause(1_000);
      await proxy.restore();
      const doneMs = await waitFor(async () => runs >= 2 && (await jobsLeft("outage-probe")) === 0, 20_000);
      console.info(`job worker: the job cut in its middle ran again and finished ${doneMs} ms after the restore`);
      expect(doneMs).not.toBeNull();
    } finally {
      await stopProbe();
    }
  }, 40_000);
});

describe("after the outages", () => {
  it("has every connection it lent back in the pool", async () => {
    // Closing the pool waits for each connection lent out: one lost by a transaction caught by
    // the cut or the failover would never come back, and the pool would never close.
    const closed = await Promise.race([disconnectDb().then(() => true), pause(10_000).then(() => false)]);
    expect(closed).toBe(true);
  }, 20_000);
});
