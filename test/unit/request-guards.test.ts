import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createReadableStreamFromReadable } from "@remix-run/node";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refuseBadRequests } from "~/services/request-guards.server";

// The guard in front of a route that reads its body the way @remix-run/express does, a moment
// later (as after the checkout queue): every byte the client sent must arrive, once.
let port = 0;
let close = () => {};

beforeAll(async () => {
  const app = express();
  app.use(refuseBadRequests({ formLimit: 1024 * 1024, uploadPaths: /^\/upload$/, uploadLimit: 3 * 1024 * 1024, rawBodyPaths: /^\/raw$/, jsonPaths: /^\/json$/ }));
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
