/* Charts of the operations console (MON-7): one line chart per metric, data from the
   JSON view named in #ops-charts[data-url]. No inline script (CSP script-src 'self'). */
(function () {
  "use strict";

  function when(ms) {
    return new Date(ms).toLocaleString(document.documentElement.lang || "id", {
      day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit"
    });
  }

  function card(container, chart) {
    var column = document.createElement("div");
    column.className = "col-12 col-lg-6";
    var box = document.createElement("div");
    box.className = "card h-100";
    var body = document.createElement("div");
    body.className = "card-body";
    var title = document.createElement("h2");
    title.className = "h6";
    title.textContent = chart.label + (chart.unit ? " (" + chart.unit + ")" : "");
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title.textContent);
    canvas.dataset.metric = chart.metric;
    body.appendChild(title);
    body.appendChild(canvas);
    box.appendChild(body);
    column.appendChild(box);
    container.appendChild(column);
    return canvas;
  }

  function draw(container, data) {
    if (!data.charts.length) {
      var empty = document.createElement("p");
      empty.textContent = container.dataset.empty;
      container.appendChild(empty);
      return;
    }
    data.charts.forEach(function (chart) {
      var canvas = card(container, chart);
      new window.Chart(canvas, {
        type: "line",
        data: {
          datasets: chart.datasets.map(function (set) {
            return {
              label: set.label,
              data: set.points.map(function (p) { return { x: p[0], y: p[1] }; }),
              pointRadius: 0,
              borderWidth: 1.5,
              tension: 0.1
            };
          })
        },
        options: {
          animation: false,
          parsing: false,
          normalized: true,
          interaction: { mode: "nearest", intersect: false },
          scales: {
            x: { type: "linear", ticks: { maxTicksLimit: 6, callback: function (v) { return when(v); } } },
            y: { beginAtZero: true }
          },
          plugins: {
            tooltip: { callbacks: { title: function (items) { return items.length ? when(items[0].parsed.x) : ""; } } }
          }
        }
      });
    });
    container.dataset.rendered = "true";
  }

  function start() {
    var container = document.getElementById("ops-charts");
    if (!container || !window.Chart) { return; }
    fetch(container.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) { draw(container, data); })
      .catch(function () {
        var error = document.createElement("p");
        error.className = "text-danger";
        error.textContent = container.dataset.error;
        container.appendChild(error);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
