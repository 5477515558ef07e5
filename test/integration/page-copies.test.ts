// Fresh copies of public pages are answered in the HTTP server's own request listener, before
// Express runs (ADR 0022). A visitor, a browser's cache and the operator's log and metrics must
// not be able to tell: every answer is the one Express's chain of request log, guards and page
// cache gives. Here the middlewares of serverRuntime, in server.ts's order, serve a page that sets
// its headers as a rendered page does, behind two listeners: server.ts's, and Express alone.
import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serverRuntime } from "~/server-runtime.server";
import { PUBLIC_CACHE_CONTROL } from "~/services/http-cache.server";
import { registry } from "~/services/metrics.server";
import { startDraining } from "~/services/shutdown.server";

// The settings are read once, maybe while the modules above load: the request lines are checked here.
vi.hoisted(() => {
  process.env.LOG_LEVEL = "info";
});

const middlewares = serverRuntime.middlewares();
/** Requests that reached Express, and renders of each page. */
let reachedExpress = 0;
const renders = new Map<string, number>();
/** What the request log wrote. */
const logged: Record<string, unknown>[] = [];
let early = { port: 0, close: () => {} };
let expressAlone = { port: 0, close: () => {} };

function listen(handler: http.RequestListener) {
  const server = http.createServer(handler).listen(0, "127.0.0.1");
  return new Promise<{ port: number; close: () => void }>((resolve) =>
    server.once("listening", () => resolve({ port: (server.address() as AddressInfo).port, close: () => server.close() })),
  );
}

beforeAll(async () => {
  vi.spyOn(process.stdout, "write").mockImplementation((line) => logged.push(JSON.parse(String(line)) as Record<string, unknown>) > 0);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback, linklocal, uniquelocal");
  app.use((_req, _res, next) => {
    reachedExpress++;
    next();
  });
  app.use(middlewares.closeConnectionsWhenDraining);
  app.use(middlewares.requestLog);
  app.use(middlewares.errorsNotStored);
  app.use(middlewares.refuseBadRequests);
  app.use(middlewares.pageCache.hits);
  app.use(compression());
  app.use(middlewares.securityHeaders);
  app.use(middlewares.pageCache);
  // A page as app/entry.server.tsx sends it: public, with its ETag and its nonce in the policy.
  app.get("*", (req, res) => {
    const n = (renders.get(req.path) ?? 0) + 1;
    renders.set(req.path, n);
    res.set({
      "Cache-Control": PUBLIC_CACHE_CONTROL,
      ETag: `W/"${req.path}-${n}"`,
      "Content-Security-Policy": `default-src 'self';script-src 'self' 'nonce-render${n}'`,
    });
    const body = `<h1>${req.originalUrl} render ${n}</h1>${"<p>agenda</p>".repeat(300)}`;
    // A page that takes a while to render, as one reading the database does.
    if (req.path.startsWith("/slow")) setTimeout(() => res.type("html").end(body), 50);
    else res.type("html").end(body);
  });
  app.use(middlewares.errorPage);
  early = await listen((req, res) => void (middlewares.servedFromCache(req, res) || app(req, res)));
  expressAlone = await listen(app);
});
afterAll(() => {
  vi.mocked(process.stdout.write).mockRestore();
  early.close();
  expressAlone.close();
});

type RawAnswer = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** The answer as sent, on a connection of its own (fetch would unzip it and add headers). */
function send(port: number, path: string, { method = "GET", headers = {} }: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<RawAnswer>((resolve, reject) => {
    http
      .request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject)
      .end();
  });
}

/** An answer without its Date, which differs by the second. */
const comparable = ({ status, headers: { date: _date, ...headers }, body }: RawAnswer) => ({ status, headers, body: body.toString("base64") });

