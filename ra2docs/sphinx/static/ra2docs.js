/* ra2docs: filter box and column sorting for long tables. No network, no libraries. */
(function () {
  "use strict";
  var MIN_ROWS = 50;

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  // Natural order: 'ra2.ch.2' before 'ra2.ch.10', numbers by value.
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) { return; }
    var headers = head.rows[head.rows.length - 1].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      th.classList.add("ra2-sortable");
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var order = collator.compare(cellText(a, index), cellText(b, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }

  function addFilter(table) {
    var body = table.tBodies[0];
    var box = document.createElement("div");
    box.className = "ra2-filter";
    var label = document.createElement("label");
    label.textContent = "Filter: ";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "ra2-filter-input";
    input.setAttribute("placeholder", "type to show matching rows");
    input.setAttribute("aria-label", "Filter the rows of this table");
    var count = document.createElement("span");
    count.className = "ra2-filter-count";
    label.appendChild(input);
    box.appendChild(label);
    box.appendChild(count);
    table.parentNode.insertBefore(box, table);
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = shown + " of " + body.rows.length + " rows";
    }
    input.addEventListener("input", apply);
    apply();
  }

  function init() {
    var tables = document.querySelectorAll("table.ra2-table");
    Array.prototype.forEach.call(tables, function (table) {
      if (!table.tBodies.length) { return; }
      makeSortable(table);
      if (table.tBodies[0].rows.length > MIN_ROWS) { addFilter(table); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
