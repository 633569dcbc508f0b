// The academy in the browser: quizzes checked in the page with feedback per option, progress
// without an account, "continue where you left off", and the completion attestation.
// Storage (docs/academy.md): taawun:v1:progress:<course>@<version>:<lesson> →
// {done, score, at, hash, answers}; taawun:v1:last:<course>@<version> → {lesson, at};
// taawun:v1:learner → the name typed for the attestation. Everything is read from the page
// (the right answers are in its <details>, which work without this script) and inserted as text.
(() => {
  "use strict";
  const doc = document;
  const root = doc.querySelector("[data-course]");
  if (!root) return;
  const lang = doc.documentElement.lang || "fr";
  const data = doc.getElementById("academy-text");
  const T = data ? JSON.parse(data.textContent) : {};
  const fill = (key, values) =>
    (T[key] || "").replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const all = (scope, sel) => [...scope.querySelectorAll(sel)];
  const pct = (n) => new Intl.NumberFormat(lang + "-MA", { style: "percent" }).format(n / 100);
  const day = (iso) => new Intl.DateTimeFormat(lang + "-MA", { dateStyle: "long" }).format(new Date(iso));
  const base = root.dataset.course + "@" + root.dataset.version;
  const PREFIX = "taawun:v1:";
  const key = (lesson) => PREFIX + "progress:" + base + ":" + lesson;
  const load = (k) => {
    try { return JSON.parse(localStorage.getItem(k) || "null"); } catch (e) { return null; }
  };
  const save = (k, v) => {
    try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* storage full or off */ }
  };
  const el = (tag, cls, ...children) => {
    const node = doc.createElement(tag);
    if (cls) node.className = cls;
    node.append(...children.filter((c) => c !== null));
    return node;
  };

  // -- a question: read its right answer from the page, check, show feedback per option -------
  function question(fs) {
    const type = fs.dataset.type;
    const order = type === "order";
    const list = fs.querySelector(order ? ".order-options" : ".options");
    const answers = all(fs, "details.answer li[data-o]");
    const right = answers.filter((li) => li.classList.contains("right")).map((li) => li.dataset.o);
    const sequence = answers.map((li) => li.dataset.o);
    const verdict = fs.querySelector("[data-verdict]");
    const items = () => all(list, ":scope > li");
    const chosen = () => order ? items().map((li) => li.dataset.o)
      : all(list, "input:checked").map((input) => input.value);
    const feedback = (id) => {
      const found = fs.querySelector(`details.answer li[data-o="${id}"] .fb`);
      return found ? found.cloneNode(true) : null;
    };
    const clear = () => {
      all(list, ".note").forEach((n) => n.remove());
      items().forEach((li) => { li.className = ""; });
      verdict.textContent = "";
    };
    const set = (ids) => {
      if (order) {
        if (ids.slice().sort().join() !== sequence.slice().sort().join()) return false;
        ids.forEach((id) => list.append(list.querySelector(`li[data-o="${id}"]`)));
        edges();
      } else {
        const inputs = all(list, "input");
        if (!ids.every((id) => inputs.some((input) => input.value === id))) return false;
        inputs.forEach((input) => { input.checked = ids.includes(input.value); });
      }
      return true;
    };
    const ok = (ids) => order ? ids.join() === sequence.join()
      : ids.slice().sort().join() === right.slice().sort().join();
    const show = (ids) => {
      clear();
      let placed = 0;
      items().forEach((li, i) => {
        const id = li.dataset.o;
        let state = "";
        let word = "";
        if (order) {
          const fits = sequence[i] === id;
          placed += fits ? 1 : 0;
          state = fits ? "is-right" : "is-wrong";
          word = T[fits ? "place_ok" : "place_wrong"];
        } else if (ids.includes(id)) {
          state = right.includes(id) ? "is-right" : "is-wrong";
          word = T[right.includes(id) ? "picked_right" : "picked_wrong"];
        } else if (type === "multi" && right.includes(id)) {
          state = "is-missed";
          word = T.missed;
        }
        if (!state) return;
        li.className = state;
        const fb = order ? null : feedback(id);
        li.append(el("p", "note", el("strong", "", word), fb ? " " : "", fb));
      });
      const good = ok(ids);
      verdict.textContent = order && !good ? fill("order_wrong", { n: placed, total: sequence.length })
        : T[good ? (order ? "order_right" : "right") : "wrong"];
      verdict.className = "verdict " + (good ? "is-right" : "is-wrong");
      return good;
    };
    // Ordering: move buttons (keyboard and screen reader friendly), never drag and drop only.
    const edges = () => items().forEach((li, i, lis) => {
      const [up, down] = all(li, "[data-move]");
      up.setAttribute("aria-disabled", String(i === 0));
      down.setAttribute("aria-disabled", String(i === lis.length - 1));
    });
    if (order) {
      all(list, ".moves").forEach((m) => { m.hidden = false; });
      edges();
      list.addEventListener("click", (event) => {
        const button = event.target.closest("[data-move]");
        if (!button || button.getAttribute("aria-disabled") === "true") return;
        const li = button.closest("li");
        const up = button.dataset.move === "-1";
        const other = up ? li.previousElementSibling : li.nextElementSibling;
        list.insertBefore(up ? li : other, up ? other : li);
        button.focus();
        clear();
        edges();
        const n = items().indexOf(li) + 1;
        verdict.textContent = fill("moved", { item: li.querySelector(".item").textContent, n, total: sequence.length });
      });
    } else {
      list.addEventListener("change", clear);
    }
    const button = fs.querySelector("[data-check]");
    button.parentElement.hidden = false;
    return { id: fs.dataset.q, chosen, set, show, ok, button, verdict };
  }

  // -- a lesson page -----------------------------------------------------------------------------
  function lessonPage(article) {
    const id = article.dataset.lesson;
    const hash = article.dataset.hash;
    const status = article.querySelector("[data-status]");
    const scoreLine = article.querySelector("[data-score]");
    const doneButton = article.querySelector("[data-done]");
    const stored = load(key(id));
    const record = stored && typeof stored === "object" ? stored : { done: false, answers: {} };
    record.answers = record.answers || {};
    save(PREFIX + "last:" + base, { lesson: id, at: new Date().toISOString() });
    const questions = all(article, "fieldset.question").map(question);
    const checked = {};

    const showStatus = () => {
      status.textContent = !record.done ? ""
        : record.hash !== hash ? fill("updated", { date: day(record.at) })
        : fill(record.score === null || record.score === undefined ? "done" : "done_score",
          { date: day(record.at), pct: pct(record.score) });
      status.className = "lesson-status" + (record.done ? (record.hash === hash ? " is-done" : " is-updated") : "");
      if (doneButton) doneButton.parentElement.hidden = record.done && record.hash === hash;
    };
    const finish = (score) => {
      Object.assign(record, { done: true, score, at: new Date().toISOString(), hash });
      save(key(id), record);
      showStatus();
    };
    const tally = () => {
      const right = questions.filter((q) => checked[q.id]).length;
      scoreLine.textContent = fill("score", { right, total: questions.length, pct: pct(Math.round(100 * right / questions.length)) });
    };
    questions.forEach((q) => {
      q.button.addEventListener("click", () => {
        const ids = q.chosen();
        if (!ids.length) { q.verdict.textContent = T.choose; return; }
        checked[q.id] = q.show(ids);
        record.answers[q.id] = ids;
        if (questions.every((other) => other.id in checked)) {
          tally();
          finish(Math.round(100 * questions.filter((o) => checked[o.id]).length / questions.length));
        } else {
          save(key(id), record);
        }
      });
      // The learner's own answers, shown again with their feedback when they come back.
      const ids = record.answers[q.id];
      if (Array.isArray(ids) && ids.length && q.set(ids)) checked[q.id] = q.show(ids);
    });
    if (questions.length && questions.every((q) => q.id in checked)) tally();
    if (doneButton) doneButton.addEventListener("click", () => finish(null));
    showStatus();
  }

  // -- progress over a course: the outline, "continue", and what the attestation needs ----------
  function progress(items) {
    let weighted = 0;
    let questions = 0;
    const rows = items.map((li) => {
      const record = load(key(li.dataset.lesson)) || {};
      const n = Number(li.dataset.questions);
      const done = record.done === true;
      questions += n;
      weighted += done && n ? (Number(record.score) || 0) * n : 0;
      const state = li.querySelector("[data-state]");
      const fresh = record.hash === li.dataset.hash;
      state.textContent = !done ? T.state_todo
        : fresh ? T.state_done + (n ? " · " + pct(record.score) : "") : T.state_updated;
      state.className = "lesson-state " + (!done ? "is-todo" : fresh ? "is-done" : "is-updated");
      state.hidden = false;
      return { li, done, at: record.at };
    });
    const done = rows.filter((r) => r.done);
    return {
      rows,
      done: done.length,
      score: questions ? Math.round(weighted / questions) : null,
      last: done.map((r) => r.at).sort().pop(),
    };
  }

  function coursePage(article) {
    const items = all(article, "li[data-lesson]");
    const state = progress(items);
    const last = load(PREFIX + "last:" + base);
    if (!state.done && !last) {
      items.forEach((li) => { li.querySelector("[data-state]").hidden = true; });
      return;
    }
    const box = article.querySelector("[data-progress]");
    const pass = Number(article.dataset.pass);
    box.querySelector("[data-progress-text]").textContent = fill("progress", { done: state.done, total: items.length }) +
      (state.score === null ? "" : " " + fill("course_score", { pct: pct(state.score), pass: pct(pass) }));
    box.hidden = false;
    // Continue: the last lesson opened, or the first one after it not yet done.
    const at = Math.max(0, items.findIndex((li) => last && li.dataset.lesson === last.lesson));
    const order = [...state.rows.slice(at), ...state.rows.slice(0, at)];
    const next = order[0].done ? order.find((r) => !r.done) || order[0] : order[0];
    const link = article.querySelector("[data-continue]");
    if (link) {
      const target = next.li.querySelector("a");
      link.href = target.getAttribute("href");
      link.querySelector("[data-title]").textContent = target.textContent;
      link.hidden = false;
      article.querySelector("[data-start]").hidden = true;
    }
  }

  // -- the attestation ---------------------------------------------------------------------------
  const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

  // SHA-256 for pages served over plain http (crypto.subtle exists only in secure contexts).
  function sha256(bytes) {
    const K = [];
    let H = [];
    for (let n = 2, c = 0; c < 64; n++) {
      let prime = true;
      for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break; }
      if (!prime) continue;
      if (c < 8) H[c] = ((Math.pow(n, 1 / 2) % 1) * 4294967296) | 0;
      K[c++] = ((Math.pow(n, 1 / 3) % 1) * 4294967296) | 0;
    }
    const words = new Array(((bytes.length + 9 + 63) >> 6) << 4).fill(0);
    bytes.forEach((b, i) => { words[i >> 2] |= b << (24 - (i % 4) * 8); });
    words[bytes.length >> 2] |= 0x80 << (24 - (bytes.length % 4) * 8);
    words[words.length - 1] = bytes.length * 8;
    const rot = (x, r) => (x >>> r) | (x << (32 - r));
    const W = [];
    for (let j = 0; j < words.length; j += 16) {
      let [a, b, c, d, e, f, g, h] = H;
      for (let i = 0; i < 64; i++) {
        if (i < 16) W[i] = words[j + i];
        else {
          const x = W[i - 15];
          const y = W[i - 2];
          W[i] = (W[i - 16] + (rot(x, 7) ^ rot(x, 18) ^ (x >>> 3)) + W[i - 7] + (rot(y, 17) ^ rot(y, 19) ^ (y >>> 10))) | 0;
        }
        const t1 = (h + (rot(e, 6) ^ rot(e, 11) ^ rot(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
        const t2 = ((rot(a, 2) ^ rot(a, 13) ^ rot(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        [h, g, f, e, d, c, b, a] = [g, f, e, (d + t1) | 0, c, b, a, (t1 + t2) | 0];
      }
      H = [a, b, c, d, e, f, g, h].map((v, i) => (v + H[i]) | 0);
    }
    return H.map((v) => (v >>> 0).toString(16).padStart(8, "0")).join("");
  }

  // The verification code: the first 10 hex digits of SHA-256 over one canonical line
  // (docs/academy.md), so anyone can recompute it from what the sheet says.
  async function code(name, date, score) {
    const line = ["taawun-attestation", "v1", root.dataset.course, root.dataset.version, name, date,
      score === null ? "" : String(score)].join("|");
    const bytes = new TextEncoder().encode(line);
    const digest = window.isSecureContext && window.crypto && crypto.subtle
      ? hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))) : sha256(bytes);
    const short = digest.slice(0, 10).toUpperCase();
    return short.slice(0, 5) + "-" + short.slice(5);
  }
  const cleanName = (name) => name.normalize("NFC").trim().replace(/\s+/g, " ");
  const isoDay = (iso) => {
    const d = new Date(iso);
    const two = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  };

  function attestationPage(page) {
    page.querySelector(".needs-js").hidden = true;
    const items = all(page, "li[data-lesson]");
    const state = progress(items);
    const pass = Number(page.dataset.pass);
    const status = page.querySelector("[data-att-status]");
    const form = page.querySelector("[data-att-form]");
    const sheet = page.querySelector("[data-att-sheet]");
    const complete = state.done === items.length;
    const passed = state.score === null || state.score >= pass;
    status.textContent = !complete ? fill("att_missing", { n: items.length - state.done })
      : !passed ? fill("att_low", { pct: pct(state.score), pass: pct(pass) })
      : fill(state.score === null ? "att_ready_all" : "att_ready", { pct: pct(state.score) });
    const make = async (name) => {
      const date = isoDay(state.last);
      const values = {
        name, course: page.dataset.title, version: root.dataset.version, date: day(state.last),
        score: state.score === null ? "" : pct(state.score), pass: pct(pass),
      };
      const text = page.querySelector("[data-att-text]");
      text.textContent = "";
      // The name stands out; every part is inserted as text.
      (T[state.score === null ? "att_body_all" : "att_body"] || "").split(/(\{\w+\})/).forEach((part) => {
        const k = part.slice(1, -1);
        if (part[0] !== "{" || !(k in values)) text.append(part);
        else text.append(k === "name" ? el("strong", "", values[k]) : values[k]);
      });
      page.querySelector("[data-att-date]").textContent = date;
      page.querySelector("[data-att-score]").textContent = state.score === null ? "—" : String(state.score);
      page.querySelector("[data-att-code]").textContent = await code(name, date, state.score);
      sheet.hidden = false;
      page.querySelector("[data-att-actions]").hidden = false;
    };
    if (complete && passed) {
      form.hidden = false;
      const input = form.querySelector("input");
      input.value = load(PREFIX + "learner") || "";
      if (input.value) make(cleanName(input.value));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const name = cleanName(input.value);
        if (!name) return;
        save(PREFIX + "learner", name);
        make(name);
      });
    }
    page.querySelector("[data-print]").addEventListener("click", () => window.print());
    const verify = page.querySelector("[data-att-verify]");
    verify.hidden = false;
    verify.querySelector("form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const f = event.target.elements;
      const score = f.score.value === "" ? null : Number(f.score.value);
      verify.querySelector("[data-verify-code]").textContent = await code(cleanName(f.name.value), f.date.value, score);
    });
  }

  if (root.matches(".lesson")) lessonPage(root);
  else if (root.matches(".course")) coursePage(root);
  else attestationPage(root);
})();
