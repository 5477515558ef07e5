// The authorization matrix: every route in app/routes × anonymous, attendee link, sponsor A,
// sponsor B, door staff, organiser and admin, over HTTP, as decided in
// test/support/route-access.ts. A route without a decision there fails, and so does a refused
// request that changes anything in the database.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminSections } from "~/components/admin-nav";
import { can } from "~/services/auth.server";
import { db } from "~/services/db.server";
import { buildAccessWorld, CALLERS, sessionCookies, type AccessWorld, type Caller } from "../support/access-world";
import { appRoutes, routeModule, useAppServer, type RouteModule } from "../support/app-server";
import { cookieFor } from "../support/auth";
import { BAD_REQUEST, CONFLICT, FORBIDDEN, LOGIN, NOT_ALLOWED, NOT_FOUND, OK, REFUSALS, resolve, routeAccess, to, type Outcome, type Probe } from "../support/route-access";

// The image the matrix fetches from /uploads goes to a throwaway folder, not the development data folder.
process.env.UPLOADS_DIR = mkdtempSync(path.join(os.tmpdir(), "re3m-authorization-uploads-"));
afterAll(() => rmSync(process.env.UPLOADS_DIR!, { recursive: true, force: true }));

const app = useAppServer();
const routes = appRoutes();
const routeIds = Object.keys(routes).sort();

let world: AccessWorld;
beforeAll(async () => {
  world = await buildAccessWorld();
});

const decisionsOf = (id: string): Probe[] => [routeAccess[id] ?? []].flat();
const isLayout = (id: string) => Object.values(routes).some((r) => r.parentId === id);

/** "/admin/rooms/:id" for routes/admin.rooms.$id: its own path after its parents'. */
function pathPattern(id: string) {
  const segments: string[] = [];
  for (let route = routes[id]; route; route = routes[route.parentId ?? ""]) if (route.path) segments.unshift(route.path);
  return `/${segments.join("/")}`;
}

function urlFor(id: string, probe: Probe, caller: Caller) {
  const params = resolve(probe.params, world, caller) ?? {};
  const pathname = pathPattern(id).replace(/:(\w+)|\*/g, (_, name: string | undefined) => {
    const value = params[name ?? "*"];
    if (value === undefined) throw new Error(`${id} needs a value for ${name ? `:${name}` : "*"} in test/support/route-access.ts`);
    return encodeURIComponent(value);
  });
  const url = new URL(pathname, app.url);
  for (const [name, value] of Object.entries(resolve(probe.query, world, caller) ?? {})) url.searchParams.set(name, value);
  return url;
}

/** The app's own request for one route's loader alone (Remix single fetch), as the browser makes it when navigating. */
function dataUrl(id: string, page: URL) {
  const url = new URL(page);
  url.pathname = url.pathname === "/" ? "/_root.data" : `${url.pathname}.data`;
  url.searchParams.set("_routes", id);
  return url;
}

type Attempt = { label: string; method: "GET" | "POST"; url: URL; caller: Caller; form?: Record<string, string>; expected: Outcome };

function attemptsFor(id: string, module: RouteModule): Attempt[] {
  const route = routes[id]!;
  return decisionsOf(id).flatMap((probe) =>
    CALLERS.flatMap((caller, column) => {
      const page = urlFor(id, probe, caller);
      const label = (method: string, url: URL) => `${method} ${url.pathname}${url.search} as ${caller}${probe.case ? ` (${probe.case})` : ""}`;
      const attempts: Attempt[] = [];
      if (probe.get) {
        const expected = probe.get[column]!;
        // A layout's own URL always lands on a child page: its loader is asked on its own.
        if (!isLayout(id)) attempts.push({ label: label("GET", page), method: "GET", url: page, caller, expected });
        // Each page's loader must decide by itself, not lean on its layout's.
        if (module.default && module.loader) {
          const data = dataUrl(id, page);
          attempts.push({ label: label("GET", data), method: "GET", url: data, caller, expected });
        }
      }
      if (probe.post) {
        const url = new URL(page);
        // A form posted to an index route says so, or it goes to the layout.
        if (route.index) url.searchParams.set("index", "");
        attempts.push({ label: label("POST", url), method: "POST", url, caller, form: resolve(probe.form, world, caller) ?? {}, expected: probe.post[column]! });
      }
      return attempts;
    }),
  );
}

/** What a caller got, in the table's words. */
function outcomeOf(response: Response): string {
  const location = response.headers.get("Location");
  // A redirect; the app's data requests answer one with 202 and the target in Location.
  if (location && (response.status === 202 || (response.status >= 300 && response.status < 400))) {
    const target = new URL(location, app.url);
    return target.pathname === "/login" && target.searchParams.has("redirectTo") ? LOGIN : to(target.pathname);
  }
  const named: Record<number, Outcome> = { 200: OK, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 405: NOT_ALLOWED, 409: CONFLICT };
  return named[response.status] ?? `status ${response.status}`;
}

function matches(expected: Outcome, actual: string) {
  if (!expected.startsWith("→ ") || !actual.startsWith("→ ")) return expected === actual;
  const want = expected.slice(2).split("/");
  const got = actual.slice(2).split("/");
  return want.length === got.length && want.every((segment, i) => (segment === "*" ? got[i] !== "" : segment === got[i]));
}

async function send(attempt: Attempt, cookies: Partial<Record<Caller, string>>) {
  const headers = new Headers({ Origin: app.url });
  const cookie = cookies[attempt.caller];
  if (cookie) headers.set("Cookie", cookie);
  const body = attempt.form ? new URLSearchParams(attempt.form) : undefined;
  const response = await fetch(attempt.url, { method: attempt.method, headers, body, redirect: "manual" });
  await response.arrayBuffer();
  return { ...attempt, actual: outcomeOf(response) };
}

