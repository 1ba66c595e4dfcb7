/* The search page (search/): Pagefind's index, narrowed by filters and sorted, all of it
 * held in the page's URL, so a search can be bookmarked, shared and stepped back through:
 *   ?q=WORDS&topic=SLUG&month=YYYY-MM&year=YYYY&kind=KIND&code=1&pick=1&org=SLUG
 *    &sort=relevance|newest|upvotes
 * A filter may be given several times (or comma-separated): any of its values will do.
 * Every paper page carries its filters and metadata (paper.md.j2); newest first is the
 * order of the index's page names, most upvoted first that of a file beside it. Titles,
 * excerpts and filter values are written as text, never as HTML. It asks the Pagefind that
 * the header's search box loads (search.js), so the page downloads it once.
 * A search loads the index of each filter it uses, and nothing else; every filter's
 * values and counts (all the filters' indexes, which grow with the archive) and the
 * organisations' names (orgs.json) load only when the reader opens the filters. */
(function () {
  "use strict";

  var FILTERS = [
    ["topic", "Topic"], ["year", "Year"], ["month", "Month"], ["kind", "Kind"],
    ["code", "Code"], ["pick", "Editor's pick"], ["org", "Organisation"],
  ];
  var FLAGS = { code: "With code", pick: "Editor's pick" }; // filters with the one value "1"
  var SORTS = { newest: true, upvotes: true }; // besides relevance, Pagefind's own order
  var PAGES = 5; // pages that are not papers', offered in one line after the results

  var form = document.getElementById("search-form");
  var shared = window.digestSearch; // the header's search box (search.js): Pagefind, excerpts
  if (!form || !shared) return;
  var words = document.getElementById("search-words");
  var sortBox = document.getElementById("search-sort");
  var facets = document.getElementById("search-facets");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var pagesLine = document.getElementById("search-pages");
  var toggle = document.getElementById("search-filters-toggle");
  var names = JSON.parse(document.getElementById("search-names").textContent);
  var moved = names.moved || {}; // a renamed topic's old slug -> its slug: old links work
  delete names.moved;
  var BROWSE = form.getAttribute("data-browse"); // see searchFor
  var latest = 0; // the newest search's number: an older answer arriving late is dropped
  var allValues = null; // every filter's values, once the reader has opened the filters
  var upvotesFiles = {}; // each index's pages' upvotes (upvotesOf), once asked for
  var searchBox = document.querySelector(".digest-search[data-pagefind]");
  var pagefindUrl = new URL(searchBox.getAttribute("data-pagefind"), location.href).href;
  var timer = 0;

  /* The search the URL asks for: words, chosen values of each filter, and the sort. */
  function readState(search) {
    var params = new URLSearchParams(search);
    var state = { q: (params.get("q") || "").trim(), filters: {}, sort: params.get("sort") || "" };
    FILTERS.forEach(function (pair) {
      var values = [];
      params.getAll(pair[0]).forEach(function (value) {
        value.split(",").forEach(function (one) {
          one = one.trim();
          var renamed = moved[pair[0]] || {};
          if (Object.prototype.hasOwnProperty.call(renamed, one)) one = renamed[one];
          if (one && values.indexOf(one) < 0) values.push(one);
        });
      });
      if (values.length) state.filters[pair[0]] = values;
    });
    if (!SORTS[state.sort] && state.sort !== "relevance") state.sort = "";
    return state;
  }

  /* The order of the results: the one chosen, else the best match first with words and
     the newest without (when "best match" means nothing, and is not offered). */
  function sortOf(state) {
    if (!state.q && state.sort === "relevance") return "newest";
    return state.sort || (state.q ? "relevance" : "newest");
  }

  function urlOf(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTERS.forEach(function (pair) {
      (state.filters[pair[0]] || []).forEach(function (value) { params.append(pair[0], value); });
    });
    if (state.sort) params.set("sort", state.sort);
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  var current = readState(location.search);

  /* Show the state, and keep it in the page's URL: a new history entry for a search asked
     for (a filter, a sort, Enter), and for the first pause while typing; the next pauses
     of the same typing replace that entry, so Back goes to the search before it. */
  var typingEntry = false;
  function go(state, typing) {
    current = state;
    var url = urlOf(state);
    if (url !== location.pathname + location.search) {
      if (typing && typingEntry) history.replaceState(null, "", url);
      else history.pushState(null, "", url);
    }
    typingEntry = Boolean(typing);
    run();
  }

  function label(filter, value) {
    if (FLAGS[filter]) return FLAGS[filter];
    var known = names[filter] && names[filter][value];
    return known || value;
  }

  function countText(count) {
    if (count === 0) return "No papers match.";
    return count === 1 ? "1 paper." : count + " papers.";
  }

  /* A link to a result's page, its title as text. */
  function linkTo(data) {
    var link = document.createElement("a");
    link.href = new URL(data.url, location.href).href;
    link.textContent = (data.meta && data.meta.title) || data.url;
    return link;
  }

  function item(data) {
    var meta = data.meta || {};
    var li = document.createElement("li");
    var heading = document.createElement("h2");
    heading.appendChild(linkTo(data));
    var facts = [meta.date ? "first listed " + meta.date : ""];
    var topics = (meta.topics || "").split(" ").filter(Boolean).map(function (slug) {
      return label("topic", slug);
    });
    if (topics.length) facts.push(topics.join(", "));
    if (meta.upvotes && meta.upvotes !== "0") facts.push(meta.upvotes + " upvotes");
    if (meta.code === "1") facts.push("code");
    if (meta.pick === "1") facts.push("\u2605 editor's pick");
    var line = document.createElement("p");
    line.className = "digest-search-page__facts";
    line.textContent = facts.filter(Boolean).join(" \u00b7 ");
    var excerpt = document.createElement("p");
    excerpt.appendChild(shared.excerptNodes(data.excerpt || "", meta.title));
    li.appendChild(heading);
    li.appendChild(line);
    li.appendChild(excerpt);
    return li;
  }

  function isLatest(ticket) {
    return function () { return ticket === latest; };
  }

  var results = shared.pagedResults(list, more, item, function (count) {
    status.textContent = countText(count);
  });

  /* Each filter's values (all of them, from the index) with how many papers each would
     give with the current words and the other filters' choices. */
  function drawFacets(all, counts) {
    var open = {};
    facets.querySelectorAll("details[open]").forEach(function (d) { open[d.dataset.filter] = true; });
    // The box just ticked keeps the keyboard's focus (and a screen reader its place).
    var focused = facets.contains(document.activeElement) ? document.activeElement : null;
    var refocus = null;
    facets.replaceChildren();
    FILTERS.forEach(function (pair) {
      var filter = pair[0];
      var chosen = current.filters[filter] || [];
      // A chosen value the index does not know (an old link) is shown too, to untick.
      var values = Object.keys(all[filter] || {});
      chosen.forEach(function (value) { if (values.indexOf(value) < 0) values.push(value); });
      if (!values.length) return;
      // The chosen values first (in sight without scrolling), then by the name shown;
      // years and months newest first.
      var dated = filter === "year" || filter === "month";
      values.sort(function (a, b) {
        var first = (chosen.indexOf(b) >= 0) - (chosen.indexOf(a) >= 0);
        if (first || dated) return first || (a < b ? 1 : a > b ? -1 : 0);
        return label(filter, a).localeCompare(label(filter, b), "en", { numeric: true });
      });
      var details = document.createElement("details");
      details.dataset.filter = filter;
      details.open = Boolean(open[filter] || chosen.length);
      var summary = document.createElement("summary");
      summary.textContent = pair[1] + (chosen.length ? " (" + chosen.length + ")" : "");
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = pair[1];
      legend.className = "digest-visually-hidden";
      fieldset.appendChild(legend);
      values.forEach(function (value) {
        var input = document.createElement("input");
        input.type = "checkbox";
        input.name = filter;
        input.value = value;
        input.checked = chosen.indexOf(value) >= 0;
        var count = (counts[filter] || {})[value] || 0;
        var text = document.createElement("label");
        text.appendChild(input);
        text.appendChild(document.createTextNode(" " + label(filter, value) + " (" + count + ")"));
        fieldset.appendChild(text);
        if (focused && focused.name === filter && focused.value === value) refocus = input;
      });
      details.appendChild(summary);
      details.appendChild(fieldset);
      facets.appendChild(details);
      if (focused && focused.tagName === "SUMMARY" && focused.parentNode.dataset.filter === filter) {
        refocus = summary;
      }
    });
    if (refocus) refocus.focus();
  }

  /* A search for the state's words, or without words for the word every paper's metadata
     holds and no other page's (the form's data-browse): Pagefind's search without words
     downloads every word of the index, 18 MB at 50,000 papers. */
  function searchFor(module, state, without) {
    var options = { filters: filtersOf(state, without) };
    return shared.searchWords(module, state.q || BROWSE, options);
  }

  /* Pagefind's filters for the state, leaving out one filter (to count its values), as
     one "all" of parts: with words, never a page that is not a paper's; any of each
     filter's values; a year as any of its months. */
  function filtersOf(state, without) {
    var parts = state.q ? [{ not: { page: "other" } }] : [];
    Object.keys(state.filters).forEach(function (filter) {
      if (filter === without) return;
      var values = state.filters[filter];
      var part = {};
      if (filter === "year") {
        part.month = { any: [].concat.apply([], values.map(monthsOf)) };
      } else {
        part[filter] = { any: values };
      }
      parts.push(part);
    });
    return parts.length ? { all: parts } : {};
  }

  function monthsOf(year) {
    var months = [];
    for (var m = 1; m <= 12; m++) months.push(year + "-" + (m < 10 ? "0" : "") + m);
    return months;
  }

  function byYear(monthCounts) {
    var years = {};
    Object.keys(monthCounts || {}).forEach(function (month) {
      var year = month.slice(0, 4);
      years[year] = (years[year] || 0) + monthCounts[month];
    });
    return years;
  }

  /* Each filter's counts with the words and every other filter: the search's own, and for
     a filter that has chosen values, a search without it. */
  function countsFor(module, state, search) {
    var chosen = Object.keys(state.filters);
    return Promise.all(chosen.map(function (filter) {
      return searchFor(module, state, filter);
    })).then(function (others) {
      var counts = Object.assign({}, search.filters || {});
      counts.year = byYear(counts.month);
      chosen.forEach(function (filter, i) {
        var theirs = others[i].filters || {};
        counts[filter] = filter === "year" ? byYear(theirs.month) : theirs[filter] || {};
      });
      return counts;
    });
  }

  function run() {
    var ticket = ++latest;
    var state = current;
    if (words.value.trim() !== state.q) words.value = state.q; // keeps a space being typed
    sortBox.querySelector("option[value=relevance]").disabled = !state.q;
    sortBox.value = sortOf(state);
    var chosen = Object.keys(state.filters).length;
    toggle.textContent = "Filters" + (chosen ? " (" + chosen + ")" : "");
    status.textContent = "Searching\u2026";
    var module;
    return shared.pagefind().then(function (found) {
      module = found;
      return searchFor(module, state).then(function (search) {
        if (!search) return [search, null, []];
        var counts = allValues ? countsFor(module, state, search) : null;
        return Promise.all([search, counts, ordered(search.results, sortOf(state))]);
      });
    }).then(function (answers) {
      var search = answers[0];
      if (ticket !== latest || !search) return;
      if (answers[1]) drawFacets(allValues, answers[1]);
      return results.show(answers[2], isLatest(ticket)).then(function () {
        return showPages(module, state, isLatest(ticket));
      });
    }).catch(function () {
      if (ticket === latest) status.textContent = "Search is not available: its index could not be loaded.";
    });
  }

  /* A result's place in date order, the number its page's name ends with in base 36: the
     search index names its pages so (digest/site/search_merge.py). */
  function placeOf(result) {
    var id = String(result.id);
    return parseInt(id.slice(id.lastIndexOf("_") + 1), 36) || 0;
  }

  /* Every page's upvotes, in date order: the index's file named as its pages are (sorts/
     NAME.json), loaded the first time a search is sorted by upvotes. */
  function upvotesOf(results) {
    if (!results.length) return Promise.resolve([]);
    var id = String(results[0].id);
    var name = id.slice(0, id.lastIndexOf("_"));
    if (!upvotesFiles[name]) {
      var url = new URL("sorts/" + name + ".json", pagefindUrl).href;
      upvotesFiles[name] = fetch(url).then(function (answer) {
        if (!answer.ok) throw new Error(url + ": " + answer.status);
        return answer.json();
      }).then(function (sorts) { return sorts.upvotes; });
      upvotesFiles[name].catch(function () { delete upvotesFiles[name]; });
    }
    return upvotesFiles[name];
  }

  /* The results in the order asked for: Pagefind's (relevance), newest first, or most
     upvoted first (papers without upvotes last, and equals newest first). Each result's
     place is read once: browsing every paper sorts tens of thousands. */
  function ordered(results, sort) {
    if (sort !== "newest" && sort !== "upvotes") return Promise.resolve(results);
    var keyed = results.map(function (result) { return { result: result, place: placeOf(result) }; });
    var upvotes = sort === "upvotes" ? upvotesOf(results) : Promise.resolve([]);
    return upvotes.then(function (counts) {
      keyed.forEach(function (one) { one.upvotes = counts[one.place] || 0; });
      keyed.sort(function (a, b) { return b.upvotes - a.upvotes || b.place - a.place; });
      return keyed.map(function (one) { return one.result; });
    });
  }

  /* The pages that are not papers' (topics, editions, editors' pages) that match the words,
     as one line of links after the results: they are never results themselves. */
  function showPages(module, state, current) {
    if (!state.q) {
      pagesLine.hidden = true;
      return Promise.resolve();
    }
    var others = { filters: { page: "other" } };
    return shared.searchWords(module, state.q, others).then(function (search) {
      var first = (search ? search.results : []).slice(0, PAGES);
      return Promise.all(first.map(function (r) { return r.data(); }));
    }).then(function (found) {
      if (!current()) return;
      pagesLine.replaceChildren();
      pagesLine.hidden = !found.length;
      if (!found.length) return;
      pagesLine.appendChild(document.createTextNode("Pages: "));
      found.forEach(function (data, i) {
        if (i) pagesLine.appendChild(document.createTextNode(" \u00b7 "));
        pagesLine.appendChild(linkTo(data));
      });
    });
  }

  /* The filters' values and counts: loaded the first time the reader opens them. */
  function openFilters() {
    facets.classList.add("digest-search-page__facets--open");
    toggle.setAttribute("aria-expanded", "true");
    if (allValues) return Promise.resolve();
    facets.textContent = "Loading the filters\u2026";
    var loaded = [shared.pagefind().then(function (module) { return module.filters(); }), orgNames()];
    return Promise.all(loaded).then(function (answers) {
      var all = answers[0];
      all.year = byYear(all.month);
      delete all.page;
      names.org = answers[1];
      allValues = all;
      return run();
    });
  }

  /* Organisations' names by slug, from orgs.json (it grows with the archive, so it loads
     with the filters, not with the page). Without it the filter shows the slugs. */
  function orgNames() {
    return fetch(shared.siteRoot() + "orgs.json").then(function (answer) {
      return answer.ok ? answer.json() : [];
    }).then(function (orgs) {
      var byslug = {};
      orgs.forEach(function (org) { byslug[org.slug] = org.name; });
      return byslug;
    }).catch(function () { return {}; });
  }

  /* The state in the address with the words in the box: words typed a moment ago are
     not in the address yet, and a sort or a filter chosen then must not drop them. */
  function stateNow() {
    clearTimeout(timer);
    var state = readState(location.search);
    state.q = words.value.trim();
    return state;
  }

  words.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { go(stateNow(), true); }, 300);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go(stateNow());
  });
  sortBox.addEventListener("change", function () {
    var state = stateNow();
    state.sort = sortBox.value === sortOf({ q: state.q }) ? "" : sortBox.value;
    go(state);
  });
  facets.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement)) return;
    var state = stateNow();
    var values = (state.filters[input.name] || []).filter(function (v) { return v !== input.value; });
    if (input.checked) values.push(input.value);
    if (values.length) state.filters[input.name] = values;
    else delete state.filters[input.name];
    go(state);
  });
  toggle.addEventListener("click", function () {
    if (facets.classList.contains("digest-search-page__facets--open")) {
      facets.classList.remove("digest-search-page__facets--open");
      toggle.setAttribute("aria-expanded", "false");
    } else {
      openFilters();
    }
  });
  more.addEventListener("click", function () { results.more(isLatest(latest)); });
  window.addEventListener("popstate", function () {
    current = readState(location.search);
    typingEntry = false;
    run();
  });
  run();
})();
