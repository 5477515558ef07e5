import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageCache } from "~/services/page-cache.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";

// An app shaped like server.ts: compression in front, the cache, then the "pages", which count
// how often they were rendered.
const renders = new Map<string, number>();
let origin = "";
let close = () => {};

beforeAll(async () => {
  const app = express();
  app.use(compression());
  app.use(pageCache({ ttlMs: 60_000, maxEntries: 3, clearedBy: /^\/admin(\/|$)/ }));
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

  it("shows an organiser's edit at once, but not for every checkout", async () => {
    await get("/sessions/opening");
    await fetch(`${origin}/tickets/checkout`, { method: "POST", redirect: "manual" });
    expect(await (await get("/sessions/opening")).text()).toContain("render 1");
    await fetch(`${origin}/admin/sessions`, { method: "POST", redirect: "manual" });
    expect(await (await get("/sessions/opening")).text()).toContain("render 2");
  });

  it("keeps a bounded number of pages, forgetting the oldest", async () => {
    for (const path of ["/a", "/b", "/c", "/d"]) await get(path);
    await get("/d");
    await get("/a");
    expect(renders.get("/d")).toBe(1);
    expect(renders.get("/a")).toBe(2);
  });
});
