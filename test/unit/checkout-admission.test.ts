import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutAdmission } from "~/services/http.server";
import { workQueue } from "~/services/work-queue.server";

// server.ts's arrangement with one turn: checkout posts queue, then the "action" reads the form
// and answers when the test lets it, ending its turn the way the real action does.
const queue = workQueue(1);
const seen: string[] = [];
const holds = new Map<string, () => void>();
let port = 0;
let close = () => {};

beforeAll(async () => {
  const app = express();
  app.post("/tickets/checkout", checkoutAdmission(queue), express.urlencoded({ extended: false }), (req, res) => {
    const buyer = String(req.body.buyer);
    seen.push(buyer);
    holds.set(buyer, () => {
      (res.locals.leaveCheckoutQueue as () => void)();
      res.status(303).setHeader("Location", `/orders/${buyer}`).end();
    });
    // "late" answers without ending its turn itself: the end of the response must end it.
    if (buyer.startsWith("late")) res.status(409).end();
  });
  const server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
  close = () => server.close();
});
afterAll(() => close());

/** A form post whose body is sent only when `send` is called (all at once unless told otherwise). */
function post(buyer: string, { sendBody = true } = {}) {
  const body = `buyer=${buyer}`;
  const request = http.request({ port, path: "/tickets/checkout", method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": body.length } });
  const answered = new Promise<number>((resolve, reject) => {
    request.on("response", (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
  });
  request.flushHeaders();
  if (sendBody) request.end(body);
  return { answered, send: () => request.end(body), abort: () => request.destroy() };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

describe("checkout admission", () => {
  it("serves buyers one turn at a time in the order they came, and never blocks on a slow form", async () => {
    const slow = post("slow", { sendBody: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const first = post("first");
    await until(() => seen.includes("first"));
    const second = post("second");
    await new Promise((resolve) => setTimeout(resolve, 50));
    // "slow" came first but its form has not arrived, so it holds no turn; "second" waits for "first".
    expect(seen).toEqual(["first"]);
    holds.get("first")!();
    expect(await first.answered).toBe(303);
    await until(() => seen.includes("second"));
    slow.send();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(["first", "second"]);
    holds.get("second")!();
    await until(() => seen.includes("slow"));
    holds.get("slow")!();
    expect(await Promise.all([second.answered, slow.answered])).toEqual([303, 303]);
  });

  it("gives the turn on when a waiting buyer leaves, or when an answer ends without ending its turn", async () => {
    seen.length = 0;
    const first = post("late-1");
    expect(await first.answered).toBe(409);
    const holding = post("holding");
    await until(() => seen.includes("holding"));
    const gone = post("gone");
    const next = post("next");
    await new Promise((resolve) => setTimeout(resolve, 50));
    gone.abort();
    await gone.answered.catch(() => {});
    holds.get("holding")!();
    await until(() => seen.includes("next"));
    expect(seen).toEqual(["late-1", "holding", "next"]);
    holds.get("next")!();
    expect(await Promise.all([holding.answered, next.answered])).toEqual([303, 303]);
  });
});
