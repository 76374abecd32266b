/* Học Số service worker: the app shell up front, each lesson once it has been opened.
   Only pages that name nobody are kept: a page the server marks personal (someone signed
   in, or a guest's progress) is kept as the copy a visitor without cookies gets. Signing
   out forgets every kept page. */
"use strict";
const CACHE = "hocso-{{ version }}";
const OFFLINE_URL = "{{ url_for('web.offline') }}";
// The certificate check page verifies a QR code's signature offline, in the browser.
const VERIFY_URL = "{{ url_for('certificates.verify_form') }}";
const SHELL = {{ ([url_for('web.offline'), url_for('certificates.verify_form')] + shell) | tojson }};
const KEEP = /^\/($|courses\/[^/]+(\/modules\/[^/]+\/lessons\/[^/]+)?\/?$)/;
const SIGN_OUT = {{ sign_out | tojson }};
const PERSONAL = "X-Personal-Page";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("hocso-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

function keep(path, response) {
  if (!response.ok || response.headers.has(PERSONAL)) return Promise.resolve();
  return caches.open(CACHE).then((cache) => cache.put(path, response));
}

// The page as a visitor without cookies sees it: nobody's name, progress or account.
function keepAnonymousCopy(path) {
  return fetch(path, { credentials: "omit" }).then((response) => keep(path, response)).catch(() => undefined);
}

function pageFromNetwork(request) {
  const path = new URL(request.url).pathname;
  return fetch(request).then((response) => {
    if (KEEP.test(path)) {
      if (response.headers.has(PERSONAL)) keepAnonymousCopy(path);
      else keep(path, response.clone());
    }
    return response;
  }).catch(() => caches.match(path)
    .then((page) => page || (path.startsWith(VERIFY_URL + "/") ? caches.match(VERIFY_URL) : undefined))
    .then((page) => page || caches.match(OFFLINE_URL)));
}

function assetFromCache(request) {
  return caches.match(request).then((hit) => hit || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  }));
}

// A page opened before the worker took control asks to be kept for reading offline.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep" || typeof data.path !== "string" || !KEEP.test(data.path)) return;
  event.waitUntil(keepAnonymousCopy(data.path));
});

// Every kept page goes, the shell stays (the server also sends Clear-Site-Data: "cache").
function forgetPages() {
  const shell = new Set(SHELL.map((path) => new URL(path, self.location.origin).href));
  return caches.keys().then((keys) => Promise.all(keys.filter((key) => key.startsWith("hocso-")).map((key) =>
    caches.open(key).then((cache) => cache.keys().then((requests) => Promise.all(
      requests.filter((kept) => !shell.has(kept.url)).map((kept) => cache.delete(kept))
    )))
  )));
}

function signOut(request) {
  return fetch(request).then((response) => forgetPages().then(() => response, () => response));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && SIGN_OUT.includes(url.pathname)) {
    event.respondWith(signOut(request));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(assetFromCache(request));
  }
});
