// Show the "digest is behind" banner when the newest listing is older than the
// configured number of days. It runs in the visitor's browser, so it speaks up exactly
// when the scheduled rebuilds have stopped. The date comes from freshness.json, not from
// the page: a new day's listing then changes one small file, not every page. The banner
// is made here, only when it shows: a page carries just this script's tag, whose
// data-freshness and data-status say where freshness.json and the status page are.
//
// The file arrives after the page is drawn, so the banner sits at the foot of the window
// (position: fixed, digest.css): showing it moves nothing on the page (no layout shift).
(function () {
  var script = document.currentScript;
  var facts = null; // freshness.json, fetched once per visit of a page

  function banner() {
    var el = document.querySelector(".digest-behind");
    if (el) return el;
    el = document.createElement("div");
    el.className = "digest-behind md-typeset";
    el.setAttribute("role", "status");
    el.hidden = true;
    var date = document.createElement("span");
    date.className = "digest-behind__date";
    var status = document.createElement("a");
    status.href = script.getAttribute("data-status");
    status.textContent = "status page";
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "digest-behind__dismiss";
    dismiss.setAttribute("aria-label", "Dismiss");
    dismiss.textContent = "\u00d7";
    el.append("This digest is behind: its newest listing is of ", date, ". See the ",
      status, ".", dismiss);
    // Where the page's frame had it: first in Material's container, before the content.
    (document.querySelector(".md-container") || document.body).prepend(el);
    return el;
  }

  function show(data) {
    var newest = data && data.newest_listing;
    var days = data && data.stale_after_days;
    if (!newest || typeof days !== "number") return;
    var age = (Date.now() - Date.parse(newest + "T00:00:00Z")) / 86400000;
    var dismissed = sessionStorage.getItem("digest-behind-dismissed") === newest;
    if (!(age > days + 1) || dismissed) return;
    var el = banner();
    el.querySelector(".digest-behind__date").textContent = newest;
    el.hidden = false;
    roomBelow(el);
    el.querySelector("button").onclick = function () {
      sessionStorage.setItem("digest-behind-dismissed", newest);
      el.hidden = true;
      roomBelow(el);
    };
  }

  /* Room at the foot of the page as tall as the banner, so that scrolled to the end the
     footer's links stand above it, not under it; none once it is dismissed. The room is
     below everything, so nothing on screen moves. */
  var watching = null;
  function roomBelow(el) {
    function fit() {
      var footer = document.querySelector(".md-footer") || document.body;
      footer.style.paddingBottom = el.hidden ? "" : el.offsetHeight + "px";
    }
    fit();
    if (!watching && typeof ResizeObserver !== "undefined") {
      watching = new ResizeObserver(fit); // the banner's text wraps anew on a phone turned
      watching.observe(el);
    }
  }

  function check() {
    facts = facts || fetch(script.getAttribute("data-freshness"))
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
    facts.then(show);
  }

  check();
  // Material swaps pages without reloading when instant navigation is on: check each one.
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof document$ !== "undefined") document$.subscribe(check);
  });
})();
