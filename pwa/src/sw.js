// The service worker: the app shell is precached at install (a new build installs a new
// cache and drops the old one); the catalogue, the provinces and the citizen's own
// applications (and the inbox) are answered from the network when it answers and from the
// cache when it does not; queued submissions are sent by Background Sync where the browser
// has it; push messages become notifications, and a tap on one opens the application.
/* global __SHELL__, __VERSION__, __APP_NAME__ */
import { flush } from "./lib/outbox.js";

const SHELL_CACHE = `shell-${__VERSION__}`;
const DATA_CACHE = "data-v1";
const LAZY_CACHE = "assets-lazy";
const SHELL = __SHELL__;
const CACHED_API = [/^\/api\/v1\/procedures(\/|$|\?)/, /^\/api\/v1\/provinces(\/|$|\?)/, /^\/api\/v1\/applications(\/[0-9a-f-]+)?\/?$/, /^\/api\/v1\/me\/profile$/, /^\/api\/v1\/me\/notifications\/?$/];
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("shell-") && k !== SHELL_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), NETWORK_TIMEOUT_MS)),
    ]);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

async function shellFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && (url.pathname === "/" || url.pathname === "/index.html")) {
    // Always the shell: routes live in the URL's fragment.
    event.respondWith(caches.open(SHELL_CACHE).then((c) => c.match("/")).then((hit) => hit || fetch(request)));
    return;
  }
  if (CACHED_API.some((pattern) => pattern.test(url.pathname + url.search) || pattern.test(url.pathname))) {
    event.respondWith(networkFirst(request));
    return;
  }
  if (SHELL.includes(url.pathname)) event.respondWith(shellFirst(request));
  else if (url.pathname.startsWith("/assets/")) event.respondWith(lazyAsset(request));
});

// Chunks loaded on demand (the officer's app): hashed names, so once cached always right.
async function lazyAsset(request) {
  const cache = await caches.open(LAZY_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(flush(notifyClients));
});

function notifyClients(item) {
  self.clients.matchAll().then((all) => all.forEach((client) => client.postMessage({ type: "outbox", id: item.id, state: item.state })));
}

self.addEventListener("message", (event) => {
  if (event.data?.type !== "sign-out") return;
  // The next person on this phone sees neither the cached data nor the notifications.
  const shown = self.registration.getNotifications().then((all) => all.forEach((n) => n.close()));
  event.waitUntil(Promise.all([caches.delete(DATA_CACHE), shown]));
});

/** The app's screen for a payload's url: /applications/<id> opens #/a/<id> (marked read). */
function screenFor(data) {
  const found = /^\/applications\/([0-9a-f-]{36})$/.exec(data?.url ?? "");
  if (!found) return "/#/notifications";
  return `/#/a/${found[1]}${data.id ? `?n=${encodeURIComponent(data.id)}` : ""}`;
}

function payloadOf(event) {
  try {
    return event.data?.json() ?? {};
  } catch {
    return { body: event.data?.text() ?? "" };
  }
}

self.addEventListener("push", (event) => {
  const data = payloadOf(event);
  // The notification id is the tag: a message the push service delivers twice is shown once,
  // and replacing it does not ring again.
  const shown = self.registration.showNotification(data.title || __APP_NAME__, {
    body: data.body || "",
    tag: data.id || data.receipt_code || "motcua",
    renotify: false,
    icon: SHELL.find((url) => url.includes("/icon-192-")),
    badge: SHELL.find((url) => url.includes("/icon-maskable-192-")),
    data: { url: screenFor(data), id: data.id ?? null },
  });
  const told = self.clients.matchAll({ type: "window" }).then((all) => all.forEach((c) => c.postMessage({ type: "push", id: data.id })));
  event.waitUntil(Promise.all([shown, told]));
});

async function openScreen(url) {
  const target = new URL(url, self.location.origin);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === target.origin);
  if (!open) return self.clients.openWindow(target.href);
  // The app routes in the fragment: the open window changes screen without reloading.
  open.postMessage({ type: "open", hash: target.hash });
  return open.focus().catch(() => open);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openScreen(event.notification.data?.url ?? "/#/notifications"));
});
