/* Paper Atlas: sortable tables, no dependencies.
   Any table inside `.atlas-sortable` gets a button in each column heading; pressing it sorts the
   rows by that column (again to reverse). A cell's `data-sort` value (on the cell or an element
   in it) is used when present and numeric, so "up to 11.1×" sorts as 11.1; otherwise the text.
   Without JavaScript the table keeps its static order (biggest claim first within each kind). */
(function () {
  "use strict";

  function sortValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var marked = cell.hasAttribute("data-sort") ? cell : cell.querySelector("[data-sort]");
    if (marked) {
      var number = parseFloat(marked.getAttribute("data-sort"));
      if (!isNaN(number)) return number;
    }
    return cell.textContent.trim().toLowerCase();
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function sortBy(table, headers, index) {
    var heading = headers[index];
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    for (var i = 0; i < headers.length; i++) headers[i].removeAttribute("aria-sort");
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: sortValue(row, index), position: position };
    });
    rows.sort(function (x, y) {
      var order = compare(x.key, y.key);
      return (ascending ? order : -order) || x.position - y.position;
    });
    rows.forEach(function (entry) { body.appendChild(entry.row); });
  }

  function enhance(table) {
    if (table.getAttribute("data-atlas-sortable") || !table.tHead || !table.tBodies.length) return;
    table.setAttribute("data-atlas-sortable", "on");
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (heading, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "atlas-sort-button";
      button.textContent = heading.textContent;
      button.title = "Sort by " + heading.textContent;
      heading.textContent = "";
      heading.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, headers, index); });
    });
  }

  function init() {
    var tables = document.querySelectorAll(".atlas-sortable table");
    for (var i = 0; i < tables.length; i++) enhance(tables[i]);
  }

  // Material's instant navigation swaps pages without a load event; document$ reports each page.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
