// Combines the market's facets (category × region × label × price range × women-led / youth-led)
// without a reload. Without JavaScript the pre-built listings do the same one facet at a time.
// The market is cut into category × region cells (/<lang>/market/facets/<category>/<region>.json);
// a choice fetches only the cells it covers, on first use, never on page load, and asks for a
// category or a region first when it would cover more than `limit` products (a national
// catalogue). Cell rows: [rank, url, name, price text, lowest price, [labels], flags (1 women-led,
// 2 youth-led), cooperative, thumbnail]. Everything is inserted as text.
(() => {
  "use strict";
  const form = document.querySelector("form.facet-filter");
  if (!form) return;
  const results = document.getElementById("filter-results");
  const grid = results.querySelector(".grid");
  const more = results.querySelector(".filter-more");
  const count = results.querySelector(".filter-count");
  const listing = [...document.querySelectorAll(".listing-grid, nav.pager, nav.sort")];
  const base = form.dataset.src.replace(/cells\.json$/, "");
  const fetched = {};
  let info = null; // cells.json: facet values and the size of every cell
  let matches = [];
  let shown = 0;
  form.hidden = false;

  const json = (url) => fetch(url).then((r) => (r.ok ? r.json() : Promise.reject(new Error(url))));
  const cell = (key) => {
    if (!fetched[key]) {
      fetched[key] = json(base + key + ".json").then((rows) => {
        const [category, region] = key.split("/");
        return rows.map((row) => ({ row, category, region }));
      });
      fetched[key].catch(() => { delete fetched[key]; }); // offline: try again next time
    }
    return fetched[key];
  };

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };

  const regionNames = () => new Map(info.regions);
  const card = ({ row, region }) => {
    const [, url, name, price, , , , coop, thumb] = row;
    return el("article", { class: "card product-card" },
      el("a", { class: "card-link", href: url },
        el("img", { class: "card-img", src: thumb, alt: "", loading: "lazy", width: "320", height: "320" }),
        el("h2", { class: "card-title" }, name)),
      el("p", { class: "price" }, el("bdi", {}, price)),
      el("p", { class: "card-meta" }, coop),
      el("p", { class: "card-meta muted" }, regionNames().get(region) || ""));
  };

  const showMore = () => {
    const next = matches.slice(shown, shown + info.per_page);
    grid.append(...next.map(card));
    shown += next.length;
    more.hidden = shown >= matches.length;
  };

  const show = (text) => {
    grid.textContent = "";
    count.textContent = text;
    results.hidden = false;
    listing.forEach((node) => { node.hidden = true; });
  };

  const apply = async () => {
    const values = Object.fromEntries(new FormData(form));
    const active = ["category", "region", "label", "min", "max"].some((k) => values[k]) ||
      values.women || values.youth;
    if (!active) return reset();
    try {
      info = info || (await json(form.dataset.src));
    } catch (e) {
      return; // offline: the pre-built listing stays
    }
    const keys = Object.keys(info.cells).filter((key) => {
      const [category, region] = key.split("/");
      return (!values.category || category === values.category) && (!values.region || region === values.region);
    });
    const covered = keys.reduce((sum, key) => sum + info.cells[key], 0);
    if (covered > info.limit) {
      matches = [];
      more.hidden = true;
      return show(form.dataset.narrow);
    }
    let rows;
    try {
      rows = (await Promise.all(keys.map(cell))).flat();
    } catch (e) {
      return;
    }
    const label = values.label ? info.labels.findIndex(([id]) => id === values.label) : -1;
    const min = values.min ? Math.round(parseFloat(values.min) * 100) : null;
    const max = values.max ? Math.round(parseFloat(values.max) * 100) : null;
    const flags = (values.women ? 1 : 0) | (values.youth ? 2 : 0);
    matches = rows.filter(({ row }) =>
      (label < 0 || row[5].includes(label)) && (min === null || row[4] >= min) &&
      (max === null || row[4] <= max) && (row[6] & flags) === flags);
    matches.sort((a, b) => a.row[0] - b.row[0]); // newest first, as the market
    shown = 0;
    show(matches.length
      ? form.dataset.count.replace("{n}", new Intl.NumberFormat(document.documentElement.lang + "-MA").format(matches.length))
      : form.dataset.none);
    showMore();
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
