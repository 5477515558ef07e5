// patches/@remix-run+router: the server keeps each route tree's ranked branches and each
// pattern's regular expression instead of rebuilding them on every request. Matching must
// answer exactly as before.
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

  it("keeps case sensitivity and partial matches apart for the same pattern", () => {
    expect(matchPath({ path: "/Tickets", caseSensitive: true }, "/tickets")).toBeNull();
    expect(matchPath({ path: "/Tickets", caseSensitive: false }, "/tickets")?.pathname).toBe("/tickets");
    expect(matchPath({ path: "/tickets", end: true }, "/tickets/checkout")).toBeNull();
    expect(matchPath({ path: "/tickets", end: false }, "/tickets/checkout")?.pathnameBase).toBe("/tickets");
  });
});
