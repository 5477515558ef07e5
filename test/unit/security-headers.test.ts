import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, describe, expect, it } from "vitest";
import { documentSecurityPolicy, securityHeaders } from "~/services/http.server";
import { checkoutOrigin } from "~/services/stripe.server";

const closers: Array<() => void> = [];
afterAll(() => closers.forEach((close) => close()));

/** An app shaped like server.ts: the headers first, then "pages" that add theirs the way Remix does (append). */
async function serve(production: boolean) {
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders(production));
  app.get("/agenda", (_req, res) => {
    res.append("Content-Security-Policy", documentSecurityPolicy("page-nonce", production));
    res.type("html").send("<h1>Agenda</h1>");
  });
  app.get("/my/token", (_req, res) => {
    res.append("Referrer-Policy", "no-referrer");
    res.type("html").send("<h1>Your ticket</h1>");
  });
  const server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  closers.push(() => server.close());
  return (path: string) => fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
}

const directivesOf = (header: string | null) =>
  new Map((header ?? "").split(";").map((directive) => {
    const [name, ...values] = directive.trim().split(/\s+/);
    return [name!, values.join(" ")] as const;
  }));

describe("security headers", () => {
  it("gives a page a policy that runs only its own scripts, forbids framing and sends one referrer policy", async () => {
    const get = await serve(true);
    const page = await get("/agenda");
    const csp = directivesOf(page.headers.get("content-security-policy"));
    expect(csp.get("default-src")).toBe("'self'");
    expect(csp.get("script-src")).toBe("'self' 'nonce-page-nonce'");
    expect(csp.get("connect-src")).toBe("'self'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("worker-src")).toBe("'self'");
    expect(csp.get("base-uri")).toBe("'self'");
    expect(csp.get("form-action")).toBe(`'self' ${checkoutOrigin()}`);
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(page.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(page.headers.get("permissions-policy")).toBe("camera=(self), microphone=(), geolocation=(), payment=()");
    expect(page.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(page.headers.get("x-powered-by")).toBeNull();
  });

  it("lets a page behind a secret link send only its own no-referrer", async () => {
    const get = await serve(true);
    expect((await get("/my/token")).headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("sends HSTS only in production, and lets the development server's live reload connect", async () => {
    const get = await serve(false);
    const page = await get("/agenda");
    expect(page.headers.get("strict-transport-security")).toBeNull();
    expect(directivesOf(page.headers.get("content-security-policy")).get("connect-src")).toBe("'self' ws:");
  });
});
