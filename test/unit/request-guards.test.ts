import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createReadableStreamFromReadable } from "@remix-run/node";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passesGuardsBeforeExpress, refuseBadRequests, type RequestGuardOptions } from "~/services/request-guards.server";

const guardOptions: RequestGuardOptions = { formLimit: 1024 * 1024, uploadPaths: /^\/upload$/, uploadLimit: 3 * 1024 * 1024, rawBodyPaths: /^\/raw$/, jsonPaths: /^\/json$/ };

// The guard in front of a route that reads its body the way @remix-run/express does, a moment
// later (as after the checkout queue): every byte the client sent must arrive, once.
let port = 0;
let close = () => {};

beforeAll(async () => {
  const app = express();
  app.use(refuseBadRequests(guardOptions));
  app.post("*", async (req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const body = Buffer.from(await new Response(createReadableStreamFromReadable(req)).arrayBuffer());
    res.json({ bytes: body.length, sha256: createHash("sha256").update(body).digest("hex") });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
  close = () => {
    server.close();
    server.closeAllConnections();
  };
});
afterAll(() => close());

function post(path: string, headers: Record<string, string>, chunks: Buffer[]) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: "POST", headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString("utf8") }));
    });
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const digest = (chunks: Buffer[]) => {
  const all = Buffer.concat(chunks);
  return { bytes: all.length, sha256: createHash("sha256").update(all).digest("hex") };
};
const urlencoded = { "Content-Type": "application/x-www-form-urlencoded" };

describe("the request guard hands a body it read on intact", () => {
  it("for a chunked form just under the limit", async () => {
    const chunks = Array.from({ length: 15 }, (_, i) => Buffer.from(`f${i}=${"z".repeat(64 * 1024)}&`));
    const answer = await post("/form", urlencoded, chunks);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual(digest(chunks));
  });

  it("for a form with a length, which it reads to look for NUL bytes", async () => {
    const body = Buffer.from(`name=${"Ada Lovelace ".repeat(5000)}`);
    const answer = await post("/form", { ...urlencoded, "Content-Length": String(body.length) }, [body]);
    expect(JSON.parse(answer.body)).toEqual(digest([body]));
  });

  it("for an empty chunked form, which still ends", async () => {
    const answer = await post("/form", urlencoded, []);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual(digest([]));
  });

  it("for a chunked raw body and a chunked upload", async () => {
    const raw = [Buffer.from('{"id":'), Buffer.from('"evt_1"}')];
    expect(JSON.parse((await post("/raw", { "Content-Type": "application/json" }, raw)).body)).toEqual(digest(raw));
    const whole = Buffer.concat([
      Buffer.from('--x\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n'),
      Buffer.alloc(40 * 64 * 1024, 7),
      Buffer.from("\r\n--x--\r\n"),
    ]);
    const upload = Array.from({ length: Math.ceil(whole.length / (64 * 1024)) }, (_, i) => whole.subarray(i * 64 * 1024, (i + 1) * 64 * 1024));
    const answer = await post("/upload", { "Content-Type": "multipart/form-data; boundary=x" }, upload);
    expect(JSON.parse(answer.body)).toEqual(digest(upload));
  });

  it("and refuses one over the limit, answering JSON where the route would", async () => {
    const answer = await post("/json", urlencoded, Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, "a")));
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, message: expect.stringContaining("too large") });
  });
});

describe("the guards' answer before Express", () => {
  // The same guards behind Express with `trust proxy` on and off; before each, what
  // passesGuardsBeforeExpress said of the raw request.
  const servers: { port: number; close: () => void }[] = [];
  let said: boolean | undefined;

  beforeAll(async () => {
    for (const trust of [true, false]) {
      const app = express();
      app.set("trust proxy", trust);
      app.use(refuseBadRequests(guardOptions));
      app.all("*", (_req, res) => void res.end("passed"));
      const server = http.createServer((req, res) => {
        said = passesGuardsBeforeExpress(req, req.url!.split("?")[0]!);
        app(req, res);
      });
      server.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      servers.push({ port: (server.address() as AddressInfo).port, close: () => server.close() });
    }
  });
  afterAll(() => servers.forEach((server) => server.close()));

  function request(port: number, method: string, path: string, headers: Record<string, string>) {
    return new Promise<{ status: number; passedBefore: boolean }>((resolve, reject) => {
      http
        .request({ host: "127.0.0.1", port, path, method, headers, agent: false }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode!, passedBefore: said! }));
        })
        .on("error", reject)
        .end();
    });
  }

  it("is yes only when Express's guards let the request through, whether it trusts the proxy or not", async () => {
    const hosts = [undefined, "tickets.example", "tickets.example:8443", "[::1]:3000", "[::zz]", "a b", "[::1", "xn--bcher-kva.example"];
    const protocols = [undefined, "https", "https, http", "no such protocol", ""];
    const cases: { method: string; path: string; headers: Record<string, string> }[] = [];
    for (const host of hosts) {
      for (const forwardedHost of [undefined, ...hosts.filter(Boolean), "tickets.example, [::zz]", "[::zz], tickets.example"]) {
        for (const proto of protocols) {
          const headers: Record<string, string> = {};
          if (host) headers.Host = host;
          if (forwardedHost) headers["X-Forwarded-Host"] = forwardedHost;
          if (proto !== undefined) headers["X-Forwarded-Proto"] = proto;
          cases.push({ method: "GET", path: "/agenda", headers });
        }
      }
    }
    for (const path of ["/sessions/%E0%A4%A", "/agenda%00", "/agenda?day=%ZZ", "/agenda.data"]) cases.push({ method: "GET", path, headers: {} });
    cases.push({ method: "HEAD", path: "/agenda.data", headers: { Origin: "https://evil.example" } }, { method: "HEAD", path: "/agenda", headers: { Origin: "https://evil.example" } });
    let passedBefore = 0;
    for (const { method, path, headers } of cases) {
      for (const { port } of servers) {
        const answer = await request(port, method, path, headers);
        if (answer.passedBefore) {
          expect(answer.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(200);
          passedBefore++;
        }
      }
    }
    // A plain request, and one through a proxy that names the public host, are answered there.
    expect((await request(servers[0]!.port, "GET", "/agenda", {})).passedBefore).toBe(true);
    expect((await request(servers[0]!.port, "GET", "/agenda?day=2", { "X-Forwarded-Host": "tickets.example", "X-Forwarded-Proto": "https" })).passedBefore).toBe(true);
    expect((await request(servers[0]!.port, "HEAD", "/agenda.data", { Origin: "https://evil.example" })).passedBefore).toBe(false);
    expect(passedBefore).toBeGreaterThan(cases.length / 2);
  });
});
