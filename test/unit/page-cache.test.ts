import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageCache } from "~/services/page-cache.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";

// An app shaped like server.ts: the cache's hits first, then compression, the cache, then the
// "pages", which count how often they were rendered.
const renders = new Map<string, number>();
/** Edits told to the other instances (the change feed's announceChange). */
let announced = 0;
let origin = "";
let close = () => {};

beforeAll(async () => {
  const app = express();
  const cache = pageCache({ ttlMs: 60_000, maxEntries: 3, maxBytes: 1 << 20, clearedBy: /^\/admin(\/|$)/, announce: () => announced++ });
  app.use(cache.hits);
  app.use(compression());
  app.use(cache);
  app.get("*", (req, res) => {
    const n = (renders.get(req.path) ?? 0) + 1;
    renders.set(req.path, n);
    if (req.path === "/private") res.setHeader("Cache-Control", "private, no-store");
    else if (req.path === "/with-cookie") res.setHeader("Cache-Control", PUBLIC_CACHE_CONTROL).setHeader("Set-Cookie", "flash=hello");
    // A failed page that kept its route's public headers (issue 15).
    else if (req.path.startsWith("/failed")) res.status(req.path === "/failed/404" ? 404 : 500).setHeader("Cache-Control", PUBLIC_CACHE_CONTROL);
    else res.setHeader("Cache-Control", PUBLIC_CACHE_CONTROL);
    res.setHeader("ETag", `W/"${req.path}-${n}"`);
    res.type("html");
    res.write(`<h1>${req.path} `);
    res.end(`render ${n}</h1>${"<p>filler</p>".repeat(200)}`);
  });
  app.post("/admin/sessions", (_req, res) => void res.status(303).setHeader("Location", "/admin").end());
  app.post("/admin/refused", (_req, res) => void res.status(400).end());
  app.post("/tickets/checkout", (_req, res) => void res.status(303).setHeader("Location", "https://checkout.example").end());
  const server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${origin}${path}`, { headers });

/** The bytes as sent (fetch would unzip them). */
function rawGet(path: string, headers: Record<string, string>) {
  return rawGetFrom(origin, path, headers);
}

function rawGetFrom(origin: string, path: string, headers: Record<string, string>) {
  return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http.get(`${origin}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

describe("the public page cache", () => {
  it("renders a shareable page once and serves the same bytes, compressed or not, to everyone after", async () => {
    const first = await get("/agenda", { "Accept-Encoding": "identity" });
    const plain = await get("/agenda", { "Accept-Encoding": "identity" });
    const zipped = await rawGet("/agenda", { "Accept-Encoding": "gzip" });
    expect(renders.get("/agenda")).toBe(1);
    const body = await first.text();
    expect(body).toContain("render 1");
    expect(await plain.text()).toBe(body);
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.headers.get("etag")).toBe('W/"/agenda-1"');
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(zipped.body).toString()).toBe(body);
    const brotli = await rawGet("/agenda", { "Accept-Encoding": "gzip, deflate, br" });
    expect(brotli.headers).toMatchObject({ "content-encoding": "br", vary: "Accept-Encoding", "content-length": String(brotli.body.length) });
    expect(brotliDecompressSync(brotli.body).toString()).toBe(body);
    expect(renders.get("/agenda")).toBe(1);
  });

  it("answers 304 from memory when the browser already has the page", async () => {
    await get("/speakers");
    const again = await get("/speakers", { "If-None-Match": 'W/"/speakers-1"' });
    expect(again.status).toBe(304);
    expect(renders.get("/speakers")).toBe(1);
  });

  it("never keeps private pages or responses that set a cookie", async () => {
    for (const path of ["/private", "/with-cookie"]) {
      await get(path);
      expect(await (await get(path)).text()).toContain("render 2");
    }
  });

  it("never keeps an error page, even one that says it may be shared", async () => {
    for (const path of ["/failed/404", "/failed/500"]) {
      await get(path);
      expect(await (await get(path)).text()).toContain("render 2");
    }
  });

  it("shows an organiser's edit at once and tells the other instances, but not for every checkout or a refused form", async () => {
    await get("/sessions/opening");
    await fetch(`${origin}/tickets/checkout`, { method: "POST", redirect: "manual" });
    await fetch(`${origin}/admin/refused`, { method: "POST", redirect: "manual" });
    expect(await (await get("/sessions/opening")).text()).toContain("render 1");
    expect(announced).toBe(0);
    await fetch(`${origin}/admin/sessions`, { method: "POST", redirect: "manual" });
    expect(await (await get("/sessions/opening")).text()).toContain("render 2");
    expect(announced).toBe(1);
  });

  it("keeps a bounded number of pages, forgetting the oldest", async () => {
    for (const path of ["/a", "/b", "/c", "/d"]) await get(path);
    await get("/d");
    await get("/a");
    expect(renders.get("/d")).toBe(1);
    expect(renders.get("/a")).toBe(2);
  });
});

