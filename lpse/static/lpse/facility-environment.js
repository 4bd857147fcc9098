/* Server-room climate charts (INF-3): temperature and humidity over 7 days with the
   regulation's bounds, data from #facility-env-charts[data-url]. No inline script (CSP). */
(function () {
  "use strict";

  function when(ms) {
    return new Date(ms).toLocaleString(document.documentElement.lang || "id", {
      day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit"
    });
  }

  function draw(container, data) {
    if (!data.charts.length) {
      var empty = document.createElement("p");
      empty.className = "text-body-secondary";
      empty.textContent = container.dataset.empty;
      container.appendChild(empty);
      return;
    }
    data.charts.forEach(function (chart) {
      var column = document.createElement("div");
      column.className = "col-12 col-lg-6";
      var title = document.createElement("h3");
      title.className = "h6";
      title.textContent = chart.label + " \u2013 " + chart.place;
      var canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", title.textContent);
      column.appendChild(title);
      column.appendChild(canvas);
      container.appendChild(column);
      var first = chart.points.length ? chart.points[0][0] : 0;
      var last = chart.points.length ? chart.points[chart.points.length - 1][0] : 0;
      function bound(value, label) {
        return { label: label, data: [{ x: first, y: value }, { x: last, y: value }],
                 pointRadius: 0, borderWidth: 1, borderDash: [4, 4] };
      }
      new window.Chart(canvas, {
        type: "line",
        data: {
          datasets: [
            { label: chart.label, data: chart.points.map(function (p) { return { x: p[0], y: p[1] }; }),
              pointRadius: 0, borderWidth: 1.5, tension: 0.1 },
            bound(chart.low, container.dataset.low),
            bound(chart.high, container.dataset.high)
          ]
        },
        options: {
          animation: false,
          parsing: false,
          interaction: { mode: "nearest", intersect: false },
          scales: { x: { type: "linear", ticks: { maxTicksLimit: 6, callback: function (v) { return when(v); } } } },
          plugins: { tooltip: { callbacks: { title: function (items) { return items.length ? when(items[0].parsed.x) : ""; } } } }
        }
      });
    });
    container.dataset.rendered = "true";
  }

  function start() {
    var container = document.getElementById("facility-env-charts");
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
