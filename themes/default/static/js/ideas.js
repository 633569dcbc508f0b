// Combines the idea bank's facets (region × sector × target group × investment × jobs) without a
// reload. Without JavaScript the pre-built listings (/<lang>/projects/<facet>/<value>/) do the
// same one facet at a time. A bank holds hundreds of ideas, not hundreds of thousands, so one
// small file carries every idea's facet values (/<lang>/projects/ideas.json), fetched on first
// use, never on page load. Rows: [url, title, investment text, direct jobs text, [image, width,
// height] or [], [[value index, …] per facet]]. Everything is inserted as text.
(() => {
  "use strict";
  const form = document.querySelector("form.idea-filter");
  if (!form) return;
  const results = document.getElementById("filter-results");
  const grid = results.querySelector(".grid");
  const more = results.querySelector(".filter-more");
  const count = results.querySelector(".filter-count");
  const listing = [...document.querySelectorAll(".listing-grid, nav.pager, .idea-count")];
  const initial = [...new FormData(form)].join(); // a facet page's own choice: its listing shows it
  let data = null;
  let matches = [];
  let shown = 0;
  form.hidden = false;

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };

  const fact = (term, value) => el("div", {}, el("dt", {}, term), el("dd", {}, el("bdi", {}, value)));
  const card = ([url, title, money, jobs, [src, width, height], values]) => {
    const regions = data.facets.findIndex(([facet]) => facet === "regions");
    const link = el("a", { class: "card-link", href: url });
    if (src) link.append(el("img", { class: "card-img wide", src, alt: "", loading: "lazy", width, height }));
    link.append(el("h2", { class: "card-title" }, title));
    return el("article", { class: "card idea-card" }, link,
      el("dl", { class: "facts" }, fact(form.dataset.investment, money), fact(form.dataset.jobs, jobs)),
      el("p", { class: "card-meta muted" }, values[regions].map((i) => data.facets[regions][1][i][1]).join(" · ")));
  };

  const showMore = () => {
    const next = matches.slice(shown, shown + data.per_page);
    grid.append(...next.map(card));
    shown += next.length;
    more.hidden = shown >= matches.length;
  };

  const reset = () => {
    results.hidden = true;
    listing.forEach((node) => { node.hidden = false; });
  };

  const apply = async () => {
    const chosen = new FormData(form);
    if ([...chosen].join() === initial) return reset();
    try {
      data = data || (await fetch(form.dataset.src).then((r) => (r.ok ? r.json() : Promise.reject(r))));
    } catch (e) {
      return; // offline: the pre-built listing stays
    }
    const wanted = data.facets.map(([facet, values]) =>
      chosen.get(facet) ? values.findIndex(([value]) => value === chosen.get(facet)) : null);
    matches = data.ideas.filter((row) => wanted.every((w, i) => w === null || row[5][i].includes(w)));
    shown = 0;
    grid.textContent = "";
    const n = new Intl.NumberFormat(document.documentElement.lang + "-MA").format(matches.length);
    count.textContent = matches.length ? form.dataset.count.replace("{n}", n) : form.dataset.none;
    results.hidden = false;
    listing.forEach((node) => { node.hidden = true; });
    showMore();
  };

  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(reset, 0));
  more.addEventListener("click", showMore);
})();
