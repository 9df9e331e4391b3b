// Inclusie's service worker (ADR 0030), hand-written to stay short and readable. It keeps the
// static files, and a page only when the server marked it as one to keep (the visit form, the
// start page, a household the person opened): a page is kept when it is fetched over the
// network, which the server logs; reading it back offline is not logged. Lists are never kept.
// A kept page is shown no longer than a session can last: after that it is dropped.
// Signing out clears what it kept (static/js/inclusie.js).
const CONFIG = {{ config|safe }};
const STATIC_CACHE = `inclusie-static-${CONFIG.version}`;
const PAGES_CACHE = "inclusie-pages";
// A page that is no longer shown to this person is dropped from the device.
const GONE = [401, 403, 404, 410];
const KEPT_AT = "Inclusie-Kept-At";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      .then((cache) => cache.addAll(CONFIG.assets))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("inclusie-static-") && name !== STATIC_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function offlinePage() {
  const text = CONFIG.offline;
  const escape = (value) => value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(text.title)} · Inclusie</title>
<link rel="stylesheet" href="${text.bootstrap}"><link rel="stylesheet" href="${text.css}">
</head><body><main class="container py-4"><h1 class="h3">${escape(text.title)}</h1>
<p>${escape(text.text)}</p><p><a href="/">${escape(text.start)}</a></p></main></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function page(event) {
  const { request } = event;
  const url = request.url.split("#")[0];
  return fetch(request)
    .then((response) => {
      if (response.ok && !response.redirected && response.headers.get(CONFIG.header) === "keep") {
        event.waitUntil(keep(url, response.clone()));
      } else if (GONE.includes(response.status)) {
        event.waitUntil(caches.open(PAGES_CACHE).then((cache) => cache.delete(url)));
      }
      return response;
    })
    .catch(() => caches.open(PAGES_CACHE).then((cache) => cache.match(url).then((kept) => {
      if (kept && Date.now() - Number(kept.headers.get(KEPT_AT)) <= CONFIG.maxAge * 1000) return kept;
      if (kept) cache.delete(url);
      return offlinePage();
    })));
}

// A page is kept with when it was fetched, to know its age when it is read offline.
function keep(url, response) {
  return response.blob().then((body) => {
    const headers = new Headers(response.headers);
    headers.set(KEPT_AT, String(Date.now()));
    const copy = new Response(body, { status: response.status, statusText: response.statusText, headers });
    return caches.open(PAGES_CACHE).then((cache) => cache.put(url, copy));
  });
}

// Static files: from the device when kept; otherwise fetched and kept (signing out empties
// every cache, so they are kept again as they are used).
function asset(event) {
  return caches.match(event.request).then((kept) => kept || fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.put(event.request, copy)));
    }
    return response;
  }));
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(asset(event));
  }
});
