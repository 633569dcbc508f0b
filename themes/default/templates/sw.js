{#
  The service worker, rendered by the build into /sw.js (generator/offline.py; docs/academy.md,
  "Offline"). Jinja comments like this one are not published.

  Caches, all named "taawun-…":
  - <version>-offline: the offline page of each language and the files it loads (at install);
  - <version>-pages: the pages visited, the last KEEP_PAGES;
  - <version>-files: the theme's files, fingerprinted, as pages load them;
  - <version>-media: images, the last KEEP_MEDIA;
  - course-1:<lang>:<course>: what "Download this course" stored (offline.js). Not named by build:
    a new build must not throw away what a learner paid to download; offline.js compares the
    course's manifest with what is stored and offers to download only what changed.
  The version changes with every theme file and precached page: the new worker deletes the
  caches of older versions when it takes over.

  Pages (navigations): the network first, then a stored copy, then the offline page of the
  page's language. Fingerprinted files (/static/, /media/_v/): a stored copy first, they never
  change. Audio and video: a downloaded course's copy first (it saves the learner's data), with
  byte ranges for seeking. Other images: the network first, then a stored copy.
#}
"use strict";
const VERSION = {{ version | tojson }};
const OFFLINE = {{ offline_pages | tojson }};
const FALLBACK = {{ default_offline | tojson }};
const PRECACHE = {{ precache | tojson }};
const NAME = "taawun-" + VERSION + "-";
const OWN = ["offline", "pages", "files", "media"].map((part) => NAME + part);
const [OFFLINE_CACHE, PAGES, FILES, MEDIA] = OWN;
const COURSES = "taawun-course-1:";
const KEEP_PAGES = 50;
const KEEP_MEDIA = 150;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(OFFLINE_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names
          .filter((n) => n.startsWith("taawun-") && !n.startsWith(COURSES) && !OWN.includes(n))
          .map((n) => caches.delete(n))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/media/_v/")) {
    event.respondWith(fixed(event, url));
  } else if (["audio", "video", "track"].includes(request.destination)) {
    event.respondWith(caches.match(request).then((hit) => (hit ? part(request, hit) : fetch(request))));
  } else if (request.destination === "image") {
    event.respondWith(fresh(event, MEDIA, KEEP_MEDIA));
  }
});

async function page(event, url) {
  try {
    const response = await fetch(event.request);
    const html = (response.headers.get("Content-Type") || "").startsWith("text/html");
    if (response.status === 200 && html && !response.redirected && !url.search) {
      event.waitUntil(keep(PAGES, url.href, response.clone(), KEEP_PAGES));
    }
    return response;
  } catch (error) {
    const visited = await (await caches.open(PAGES)).match(url.href);
    return visited
      || (await caches.match(event.request, { ignoreSearch: true }))
      || (await caches.match(OFFLINE[url.pathname.split("/")[1]] || FALLBACK))
      || Response.error();
  }
}

async function fixed(event, url) {
  const hit = await caches.match(event.request);
  if (hit) return hit;
  try {
    const response = await fetch(event.request);
    if (response.status === 200) {
      const media = url.pathname.startsWith("/media/");
      event.waitUntil(keep(media ? MEDIA : FILES, url.href, response.clone(), media ? KEEP_MEDIA : 0));
    }
    return response;
  } catch (error) {
    return (await sibling(url)) || Response.error();
  }
}

async function fresh(event, name, limit) {
  try {
    const response = await fetch(event.request);
    if (response.status === 200) event.waitUntil(keep(name, event.request.url, response.clone(), limit));
    return response;
  } catch (error) {
    return (await caches.match(event.request)) || Response.error();
  }
}

{# A course stores one small variant of each image; offline, a page asking for another width of
    the same image (another phone, another layout) gets the stored one. #}
async function sibling(url) {
  const stem = url.pathname.match(/^\/media\/_v\/.+-(?=\d+\.\w+$)/);
  if (!stem) return undefined;
  for (const name of await caches.keys()) {
    if (!name.startsWith("taawun-")) continue;
    const cache = await caches.open(name);
    for (const key of await cache.keys()) {
      if (new URL(key.url).pathname.startsWith(stem[0])) return cache.match(key);
    }
  }
  return undefined;
}

{# Media elements ask for byte ranges (to seek); a stored file is answered with the part asked. #}
async function part(request, response) {
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("Range") || "");
  if (!range) return response;
  const body = await response.blob();
  const start = Number(range[1]);
  const end = range[2] ? Math.min(Number(range[2]), body.size - 1) : body.size - 1;
  if (start > end) {
    return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + body.size } });
  }
  return new Response(body.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": response.headers.get("Content-Type") || "",
      "Content-Range": "bytes " + start + "-" + end + "/" + body.size,
    },
  });
}

{# Store a copy, then forget the oldest beyond ``limit`` (0: no limit). A full disk only means
    that this copy is not kept. #}
async function keep(name, key, response, limit) {
  try {
    const cache = await caches.open(name);
    await cache.put(key, response);
    if (!limit) return;
    const keys = await cache.keys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - limit)).map((k) => cache.delete(k)));
  } catch (error) {
    return;
  }
}
