// The whole app over HTTP in the test's process: the middlewares server.ts mounts, taken from
// serverRuntime.middlewares() and in server.ts's order, in front of Remix's request handler with a
// build assembled from app/routes (what `remix build` would bundle, without the bundling).
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { afterAll, beforeAll } from "vitest";
import * as entry from "~/entry.server";
import { serverRuntime } from "~/server-runtime.server";

const APP_DIRECTORY = path.resolve(import.meta.dirname, "../../app");

export type RouteModule = ServerBuild["routes"][string]["module"];

export type ManifestRoute = { path?: string; index?: boolean; parentId?: string; file: string };

/** The routes in app/routes as `remix build` reads them (flat routes), by route id; without root. */
export function appRoutes(): Record<string, ManifestRoute> {
  return flatRoutes(APP_DIRECTORY, ["**/*.test.{ts,tsx}"]);
}

/** The same with the root: the whole manifest of the build. */
export function routeManifest(): Record<string, ManifestRoute> {
  return { root: { path: "", file: "root.tsx" }, ...appRoutes() };
}

/** A file of app/, named as the manifest names it. */
export const appFile = (file: string) => path.join(APP_DIRECTORY, file);

/** A route module, `file` relative to app/ as in appRoutes(). */
export function routeModule(file: string) {
  return import(appFile(file)) as Promise<RouteModule>;
}

async function appBuild(): Promise<ServerBuild> {
  const manifest = routeManifest();
  const routes: ServerBuild["routes"] = {};
  const assets: ServerBuild["assets"]["routes"] = {};
  for (const [id, route] of Object.entries(manifest)) {
    const module = await routeModule(route.file);
    const shape = { id, parentId: route.parentId, path: route.path, index: route.index };
    routes[id] = { ...shape, module };
    assets[id] = {
      ...shape,
      module: `/build/${id}.js`,
      hasAction: Boolean(module.action),
      hasLoader: Boolean(module.loader),
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: Boolean(module.ErrorBoundary),
      imports: [],
      css: [],
    };
  }
  return {
    mode: "production",
    entry: { module: entry },
    routes,
    assets: { entry: { module: "/build/entry.client.js", imports: [] }, routes: assets, url: "/build/manifest.js", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true },
    isSpaMode: false,
  };
}

/** Serves the app on a free port for this test file; `app.url` is its origin. */
export function useAppServer() {
  const app = { url: "", port: 0 };
  let close = () => Promise.resolve();
  beforeAll(async () => {
    const build = await appBuild();
    const middlewares = serverRuntime.middlewares();
    const server = express();
    server.disable("x-powered-by");
    server.set("trust proxy", "loopback, linklocal, uniquelocal");
    server.use(middlewares.closeConnectionsWhenDraining);
    server.use(middlewares.requestLog);
    server.use(middlewares.errorsNotStored);
    server.use(middlewares.refuseBadRequests);
    server.use(middlewares.pageCache.hits);
    server.post(["/tickets/checkout", "/tickets/checkout.data"], middlewares.checkoutAdmission);
    server.get("/orders/:ref/pay", middlewares.seatsFirst);
    server.use(middlewares.securityHeaders);
    server.use(middlewares.pageCache);
    server.all(
      "*",
      createRequestHandler({
        build: serverRuntime.withOutageAnswers(build),
        mode: build.mode,
        getLoadContext: (req, res) => ({ clientIp: req.ip ?? "unknown", leaveCheckoutQueue: res.locals.leaveCheckoutQueue as (() => void) | undefined }),
      }),
    );
    server.use(middlewares.errorPage);
    const listening = http.createServer((req, res) => void (middlewares.servedFromCache(req, res) || server(req, res))).listen(0, "127.0.0.1");
    await new Promise((resolve) => listening.once("listening", resolve));
    app.port = (listening.address() as AddressInfo).port;
    app.url = `http://127.0.0.1:${app.port}`;
    close = () =>
      new Promise<void>((resolve) => {
        listening.close(() => resolve());
        listening.closeAllConnections();
      });
  });
  afterAll(() => close());
  return app;
}
