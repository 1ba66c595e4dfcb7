// Show the "digest is behind" banner when the newest listing is older than the
// configured number of days. It runs in the visitor's browser, so it speaks up exactly
// when the scheduled rebuilds have stopped. The date comes from freshness.json, not from
// the page: a new day's listing then changes one small file, not every page.
//
// The file arrives after the page is drawn, so the banner sits at the foot of the window
// (position: fixed, digest.css): showing it moves nothing on the page (no layout shift).
(function () {
  var facts = null; // freshness.json, fetched once per visit of a page

  function banner() {
    return document.querySelector(".digest-behind");
  }

  function show(el, data) {
    var newest = data && data.newest_listing;
    var days = data && data.stale_after_days;
    if (!newest || typeof days !== "number") return;
    var age = (Date.now() - Date.parse(newest + "T00:00:00Z")) / 86400000;
    var dismissed = sessionStorage.getItem("digest-behind-dismissed") === newest;
    el.querySelector(".digest-behind__date").textContent = newest;
    el.hidden = !(age > days + 1) || dismissed;
    el.querySelector("button").onclick = function () {
      sessionStorage.setItem("digest-behind-dismissed", newest);
      el.hidden = true;
    };
  }

  function check() {
    var el = banner();
    if (!el) return;
    facts = facts || fetch(el.getAttribute("data-freshness"))
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
    facts.then(function (data) { show(el, data); });
  }

  check();
  // Material swaps pages without reloading when instant navigation is on: check each one.
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof document$ !== "undefined") document$.subscribe(check);
  });
})();
