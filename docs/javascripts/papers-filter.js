/* Paper Atlas: filter and sort the list on the "All papers" page.
 *
 * The page works without this file (a static list; <noscript> hides the form). Tags within
 * one facet widen the choice (any of them), tags from different facets narrow it (all
 * facets must match). The choice lives in the URL (?tag=quantization&tag=inference&sort=title&q=kv)
 * so a filtered view can be shared. No dependencies; runs again after Material's instant
 * navigation when that is on (document$), else once the page has loaded.
 */
(function () {
  "use strict";

  var DEFAULT_SORT = "newest";
  var SORTS = {
    // The page's own order: newest publication first (see atlas.dates.newest_first).
    newest: function (a, b) { return a.index - b.index; },
    title: function (a, b) { return a.title.localeCompare(b.title); },
    year: function (a, b) { return (b.year - a.year) || a.title.localeCompare(b.title); },
    added: function (a, b) { return b.added.localeCompare(a.added) || a.title.localeCompare(b.title); }
  };

  /* 1,988 of 10,000, as the page's own counts are written (atlas.render's `thousands`). */
  function count(n) { return n.toLocaleString("en-US"); }

  function readItems(list) {
    return Array.prototype.map.call(list.querySelectorAll("li.atlas-paper"), function (li, index) {
      var link = li.querySelector("a");
      return {
        node: li,
        index: index,
        title: (link ? link.textContent : li.textContent).trim(),
        titleLower: (link ? link.textContent : li.textContent).toLowerCase(),
        tags: (li.getAttribute("data-tags") || "").split(" ").filter(Boolean),
        year: parseInt(li.getAttribute("data-year"), 10) || 0,
        added: li.getAttribute("data-added") || ""
      };
    });
  }

  function stateFromUrl(form) {
    var params = new URLSearchParams(window.location.search);
    var sort = params.get("sort");
    return {
      tags: params.getAll("tag"),
      q: params.get("q") || "",
      sort: SORTS.hasOwnProperty(sort) ? sort : DEFAULT_SORT
    };
  }

  function stateFromForm(form) {
    var tags = Array.prototype.filter.call(form.querySelectorAll("input[name=tag]"), function (box) {
      return box.checked;
    }).map(function (box) { return box.value; });
    return { tags: tags, q: form.elements.q.value.trim(), sort: form.elements.sort.value };
  }

  function showState(form, state) {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=tag]"), function (box) {
      box.checked = state.tags.indexOf(box.value) !== -1;
    });
    form.elements.q.value = state.q;
    form.elements.sort.value = state.sort;
  }

  function writeUrl(state) {
    var params = new URLSearchParams();
    state.tags.forEach(function (tag) { params.append("tag", tag); });
    if (state.q) params.set("q", state.q);
    if (state.sort !== DEFAULT_SORT) params.set("sort", state.sort);
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  /* Selected tags grouped by facet: {facet: [tags]}. */
  function byFacet(form, tags) {
    var groups = {};
    tags.forEach(function (tag) {
      var box = form.querySelector('input[name=tag][value="' + CSS.escape(tag) + '"]');
      if (!box) return;
      var facet = box.getAttribute("data-facet");
      (groups[facet] = groups[facet] || []).push(tag);
    });
    return groups;
  }

  function apply(form, list, items, status, state) {
    var groups = byFacet(form, state.tags);
    var facets = Object.keys(groups);
    var needle = state.q.toLowerCase();
    var shown = 0;
    var sorted = items.slice().sort(SORTS[state.sort]);
    // Moving nodes costs a layout: only when the order on the page differs.
    var reorder = sorted.some(function (item, i) { return list.children[i] !== item.node; });
    sorted.forEach(function (item) {
      var match = facets.every(function (facet) {
        return groups[facet].some(function (tag) { return item.tags.indexOf(tag) !== -1; });
      }) && (!needle || item.titleLower.indexOf(needle) !== -1);
      item.node.hidden = !match;
      if (match) shown += 1;
      if (reorder) list.appendChild(item.node);
    });
    status.textContent = shown === items.length
      ? "Showing all " + count(items.length) + " papers."
      : "Showing " + count(shown) + " of " + count(items.length) + " papers.";
  }

  function init() {
    var form = document.getElementById("atlas-filter");
    var list = document.getElementById("atlas-paper-list");
    if (!form || !list || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var items = readItems(list);
    var status = form.querySelector(".atlas-filter__status");
    var state = stateFromUrl(form);
    showState(form, state);
    apply(form, list, items, status, state);
    // The tag choices are folded (they would push the list off a phone's screen) unless in use.
    var tagPanel = form.querySelector("details");
    if (tagPanel && state.tags.length) tagPanel.open = true;

    function update() {
      var next = stateFromForm(form);
      writeUrl(next);
      apply(form, list, items, status, next);
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
