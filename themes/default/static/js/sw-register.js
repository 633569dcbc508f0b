// Installs the service worker that keeps the academy usable offline (/sw.js; docs/academy.md,
// "Offline"). Loaded by the academy's pages and the offline page only: buyers who never open the
// academy do not pay for the offline pages it stores when it installs.
if ("serviceWorker" in navigator) {
  addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
}
