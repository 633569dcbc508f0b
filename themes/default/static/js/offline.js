// Offline use of the academy (docs/academy.md, "Offline"). On a course page, "Download this
// course" stores every file of the course's manifest (offline.json: its pages, their audio and
// downloads, the CSS and JS they load) in a cache of its own, after showing the size, with the
// progress while it downloads; the service worker (/sw.js) serves them without a connection. On
// the offline page, the courses downloaded and the pages visited recently, read from the caches.
// Text comes from the page (a JSON data block) and is inserted as text, never as HTML.
(() => {
  "use strict";
  const doc = document;
  const data = doc.getElementById("offline-text");
  if (!data || !("serviceWorker" in navigator) || !window.caches) return;
  const T = JSON.parse(data.textContent);
  const lang = doc.documentElement.lang;
  const PREFIX = "taawun-course-1:"; // + lang + ":" + course (sw.js keeps these across builds)
  const STORED = "?stored"; // the manifest a course was stored from: its URL + this
  const HASH = "X-Taawun-Hash"; // each stored file carries its hash from the manifest
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const absolute = (url) => new URL(url, location.href).href;
  const count = new Intl.NumberFormat(lang + "-MA");

  // A string with a language's name in it ("Download in {lang} too"), as nodes: the name in its
  // own language, isolated so an Arabic name does not reorder a French sentence, or the reverse.
  function named(text, code, name, values) {
    const [before, after] = fill(text, values || {}).split("{lang}");
    const span = doc.createElement("span");
    span.lang = code;
    span.dir = "auto";
    span.textContent = name;
    return [before, span, after || ""];
  }

  function size(bytes) {
    const mega = bytes >= 1e6;
    return new Intl.NumberFormat(lang + "-MA", {
      style: "unit",
      unit: mega ? "megabyte" : "kilobyte",
      unitDisplay: T.unit_display,
      maximumFractionDigits: mega ? 1 : 0,
    }).format(Math.max(1, bytes / (mega ? 1e6 : 1e3)));
  }

  async function getJSON(url) {
    try {
      const response = await fetch(url, { cache: "no-cache" });
      return response.ok ? await response.json() : null;
    } catch (e) {
      return null; // offline
    }
  }

  // The stored manifest of a course's cache, or null (a first download that did not finish).
  async function storedManifest(cache) {
    for (const key of await cache.keys()) {
      if (key.url.endsWith(STORED)) return (await cache.match(key)).json();
    }
    return null;
  }

  // What is stored of a course in one language, against its current manifest (null offline):
  // the files to get (missing, or stored with another hash) and the manifest it was stored from.
  async function inspect(url, manifest, name) {
    const info = { url, manifest, name, todo: manifest ? manifest.files : [], stored: null };
    if (!(await caches.has(name))) return info;
    const cache = await caches.open(name);
    info.stored = await storedManifest(cache);
    info.started = true;
    if (manifest) {
      info.todo = [];
      for (const file of manifest.files) {
        const hit = await cache.match(absolute(file[0]));
        if (!hit || hit.headers.get(HASH) !== file[2]) info.todo.push(file);
      }
    }
    return info;
  }

  // What files cost over the network (file[3]: text compressed); file[1] is what they take stored.
  const bytesOf = (files) => files.reduce((sum, file) => sum + file[3], 0);

  async function download(info, progress) {
    const cache = await caches.open(info.name);
    const todo = info.todo.slice();
    const total = bytesOf(todo);
    let files = 0;
    let bytes = 0;
    let failure = null;
    progress(0, todo.length, 0, total);
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    const worker = async () => {
      while (todo.length && !failure) {
        const file = todo.shift();
        try {
          const response = await fetch(file[0], { cache: "no-cache" });
          if (!response.ok) throw new Error(String(response.status));
          const headers = new Headers(response.headers);
          headers.set(HASH, file[2]);
          await cache.put(absolute(file[0]), new Response(await response.blob(), { headers }));
        } catch (e) {
          failure = failure || e;
          return;
        }
        files += 1;
        bytes += file[3];
        progress(files, info.todo.length, bytes, total);
      }
    };
    await Promise.all([worker(), worker(), worker()]); // a few at a time: phones, slow links
    if (failure) throw failure;
    // Files the course no longer has, then the manifest: a course is complete once it is there.
    const wanted = new Set(info.manifest.files.map((file) => absolute(file[0])));
    for (const key of await cache.keys()) {
      if (!wanted.has(key.url)) await cache.delete(key);
    }
    const body = JSON.stringify(info.manifest);
    const type = { "Content-Type": "application/json" };
    await cache.put(absolute(info.url) + STORED, new Response(body, { headers: type }));
  }

  // -- the course page: one row per language the course can be downloaded in ----------------------

  function row(section, code, name) {
    const item = section.querySelector("template[data-row]").content.firstElementChild.cloneNode(true);
    const label = item.querySelector("[data-name]");
    label.textContent = name;
    label.lang = code;
    label.dir = "auto"; // an Arabic name in a French sentence, or the reverse: isolated
    label.id = "offline-" + code;
    const state = item.querySelector("[data-state]");
    state.id = "offline-state-" + code;
    state.tabIndex = -1; // takes the focus when the button that had it goes away
    item.querySelector("progress").setAttribute("aria-labelledby", label.id + " " + state.id);
    item.querySelector("[data-remove]").setAttribute("aria-describedby", label.id);
    item.querySelector("[data-get]").setAttribute("aria-describedby", state.id);
    section.querySelector("[data-rows]").append(item);
    return item;
  }

  function show(item, code, info, message) {
    const state = item.querySelector("[data-state]");
    const get = item.querySelector("[data-get]");
    const remove = item.querySelector("[data-remove]");
    const manifest = info.manifest;
    const left = size(bytesOf(info.todo));
    get.hidden = !manifest;
    remove.hidden = !info.started;
    remove.textContent = T.remove;
    if (!info.started) {
      state.textContent = manifest ? fill(T.new, { size: left }) : T.connect;
      if (code === lang) {
        get.textContent = T.download;
      } else {
        const name = manifest.languages.find((l) => l[0] === code)[1];
        get.replaceChildren(...named(T.download_in, code, name));
      }
    } else if (!info.stored) {
      state.textContent = manifest ? fill(T.partial, { size: left }) : T.connect;
      get.textContent = T.resume;
    } else if (manifest && info.todo.length) {
      state.textContent = fill(T.changed, { size: left });
      get.textContent = T.update;
    } else {
      state.textContent = fill(T.ready, { size: size((manifest || info.stored).bytes) });
      get.hidden = true;
    }
    if (message) state.textContent = message + " " + state.textContent;
  }

  async function course(section) {
    const courseId = section.dataset.offlineCourse;
    const own = await getJSON(section.dataset.manifest);
    let languages = own ? own.languages : [];
    if (!own) { // offline: what is stored of this course, in any language
      for (const name of await caches.keys()) {
        const [code, id] = name.slice(PREFIX.length).split(":");
        if (name.startsWith(PREFIX) && id === courseId) languages.push([code, "", ""]);
      }
    }
    languages = languages.slice().sort((a, b) => (a[0] === lang ? -1 : b[0] === lang ? 1 : 0));
    section.hidden = false;
    if (!languages.length) {
      const note = doc.createElement("p");
      note.textContent = T.connect;
      section.querySelector("[data-rows]").before(note);
    }
    for (const [code, , url] of languages) {
      let manifest = code === lang ? own : url ? await getJSON(url) : null;
      const name = PREFIX + code + ":" + courseId;
      let info = await inspect(url, manifest, name);
      if (info.stored && manifest && !info.todo.length && info.stored.version !== manifest.version) {
        await download(info, () => {}); // only files to forget: nothing to download
        info = await inspect(url, manifest, name);
      }
      const stored = info.stored || manifest;
      if (!stored) continue;
      const item = row(section, code, stored.languages.find((l) => l[0] === code)[1]);
      show(item, code, info);
      const refresh = async (message) => {
        show(item, code, await inspect(url, manifest, name), message);
      };
      const get = item.querySelector("[data-get]");
      const bar = item.querySelector("progress");
      get.addEventListener("click", async () => {
        manifest = (await getJSON(url)) || manifest; // the site may have changed since
        const current = await inspect(url, manifest, name);
        get.disabled = true;
        bar.hidden = false;
        const state = item.querySelector("[data-state]");
        let message = "";
        try {
          await download(current, (n, total, done, all) => {
            bar.max = Math.max(1, all);
            bar.value = done;
            state.textContent = fill(T.progress, {
              n: count.format(n), total: count.format(total), done: size(done), size: size(all),
            });
          });
        } catch (e) {
          message = e && e.name === "QuotaExceededError" ? T.full : T.failed;
        }
        get.disabled = false;
        bar.hidden = true;
        await refresh(message);
      });
      item.querySelector("[data-remove]").addEventListener("click", async () => {
        await caches.delete(name);
        await refresh(T.removed);
        (get.hidden ? item.querySelector("[data-state]") : get).focus();
      });
    }
  }

  // -- the offline page: what opens without a connection --------------------------------------------

  function link(href, text, code) {
    const a = doc.createElement("a");
    a.href = href;
    a.textContent = text;
    if (code) a.lang = code;
    a.dir = "auto";
    const li = doc.createElement("li");
    li.append(a);
    return li;
  }

  async function offlinePage(page) {
    const names = await caches.keys();
    const courses = page.querySelector("[data-courses]");
    const list = courses.querySelector("[data-list]");
    for (const name of names.filter((n) => n.startsWith(PREFIX))) {
      const m = await storedManifest(await caches.open(name));
      if (!m) continue;
      const item = link(m.page, m.title, m.lang);
      const language = m.languages.find((l) => l[0] === m.lang)[1];
      const values = { n: count.format(m.lessons), size: size(m.bytes) };
      item.append(" · ", ...named(T.course_line, m.lang, language, values));
      list.append(item);
    }
    courses.querySelector("[data-empty]").hidden = list.children.length > 0;
    courses.hidden = false;
    // Pages visited, most recent first, in this page's language, titled by their heading.
    const visited = page.querySelector("[data-visited]");
    const pages = visited.querySelector("[data-list]");
    const parser = new DOMParser();
    for (const name of names.filter((n) => /^taawun-.+-pages$/.test(n))) {
      const cache = await caches.open(name);
      for (const key of (await cache.keys()).reverse()) {
        const path = new URL(key.url).pathname;
        if (!path.startsWith("/" + lang + "/") || path === location.pathname || pages.children.length >= 20) continue;
        const html = parser.parseFromString(await (await cache.match(key)).text(), "text/html");
        const heading = html.querySelector("h1");
        pages.append(link(path, (heading ? heading.textContent : html.title).trim()));
      }
    }
    visited.hidden = pages.children.length === 0;
  }

  navigator.serviceWorker.ready.then(() => {
    doc.querySelectorAll("[data-offline-course]").forEach(course);
    const page = doc.querySelector("[data-offline-page]");
    if (page) offlinePage(page);
  });
})();
