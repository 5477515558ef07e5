// patches/@remix-run+server-runtime: a loader or action whose URL has nothing for Remix to strip
// (`index`, `_routes`, `_data`) gets the request as it came, not a copy of it. The URL each one
// sees must be exactly what it was without the patch.
import { callRouteAction, callRouteLoader } from "@remix-run/server-runtime/dist/data.js";
import { describe, expect, it } from "vitest";

type Args = { request: Request };

async function seenByLoader(request: Request, singleFetch = true) {
  let seen: Request | undefined;
  await callRouteLoader({ loadContext: {}, params: {}, routeId: "r", singleFetch, request, loader: ({ request }: Args) => ((seen = request), null) });
  return seen!;
}

describe("Remix's loader and action requests (patched to skip needless copies)", () => {
  it("passes a request with nothing to strip through as it is, body and all", async () => {
    const request = new Request("http://app.test/tickets/checkout", { method: "POST", body: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    let seen: Request | undefined;
    await callRouteAction({ loadContext: {}, params: {}, routeId: "r", singleFetch: true, request, action: ({ request }: Args) => ((seen = request), null) });
    expect(seen).toBe(request);
    expect(Object.fromEntries(await seen!.formData())).toEqual({ a: "1" });
    const get = new Request("http://app.test/agenda?day=2&track=magnets");
    expect(await seenByLoader(get)).toBe(get);
  });

  it("still strips what Remix strips, and keeps the rest of the query", async () => {
    expect((await seenByLoader(new Request("http://app.test/x?index&day=2"))).url).toBe("http://app.test/x?day=2");
    expect((await seenByLoader(new Request("http://app.test/x?index=keep&_routes=a,b"))).url).toBe("http://app.test/x?index=keep");
    expect((await seenByLoader(new Request("http://app.test/x?_data=routes/x&q=1"), false)).url).toBe("http://app.test/x?q=1");
  });

  it("copies a request whose query Remix would write differently, as before", async () => {
    const request = new Request("http://app.test/search?q=a%20b");
    const seen = await seenByLoader(request);
    expect(seen).not.toBe(request);
    expect(seen.url).toBe("http://app.test/search?q=a+b");
    expect(new URL(seen.url).searchParams.get("q")).toBe("a b");
  });
});
