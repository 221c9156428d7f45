/* Paper Atlas: the header search box, answered by Pagefind (site/pagefind/), no other dependency.
   Material's search box, overlay and result list are kept as they are (overrides/partials/
   search.html); this script fills the list the way Material's search did. Pagefind's script,
   WebAssembly and the index's page list load from the site itself once the page has loaded and
   the browser is idle; the word lists and excerpts a query needs load only as it is typed.
   Keys as in Material: "/" or "s" opens the search, arrows move through the results, Enter
   opens the first (or the selected) one, Escape closes. Titles and URLs go into the page as text; Pagefind's excerpts are rebuilt
   from their text and <mark> elements only, so no entry's text can become markup. */
(function () {
  "use strict";

  var root = document.querySelector("[data-atlas-search]");
  var script = document.currentScript;
  if (!root || !script) return;

  var toggle = document.getElementById("__search");
  var form = root.querySelector("form");
  var input = root.querySelector(".md-search__input");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var scrollwrap = root.querySelector(".md-search__scrollwrap");
  var PAGE = 10; // results rendered at a time; more as the list is scrolled
  // Pagefind lists only pages with every word of a query. When a query of several words finds
  // fewer than FEW pages, the pages with all of its words but one follow them (Material's
  // search ranked pages with some of the words too): "KV cache compression" still lists the
  // KV-cache papers, after the pages that also say "compression".
  var FEW = 5;
  var MAX_WORDS = 6; // beyond this, one search per left-out word is too many
  var DELAY = 40; // ms of quiet typing before a search runs

  // The site's root is one folder up from this script: right under a subpath and under `mkdocs serve`.
  var siteRoot = new URL("../", script.src);
  var translations = {};
  try {
    translations = JSON.parse(document.getElementById("__config").textContent).translations || {};
  } catch (error) { /* Material's defaults below */ }
  function t(key, fallback) { return translations[key] || fallback; }

  var engine = null; // the promise of Pagefind's module, loaded once
  var current = 0; // number of the latest search; older answers are dropped
  var timer = 0;
  var searching = false; // a search is running
  var pending = false; // another was asked for meanwhile
  var shown = { results: [], rendered: 0, busy: false };

  /* Pagefind's module, initialised: its script, worker, WebAssembly and the index's entry and
     page list (a few hundred kB at 10,000 papers), and the other parts of an index built in
     parts (pagefind/atlas-parts.json, see scripts/atlas/searchindex.py). Word lists and
     excerpts load only for a query. */
  function loadEngine() {
    if (!engine) {
      var base = new URL("pagefind/", siteRoot);
      var parts = fetch(new URL("atlas-parts.json", base).href).then(function (response) {
        return response.ok ? response.json() : [];
      }).catch(function () { return []; });
      engine = import(new URL("pagefind.js", base).href).then(function (pagefind) {
        return Promise.resolve(pagefind.options({ baseUrl: siteRoot.pathname })).then(function () {
          return pagefind.init ? pagefind.init() : null;
        }).then(function () { return parts; }).then(function (folders) {
          return Promise.all(folders.map(function (folder) {
            return pagefind.mergeIndex(new URL(folder, base).pathname, { baseUrl: siteRoot.pathname });
          }));
        }).then(function () { return pagefind; });
      });
      engine.catch(function () {
        meta.textContent = "Search is not available: the index did not load.";
      });
    }
    return engine;
  }

  /* While the reader types, fetch the word lists the query will need (no search yet). */
  function preload(query) {
    if (!query) return;
    loadEngine().then(function (pagefind) {
      if (pagefind.preload && input.value.trim() === query) return pagefind.preload(query);
    }).catch(function () { /* reported once by loadEngine */ });
  }

  /* Once the page has loaded and the browser is idle, get the engine ready for a first query. */
  function warmUp() {
    var idle = window.requestIdleCallback || function (callback) { return setTimeout(callback, 1); };
    idle(function () { loadEngine(); }, { timeout: 3000 });
  }

  function setOpen(open) {
    if (toggle && toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  function countText(count, partial) {
    var text;
    if (count === 0) text = t("search.result.none", "No matching documents");
    else if (count === 1) text = t("search.result.one", "1 matching document");
    else text = t("search.result.other", "# matching documents").replace("#", count.toLocaleString("en"));
    if (!partial) return text;
    return text + "; " + partial.toLocaleString("en") + (count ? " more" : "") + " with all words but one";
  }

  /* The pages that have every word of `query` but one, best first, without those in `found`
     (the pages with every word); none unless `found` has fewer than FEW pages. */
  function allButOneWord(pagefind, query, found) {
    var words = query.split(/\s+/);
    if (found.length >= FEW || words.length < 2 || words.length > MAX_WORDS) return Promise.resolve([]);
    var seen = {};
    found.forEach(function (result) { seen[result.id] = true; });
    return Promise.all(words.map(function (_, left) {
      return pagefind.search(words.filter(function (_, i) { return i !== left; }).join(" "));
    })).then(function (answers) {
      var more = [];
      answers.forEach(function (answer) {
        (answer ? answer.results : []).forEach(function (result) {
          if (!seen[result.id]) {
            seen[result.id] = true;
            more.push(result);
          }
        });
      });
      // Best first; equal scores in the order the searches gave them (sort is stable).
      return more.sort(function (a, b) { return b.score - a.score; });
    });
  }

  /* Pagefind's excerpt is text with <mark> around the matched words: keep exactly that. */
  function excerptNodes(excerpt) {
    var template = document.createElement("template");
    template.innerHTML = excerpt; // inert: a template's content runs no script and loads nothing
    var paragraph = document.createElement("p");
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.tabIndex = -1;
    link.href = new URL(data.url, location.href).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var title = document.createElement("h1");
    title.textContent = (data.meta && data.meta.title) || data.url;
    article.appendChild(icon);
    article.appendChild(title);
    article.appendChild(excerptNodes(data.excerpt || ""));
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function partialHeading() {
    var heading = document.createElement("li");
    heading.className = "atlas-search-partial";
    heading.textContent = "With all words but one";
    return heading;
  }

  /* Render the next PAGE results of the latest search, each as soon as its excerpt (a fragment
     Pagefind fetches) and those of the results above it are in. */
  function renderMore() {
    var state = shown;
    if (state.busy || state.rendered >= state.results.length) return Promise.resolve();
    state.busy = true;
    var batch = state.results.slice(state.rendered, state.rendered + PAGE);
    var ready = Promise.resolve();
    var loads = batch.map(function (result) { return result.data(); });
    loads.forEach(function (load) {
      ready = ready.then(function () { return load; }).then(function (data) {
        if (state !== shown) return;
        if (state.fresh) begin(state);
        if (state.partial && state.rendered === state.results.length - state.partial) {
          list.appendChild(partialHeading()); // where the pages with all words but one begin
        }
        list.appendChild(resultItem(data));
        state.rendered += 1;
      });
    });
    return ready.then(function () { state.busy = false; }, function () { state.busy = false; });
  }

  /* A new answer replaces the list when its first result is ready (or at once when it has
     none), so that the previous answer stays in view meanwhile rather than a blank list. */
  function begin(state) {
    state.fresh = false;
    list.textContent = "";
    meta.textContent = countText(state.results.length - state.partial, state.partial);
    list.setAttribute("data-query", state.query); // which query the list answers (for tests, benchmarks)
    list.setAttribute("aria-busy", "true"); // until its first screen of results is in
  }

  function clear(text) {
    list.textContent = "";
    list.removeAttribute("data-query");
    list.removeAttribute("aria-busy");
    meta.textContent = text;
    shown = { results: [], rendered: 0, busy: false };
  }

  /* One search at a time: Pagefind answers them in turn, so a query typed while another runs
     waits for it, and only the latest query typed meanwhile runs next. */
  function search() {
    var query = input.value.trim();
    var number = ++current;
    if (!query) {
      clear(t("search.result.placeholder", "Type to start searching"));
      return;
    }
    if (searching) {
      pending = true;
      return;
    }
    searching = true;
    loadEngine().then(function (pagefind) {
      return pagefind.search(query).then(function (answer) {
        if (!answer || number !== current) return answer && { results: answer.results, partial: [] };
        return allButOneWord(pagefind, query, answer.results).then(function (partial) {
          return { results: answer.results, partial: partial };
        });
      });
    }).then(function (answer) {
      searching = false;
      if (pending) {
        pending = false;
        search();
      }
      if (number !== current || !answer) return;
      var state = { results: answer.results.concat(answer.partial), partial: answer.partial.length,
                    rendered: 0, busy: false, fresh: true, query: query };
      shown = state;
      if (!state.results.length) begin(state);
      return renderMore().then(function () {
        if (state === shown) list.removeAttribute("aria-busy");
      });
    }).catch(function () {
      searching = false; // the failure is reported once by loadEngine
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
  }

  input.addEventListener("focus", function () {
    setOpen(true);
    loadEngine();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, DELAY);
    preload(input.value.trim());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    clearTimeout(timer);
    current++;
    clear(t("search.result.placeholder", "Type to start searching"));
    setTimeout(function () { input.focus(); }, 0);
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest("a")) setOpen(false);
  });
  if (document.readyState === "complete") warmUp();
  else window.addEventListener("load", warmUp);
  scrollwrap.addEventListener("scroll", function () {
    if (scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 200) renderMore();
  });
  if (toggle) {
    // The header's magnifier (phones) and the overlay are labels of this checkbox.
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        if (document.activeElement !== input) input.focus();
      } else if (document.activeElement === input || root.contains(document.activeElement)) {
        document.activeElement.blur();
      }
    });
  }

  function typing(element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    var open = toggle ? toggle.checked : document.activeElement === input;
    if (!open) {
      if ((event.key === "/" || event.key === "s" || event.key === "f") && !typing(document.activeElement)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    if (event.key === "Escape" || event.key === "Tab") {
      setOpen(false);
      input.blur();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var items = [input].concat(links());
      var at = Math.max(0, items.indexOf(document.activeElement));
      var next = (at + items.length + (event.key === "ArrowUp" ? -1 : 1)) % items.length;
      items[next].focus();
      if (next >= items.length - 2) renderMore();
      event.preventDefault();
    } else if (event.key.length === 1 && document.activeElement !== input) {
      input.focus(); // typing while a result is focused goes on in the box
    }
  });
})();