/** A hash of every row of every table (and of the job queue), by table. */
async function databaseState() {
  const tables = await db().$queryRaw<{ name: string }[]>`
    SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE' AND (table_schema = 'public' OR (table_schema = 'graphile_worker' AND table_name = '_private_jobs'))`;
  const hashes = tables.map(({ name }) => `SELECT '${name}' AS name, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS hash FROM ${name} t`);
  const rows = await db().$queryRawUnsafe<{ name: string; hash: string }[]>(hashes.join(" UNION ALL "));
  return Object.fromEntries(rows.map((r) => [r.name, r.hash]));
}

describe("the authorization matrix", () => {
  it("has a decision for every route in app/routes and each of its methods, and a route for every decision", async () => {
    const problems: string[] = [];
    for (const id of routeIds) {
      const module = await routeModule(routes[id]!.file);
      const decisions = decisionsOf(id);
      const decided = (method: "get" | "post") => decisions.some((d) => d[method]);
      if (decisions.length === 0) problems.push(`${id} has no row in test/support/route-access.ts`);
      else {
        if (Boolean(module.loader || module.default) !== decided("get")) problems.push(`${id}: ${decided("get") ? "a GET row, but the route has no loader or page" : "no GET row for its loader"}`);
        if (Boolean(module.action) !== decided("post")) problems.push(`${id}: ${decided("post") ? "a POST row, but the route has no action" : "no POST row for its action"}`);
      }
    }
    for (const id of Object.keys(routeAccess)) if (!routes[id]) problems.push(`${id} is in test/support/route-access.ts, but app/routes has no such route`);
    expect(problems).toEqual([]);
  });

  it("has the admin menu show door staff, organisers and admins exactly the pages they may open", () => {
    const roles = { door: "CHECKIN", organiser: "ORGANISER", admin: "ADMIN" } as const;
    const wrong: string[] = [];
    for (const section of adminSections) {
      const id = routeIds.find((id) => !isLayout(id) && pathPattern(id) === section.to);
      const row = decisionsOf(id ?? "").find((d) => d.get)?.get;
      if (!row) {
        wrong.push(`${section.label}: no route with a GET row at ${section.to}`);
        continue;
      }
      for (const [caller, role] of Object.entries(roles)) {
        const shown = can({ role }, section.permission);
        const opens = row[CALLERS.indexOf(caller as Caller)] === OK;
        if (shown !== opens) wrong.push(`${section.label} (${section.to}) for ${caller}: ${shown ? "in the menu, but the page refuses them" : "the page opens, but the menu hides it"}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(routeIds)("%s answers each caller as decided, and a refusal changes nothing", async (id) => {
    if (!routeAccess[id]) throw new Error(`${id} has no row in test/support/route-access.ts: decide who may use it`);
    const attempts = attemptsFor(id, await routeModule(routes[id]!.file));
    const cookies = await sessionCookies(world);
    const refused = attempts.filter((r) => REFUSALS.includes(r.expected));
    const allowed = attempts.filter((r) => !REFUSALS.includes(r.expected));
    // Allowed pages first, so that a page kept by the page cache would be served to the refused too.
    const results = await Promise.all(allowed.filter((r) => r.method === "GET").map((r) => send(r, cookies)));
    const before = await databaseState();
    results.push(...(await Promise.all(refused.map((r) => send(r, cookies)))));
    const after = await databaseState();
    // One at a time: organiser and admin saving the same row at once is another test's subject.
    for (const r of allowed.filter((r) => r.method === "POST")) results.push(await send(r, cookies));

    // Soft, so that a failure shows both what the callers got and what a refusal changed.
    expect.soft(results.filter((r) => !matches(r.expected, r.actual)).map((r) => `${r.label}: expected ${r.expected}, got ${r.actual}`)).toEqual([]);
    const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
    expect(changed, "tables changed by refused requests").toEqual([]);
  });
});

describe("a refusal says why", () => {
  const get = async (path: string, cookie: string) => {
    const response = await fetch(new URL(path, app.url), { headers: { Cookie: cookie }, redirect: "manual" });
    return { status: response.status, body: await response.text() };
  };

  it("on a page and in a download, with its message, and is not logged as a server error", async () => {
    const door = (await cookieFor("CHECKIN")).cookie;
    for (const path of ["/admin/attendees", "/admin/exports/orders.csv"]) {
      const answer = await get(path, door);
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.body).toContain("Your account does not have access to this page.");
    }
    const unlinked = (await cookieFor("SPONSOR")).cookie;
    expect(await get("/sponsor/leads.csv", unlinked)).toEqual({ status: 403, body: expect.stringContaining("not linked to a sponsor") });
    const organiser = (await cookieFor("ORGANISER")).cookie;
    expect(await get("/admin/sponsors/leads.csv?sponsor=no-such-sponsor", organiser)).toEqual({ status: 404, body: expect.stringContaining("That sponsor does not exist") });
  });

  it("to an organiser opening an account email, which the list shows without a link", async () => {
    const organiser = (await cookieFor("ORGANISER")).cookie;
    const refused = await get(`/admin/emails/${world.resetEmail.id}`, organiser);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("only admins can open or resend it");
    const link = `href="/admin/emails/${world.resetEmail.id}"`;
    expect((await get("/admin/emails", organiser)).body).not.toContain(link);
    expect((await get("/admin/emails", (await cookieFor("ADMIN")).cookie)).body).toContain(link);
  });
});
