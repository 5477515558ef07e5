// patches/@remix-run+router: the server keeps each route tree's ranked branches, each
// pattern's regular expression and each pathname's matches instead of rebuilding them on every
// request. Matching must answer exactly as before.
import { matchPath, matchRoutes, type AgnosticRouteObject as RouteObject } from "@remix-run/router";
import { describe, expect, it } from "vitest";

const tree = (): RouteObject[] => [
  {
    id: "root",
    path: "/",
    children: [
      { id: "home", index: true },
      { id: "tickets", path: "tickets" },
      { id: "checkout", path: "tickets/checkout" },
      { id: "order", path: "orders/:ref" },
      { id: "admin", path: "admin/*" },
    ],
  },
];

const ids = (routes: RouteObject[], path: string) => matchRoutes(routes, path)?.map((m) => [m.route.id, m.params]) ?? null;

describe("route matching (patched to keep its work between requests)", () => {
  it("answers each path of one route tree on its own, however often it is asked", () => {
    const routes = tree();
    for (let round = 0; round < 3; round++) {
      expect(ids(routes, "/tickets/checkout")).toEqual([["root", {}], ["checkout", {}]]);
      expect(ids(routes, "/orders/RE3M-7K2Q")).toEqual([["root", { ref: "RE3M-7K2Q" }], ["order", { ref: "RE3M-7K2Q" }]]);
      expect(ids(routes, "/orders/RE3M-AAAA")).toEqual([["root", { ref: "RE3M-AAAA" }], ["order", { ref: "RE3M-AAAA" }]]);
      expect(ids(routes, "/admin/orders/1")).toEqual([["root", { "*": "orders/1" }], ["admin", { "*": "orders/1" }]]);
      expect(ids(routes, "/")).toEqual([["root", {}], ["home", {}]]);
      expect(ids(routes, "/nowhere")).toBeNull();
    }
  });

  it("matches a different route tree by its own routes, not the first tree's", () => {
    const first = tree();
    expect(ids(first, "/tickets")).toEqual([["root", {}], ["tickets", {}]]);
    const second: RouteObject[] = [{ id: "other", path: "/tickets" }];
    expect(ids(second, "/tickets")).toEqual([["other", {}]]);
    expect(ids(second, "/orders/X")).toBeNull();
  });

  it("gives every caller matches of its own, so changing one answer cannot change the next", () => {
    const routes = tree();
    const first = matchRoutes(routes, "/orders/RE3M-7K2Q")!;
    (first[1]!.params as Record<string, string>).ref = "changed";
    first.pop();
    const second = matchRoutes(routes, "/orders/RE3M-7K2Q")!;
    expect(second.map((m) => [m.route.id, m.params.ref, m.pathname])).toEqual([
      ["root", "RE3M-7K2Q", "/"],
      ["order", "RE3M-7K2Q", "/orders/RE3M-7K2Q"],
    ]);
  });

  it("still answers right after more distinct paths than it keeps", () => {
    const routes = tree();
    for (let i = 0; i < 2500; i++) expect(matchRoutes(routes, `/orders/REF-${i}`)?.[1]?.params.ref).toBe(`REF-${i}`);
    expect(ids(routes, "/orders/REF-7")).toEqual([["root", { ref: "REF-7" }], ["order", { ref: "REF-7" }]]);
    expect(ids(routes, "/nowhere")).toBeNull();
  });

  it("keeps case sensitivity and partial matches apart for the same pattern", () => {
    expect(matchPath({ path: "/Tickets", caseSensitive: true }, "/tickets")).toBeNull();
    expect(matchPath({ path: "/Tickets", caseSensitive: false }, "/tickets")?.pathname).toBe("/tickets");
    expect(matchPath({ path: "/tickets", end: true }, "/tickets/checkout")).toBeNull();
    expect(matchPath({ path: "/tickets", end: false }, "/tickets/checkout")?.pathnameBase).toBe("/tickets");
  });
});

describe("the router patch is applied", () => {
  // Guards patches/@remix-run+router (ADR 0006): without it every match flattens and ranks the
  // whole route tree again, which reads the routes array anew each time.
  it("reads a route tree once, however many requests are matched against it", () => {
    let reads = 0;
    const routes = new Proxy(tree(), {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    matchRoutes(routes, "/tickets/checkout");
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) matchRoutes(routes, `/orders/REF-${i}`);
    expect(reads).toBe(afterFirst);
  });
});
