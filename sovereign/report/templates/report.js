/* sovereign report: draw the charts, make tables sortable, open every <details> for printing. No network. */
(function () {
  "use strict";

  // Charts: each placeholder <div> has its figure as JSON next to it. Without plotly.min.js the text
  // summaries and data tables still carry the content.
  if (window.Plotly) {
    document.querySelectorAll("script[data-chart]").forEach(function (node) {
      var spec = JSON.parse(node.textContent);
      window.Plotly.newPlot(node.getAttribute("data-chart"), spec.figure.data, spec.figure.layout, spec.config);
    });
  }

  // Dependency graph: a <select> focuses on an application, a controller or a department. Trace 1 draws the
  // focused edges; the node traces dim every node off the focused paths. The sets travel in the figure's layout.meta.
  var graphDiv = document.getElementById("chart-dependencies");
  if (window.Plotly && graphDiv && graphDiv.layout) {
    var graph = graphDiv.layout.meta;
    var selects = document.querySelectorAll("select[data-dependencies-focus]");
    Array.prototype.forEach.call(selects, function (select) {
      select.addEventListener("change", function () {
        Array.prototype.forEach.call(selects, function (other) { if (other !== select) { other.value = ""; } });
        var chosen = graph.focus[select.value];
        var div = graphDiv;
        var on = {};
        if (chosen) { chosen[0].forEach(function (i) { on[graph.nodes[i]] = true; }); }
        var x = [], y = [];
        if (chosen) {
          chosen[1].forEach(function (i) { var e = graph.edges[i]; x.push(e[0], e[2], null); y.push(e[1], e[3], null); });
        }
        window.Plotly.restyle(div, {x: [x], y: [y]}, [1]);
        for (var t = 2; t < div.data.length; t++) {
          var ids = div.data[t].customdata;
          var opacity = ids.map(function (id) { return !chosen || on[id] ? 1 : 0.12; });
          window.Plotly.restyle(div, {"marker.opacity": [opacity], "textfont.color": [opacity.map(function (o) {
            return o === 1 ? "#1a1a1a" : "#cccccc"; })]}, [t]);
        }
      });
    });
  }

  // Sortable tables: header text becomes a button; a cell's data-sort (a number) wins over its text.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = th.getAttribute("data-sort-label") || "";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          var result = x.hasAttribute("data-sort") && y.hasAttribute("data-sort")
            ? parseFloat(x.getAttribute("data-sort")) - parseFloat(y.getAttribute("data-sort"))
            : x.textContent.trim().localeCompare(y.textContent.trim(), document.documentElement.lang);
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  // A link to an application's evidence opens its <details>.
  function openTarget() {
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Print everything, then restore what the reader had open.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
})();