/** The requests a browser, a CDN or a script sends for a page it may already hold. */
const variants = (etag: string): { name: string; method?: string; headers?: Record<string, string> }[] => [
  { name: "no Accept-Encoding" },
  { name: "identity", headers: { "Accept-Encoding": "identity" } },
  { name: "gzip", headers: { "Accept-Encoding": "gzip" } },
  { name: "a browser's", headers: { "Accept-Encoding": "gzip, deflate, br, zstd" } },
  { name: "brotli refused", headers: { "Accept-Encoding": "br;q=0, gzip" } },
  { name: "HEAD", method: "HEAD", headers: { "Accept-Encoding": "gzip, deflate, br" } },
  { name: "revalidation (304)", headers: { "Accept-Encoding": "br", "If-None-Match": `W/"other", ${etag}` } },
  { name: "another ETag (200)", headers: { "If-None-Match": 'W/"other"' } },
  { name: "from a proxy", headers: { "X-Forwarded-Host": "tickets.example", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7" } },
];

describe("a fresh copy answered before Express", () => {
  it("is the very answer Express's chain gives, for every way of asking, without reaching Express", async () => {
    for (const path of ["/agenda", "/agenda?day=2025-09-10"]) {
      const first = await send(early.port, path);
      expect(first.status).toBe(200);
      const etag = String(first.headers.etag);
      for (const { name, method, headers } of variants(etag)) {
        const before = reachedExpress;
        const answer = await send(early.port, path, { method, headers });
        expect(reachedExpress, `${path}, ${name}`).toBe(before);
        expect(comparable(answer), `${path}, ${name}`).toEqual(comparable(await send(expressAlone.port, path, { method, headers })));
      }
      expect(renders.get("/agenda")).toBe(path === "/agenda" ? 1 : 2);
    }
    const revalidated = await send(early.port, "/agenda", { headers: { "If-None-Match": 'W/"/agenda-1"' } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers).toMatchObject({ etag: 'W/"/agenda-1"', vary: "Accept-Encoding", "cache-control": PUBLIC_CACHE_CONTROL });
    expect(revalidated.headers["content-length"]).toBeUndefined();
    const head = await send(early.port, "/agenda", { method: "HEAD", headers: { "Accept-Encoding": "br" } });
    expect(head.body.length).toBe(0);
    expect(head.headers).toMatchObject({ "content-encoding": "br", "x-frame-options": "DENY", "content-security-policy": expect.stringContaining("'nonce-render1'") });
    expect(Number(head.headers["content-length"])).toBe((await send(early.port, "/agenda", { headers: { "Accept-Encoding": "br" } })).body.length);
  });

  it("is logged and counted as the request log does for any request", async () => {
    const requests = () => registry.getSingleMetric("re3m_http_requests_total")!.get();
    const count = async (status: string) => (await requests()).values.find((v) => v.labels.kind === "page" && v.labels.method === "GET" && v.labels.status === status)?.value ?? 0;
    await send(early.port, "/speakers");
    const [ok, notModified] = [await count("200"), await count("304")];
    const from = logged.length;
    await send(early.port, "/speakers?k=secret");
    await send(early.port, "/speakers?k=secret");
    await send(early.port, "/speakers", { method: "HEAD", headers: { "If-None-Match": 'W/"/speakers-1"' } });
    await vi.waitFor(() => expect(logged).toHaveLength(from + 3));
    // The first of the three was rendered (through Express), the others answered before it.
    expect(renders.get("/speakers")).toBe(2);
    const lines = logged.slice(from);
    expect(lines.map(({ level, message, method, path, status }) => ({ level, message, method, path, status }))).toEqual([
      { level: "info", message: "request", method: "GET", path: "/speakers?k=redacted", status: 200 },
      { level: "info", message: "request", method: "GET", path: "/speakers?k=redacted", status: 200 },
      { level: "info", message: "request", method: "HEAD", path: "/speakers", status: 304 },
    ]);
    expect(lines.every((line) => typeof line.ms === "number")).toBe(true);
    expect(await count("200")).toBe(ok + 2);
    expect(await count("304")).toBe(notModified + 1);
  });

  it("leaves to Express, and its guards, a request whose host only Express can judge", async () => {
    await send(early.port, "/sponsors");
    for (const headers of [{ Host: "[::zz]" }, { "X-Forwarded-Host": "[::zz]" }, { "X-Forwarded-Proto": "no such protocol" }] as Record<string, string>[]) {
      const answer = await send(early.port, "/sponsors", { headers });
      expect(answer.status, JSON.stringify(headers)).toBe(400);
      expect(answer.body.toString()).toContain("That address is not valid");
    }
    // A trusted proxy (loopback) names the public host; Express believes it and sends the copy.
    const before = reachedExpress;
    const viaProxy = await send(early.port, "/sponsors", { headers: { Host: "[::zz]", "X-Forwarded-Host": "tickets.example" } });
    expect(viaProxy.status).toBe(200);
    expect(reachedExpress).toBe(before + 1);
    expect(renders.get("/sponsors")).toBe(1);
  });

  it("is not sent once the copy was made old (an organiser's edit, told by the change feed)", async () => {
    await send(early.port, "/tickets");
    middlewares.pageCache.invalidate();
    const before = reachedExpress;
    expect((await send(early.port, "/tickets")).body.toString()).toContain("render 2");
    expect(reachedExpress).toBe(before + 1);
    expect((await send(early.port, "/tickets")).body.toString()).toContain("render 2");
    expect(reachedExpress).toBe(before + 1);
  });

  // Last: an instance does not stop draining.
  it("is left to Express while the instance drains, so that the answer closes its connection", async () => {
    await send(early.port, "/");
    startDraining();
    const before = reachedExpress;
    const answer = await send(early.port, "/");
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe("close");
    expect(answer.body.toString()).toContain("render 1");
    expect(reachedExpress).toBe(before + 1);
  });
});

describe("a page nobody has a copy of", () => {
  it("is rendered once however many visitors ask for it during the render; each gets that render", async () => {
    for (const port of [early.port, expressAlone.port]) {
      const path = `/slow-cold-${port}`;
      const answers = await Promise.all(Array.from({ length: 20 }, () => send(port, path)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(renders.get(path)).toBe(1);
      expect(new Set(answers.map((a) => a.body.toString()))).toEqual(new Set([`<h1>${path} render 1</h1>${"<p>agenda</p>".repeat(300)}`]));
    }
  });
});
