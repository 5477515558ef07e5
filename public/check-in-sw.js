// The check-in page's service worker (ADR 0016), registered with the scope /admin/check-in: it
// controls that page only. It keeps the page and the files the page loads, so that a door device
// can reload the page while offline. The ticket list and the queued check-ins live in the page's
// localStorage, not here. Everything else (the list, sending the queue, other pages) goes to the
// network untouched.
const CACHE = "re3m-check-in-v1";
const PAGE = "/admin/check-in";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("re3m-check-in-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

/** The page's own files: built assets (their names change with their content) and icons. */
function isAsset(url) {
  return url.origin === self.location.origin && (url.pathname.startsWith("/build/") || /^\/favicon\.(ico|svg)$/.test(url.pathname));
}

// The page sends the files it loaded before this worker controlled it.
self.addEventListener("message", (event) => {
  if (event.origin !== self.location.origin || event.data?.type !== "keep" || !Array.isArray(event.data.urls)) return;
  const urls = event.data.urls.filter((u) => typeof u === "string" && URL.canParse(u, self.location.href)).map((u) => new URL(u, self.location.href));
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all([
        urls.some((u) => u.origin === self.location.origin && u.pathname === PAGE) ? keepPage(cache) : null,
        ...urls.filter(isAsset).map(async (u) => (await cache.match(u.href)) ?? cache.add(u.href).catch(() => null)),
      ]),
    ),
  );
});

async function keepPage(cache) {
  const response = await fetch(PAGE, { credentials: "same-origin", redirect: "manual" }).catch(() => null);
  if (response) await rememberPage(cache, response);
}

/** Keeps the page as the server last sent it; a logged-out answer (a redirect to the login) forgets it. */
async function rememberPage(cache, response) {
  if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) await cache.delete(PAGE);
  else if (response.ok && response.headers.get("Content-Type")?.startsWith("text/html")) await cache.put(PAGE, response);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (request.mode === "navigate" && url.origin === self.location.origin && url.pathname === PAGE) event.respondWith(pageFromNetworkFirst(request, url));
  else if (isAsset(url)) event.respondWith(assetFromCacheFirst(request));
});

async function pageFromNetworkFirst(request, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // A search's page (?q=) is not the one to open offline: the page itself is.
    if (url.search === "") await rememberPage(cache, response.clone());
    return response;
  } catch {
    return (await cache.match(PAGE)) ?? Response.error();
  }
}

async function assetFromCacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
