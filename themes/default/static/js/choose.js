/* The language chooser at /: follow the visitor's earlier choice or the browser's language.
   Loaded from <head> (not inline, so the Content-Security-Policy needs no 'unsafe-inline') right
   after the <link rel="alternate" hreflang> elements it reads; the page's links work without it. */
(function () {
  var links = document.querySelectorAll('link[rel="alternate"][hreflang]');
  var offered = [];
  for (var k = 0; k < links.length; k++) {
    var code = links[k].getAttribute("hreflang");
    if (code !== "x-default") {
      var a = document.createElement("a");
      a.href = links[k].href;
      offered.push([code, a.pathname + a.search + a.hash]);
    }
  }
  var wanted = [];
  try { wanted.push(localStorage.getItem("taawun:lang")); } catch (e) {}
  wanted = wanted.concat(navigator.languages || [navigator.language || ""]);
  for (var i = 0; i < wanted.length; i++) {
    var lang = String(wanted[i] || "").toLowerCase().split("-")[0];
    for (var j = 0; j < offered.length; j++) {
      if (offered[j][0] === lang) { location.replace(offered[j][1]); return; }
    }
  }
})();
