// Taawun's "sell with us" form (sell.html; docs/sell-form.md). One step at a time; the whole
// submission is checked against the JSON Schema embedded in the page (#sell-schema, made by the
// build from the same models the checkout service validates with) by the small validator below,
// which knows JSON Schema keywords, not Taawun's rules. What a seller typed is only ever shown
// with textContent. It posts multipart to <checkout>/api/submissions: `submission` (the JSON),
// one `photo` part per photo, and `website` (the honeypot, empty for people).
(() => {
  "use strict";
  const doc = document;
  const $ = (id) => doc.getElementById(id);
  const form = $("sell");
  if (!form) return;
  // The schema and the messages, fetched once the page is shown (docs/sell-form.md).
  let root = null;
  let text = {};
  const schema = () =>
    root ? Promise.resolve(root)
      : fetch(form.dataset.schema).then((r) => r.json()).then((d) => {
        text = d.text;
        root = d.schema;
        provinces(form.elements["cooperative.province"]);
        return root;
      });
  schema().catch(() => {}); // asked again when needed, if this first try failed
  const lang = doc.documentElement.lang;
  const fill = (key, values) =>
    (text[key] || key).replace(/\{(\w+)\}/g, (m, k) => (values && k in values ? values[k] : m));
  const join = (path, key) => (path ? path + "." + key : String(key));

  function el(tag, attrs, ...children) {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    node.append(...children.filter((c) => c !== undefined && c !== null && c !== ""));
    return node;
  }

  // -- A JSON Schema subset: type, required, properties, additionalProperties, enum, const,
  // pattern, min/maxLength, minimum, maximum, exclusiveMinimum, items, min/maxItems, anyOf,
  // oneOf, allOf, if/then/else, $ref into $defs, format "date". Errors: {path, kw, n}.
  const deref = (s) => {
    while (s && s.$ref) s = root.$defs[s.$ref.split("/").pop()];
    return s || {};
  };
  const typeOf = (v) =>
    v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v;
  const isType = (t, v) => typeOf(v) === t || (t === "number" && typeof v === "number");

  function check(schema, v, path, out) {
    const s = deref(schema);
    const err = (kw, n) => out.push({ path, kw, n });
    const alts = s.anyOf || s.oneOf;
    if (alts) {
      const tries = alts.map((a) => { const e = []; check(a, v, path, e); return e; });
      const passed = tries.filter((e) => !e.length).length;
      if (s.oneOf ? passed !== 1 : !passed) {
        // Report the branch meant for this kind of value; the others only say "wrong type".
        const i = alts.findIndex((a) => !("const" in deref(a)) && isType(deref(a).type, v));
        if (i < 0) err(alts.some((a) => "const" in deref(a)) ? "const" : "type");
        else out.push(...tries[i]);
      }
    }
    for (const a of s.allOf || []) check(a, v, path, out);
    if (s.if) {
      const e = [];
      check(s.if, v, path, e);
      const then = e.length ? s.else : s.then;
      if (then) check(then, v, path, out);
    }
    if ("const" in s && v !== s.const) return err("const");
    if (s.enum && !s.enum.includes(v)) return err("enum");
    if (s.type && !isType(s.type, v)) return err("type");
    if (typeof v === "string") {
      const length = [...v].length;
      if (length < (s.minLength || 0)) err(length ? "minLength" : "required", s.minLength);
      if (length > s.maxLength) err("maxLength", s.maxLength);
      if (s.pattern && !new RegExp(s.pattern, "u").test(v)) err("pattern");
      if (s.format === "date" && !(/^\d{4}-\d\d-\d\d$/.test(v) && Date.parse(v))) err("format");
    } else if (typeof v === "number") {
      if (v < s.minimum) err("minimum", s.minimum);
      if (v > s.maximum) err("maximum", s.maximum);
      if (v <= s.exclusiveMinimum) err("exclusiveMinimum", s.exclusiveMinimum);
    } else if (Array.isArray(v)) {
      if (v.length < s.minItems) err("minItems", s.minItems);
      if (v.length > s.maxItems) err("maxItems", s.maxItems);
      if (s.items) v.forEach((item, i) => check(s.items, item, join(path, i), out));
    } else if (typeOf(v) === "object") {
      const props = s.properties || {};
      for (const key of s.required || []) {
        if (key in v) continue;
        // A missing part is reported field by field, as if it were there and empty.
        if (deref(props[key]).properties) check(props[key], {}, join(path, key), out);
        else out.push({ path: join(path, key), kw: "required" });
      }
      for (const [key, x] of Object.entries(v)) {
        if (key in props) check(props[key], x, join(path, key), out);
        else if (s.additionalProperties === false) out.push({ path: join(path, key), kw: "additionalProperties" });
      }
    }
  }

  // -- The form → the submission's JSON. Each field says how it is read (data-read, set by the
  // build from the schema); fields inside a part not chosen (data-off) are left out.
  const value = (w) => {
    const v = w.querySelector("input, select, textarea").value.trim();
    return v || undefined;
  };
  const checked = (w, name) =>
    [...w.querySelectorAll("input[type=checkbox]")]
      .filter((b) => b.checked && (!name || b.name === name))
      .map((b) => b.value);
  // Digits as Arabic keyboards type them (٠-٩, ۰-۹) and the Arabic decimal sign, read as 0-9 and ".".
  const digits = (v) => v && v.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (c) => c.charCodeAt(0) & 15).replace(/\u066b/g, ".");
  const number = (w, re) => {
    const v = digits(value(w));
    return v === undefined || !re.test(v) ? v : Number(v.replace(",", "."));
  };
  // Moroccan numbers as people write them (06…, 0 6…, +212 6…, 00212…) → E.164, like the cart.
  const phone = (raw) => {
    let d = raw.replace(/[\s.\-()/]/g, "");
    if (d.startsWith("00")) d = "+" + d.slice(2);
    if (/^0[5-7]\d{8}$/.test(d)) d = "+212" + d.slice(1);
    return d.replace(/^\+2120/, "+212");
  };
  const readers = {
    str: value,
    tel: (w) => value(w) && phone(digits(value(w))),
    money: (w) => value(w) && digits(value(w)).replace(/\s/g, "").replace(",", "."),
    int: (w) => number(w, /^-?\d+$/),
    num: (w) => number(w, /^-?\d+(?:[.,]\d+)?$/),
    bool: (w) => w.querySelector("input").checked,
    strs: (w) => { const l = checked(w); return l.length ? l : undefined; },
    ints: (w) => { const l = checked(w); return l.length ? l.map(Number) : undefined; },
    csv: (w) => {
      const l = (value(w) || "").split(/[,،]/).map((s) => s.trim()).filter(Boolean);
      return l.length ? l : undefined;
    },
    zones: (w) =>
      w.querySelector("input[type=radio]:checked").value === "national"
        ? "national" : checked(w, w.id + ".list"),
  };

  function put(data, path, v) {
    const keys = path.split(".");
    let node = data;
    keys.slice(0, -1).forEach((key, i) => {
      if (!(key in node)) node[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      node = node[key];
    });
    node[keys[keys.length - 1]] = v;
  }

  const choice = () => form.elements.choice.value;
  const slots = $("photo-slots");

  function collect() {
    const data = { lang };
    // Every part of the chosen steps exists, so each missing field is named on its own.
    if (choice() === "new") data.cooperative = {};
    else data.cooperative_id = "";
    data.product = {};
    data.photos = [...slots.children].map(() => ({}));
    data.contact = {};
    form.querySelectorAll(".field").forEach((w) => {
      const input = w.querySelector("[name]");
      const path = w.matches("fieldset") ? w.id : input && input.name;
      // Only the submission's own keys: not the choice, the photo files or the honeypot.
      if (!path || input.type === "file" || !(path.split(".")[0] in root.properties)) return;
      if (w.closest("[data-off]")) return;
      const v = readers[w.dataset.read || "str"](w);
      if (v !== undefined) put(data, path, v);
    });
    return data;
  }

  const files = () => [...slots.querySelectorAll("input[type=file]")].map((i) => i.files[0]);
  const types = form.dataset.photoTypes.split(",");
  const megabytes = (bytes) => {
    const big = bytes >= 1048576;
    return new Intl.NumberFormat(lang + "-MA", { style: "unit", unit: big ? "megabyte" : "kilobyte", maximumFractionDigits: big ? 1 : 0 })
      .format(bytes / (big ? 1048576 : 1024));
  };

  // A file's type comes from its name: a PDF renamed .jpg says image/jpeg. Its first bytes say
  // what it is (JPEG, PNG or WebP), so it is refused here rather than by the service.
  const sniffed = new WeakMap();
  const sniff = async (file) => {
    const b = String.fromCharCode(...new Uint8Array(await file.slice(0, 12).arrayBuffer()));
    sniffed.set(file, /^(\xff\xd8\xff|\x89PNG|RIFF[^]{4}WEBP)/.test(b));
  };
  function photoError(file, n) {
    const path = "photos." + n + ".file";
    if (!file) return { path, kw: "photo_missing" };
    if (!types.includes(file.type) || sniffed.get(file) === false) return { path, kw: "photo_type" };
    if (file.size > +form.dataset.photoBytes) return { path, kw: "photo_size", size: megabytes(file.size) };
  }

  function problems() {
    const out = [];
    check(root, collect(), "", out);
    files().forEach((file, n) => { const e = photoError(file, n); if (e) out.push(e); });
    // Consent: the model refuses `false`, which its schema cannot say; the box is `required`.
    form.querySelectorAll("input[type=checkbox][required]").forEach((box) => {
      if (!box.checked) out.push({ path: box.name, kw: "checked" });
    });
    return out;
  }

  // -- Errors, next to their field and in a summary at the top of the step.
  const steps = [...form.querySelectorAll(".step")];
  let at = 0;

  function holder(path) {
    for (let p = path; p; p = p.slice(0, Math.max(0, p.lastIndexOf(".")))) {
      const found = doc.getElementById(p) || form.querySelector(`[name="${p}"]`);
      const w = found && found.closest(".group, .field");
      if (w && !w.closest("[data-off]")) return w;
    }
  }
  const stepOf = (path) => {
    const w = holder(path);
    const first = path.split(".")[0];
    return steps.findIndex((s) => (w ? s.contains(w) : (s.dataset.roots || "").split(" ").includes(first)));
  };

  function message(e, w) {
    if (e.msg) return e.msg;
    const kind = w.dataset.read === "tel" || w.dataset.read === "money" ? w.dataset.read
      : w.querySelector("[type=email]") ? "email" : "";
    const key = "err." + e.kw;
    return fill(text[key + "." + kind] ? key + "." + kind : key, { n: e.n, size: e.size });
  }

  function clear(step) {
    step.querySelectorAll(".field-error, .error-summary").forEach((n) => n.remove());
    step.querySelectorAll("[aria-invalid]").forEach((n) => {
      n.removeAttribute("aria-invalid");
      const ids = (n.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-err"));
      if (ids.length) n.setAttribute("aria-describedby", ids.join(" "));
      else n.removeAttribute("aria-describedby");
    });
  }

  function describe(n, id) {
    n.setAttribute("aria-invalid", "true");
    n.setAttribute("aria-describedby", ((n.getAttribute("aria-describedby") || "") + " " + id).trim());
  }

  function summary(step, items) {
    const box = el("div", { class: "error-summary", role: "alert", tabindex: "-1" },
      el("p", {}, fill("summary", { n: items.length })), el("ul", {}, ...items));
    step.querySelector("h2").after(box);
    return box;
  }

  function show(step, errors) {
    clear(step);
    const seen = new Set();
    const items = [];
    let first;
    for (const e of errors) {
      const w = holder(e.path);
      if (!w || !step.contains(w) || seen.has(w)) continue;
      seen.add(w);
      const input = w.querySelector("input, select, textarea");
      const id = (w.matches("fieldset") ? w.id : input.id) + "-err";
      const note = el("p", { class: "field-error", id }, message(e, w));
      if (w.matches("fieldset")) {
        w.querySelector("legend").after(note);
        describe(w, id);
        w.querySelectorAll(":scope > .boxes input, :scope > .box input").forEach((b) => b.setAttribute("aria-invalid", "true"));
      } else {
        input.before(note);
        describe(input, id);
      }
      const group = input.lang && w.closest(".group");
      const label = w.querySelector("label, legend").textContent.trim();
      const name = group ? group.querySelector("legend").textContent.trim() + " – " + label : label;
      items.push(el("li", {}, el("a", { href: "#" + input.id }, name + (lang === "fr" ? " : " : ": ") + note.textContent)));
      first = first || input;
    }
    if (items.length) {
      summary(step, items);
      first.focus();
    }
    return items.length;
  }

  function valid(i) {
    const found = problems().filter((e) => stepOf(e.path) === i);
    return !show(steps[i], found);
  }

  // -- Steps
  const list = $("step-list");
  function go(i, focus = true) {
    at = i;
    steps.forEach((s, n) => { s.hidden = n !== i; });
    list.querySelectorAll("li").forEach((li, n) => {
      if (n === i) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    if (i === steps.length - 1) preview();
    if (focus) steps[i].querySelector("h2").focus();
  }

  async function next() {
    try {
      await schema();
    } catch (e) {
      return fail(form.dataset.offline);
    }
    if (at < steps.length - 1) {
      if (valid(at)) go(at + 1);
      return;
    }
    const wrong = steps.findIndex((s, i) => i < steps.length - 1 && !valid(i));
    if (wrong >= 0) {
      go(wrong, false);
      valid(wrong); // shown again on the visible step, focus on its first error
    } else send();
  }

  // Parts shown only when they apply: the chosen cooperative part, the season of a seasonal
  // product, the regions of a cooperative that does not deliver everywhere, the provinces of
  // the chosen region.
  function sync() {
    form.querySelectorAll("[data-panel]").forEach((p) => toggle(p, p.dataset.panel !== choice()));
    toggle($("product.season"), form.elements["product.availability"].value !== "seasonal");
    form.querySelectorAll("[data-zones]").forEach((z) => {
      z.hidden = z.parentNode.querySelector("input[type=radio]:checked").value === "national";
    });
    provinces(form.elements["cooperative.province"]);
  }
  // The provinces of the chosen region, as the schema lists them (allOf: if region, then
  // province in …), named from their ids.
  function provinces(select) {
    const region = form.elements["cooperative.region"].value;
    if (!root || select.dataset.region === region) return;
    select.dataset.region = region;
    const kept = select.value;
    const rule = (deref(root.$defs.CooperativeDraft).allOf || [])
      .find((r) => r.if.properties.region.const === region);
    select.replaceChildren(select.options[0], ...(rule ? rule.then.properties.province.enum : []).map((id) => {
      const o = new Option(id.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(" "), id, false, id === kept);
      if (lang !== "fr") o.lang = "fr";
      return o;
    }));
  }
  function toggle(node, off) {
    node.hidden = off;
    if (off) node.setAttribute("data-off", "");
    else node.removeAttribute("data-off");
  }

  // -- Photos: 1 to data-photo-max, each checked and previewed in the browser before sending.
  const add = $("photo-add");
  const blank = slots.firstElementChild.cloneNode(true);
  const max = +form.dataset.photoMax;
  function renumber() {
    [...slots.children].forEach((slot, n) => {
      slot.id = "photos." + n;
      slot.querySelector("[data-n]").textContent = n + 1;
      slot.querySelector("[data-remove]").hidden = slots.children.length < 2;
      slot.querySelectorAll("*").forEach((node) => {
        for (const a of ["id", "for", "name", "aria-describedby"]) {
          const v = node.getAttribute(a);
          if (v) node.setAttribute(a, v.replace(/photos([.-])\d+/g, "photos$1" + n));
        }
      });
    });
    add.hidden = slots.children.length >= max;
  }
  add.addEventListener("click", () => {
    slots.append(blank.cloneNode(true));
    renumber();
    slots.lastElementChild.querySelector("input").focus();
  });
  slots.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove]");
    if (!button) return;
    button.closest("[data-photo]").remove();
    renumber();
    add.focus();
  });
  const urls = new Map(); // object URLs of the chosen files, released when replaced
  const url = (file) => {
    if (!urls.has(file)) urls.set(file, URL.createObjectURL(file));
    return urls.get(file);
  };
  slots.addEventListener("change", async (event) => {
    const input = event.target;
    if (input.type !== "file") return;
    await schema().catch(() => {}); // its messages
    const shown = input.parentNode.querySelector(".photo-preview");
    shown.replaceChildren();
    const file = input.files[0];
    if (file) await sniff(file).catch(() => {});
    const n = [...slots.children].indexOf(input.closest("[data-photo]"));
    const e = file && photoError(file, n);
    show(steps[at], e ? [e] : []);
    if (file && !e) {
      shown.append(el("img", { src: url(file), alt: "" }),
        fill("photo_info", { name: file.name, size: megabytes(file.size) }));
    }
  });

  // -- The preview: the product's card and page as buyers will see them, text only.
  function preview() {
    const d = collect();
    const p = d.product;
    const t = (texts) => (texts && (texts[lang] || texts.fr || texts.ar)) || "";
    const chosen = (name) => {
      const field = form.elements[name];
      return field && field.selectedOptions ? (field.selectedOptions[0] || {}).text : field && field.value;
    };
    const amount = Number(p.price);
    const price = p.price && amount >= 0
      ? new Intl.NumberFormat(lang + "-MA", { style: "currency", currency: "MAD" }).format(amount) : p.price;
    const coop = choice() === "new" ? t(d.cooperative.name) : chosen("cooperative_id");
    const pictures = files().filter(Boolean);
    const card = el("article", { class: "card product-card" },
      pictures[0] && el("img", { class: "card-img", src: url(pictures[0]), alt: t(d.photos[0].alt) }),
      el("h3", { class: "card-title" }, t(p.name)),
      el("p", { class: "price" }, el("bdi", {}, price)),
      el("p", { class: "card-meta" }, fill("from", { name: coop || "" })),
      choice() === "new" ? el("p", { class: "card-meta muted" }, chosen("cooperative.region") || "") : "");
    const page = el("div", { class: "prose" }, el("p", {}, el("strong", {}, t(p.summary))),
      ...t(p.description).split(/\n\s*\n/).map((para) => el("p", {}, para)),
      el("div", { class: "gallery" }, ...pictures.slice(1).map((f, i) => el("img", { src: url(f), alt: t((d.photos[i + 1] || {}).alt) }))));
    $("sell-preview").replaceChildren(card, page);
  }

  // -- Sending: XMLHttpRequest, not fetch, because only it reports upload progress.
  const submit = $("sell-submit");
  const progress = $("sell-progress");
  const done = $("sell-done");
  const api = form.dataset.checkout.replace(/\/$/, "") + "/api/submissions";
  function fail(msg) {
    progress.hidden = true;
    submit.disabled = false;
    const step = steps[at];
    clear(step);
    summary(step, [el("li", {}, msg)]).focus();
  }
  function send() {
    const body = new FormData();
    body.append("submission", JSON.stringify(collect()));
    files().forEach((file) => body.append("photo", file, file.name));
    body.append("website", form.elements.website.value);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", api);
    xhr.setRequestHeader("Accept-Language", lang);
    const bar = $("sell-bar");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total); };
    xhr.onerror = () => fail(text.err_network);
    xhr.onload = () => {
      let answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: a proxy's page */ }
      if (xhr.status === 201 && answer.reference) {
        progress.hidden = true;
        submit.closest(".step-nav").hidden = true;
        done.replaceChildren(el("p", {}, el("strong", {}, fill("done", { ref: answer.reference }))), el("p", {}, text.done_next));
        done.hidden = false;
        done.focus();
        return;
      }
      if (xhr.status === 429) return fail(text.err_busy);
      const error = answer.error || {};
      const i = error.field ? stepOf(error.field) : -1;
      if (xhr.status === 422 && i >= 0 && holder(error.field)) {
        progress.hidden = true;
        submit.disabled = false;
        go(i, false);
        show(steps[i], [{ path: error.field, msg: error.message }]);
        return;
      }
      fail(fill("err_server", { message: error.message || xhr.status }));
    };
    clear(steps[at]);
    bar.value = 0;
    progress.hidden = false;
    submit.disabled = true;
    xhr.send(body);
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-next], [data-back]");
    if (!button) return;
    if (button.hasAttribute("data-next")) next();
    else go(at - 1);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // Enter in a field goes to the next step; the last step sends
    next();
  });
  form.addEventListener("change", sync);
  form.querySelectorAll(".step-nav, #step-list, #photo-add").forEach((n) => { n.hidden = false; });
  if (form.dataset.checkout) submit.disabled = false;
  renumber();
  sync();
  go(0, false);
})();
