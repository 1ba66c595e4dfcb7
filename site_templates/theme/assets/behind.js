// Show the "digest is behind" banner when the newest listing is older than the
// configured number of days. It runs in the visitor's browser, so it speaks up exactly
// when the scheduled rebuilds have stopped. main.html inlines it right after the banner:
// it decides before anything below the banner is parsed, so the banner never pushes the
// page down once drawn (a layout shift).
(function () {
  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }
  function check() {
    var newest = meta("digest-newest-listing");
    var days = parseInt(meta("digest-stale-after-days"), 10);
    var banner = document.querySelector(".digest-behind");
    if (!newest || isNaN(days) || !banner) return;
    var age = (Date.now() - Date.parse(newest + "T00:00:00Z")) / 86400000;
    banner.hidden = !(age > days + 1);
  }
  check();
  // Material swaps pages without reloading when instant navigation is on: check each one.
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof document$ !== "undefined") document$.subscribe(check);
  });
})();