describe("the last good copy of a public page, while the database cannot be reached", () => {
  // The pages answer 503 while `down` (what every loader does in an outage, outage.server.ts).
  let down = false;
  let base = "";
  let stop = () => {};
  const rendered = new Map<string, number>();
  const at = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init);

  beforeAll(async () => {
    const app = express();
    app.use(compression());
    // Fresh copies are never served (PAGE_CACHE_SECONDS=0), yet kept: the cache is "off".
    app.use(pageCache({ ttlMs: 0, maxEntries: 10, maxBytes: 12_000, clearedBy: /^\/admin(\/|$)/ }));
    app.all("*", (req, res) => {
      if (down) return void res.status(503).set({ "Cache-Control": "no-store", "Retry-After": "5" }).type("html").send("<h1>briefly unavailable</h1>");
      if (req.path === "/broken") return void res.status(500).set("Cache-Control", PUBLIC_CACHE_CONTROL).send("failed");
      const n = (rendered.get(req.path) ?? 0) + 1;
      rendered.set(req.path, n);
      res.set({ "Cache-Control": PUBLIC_CACHE_CONTROL, ETag: `W/"${req.path}-${n}"` }).type("html");
      res.end(`<h1>${req.path} render ${n}</h1>${"<p>filler</p>".repeat(req.path === "/big" ? 800 : 200)}`);
    });
    const server = app.listen(0);
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = () => server.close();
  });
  afterAll(() => stop());

  it("serves the copy, marked stale and briefly shareable, in place of the 503, compressed or not", async () => {
    down = false;
    await at("/agenda");
    expect(await (await at("/agenda")).text()).toContain("render 2");
    down = true;
    const stale = await at("/agenda");
    expect(stale.status).toBe(200);
    expect(await stale.text()).toContain("render 2");
    expect(stale.headers.get("warning")).toBe('110 - "Response is Stale"');
    expect(stale.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate, s-maxage=5");
    expect(Number(stale.headers.get("age"))).toBeGreaterThanOrEqual(0);
    expect(stale.headers.get("retry-after")).toBeNull();
    const zipped = await rawGetFrom(base, "/agenda", { "Accept-Encoding": "gzip" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(zipped.body).toString()).toContain("render 2");
    expect((await at("/agenda", { headers: { "If-None-Match": 'W/"/agenda-2"' } })).status).toBe(304);
    expect((await at("/agenda", { method: "HEAD" })).status).toBe(200);
  });

  it("passes the 503 on for a page it never had, and never replaces another failure", async () => {
    down = true;
    const missing = await at("/never-seen");
    expect(missing.status).toBe(503);
    expect(missing.headers.get("retry-after")).toBe("5");
    expect(missing.headers.get("cache-control")).toBe("no-store");
    down = false;
    expect((await at("/broken")).status).toBe(500);
  });

  it("keeps the copy when an edit makes it old, and renders anew while the database answers", async () => {
    down = false;
    await at("/speakers");
    await fetch(`${base}/admin/speakers`, { method: "POST", redirect: "manual" });
    expect(await (await at("/speakers")).text()).toContain("render 2");
    down = true;
    expect(await (await at("/speakers")).text()).toContain("render 2");
  });

  it("keeps copies within its memory, forgetting the least recently served", async () => {
    down = false;
    await at("/small");
    // About 10 kB: with the small page, more than the 12 kB given.
    await at("/big");
    down = true;
    expect((await at("/big")).status).toBe(200);
    expect((await at("/small")).status).toBe(503);
  });
});

describe("a page whose copy grew old", () => {
  // The page waits for `gate` while rendering, so a test can hold a render in progress.
  let gate = Promise.resolve();
  let openGate = () => {};
  let base = "";
  let stop = () => {};
  let renders = 0;
  const closeGate = () => (gate = new Promise<void>((resolve) => (openGate = resolve)));
  const page = () => fetch(`${base}/agenda`).then((r) => r.text());
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    const app = express();
    const cache = pageCache({ ttlMs: 50, maxEntries: 10, maxBytes: 1 << 20, clearedBy: /^\/admin(\/|$)/ });
    app.use(cache.hits);
    app.use(cache);
    app.post("/admin/sessions", (_req, res) => void res.status(303).setHeader("Location", "/admin").end());
    app.get("/agenda", async (_req, res) => {
      const n = ++renders;
      await gate;
      res.set("Cache-Control", PUBLIC_CACHE_CONTROL).type("html").end(`render ${n}`);
    });
    const server = app.listen(0);
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = () => server.close();
  });
  afterAll(() => stop());

  it("is still served to the visitors who come while one of them has it rendered anew", async () => {
    expect(await page()).toBe("render 1");
    await wait(60);
    closeGate();
    const renewing = page();
    await wait(20);
    expect(await page()).toBe("render 1");
    expect(renders).toBe(2);
    openGate();
    expect(await renewing).toBe("render 2");
    expect(await page()).toBe("render 2");
  });

  it("is not served once an edit made it old: the edit shows at once", async () => {
    await page();
    await fetch(`${base}/admin/sessions`, { method: "POST", redirect: "manual" });
    closeGate();
    const rendersBefore = renders;
    const renewing = page();
    await wait(20);
    const during = page();
    expect(await Promise.race([during, wait(100).then(() => "still rendering")])).toBe("still rendering");
    openGate();
    expect(await renewing).toBe(`render ${rendersBefore + 1}`);
    // The visitor who came during that render waited for it, rather than rendering the page too.
    expect(await during).toBe(`render ${rendersBefore + 1}`);
    expect(renders).toBe(rendersBefore + 1);
  });
});
