// Taawun's cart: lines {sku, coop, qty} in localStorage under a versioned key, shared by every
// language. Names, prices, limits and availability come from the cooperatives' parts of the
// catalogue (/catalogue/<id>.json), never from what was stored; the order posts {sku, qty} lines
// and the buyer's details to the checkout service, never a price. Text comes from the page
// (a JSON data block); everything is inserted as text, never as HTML.
(() => {
  "use strict";
  const KEY = "taawun.cart.v1";
  const doc = document;
  const lang = doc.documentElement.lang || "fr";
  const $ = (id) => doc.getElementById(id);

  function read() {
    try {
      const data = JSON.parse(localStorage.getItem(KEY) || "null");
      if (data && data.v === 1 && Array.isArray(data.lines)) {
        return data.lines.filter(
          (l) => l && typeof l.sku === "string" && typeof l.coop === "string" &&
            Number.isInteger(l.qty) && l.qty > 0
        );
      }
    } catch (e) { /* a damaged entry reads as an empty cart */ }
    return [];
  }

  function write(lines) {
    try { localStorage.setItem(KEY, JSON.stringify({ v: 1, lines })); } catch (e) { /* full */ }
    showCount(lines);
  }

  function showCount(lines) {
    const n = lines.reduce((sum, l) => sum + l.qty, 0);
    doc.querySelectorAll("[data-cart-count]").forEach((el) => {
      el.textContent = n ? String(n) : "";
      el.hidden = !n;
    });
  }

  const formatter = new Intl.NumberFormat(lang + "-MA", { style: "currency", currency: "MAD" });
  const money = (centimes) => formatter.format(centimes / 100);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const named = (names) => (names && (names[lang] || names.ar || names.fr)) || "";

  function el(tag, attrs, ...children) {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  // Moroccan numbers as people write them (06…, 0 6…, +212 6…, 00212…, +212 (0)6…) → E.164.
  function normalizePhone(raw) {
    let d = raw.replace(/[\s.\-()/]/g, "");
    if (d.startsWith("00")) d = "+" + d.slice(2);
    if (d.startsWith("+212")) d = d.slice(4);
    else if (/^212\d{9}$/.test(d)) d = d.slice(3);
    if (!d.startsWith("0")) d = "0" + d;
    return /^0[5-7]\d{8}$/.test(d) ? "+212" + d.slice(1) : null;
  }

  // The checkout service's live counts, {sku: n, or null where not counted}; {} when it cannot
  // tell (no connection, an error): then the page behaves as without them. Only numbers count.
  const stock = (url) => fetch(url).then((r) => r.json()).then(Object, () => ({}));

  // -- "Add to cart" on product pages -------------------------------------------------------
  doc.querySelectorAll("form.add-to-cart").forEach((form) => {
    form.hidden = false;
    const f = form.elements;
    const d = form.dataset;
    // Live stock (data-stock: the page's SKUs, asked once), for the chosen SKU: a note when 0 to 5
    // are left, 0 disables the button, a count below max_per_order caps the quantity.
    const button = form.querySelector("button");
    const off = button.disabled;
    const most = f.qty.max;
    let live = {};
    const show = () => {
      const n = live[f.sku.value];
      form.querySelector(".stock-note").textContent = n === 0 ? d.out : n > 0 && n < 6 ? fill(d.left, { n }) : "";
      button.disabled = off || n === 0;
      f.qty.max = n > 0 && n < most ? n : most;
    };
    f.sku.addEventListener("change", show);
    if (d.stock) stock(d.stock).then((counts) => { live = counts; show(); });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const sku = f.sku.value;
      const max = parseInt(f.qty.max, 10) || 1000;
      const wanted = Math.max(1, parseInt(f.qty.value, 10) || 1);
      const lines = read();
      const line = lines.find((l) => l.sku === sku);
      if (line) line.qty = Math.min(max, line.qty + wanted);
      else lines.push({ sku, coop: d.coop, qty: Math.min(max, wanted) });
      write(lines);
      const status = form.querySelector(".added");
      status.textContent = d.added + " ";
      status.append(el("a", { href: d.cart }, d.viewCart));
    });
  });
  showCount(read());

  const text = $("cart-text") ? JSON.parse($("cart-text").textContent) : {};

  // -- The cart page ----------------------------------------------------------------------------
  const cart = $("cart");
  if (cart) {
    cart.hidden = false;
    const shards = {};
    const shard = (coop) => {
      if (!(coop in shards)) {
        shards[coop] = fetch("/catalogue/" + encodeURIComponent(coop) + ".json", { cache: fresh ? "no-cache" : "default" })
          .then((r) => (r.ok ? r.json() : null)) // gone from the catalogue: null
          .catch(() => undefined); // no connection: undefined (nothing is dropped)
      }
      return shards[coop];
    };
    let orderable = [], fresh = false; // fresh: prices changed, read the catalogue again
    const api = cart.dataset.checkout.replace(/\/$/, "") + "/api/";
    const counts = {}; // the live counts, asked once per set of SKUs
    const region = $("o-region"); // the buyer's region: which cooperatives deliver there

    const update = (sku, qty) => {
      const lines = read();
      write(qty > 0 ? lines.map((l) => (l.sku === sku ? { ...l, qty } : l)) : lines.filter((l) => l.sku !== sku));
      render();
    };

    const render = async () => {
      const lines = read();
      const groups = new Map();
      for (const line of lines) {
        if (!groups.has(line.coop)) groups.set(line.coop, []);
        groups.get(line.coop).push(line);
      }
      const coops = [...groups.keys()];
      const q = lines.map((l) => "sku=" + encodeURIComponent(l.sku)).join("&");
      const [data, live] = await Promise.all([Promise.all(coops.map(shard)),
        counts[q] = counts[q] || (q && cart.dataset.checkout ? stock(api + "stock?" + q) : {})]);
      const box = $("cart-groups");
      box.textContent = "";
      $("cart-loading").hidden = true;
      $("cart-empty").hidden = lines.length > 0;
      let total = 0;
      orderable = [];
      coops.forEach((coop, i) => {
        const info = data[i];
        const body = el("tbody");
        let items = 0;
        for (const line of groups.get(coop)) {
          const item = info && info.skus[line.sku];
          const n = live[line.sku]; // a live count below the limit per order is the limit
          const most = item && item.max_per_order;
          const max = n > 0 && n < most ? n : most;
          const out = item && (item.availability === "sold_out" || n === 0);
          let note = null;
          let qty = line.qty;
          if (info === undefined) note = text.err_network;
          else if (!item) note = text.missing;
          else if (out) note = text.sold_out;
          else {
            if (qty > max) {
              qty = max;
              note = fill(max < most ? text.left : text.limited, { n: qty });
            }
            items += item.unit_price * qty;
            orderable.push({ sku: line.sku, qty });
          }
          const input = el("input", {
            type: "number", min: "1", max: String(max || qty),
            value: String(qty), inputmode: "numeric", "aria-label": text.qty,
          });
          input.addEventListener("change", () => update(line.sku, Math.max(1, parseInt(input.value, 10) || 1)));
          const remove = el("button", { type: "button", class: "button-quiet" }, text.remove);
          remove.addEventListener("click", () => update(line.sku, 0));
          const title = item ? el("a", { href: (item.urls && item.urls[lang]) || "#" }, named(item.name)) : line.sku;
          body.append(el("tr", { "data-sku": line.sku, class: note && !item ? "flagged" : "" },
            el("th", { scope: "row" }, title, note ? el("small", { class: "cart-note" }, note) : null),
            el("td", {}, item ? money(item.unit_price) : "—"),
            el("td", {}, input),
            el("td", { class: "line-total" }, item && !out ? money(item.unit_price * qty) : "—"),
            el("td", {}, remove)));
        }
        const terms = info ? info.delivery : null;
        const fee = !terms || !items ? 0 : (terms.free_from !== null && items >= terms.free_from ? 0 : terms.fee);
        total += items + fee;
        const foot = el("tfoot", {},
          el("tr", {}, el("th", { scope: "row", colspan: "3" }, text.subtotal), el("td", { class: "subtotal" }, money(items)), el("td")),
          el("tr", {}, el("th", { scope: "row", colspan: "3" }, text.delivery),
            el("td", { class: "delivery" }, items && !fee ? text.delivery_free : money(fee)), el("td")));
        const notes = [];
        const zones = terms && terms.zones; // "national" or region ids
        if (Array.isArray(zones) && region && region.value && !zones.includes(region.value)) {
          notes.push(fill(text.no_zone, { region: region.selectedOptions[0].text }));
        }
        if (terms && !terms.cod) notes.push(text.cod_off);
        else if (terms && terms.cod_max !== null && items + fee > terms.cod_max) notes.push(fill(text.cod_over, { amount: money(terms.cod_max) }));
        box.append(el("section", { class: "cart-group panel", "data-coop": coop },
          el("h2", {}, info ? named(info.name) : coop),
          el("table", { class: "table cart-table" },
            el("thead", {}, el("tr", {},
              el("th", { scope: "col" }, text.product), el("th", { scope: "col" }, text.unit_price),
              el("th", { scope: "col" }, text.qty), el("th", { scope: "col" }, text.line_total), el("td"))),
            body, foot),
          ...notes.map((n) => el("p", { class: "cart-note" }, n))));
      });
      $("cart-total").textContent = lines.length ? fill(text.total_is, { amount: money(total) }) : "";
      $("cart-total").dataset.total = String(total);
      const form = $("order-form");
      if (form) form.hidden = orderable.length === 0;
    };

    const form = $("order-form");
    if (form) {
      region.addEventListener("change", render);
      // One Idempotency-Key per order: a retry of the same order (after a lost answer) reuses it,
      // so the service cannot place it twice; a changed order or a new one gets a new key.
      let attempt = {};
      const error = $("order-error");
      const fail = (field, message) => {
        error.textContent = message;
        error.hidden = false;
        if (field) {
          field.setAttribute("aria-invalid", "true");
          field.focus();
        }
      };
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        error.hidden = true;
        form.querySelectorAll("[aria-invalid]").forEach((f) => f.removeAttribute("aria-invalid"));
        const f = form.elements;
        for (const name of ["name", "phone", "region", "city", "address"]) {
          if (!f[name].value.trim()) return fail(f[name], text.err_required);
        }
        const phone = normalizePhone(f.phone.value);
        if (!phone) return fail(f.phone, text.err_phone);
        if (!f.consent.checked) return fail(f.consent, text.err_consent);
        if (!orderable.length) return fail(null, text.err_nothing);
        const buyer = {
          name: f.name.value.trim(), phone, region: region.value, city: f.city.value.trim(), address: f.address.value.trim(),
        };
        if (f.email.value.trim()) buyer.email = f.email.value.trim();
        // The total the buyer sees: the service refuses the order if its own differs.
        const expected_total = +$("cart-total").dataset.total;
        const order = JSON.stringify({ lines: orderable, buyer, payment: f.payment.value, lang, consent: true, expected_total });
        if (attempt.order !== order) {
          const key = crypto.getRandomValues(new Uint8Array(16)).reduce((k, b) => k + (b | 256).toString(16).slice(1), "");
          attempt = { order, key };
        }
        const button = form.querySelector("button[type=submit]");
        button.disabled = true;
        let response, data = null;
        try {
          response = await fetch(api + "orders", {
            method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": attempt.key, "Accept-Language": lang }, body: order,
          });
          data = await response.json().catch(() => null);
        } catch (e) {
          button.disabled = false;
          return fail(null, text.err_network);
        }
        button.disabled = false;
        if (!response.ok || !data) {
          const problem = (data && data.error) || {};
          if (problem.code === "prices_changed") {
            fresh = true;
            for (const coop in shards) delete shards[coop];
            await render();
          }
          const field = { "buyer.name": f.name, "buyer.phone": f.phone, "buyer.region": region, "buyer.city": f.city,
            "buyer.address": f.address, "buyer.email": f.email, consent: f.consent }[problem.field];
          return fail(field || null, fill(text.err_server, { message: problem.message || String(response.status) }));
        }
        attempt = {};
        const ordered = new Set(orderable.map((l) => l.sku));
        write(read().filter((l) => !ordered.has(l.sku)));
        const done = $("order-done");
        done.textContent = "";
        if (data.payment_url) {
          done.append(el("p", {}, text.redirecting));
          done.hidden = false;
          location.assign(data.payment_url);
          return;
        }
        const status = cart.dataset.orderPage + "?id=" + encodeURIComponent(data.id) + "&token=" + encodeURIComponent(data.token);
        done.append(el("p", {}, el("strong", {}, fill(text.done, { id: data.id }))),
          el("p", {}, fill(text.done_cod, { total: money(data.totals.total) })),
          el("p", {}, el("a", { href: status }, text.done_link)));
        form.hidden = true;
        $("cart-groups").textContent = "";
        $("cart-total").textContent = "";
        done.hidden = false;
        done.focus();
      });
    }
    render();
    window.addEventListener("storage", (event) => { if (event.key === KEY) render(); });
  }

  // -- The order-status page --------------------------------------------------------------------
  // The order as the service tells it: its payment status and what that means for the buyer, one
  // block per cooperative (each ships its own goods, with its own delivery status), the history.
  const box = $("order-status");
  if (box) {
    box.hidden = false;
    const query = new URLSearchParams(location.search);
    const url = box.dataset.checkout.replace(/\/$/, "") + "/api/orders/" +
      encodeURIComponent(query.get("id") || "") + "?token=" + encodeURIComponent(query.get("token") || "");
    const dates = new Intl.DateTimeFormat(lang + "-MA", { dateStyle: "long", timeStyle: "short" });
    const when = (iso) => dates.format(new Date(iso));
    const word = (status) => text["st." + status] || status;
    const state = (status) => fill(text.status, { status: word(status) });
    const row = (label, amount) => el("tr", {}, el("th", { scope: "row" }, label), el("td", {}, amount));
    const show = (order) => {
      box.textContent = "";
      if (!order) return box.append(el("p", {}, order === null ? text.not_found : text.offline));
      const cod = order.payment === "cod";
      const names = {};
      let due = 0; // cash on delivery: what the buyer pays in all, cancelled sub-orders left out
      const blocks = order.suborders.map((sub) => {
        names[sub.number] = sub.cooperative_name;
        if (cod && sub.status !== "cancelled") due += sub.total;
        return el("section", { class: "panel order-sub", "data-coop": sub.cooperative, "data-status": sub.status },
          el("h2", {}, sub.cooperative_name), el("p", {}, state(sub.status)),
          el("table", { class: "table" },
            el("tbody", {}, ...sub.lines.map((l) => row(l.qty + " × " + l.name, money(l.total)))),
            el("tfoot", {}, row(text.delivery, sub.delivery ? money(sub.delivery) : text.delivery_free),
              // to_ship and shipped: the cooperative's delivery collects this
              row(cod && /sh/.test(sub.status) ? text.cod_due : text.subtotal, money(sub.total)))));
      });
      const meaning = text["m." + order.status];
      const total = money(cod ? due : order.totals.total); // what the buyer pays (or paid) in all
      box.append(el("div", {}, el("p", {}, el("strong", {}, fill(text.order_no, { id: order.id })), " ",
        fill(text.placed, { ...order.buyer, date: when(order.created) })),
        el("p", { class: "order-state" }, state(order.status)),
        meaning && el("p", { class: "notice" }, fill(meaning, { total })),
        /^https:\/\//.test(order.payment_url) ? el("p", {}, el("a", { href: order.payment_url, class: "button" }, text.pay)) : null,
        ...blocks,
        el("p", { class: "cart-total" }, fill(text.order_total, { amount: total })),
        el("h2", {}, text.history),
        el("ol", { class: "order-history" }, ...order.history.map((h) => el("li", {},
          el("time", { datetime: h.at }, when(h.at)), " — ",
          h.suborder ? fill(text.of, { coop: names[h.suborder], status: word(h.status) }) : word(h.status))))));
    };
    // Back from the payment page before the service heard of the payment: look again for a
    // minute; the page changes (and is announced again) only once the status does.
    // null: no such order (404, whatever the reason); undefined: no connection or no service.
    const load = (tries) => fetch(url).then((r) => (r.ok ? r.json() : r.status === 404 ? null : undefined))
      .catch(() => undefined).then((order) => {
        const waiting = order && order.status === "awaiting_payment";
        if (tries > 11 || (order && !waiting)) show(order);
        if (waiting && tries) setTimeout(load, 5000, tries - 1);
      });
    load(12);
  }
})();
