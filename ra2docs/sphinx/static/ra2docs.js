/* ra2docs: tables that scroll in their own box, filter and sort; searches for an ID land on it.
   Plain JavaScript, no network, no libraries; every page works without it. */
(function () {
  "use strict";
  var MIN_ROWS = 50; // a table longer than this gets a filter box and a box of its own height
  // Verdicts, worst first (ra2docs.results.verdicts.ORDER, then "no test"): a verdict column sorts by them.
  var VERDICTS = ["fail", "stale", "not-run", "skipped", "pass", "no-test"];
  var HIGHLIGHT_KEY = "sphinx_highlight_terms"; // where Sphinx's search leaves the words to highlight
  var boxes = [];

  function forEach(list, callback) {
    Array.prototype.forEach.call(list, callback);
  }

  // -- boxes: wide tables and graphs scroll in their own box, never widen the page ----------

  function content() {
    return document.querySelector("div.body, [role='main']") || document.body;
  }

  function labelOf(element) {
    var caption = element.querySelector("caption");
    if (caption) { return caption.textContent.replace(/\u00b6/g, "").trim(); }
    var object = element.querySelector("object, img");
    if (object) { return object.getAttribute("alt") || object.textContent.trim() || "Graph"; }
    return "Table";
  }

  function wrap(element, className) {
    var parent = element.parentNode;
    if (parent.classList && parent.classList.contains("ra2-box")) { return parent; }
    var box = document.createElement("div");
    box.className = "ra2-box " + className;
    parent.insertBefore(box, element);
    box.appendChild(element);
    boxes.push(box);
    return box;
  }

  // A box that scrolls is a labelled region a keyboard can reach; one that does not is just a box.
  function updateBoxes() {
    boxes.forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", labelOf(box));
      } else if (!scrolls && box.hasAttribute("tabindex")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  function boxTables(root) {
    forEach(root.querySelectorAll("table"), function (table) {
      if (table.parentNode.closest("table")) { return; } // a table in a table scrolls with it
      var long = table.tBodies.length && table.tBodies[0].rows.length > MIN_ROWS;
      wrap(table, "ra2-table-box" + (long ? " ra2-table-box-long" : ""));
    });
  }

  function boxGraphs(root) {
    forEach(root.querySelectorAll("div.graphviz"), function (graph) {
      graph.classList.add("ra2-box", "ra2-graph-box");
      boxes.push(graph);
    });
  }

  // -- headers: scope, and a sort button in each column's header ------------------------------

  function scopeHeaders(root) {
    forEach(root.querySelectorAll("table"), function (table) {
      forEach(table.querySelectorAll("th"), function (th) {
        if (th.hasAttribute("scope")) { return; }
        var section = th.parentNode.parentNode;
        th.setAttribute("scope", section.tagName === "THEAD" ? (th.colSpan > 1 ? "colgroup" : "col") : "row");
      });
    });
  }

  // Natural order: 'ra2.ch.2' before 'ra2.ch.10', numbers by value.
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }

  function verdictRank(row, index) {
    var cell = row.cells[index];
    var badge = cell && cell.querySelector(".ra2-verdict");
    if (!badge) { return VERDICTS.length + 1; } // cells without a verdict come last
    for (var rank = 0; rank < VERDICTS.length; rank += 1) {
      if (badge.classList.contains("ra2-verdict-" + VERDICTS[rank])) { return rank; }
    }
    return VERDICTS.length;
  }

  function isTotal(row) {
    return row.classList.contains("ra2-total");
  }

  function makeSortable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) { return; }
    var headers = head.rows[head.rows.length - 1].cells;
    forEach(headers, function (th, index) {
      th.classList.add("ra2-sortable");
      th.setAttribute("aria-sort", "none");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ra2-sort";
      button.setAttribute("aria-label", "Sort by " + (th.textContent.trim() || "column " + (index + 1)));
      th.appendChild(button);
      th.addEventListener("click", function (event) {
        if (event.target.closest("a")) { return; } // a link in a header is still a link
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        forEach(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var data = rows.filter(function (row) { return !isTotal(row); });
        var byVerdict = data.some(function (row) {
          return row.cells[index] && row.cells[index].querySelector(".ra2-verdict");
        });
        data.sort(function (a, b) {
          var order = byVerdict
            ? verdictRank(a, index) - verdictRank(b, index)
            : collator.compare(cellText(a, index), cellText(b, index));
          return ascending ? order : -order;
        });
        // totals ("All") stay below the rows they sum up
        data.concat(rows.filter(isTotal)).forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  var filters = 0;

  function addFilter(table) {
    var body = table.tBodies[0];
    filters += 1;
    var box = document.createElement("div");
    box.className = "ra2-filter";
    var label = document.createElement("label");
    label.textContent = "Filter rows: ";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "ra2-filter-" + filters;
    input.className = "ra2-filter-input";
    input.setAttribute("placeholder", "words in a row");
    label.setAttribute("for", input.id);
    var count = document.createElement("span");
    count.className = "ra2-filter-count";
    count.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(count);
    var where = table.parentNode.classList.contains("ra2-box") ? table.parentNode : table;
    where.parentNode.insertBefore(box, where);
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      var total = 0;
      forEach(body.rows, function (row) {
        if (isTotal(row)) { return; } // totals are not rows of the table's items
        total += 1;
        var text = row.textContent.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = shown + " of " + total + " rows";
    }
    input.addEventListener("input", apply);
    apply();
  }

  // -- accessibility of the theme's own markup --------------------------------------------

  function repairTheme() {
    // Sphinx writes toctree captions as role="heading" without the level a heading must have.
    forEach(document.querySelectorAll("[role='heading']:not([aria-level])"), function (element) {
      element.setAttribute("aria-level", "2");
    });
    // A search box labelled by an element the theme left out gets a label of its own.
    forEach(document.querySelectorAll("input[aria-labelledby]"), function (input) {
      var ids = input.getAttribute("aria-labelledby").split(/\s+/);
      var missing = ids.some(function (id) { return !document.getElementById(id); });
      if (missing && !input.hasAttribute("aria-label")) {
        input.removeAttribute("aria-labelledby");
        input.setAttribute("aria-label", input.getAttribute("placeholder") || "Search");
      }
    });
  }

  // -- keyboard: a skip link, and the theme's mode toggle as a real button ----------------

  // The theme's logo is the link home, drawn without a text alternative: a screen reader reads
  // the link's title ("Go to homepage") instead of the image's file name.
  function nameLogoLinks() {
    forEach(document.querySelectorAll("a img:not([alt])"), function (image) {
      if (image.closest("div.body")) { return; }
      var link = image.closest("a");
      image.setAttribute("alt", (link && link.getAttribute("title")) || "Home page");
    });
  }

  // docutils writes a bibliography as role=list holding role=doc-biblioentry (a role DPUB-ARIA 1.1
  // deprecated, which a list may not hold): screen readers are given list items, as a list needs.
  function listCitations() {
    forEach(document.querySelectorAll(".citation-list[role='list'] > [role='doc-biblioentry']"), function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }

  // The pages Sphinx makes from templates (index, search) have no body to put the edition in at
  // build time: it is named in a meta tag, and shown at the top of their content here.
  function editionBanner() {
    var meta = document.querySelector("meta[name='ra2docs-edition']");
    var main = content();
    if (!meta || !main || document.querySelector(".ra2docs-edition")) { return; }
    var banner = document.createElement("p");
    banner.className = "ra2docs-edition";
    banner.textContent = "This site shows " + meta.getAttribute("content") + ".";
    main.insertBefore(banner, main.firstChild);
  }

  function skipLink() {
    var main = document.querySelector("div.body[role='main'], [role='main'], div.body");
    if (!main || document.querySelector("a.ra2-skip")) { return; }
    if (!main.id) { main.id = "ra2-content"; }
    if (!main.hasAttribute("tabindex")) { main.setAttribute("tabindex", "-1"); } // focus can land on it
    var link = document.createElement("a");
    link.className = "ra2-skip";
    link.href = "#" + main.id;
    link.textContent = "Skip to content";
    link.addEventListener("click", function (event) {
      event.preventDefault();
      main.focus();
      main.scrollIntoView();
    });
    document.body.insertBefore(link, document.body.firstChild);
  }

  var MODE_NAMES = { light: "light", dark: "dark", darkest: "darkest" };

  // piccolo-theme's toggle is an <a href="#"> without a name: a button takes its place and clicks it.
  function modeButton() {
    var toggle = document.getElementById("mode_toggle");
    if (!toggle || toggle.tagName === "BUTTON") { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ra2-mode-toggle";
    function sync() {
      var mode = document.documentElement.dataset.mode || "light";
      button.setAttribute("aria-label", "Colour mode: " + (MODE_NAMES[mode] || mode) + " (change)");
      button.title = button.getAttribute("aria-label");
      var icon = toggle.querySelector("svg");
      button.textContent = "";
      if (icon) {
        var copy = icon.cloneNode(true);
        copy.setAttribute("aria-hidden", "true");
        copy.setAttribute("focusable", "false");
        copy.removeAttribute("id");
        forEach(copy.querySelectorAll("[id]"), function (element) { element.removeAttribute("id"); });
        button.appendChild(copy);
      }
    }
    button.addEventListener("click", function () {
      toggle.click(); // the theme's own handler changes and stores the mode
      window.setTimeout(sync, 0); // and redraws its icon, which the button copies
    });
    toggle.parentNode.insertBefore(button, toggle);
    // the button is the mode toggle now, also by its id (the theme has mounted its handler on the link already)
    toggle.removeAttribute("id");
    button.id = "mode_toggle";
    toggle.classList.add("ra2-replaced");
    toggle.setAttribute("tabindex", "-1");
    toggle.setAttribute("aria-hidden", "true");
    sync();
  }

  // -- width: a table or graph wider than the text column spreads over the room the window has -----

  var widened = [];

  function shown(element) {
    // offsetParent is null for a fixed element too (piccolo's side bars): ask for its boxes instead
    return !!element && element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  }

  function room(body) {
    // from the right of the left navigation (or the window's edge) to the left of the page contents
    var left = 8;
    var right = document.documentElement.clientWidth - 8;
    var nav = document.querySelector("div.sphinxsidebar");
    var bodyBox = body.getBoundingClientRect();
    if (shown(nav)) {
      var navBox = nav.getBoundingClientRect();
      if (navBox.right <= bodyBox.left + 1 && navBox.width > 0) { left = navBox.right + 16; }
    }
    var toc = document.getElementById("right_sidebar");
    if (shown(toc)) {
      var tocBox = toc.getBoundingClientRect();
      if (tocBox.left >= bodyBox.right - 1 && tocBox.width > 0) { right = tocBox.left - 16; }
    }
    return [left, right];
  }

  function widenTables() {
    var body = content();
    widened.forEach(function (box) {
      box.classList.remove("ra2-widened");
      box.style.marginLeft = "";
      box.style.width = "";
    });
    widened = [];
    var bodyBox = body.getBoundingClientRect();
    var limits = room(body);
    if (limits[1] - limits[0] <= bodyBox.width + 1) { return; } // a phone: no more room than the column
    forEach(body.querySelectorAll(".ra2-table-box, .ra2-graph-box"), function (box) {
      if (box.closest("dl.ra2") || (box.parentNode.closest && box.parentNode.closest(".ra2-widened"))) { return; }
      var natural;
      var table = box.querySelector("table");
      if (table) {
        // the width the table would take with room to spare, lines unbroken where it can
        var previous = table.style.width;
        table.style.width = "max-content";
        natural = table.getBoundingClientRect().width;
        table.style.width = previous;
      } else if (box.scrollWidth > box.clientWidth + 1) {
        natural = box.scrollWidth + (box.offsetWidth - box.clientWidth); // a graph keeps its size
      } else {
        return;
      }
      if (table && natural <= bodyBox.width + 1) { return; }
      var boxLeft = box.getBoundingClientRect().left;
      var width = Math.min(natural + 2, limits[1] - limits[0]);
      // centred on the text column where it fits, else from the left edge of the room
      var start = Math.max(limits[0], Math.min(boxLeft + (bodyBox.width - width) / 2, limits[1] - width));
      box.classList.add("ra2-widened");
      box.style.width = Math.floor(width) + "px";
      box.style.marginLeft = Math.round(start - boxLeft) + "px";
      widened.push(box);
    });
  }

  // On paper, a table too wide for a portrait A4 page is printed on a landscape one.
  function markLandscape() {
    forEach(content().querySelectorAll(".ra2-table-box"), function (box) {
      var table = box.querySelector("table");
      if (!table) { return; }
      var columns = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1].cells.length : 0;
      var previous = table.style.width;
      table.style.width = "min-content";
      var least = table.getBoundingClientRect().width;
      table.style.width = previous;
      if (columns >= 9 || least > 900) { box.classList.add("ra2-print-landscape"); }
    });
  }

  // -- search: an ID is one word ---------------------------------------------------------
  // Sphinx's search splits 'e.cap.013' into 'e', 'cap' and '013' and the page a result opens
  // highlights every 'e' and 'cap' in it. For an ID, the ID is highlighted instead, whole.

  function looksLikeId(text) {
    return /^\w+(?:[.-]\w+)+$/.test(text) && text.indexOf(".") !== -1;
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  // Wrap every whole occurrence of the ID (not a part of a longer ID) in span.highlighted.
  function markId(root, id) {
    var pattern = new RegExp("(?<![\\w.-])" + escapeRegExp(id) + "(?![\\w-]|\\.\\w)", "gi");
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (!parent || parent.closest("script, style, textarea, a.headerlink, span.highlighted, svg, ul.search > li > a")) {
          return NodeFilter.FILTER_REJECT;
        }
        pattern.lastIndex = 0;
        return pattern.test(node.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    var found = [];
    while (walker.nextNode()) { found.push(walker.currentNode); }
    found.forEach(function (node) {
      var text = node.nodeValue;
      var fragment = document.createDocumentFragment();
      var last = 0;
      text.replace(pattern, function (match, offset) {
        fragment.appendChild(document.createTextNode(text.slice(last, offset)));
        var span = document.createElement("span");
        span.className = "highlighted";
        span.textContent = match;
        fragment.appendChild(span);
        last = offset + match.length;
        return match;
      });
      fragment.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(fragment, node);
    });
  }

  function unmarkWords(root, id) {
    forEach(root.querySelectorAll("span.highlighted"), function (span) {
      if (span.textContent.toLowerCase() !== id.toLowerCase()) {
        span.parentNode.replaceChild(document.createTextNode(span.textContent), span);
      }
    });
    root.normalize();
  }

  // On the search page: the words to highlight, for the page a result opens, are the whole ID.
  function searchPage(results) {
    var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    if (!looksLikeId(query)) { return; }
    var store = storage();
    // The ID's own entry comes first: Sphinx scores an object by its last dotted part, which
    // for 'gap.hw-topology-aware-hugepages' is no word of the query (Scorer.score: Sphinx's hook).
    var scorer = window.Scorer;
    if (scorer && typeof scorer === "object") {
      var previous = scorer.score;
      var wanted = query.toLowerCase();
      scorer.score = function (result) {
        var score = previous ? previous(result) : result[4];
        var exact = String(result[1]).toLowerCase() === wanted && String(result[2]).toLowerCase() === "#" + wanted;
        return exact ? score + 1000 : score;
      };
    }
    function remember() {
      if (store) { store.setItem(HIGHLIGHT_KEY, query); }
    }
    var observer = new MutationObserver(function () {
      observer.disconnect();
      remember(); // Sphinx has just stored the ID's words
      var list = results.querySelector("ul.search");
      if (list) {
        unmarkWords(list, query);
        markId(list, query);
      }
      observer.observe(results, { childList: true, subtree: true });
    });
    observer.observe(results, { childList: true, subtree: true });
    results.addEventListener("click", remember, true);
    results.addEventListener("auxclick", remember, true);
  }

  // The ID a search brought the reader here for, if the words to highlight are an ID's.
  function searchedId(store) {
    var url = new URL(window.location.href);
    var terms = ((store && store.getItem(HIGHLIGHT_KEY)) || url.searchParams.get("highlight") || "").trim();
    if (!terms) { return null; }
    if (looksLikeId(terms)) { return terms; }
    // the very words Sphinx splits the ID of this entry into (numbers it leaves out): a search for the ID
    var anchor = decodeURIComponent(window.location.hash.slice(1));
    if (anchor && looksLikeId(anchor) && document.getElementById(anchor)) {
      var pieces = anchor.toLowerCase().split(/[^\w]+/).filter(function (piece) { return !/^\d+$/.test(piece); });
      var words = terms.toLowerCase().split(/\s+/);
      var same = words.length === pieces.length && words.every(function (word) { return pieces.indexOf(word) !== -1; });
      if (same) { return anchor; }
    }
    return null;
  }

  function landedFromSearch() {
    var store = storage();
    var id = searchedId(store);
    if (!id) { return; }
    // Sphinx's highlighter runs after this script (at DOMContentLoaded): it now finds no words.
    if (store) { store.removeItem(HIGHLIGHT_KEY); }
    var url = new URL(window.location.href);
    if (url.searchParams.has("highlight")) {
      url.searchParams.delete("highlight");
      window.history.replaceState(window.history.state, "", url);
    }
    markId(content(), id);
    var target = document.getElementById(id);
    if (!target) {
      forEach(document.querySelectorAll("[id]"), function (element) {
        if (!target && element.id.toLowerCase() === id.toLowerCase()) { target = element; }
      });
    }
    if (target) {
      target.classList.add("ra2-searched");
      if (decodeURIComponent(window.location.hash.slice(1)) !== target.id) { target.scrollIntoView(); }
    }
    return target;
  }

  // Boxes change the page's layout: the element the address names is brought back into view.
  function revealAnchor() {
    var anchor = decodeURIComponent(window.location.hash.slice(1));
    var target = anchor && document.getElementById(anchor);
    if (target && target.closest(".ra2-box")) { target.scrollIntoView(); }
    return target;
  }

  // Graphs and widened tables change the layout once the page has loaded: the element the
  // reader came for is kept in view, unless the reader has scrolled since.
  function keepInView(target) {
    if (!target) { return; }
    var scrolled = false;
    var settled = false;
    window.addEventListener("wheel", function () { scrolled = true; }, { passive: true });
    window.addEventListener("touchmove", function () { scrolled = true; }, { passive: true });
    window.addEventListener("keydown", function () { scrolled = true; });
    window.addEventListener("load", function () {
      var box = target.getBoundingClientRect();
      if (!scrolled && !settled && (box.top < 0 || box.bottom > window.innerHeight)) { target.scrollIntoView(); }
      settled = true;
    });
  }

  function init() {
    var root = content();
    skipLink();
    nameLogoLinks();
    editionBanner();
    listCitations();
    modeButton();
    repairTheme();
    scopeHeaders(root);
    boxTables(root);
    boxGraphs(root);
    forEach(root.querySelectorAll("table.ra2-table"), function (table) {
      if (!table.tBodies.length) { return; }
      makeSortable(table);
      if (table.tBodies[0].rows.length > MIN_ROWS) { addFilter(table); }
    });
    markLandscape();
    widenTables();
    updateBoxes();
    function relayout() {
      widenTables();
      updateBoxes();
    }
    window.addEventListener("resize", relayout);
    window.addEventListener("load", relayout); // graphs take their size once their SVG has loaded
    var results = document.getElementById("search-results");
    var target = null;
    if (results) {
      searchPage(results);
    } else {
      target = landedFromSearch();
    }
    target = revealAnchor() || target;
    if (document.readyState !== "complete") { keepInView(target); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
