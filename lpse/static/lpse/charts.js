/* Line charts drawn with the vendored Chart.js: the operations console's series (MON-7) and
   the server-room climate with the regulation's bounds (INF-3). Each element carrying
   data-lpse-charts fetches its data-url, which answers {"charts": [...]}; a chart has a
   label, an optional place, unit and metric, and either datasets [{label, points}] or
   points plus low/high bounds (drawn dashed). No inline script (CSP script-src 'self').
   A chart with type "bar" has labels and datasets [{label, values}] (the head's monthly
   summary, RPT-1); data-source names a JSON script element read instead of data-url. */
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
    var title = document.createElement(container.dataset.heading || "h2");
    title.className = "h6";
    title.textContent = chart.label + (chart.place ? " \u2013 " + chart.place : "") +
      (chart.unit ? " (" + chart.unit + ")" : "");
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title.textContent);
    canvas.dataset.metric = chart.metric || chart.quantity || "";
    body.appendChild(title);
    body.appendChild(canvas);
    box.appendChild(body);
    column.appendChild(box);
    container.appendChild(column);
    return canvas;
  }

  function line(label, points, extra) {
    var set = {
      label: label,
      data: points.map(function (p) { return { x: p[0], y: p[1] }; }),
      pointRadius: 0,
      borderWidth: 1.5,
      tension: 0.1
    };
    Object.keys(extra || {}).forEach(function (key) { set[key] = extra[key]; });
    return set;
  }

  function datasets(container, chart) {
    if (chart.datasets) {
      return chart.datasets.map(function (set) { return line(set.label, set.points); });
    }
    var sets = [line(chart.label, chart.points)];
    if (chart.points.length && chart.low !== undefined) {
      var first = chart.points[0][0];
      var last = chart.points[chart.points.length - 1][0];
      var dashed = { borderWidth: 1, borderDash: [4, 4], tension: 0 };
      sets.push(line(container.dataset.low, [[first, chart.low], [last, chart.low]], dashed));
      sets.push(line(container.dataset.high, [[first, chart.high], [last, chart.high]], dashed));
    }
    return sets;
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
      if (chart.type === "bar") {
        bar(card(container, chart), chart);
        return;
      }
      new window.Chart(card(container, chart), {
        type: "line",
        data: { datasets: datasets(container, chart) },
        options: {
          animation: false,
          parsing: false,
          normalized: true,
          interaction: { mode: "nearest", intersect: false },
          scales: {
            x: { type: "linear", ticks: { maxTicksLimit: 6, callback: function (v) { return when(v); } } },
            y: { beginAtZero: chart.low === undefined }
          },
          plugins: {
            tooltip: { callbacks: { title: function (items) { return items.length ? when(items[0].parsed.x) : ""; } } }
          }
        }
      });
    });
    container.dataset.rendered = "true";
  }

  function bar(canvas, chart) {
    var value = { beginAtZero: true, max: chart.max, ticks: { precision: chart.unit ? undefined : 0 } };
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (set) { return { label: set.label, data: set.values }; })
      },
      options: {
        animation: false,
        indexAxis: chart.horizontal ? "y" : "x",
        scales: chart.horizontal ? { x: value } : { y: value }
      }
    });
  }

  function load(container) {
    if (container.dataset.source) {
      var source = document.getElementById(container.dataset.source);
      draw(container, JSON.parse(source ? source.textContent : "{\"charts\": []}"));
      return;
    }
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

  function start() {
    if (!window.Chart) { return; }
    document.querySelectorAll("[data-lpse-charts]").forEach(load);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
