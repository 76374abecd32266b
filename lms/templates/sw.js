/* Học Số service worker: the app shell up front, each lesson once it has been opened. */
"use strict";
const CACHE = "hocso-{{ version }}";
const OFFLINE_URL = "{{ url_for('web.offline') }}";
// The certificate check page verifies a QR code's signature offline, in the browser.
const VERIFY_URL = "{{ url_for('certificates.verify_form') }}";
const SHELL = {{ ([url_for('web.offline'), url_for('certificates.verify_form')] + shell) | tojson }};
const KEEP = /^\/($|courses\/[^/]+(\/modules\/[^/]+\/lessons\/[^/]+)?\/?$)/;

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

function pageFromNetwork(request) {
  const path = new URL(request.url).pathname;
  return fetch(request).then((response) => {
    if (response.ok && KEEP.test(path)) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(path, copy));
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
  event.waitUntil(
    fetch(data.path, { credentials: "same-origin" })
      .then((response) => response.ok && caches.open(CACHE).then((cache) => cache.put(data.path, response)))
      .catch(() => undefined)
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(assetFromCache(request));
  }
});
