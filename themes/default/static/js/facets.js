// Combines the market's facets (category × region × label × price range × women-led / youth-led)
// without a reload. Without JavaScript the pre-built listings do the same one facet at a time.
// The facet file (/<lang>/market/facets.json) is fetched on first use, never on page load.
// Rows: [url, name, price text, lowest price (centimes), category, region, [labels], flags
// (1 women-led, 2 youth-led), cooperative, thumbnail]. Everything is inserted as text.
(() => {
  "use strict";
  const form = document.querySelector("form.facet-filter");
  if (!form) return;
  const results = document.getElementById("filter-results");
  const grid = results.querySelector(".grid");
  const more = results.querySelector(".filter-more");
  const count = results.querySelector(".filter-count");
  const listing = [...document.querySelectorAll(".listing-grid, nav.pager, nav.sort")];
  let pending = null; // the facet file, being fetched
  let facets = null; // the facet file, once loaded
  let matches = [];
  let shown = 0;
  form.hidden = false;

  const load = () => {
    if (!pending) {
      pending = fetch(form.dataset.src)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
        .then((d) => {
          const index = (pairs) => new Map(pairs.map(([id], n) => [id, n]));
          d.index = { category: index(d.categories), region: index(d.regions), label: index(d.labels) };
          return d;
        });
      pending.catch(() => { pending = null; }); // offline: try again next time
    }
    return pending;
  };

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };

  const card = (row) => {
    const [url, name, price, , , region, , , coop, thumb] = row;
    return el("article", { class: "card product-card" },
      el("a", { class: "card-link", href: url },
        el("img", { class: "card-img", src: thumb, alt: "", loading: "lazy", width: "320", height: "320" }),
        el("h2", { class: "card-title" }, name)),
      el("p", { class: "price" }, el("bdi", {}, price)),
      el("p", { class: "card-meta" }, coop),
      el("p", { class: "card-meta muted" }, facets.regions[region][1]));
  };

  const showMore = () => {
    const next = matches.slice(shown, shown + facets.per_page);
    grid.append(...next.map(card));
    shown += next.length;
    more.hidden = shown >= matches.length;
  };

  const apply = async () => {
    const values = Object.fromEntries(new FormData(form));
    const active = ["category", "region", "label", "min", "max"].some((k) => values[k]) ||
      values.women || values.youth;
    if (!active) return reset();
    try {
      facets = await load();
    } catch (e) {
      return; // the pre-built listing stays
    }
    const want = (kind) => (values[kind] ? facets.index[kind].get(values[kind]) : null);
    const category = want("category"), region = want("region"), label = want("label");
    const min = values.min ? Math.round(parseFloat(values.min) * 100) : null;
    const max = values.max ? Math.round(parseFloat(values.max) * 100) : null;
    const flags = (values.women ? 1 : 0) | (values.youth ? 2 : 0);
    matches = facets.products.filter((r) =>
      (category === null || r[4] === category) && (region === null || r[5] === region) &&
      (label === null || r[6].includes(label)) && (min === null || r[3] >= min) &&
      (max === null || r[3] <= max) && (r[7] & flags) === flags);
    grid.textContent = "";
    shown = 0;
    count.textContent = matches.length
      ? form.dataset.count.replace("{n}", new Intl.NumberFormat(document.documentElement.lang + "-MA").format(matches.length))
      : form.dataset.none;
    showMore();
    results.hidden = false;
    listing.forEach((node) => { node.hidden = true; });
  };

  const reset = () => {
    results.hidden = true;
    listing.forEach((node) => { node.hidden = false; });
  };

  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(reset, 0));
  more.addEventListener("click", showMore);
})();
