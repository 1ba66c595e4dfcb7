/* Site search: Pagefind's chunked index behind Material's search box.
 *
 * Nothing is downloaded until the reader opens the search; then Pagefind loads its small
 * entry files and, per query, only the index chunk and result fragments it needs, so a
 * first result costs the same few hundred KB whether the site has 500 or 50,000 papers.
 * Result titles and excerpts are page text: they are written as text nodes, never as HTML
 * (the excerpt's <mark> highlights are rebuilt element by element). */
(function () {
  "use strict";

  var PAGE = 10; // results shown at a time
  /* Title words count through the page's h1, which Pagefind already weights 7 to 1. Its
     separate title-metadata bonus is off: it reads "ZeRO:" as a word unlike "zero", so the
     name before a colon, the usual shape of a paper title, lost to any title merely
     containing "zero-shot". */
  var RANKING = { metaWeights: { title: 0 } };
  var box = document.querySelector(".digest-search");
  var toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  if (!box.firstElementChild) box.innerHTML = boxInside(siteRoot());
  var form = box.querySelector(".md-search__form");
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var more = box.querySelector(".digest-search__more");
  var output = box.querySelector(".md-search__output");
  var all = box.querySelector(".digest-search__all"); // the search page, with these words
  var allLink = all.querySelector("a");
  var searchPage = allLink.href;
  var placeholder = meta.textContent.trim();
  var loading = null; // the Pagefind module, once asked for
  var latest = 0; // the newest query's number: an older answer arriving late is dropped
  var timer = 0;

  function siteRoot() {
    var root = new URL(box.getAttribute("data-site-root") || ".", location.href).pathname;
    return root.endsWith("/") ? root : root + "/";
  }

  /* Material's search box, inside: its markup and classes, our words, and the icons of
     the site's sprite (assets/icons.svg). Constant text only: nothing read from a page. */
  function boxInside(root) {
    function icon(name) {
      return '<svg viewBox="0 0 24 24"><use href="' + root + "assets/icons.svg#material-" +
        name + '"></use></svg>';
    }
    return '<label class="md-search__overlay" for="__search"></label>' +
      '<div class="md-search__inner" role="search">' +
      '<form class="md-search__form" name="search">' +
      '<input type="text" class="md-search__input" name="query" aria-label="Search"' +
      ' placeholder="Search" autocapitalize="off" autocorrect="off" autocomplete="off"' +
      ' spellcheck="false" required>' +
      '<label class="md-search__icon md-icon" for="__search">' + icon("magnify") +
      icon("arrow-left") + "</label>" +
      '<nav class="md-search__options" aria-label="Search">' +
      '<button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear"' +
      ' tabindex="-1">' + icon("close") + "</button></nav></form>" +
      '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0">' +
      '<div class="md-search-result">' +
      '<div class="md-search-result__meta" aria-live="polite">Type to start searching</div>' +
      '<ol class="md-search-result__list"></ol>' +
      '<button type="button" class="md-button digest-search__more" hidden>More results</button>' +
      '<p class="digest-search__all" hidden><a href="' + root + 'search/">' +
      "All results, with filters and sorting</a></p></div></div></div></div>";
  }

  function pagefind() {
    if (!loading) {
      var url = new URL(box.getAttribute("data-pagefind"), location.href).href;
      loading = import(url).then(function (module) {
        return module.options({
          baseUrl: siteRoot(),
          excerptLength: 24,
          ranking: RANKING,
        }).then(function () {
          return module.init();
        }).then(function () { return module; });
      });
      loading.catch(function () {
        loading = null;
        say("Search is not available: its index could not be loaded.");
      });
    }
    return loading;
  }

  function say(text) {
    meta.textContent = text;
  }

  function countText(count) {
    if (count === 0) return "No matching documents";
    return count === 1 ? "1 matching document" : count + " matching documents";
  }

  /* The excerpt is HTML made by Pagefind from page text, with <mark> around hits. Parse it
     inert (DOMParser runs no script and loads nothing) and keep only text and marks.
     A result shows its title above the excerpt: an excerpt from the page's start (as
     when browsing, or for a word of the title) starts after the title (or the end of it
     the excerpt starts with), the organisation and the abstract's heading, with what the
     reader has not seen yet. */
  function excerptNodes(html, title) {
    var nodes = markedText(html);
    var text = nodes.textContent;
    var cut = titleEnd(text, title || "");
    var lead = /^\s*(?:Organisation: [^]{1,200}?\s+)?Abstract\.?\s+/.exec(text.slice(cut));
    if (lead) cut += lead[0].length;
    while (cut > 0 && nodes.firstChild) {
      var node = nodes.firstChild;
      var length = node.textContent.length;
      if (length <= cut) nodes.removeChild(node);
      else node.textContent = node.textContent.slice(cut);
      cut -= Math.min(length, cut);
    }
    return nodes;
  }

  /* How much of the text's start is the title, or the title's last words. */
  function titleEnd(text, title) {
    var words = title.split(" ");
    for (var first = 0; first < words.length; first++) {
      var end = words.slice(first).join(" ");
      if (end.length >= 12 && text.indexOf(end) === 0) return end.length;
    }
    return 0;
  }

  function markedText(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    var out = document.createDocumentFragment();
    (function walk(node) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) {
          out.appendChild(document.createTextNode(child.textContent));
        } else if (child.nodeName === "MARK") {
          var mark = document.createElement("mark");
          mark.textContent = child.textContent;
          out.appendChild(mark);
        } else {
          walk(child);
        }
      });
    })(parsed);
    return out;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(data.url, location.href).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    var excerpt = document.createElement("p");
    excerpt.appendChild(excerptNodes(data.excerpt || "", data.meta && data.meta.title));
    article.appendChild(title);
    article.appendChild(excerpt);
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  /* Results shown PAGE at a time in `list`, `more` showing the next page; each page is
     loaded before anything changes on screen, so the count and the list always agree.
     `current()` says whether the search they answer is still the newest. (The search
     page uses it too.) */
  function pagedResults(list, more, item, sayCount) {
    var shown = [];
    function page(fresh, current) {
      var from = fresh ? 0 : list.children.length;
      var next = shown.slice(from, from + PAGE);
      return Promise.all(next.map(function (r) { return r.data(); })).then(function (found) {
        if (!current()) return;
        if (fresh) list.replaceChildren();
        var hadFocus = document.activeElement === more;
        found.forEach(function (data) { list.appendChild(item(data)); });
        more.hidden = list.children.length >= shown.length;
        // The button is gone with the last results: the keyboard goes on from the first.
        var firstNew = list.children[from] && list.children[from].querySelector("a");
        if (!fresh && hadFocus && more.hidden && firstNew) firstNew.focus();
        if (fresh) sayCount(shown.length);
      });
    }
    return {
      show: function (results, current) { shown = results; return page(true, current); },
      more: function (current) { return page(false, current); },
    };
  }

  /* Pagefind's search for the words, quotes left out: Pagefind reads a quoted phrase as
     one to match exactly, by the places of its words, and the index keeps no places of
     the commonest words in a page's text (digest/site/search_words.py), so a phrase with
     "of" or "the" would miss most pages that hold it. Without quotes every word must
     still be in each result, and the results come by relevance. */
  /* Words as Pagefind should read them: without quotes, and in Unicode's compatibility
     form (NFKC), which texts mostly use, so that a micro sign (µ, typed by a keyboard's
     Option+M or AltGr+M) finds the Greek mu (μ) of "μP", and "ﬁ" finds "fi". */
  function searchWords(module, query, options) {
    return module.search(query.normalize("NFKC").replace(/"/g, " "), options);
  }

  function isLatest(ticket) {
    return function () { return ticket === latest; };
  }

  var results = pagedResults(list, more, item, function (count) { say(countText(count)); });

  function run(query) {
    var ticket = ++latest;
    all.hidden = !query.trim();
    allLink.href = searchPage + "?q=" + encodeURIComponent(query.trim());
    if (!query.trim()) {
      list.replaceChildren();
      more.hidden = true;
      say(placeholder);
      return Promise.resolve();
    }
    return pagefind().then(function (module) {
      return searchWords(module, query);
    }).then(function (search) {
      if (ticket !== latest || !search) return;
      return results.show(search.results, isLatest(ticket));
    });
  }

  /* The results can be reached only while the search is open: closed, Material hides
     them from sight, and `inert` from the keyboard (and from a focus left on one). */
  function shown(open) {
    toggle.checked = open;
    output.inert = !open;
  }

  function open() {
    shown(true);
    pagefind();
  }

  /* A focused element made inert loses its focus only at the browser's next frame:
     blur it here, so no key pressed before then reaches a hidden result. */
  function close() {
    var focused = document.activeElement;
    if (focused && output.contains(focused)) focused.blur();
    shown(false);
    input.blur();
  }

  // For the search page (search-page.js): the same Pagefind, loaded once, its search,
  // excerpts, pages, and where the site's data files are.
  window.digestSearch = {
    pagefind: pagefind, searchWords: searchWords, excerptNodes: excerptNodes,
    pagedResults: pagedResults, siteRoot: siteRoot,
  };

  input.addEventListener("focus", open);
  /* Focus moved on past the search (Tab from its last result, Shift+Tab from its box):
     it closes, or the keyboard would walk the page's links under it. */
  box.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (toggle.checked && next instanceof Node && !box.contains(next)) shown(false);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 120);
  });
  /* Enter opens the first result of the words in the box, once they are searched for
     (not the results of the words before them, still on screen). */
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var ticket = latest + 1;
    run(input.value).then(function () {
      var first = list.querySelector("a");
      if (ticket === latest && first) location.href = first.href;
    });
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(""); input.focus(); });
  });
  more.addEventListener("click", function () { results.more(isLatest(latest)); });
  toggle.addEventListener("change", function () {
    shown(toggle.checked);
    if (toggle.checked) {
      open();
      input.focus();
    }
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest("a")) shown(false);
  });
  shown(toggle.checked);

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (toggle.checked) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        close();
        event.preventDefault();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = at === -1 ? (step > 0 ? 0 : links.length - 1) : at + step;
        if (next >= 0 && next < links.length) links[next].focus();
        else input.focus();
        event.preventDefault();
      }
    } else if (!typing(event.target) && /^[sf/]$/.test(event.key)) {
      open();
      input.focus();
      input.select();
      event.preventDefault();
    }
  });
})();
