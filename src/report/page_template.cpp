#include "page_template.hpp"

namespace pc::report::page {

const std::string_view kErrorHook = R"js(window.pcErrors = [];
window.addEventListener('error', function (e) {
  window.pcErrors.push(String((e && e.message) || e));
});
)js";

const std::string_view kStyle = R"css(:root {
  --bg: #ffffff; --fg: #1b1f24; --muted: #59636e; --grid: #e4e7eb; --border: #d0d5db;
  --row: #f4f6f8; --accent: #0b62c4;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171b; --fg: #e4e7eb; --muted: #9aa4ae; --grid: #2b3137; --border: #3a4148;
    --row: #1c2025; --accent: #6cb0ff;
  }
}
body {
  margin: 0 auto; max-width: 1400px; padding: 16px 24px; background: var(--bg);
  color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "DejaVu Sans", sans-serif;
}
a { color: var(--accent); }
h1 { font-size: 22px; margin: 8px 0 12px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 3px; border-bottom: 1px solid var(--border); }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 3px 18px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table.summary { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.summary th, table.summary td { padding: 3px 12px; border-bottom: 1px solid var(--border); text-align: right; }
table.summary th:first-child, table.summary td:first-child { text-align: left; overflow-wrap: anywhere; }
table.summary thead th { color: var(--muted); font-weight: 600; }
table.summary tbody tr:nth-child(even) { background: var(--row); }
.hint { color: var(--muted); font-size: 12px; margin: 0 0 10px; }
figure.chart { margin: 0 0 22px; break-inside: avoid; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; overflow-wrap: anywhere; }
.plot { height: 240px; width: 100%; position: relative; }
.legend { font-size: 12px; min-height: 1.5em; color: var(--muted); overflow-wrap: anywhere; }
.legend .legend-series { font-weight: 600; }
.legend .legend-highlight { text-decoration: underline; }
.legend .dygraph-legend { position: static; background: transparent; width: auto; font-size: 12px; }
.dygraph-axis-label { color: var(--muted); }
.dygraph-label { color: var(--fg); }
canvas.heat { display: block; width: 100%; image-rendering: pixelated; }
.heat-scale { display: inline-block; width: 160px; height: 10px; vertical-align: middle;
  background: linear-gradient(to right, hsl(210, 70%, 92%), hsl(50, 95%, 55%), hsl(0, 85%, 45%)); }
@media print {
  body { max-width: none; padding: 0; background: #fff; color: #000; font-size: 10pt; }
  :root { --bg: #fff; --fg: #000; --muted: #333; --grid: #ccc; --border: #999; --row: #f2f2f2; }
  .pc-banner, .hint { display: none; }
  figure.chart { page-break-inside: avoid; }
  h2 { page-break-after: avoid; }
  .plot { height: 190px; }
}
)css";

const std::string_view kScript = R"js((function () {
  'use strict';
  var started = performance.now();
  var data = JSON.parse(document.getElementById('pc-data').textContent);
  var root = document.getElementById('pc-charts');
  var style = getComputedStyle(document.documentElement);
  function cssVar(name) { return style.getPropertyValue(name).trim(); }
  var palette = ['#1f77b4', '#e8590c', '#2f9e44', '#c2255c', '#7048e8', '#8c6d1f', '#0c8599',
                 '#868e96', '#d6336c', '#5c940d', '#1864ab', '#e67700'];
  var graphs = [], heats = [], charts = 0, points = 0;

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function timeText(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
        pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()) + ' UTC';
  }
  function numberText(v) {
    if (v === null || v === undefined || isNaN(v)) return '-';
    var a = Math.abs(v);
    return a >= 1000 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  }

  // The legend as DOM nodes coloured through the CSSOM: dygraphs' own legend is HTML with
  // style attributes, which the page's Content-Security-Policy (no 'unsafe-inline') refuses.
  function legendNodes(data) {
    var out = document.createDocumentFragment();
    var at = data.x !== undefined && data.x !== null;
    if (at) out.appendChild(document.createTextNode(data.xHTML + ':'));
    data.series.forEach(function (s) {
      if (!s.isVisible) return;
      if (out.childNodes.length) out.appendChild(document.createTextNode(' '));
      var name = document.createElement('span');
      name.className = s.isHighlighted ? 'legend-series legend-highlight' : 'legend-series';
      name.style.color = s.color;
      name.textContent = s.label;
      out.appendChild(name);
      if (at && s.yHTML !== undefined) out.appendChild(document.createTextNode(': ' + s.yHTML));
    });
    return out;
  }

  // Many CPUs: one row of coloured cells per CPU, one column per pixel (the highest value of
  // the points falling in it), drawn again for the time range the charts are zoomed to.
  function heatMap(c, plot, legend) {
    var n = c.labels.length;
    var canvas = document.createElement('canvas');
    canvas.className = 'heat';
    plot.style.height = 'auto';
    plot.appendChild(canvas);
    var rowHeight = Math.max(3, Math.min(14, Math.floor(320 / n)));
    var range = [c.x[0] * 1000, c.x[c.x.length - 1] * 1000];
    var cells = null, columns = 0;
    var scale = document.createElement('span');
    legend.textContent = 'busy %: 0 ';
    scale.className = 'heat-scale';
    legend.appendChild(scale);
    legend.appendChild(document.createTextNode(' 100; one row per CPU (' + c.labels[0] + ' at the top)'));
    var readout = document.createElement('div');
    legend.appendChild(readout);
    function colour(v) {
      var t = Math.max(0, Math.min(1, v / 100));
      var hue = t < 0.5 ? 210 - (210 - 50) * (t / 0.5) : 50 - 50 * ((t - 0.5) / 0.5);
      var light = t < 0.5 ? 92 - 37 * (t / 0.5) : 55 - 10 * ((t - 0.5) / 0.5);
      return 'hsl(' + hue.toFixed(0) + ',80%,' + light.toFixed(0) + '%)';
    }
    function draw() {
      columns = Math.max(1, plot.clientWidth || 800);
      canvas.width = columns;
      canvas.height = n * rowHeight;
      canvas.style.height = (n * rowHeight) + 'px';
      var ctx = canvas.getContext('2d');
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      cells = new Float32Array(columns * n).fill(-1);
      var span = Math.max(1, range[1] - range[0]);
      function column(t) { return Math.floor((t - range[0]) / span * columns); }
      // A point colours the columns up to the next point (a row without values, at a gap,
      // leaves its stretch empty), keeping the highest value per column.
      for (var r = 0; r < c.x.length; r++) {
        var t0 = c.x[r] * 1000;
        var t1 = r + 1 < c.x.length ? c.x[r + 1] * 1000 : t0;
        if (t1 < range[0] || t0 > range[1]) continue;
        var first = Math.max(0, column(t0));
        var last = Math.min(columns - 1, Math.max(first, column(t1) - 1));
        for (var s = 0; s < n; s++) {
          var v = c.y[r * n + s];
          if (v === null) continue;
          for (var col = first; col <= last; col++) {
            if (v > cells[s * columns + col]) cells[s * columns + col] = v;
          }
        }
      }
      var drawn = 0;
      for (var s2 = 0; s2 < n; s2++) {
        for (var x = 0; x < columns; x++) {
          var v2 = cells[s2 * columns + x];
          if (v2 < 0) continue;
          ctx.fillStyle = colour(v2);
          ctx.fillRect(x, s2 * rowHeight, 1, rowHeight - (rowHeight > 4 ? 1 : 0));
          drawn++;
        }
      }
      return drawn;
    }
    canvas.addEventListener('mousemove', function (e) {
      var box = canvas.getBoundingClientRect();
      var x = Math.floor((e.clientX - box.left) / box.width * columns);
      var s = Math.floor((e.clientY - box.top) / rowHeight);
      if (!cells || s < 0 || s >= n || x < 0 || x >= columns) return;
      var v = cells[s * columns + x];
      var t = range[0] + (x + 0.5) / columns * (range[1] - range[0]);
      readout.textContent = c.labels[s] + ' at ' + timeText(t) + ': ' + (v < 0 ? 'no data' : numberText(v) + ' % busy');
    });
    return {
      draw: draw,
      zoom: function (r) { range = [r[0], r[1]]; draw(); }
    };
  }

  data.charts.forEach(function (c, index) {
    var figure = document.createElement('figure');
    figure.className = 'chart';
    figure.id = 'pc-chart-' + index;
    var caption = document.createElement('figcaption');
    caption.textContent = c.title;
    var plot = document.createElement('div');
    plot.className = 'plot';
    var legend = document.createElement('div');
    legend.className = 'legend';
    figure.appendChild(caption);
    figure.appendChild(plot);
    figure.appendChild(legend);
    root.appendChild(figure);
    if (c.heat) {
      var heat = heatMap(c, plot, legend);
      points += heat.draw();
      heats.push(heat);
      charts++;
      return;
    }
    var width = c.labels.length;
    var rows = new Array(c.x.length);
    for (var r = 0; r < c.x.length; r++) {
      var row = [new Date(c.x[r] * 1000)];
      for (var s = 0; s < width; s++) {
        var v = c.y[r * width + s];
        if (v !== null) points++;
        row.push(v);
      }
      rows[r] = row;
    }
    var series = {};
    c.right.forEach(function (label) { series[label] = { axis: 'y2' }; });
    var options = {
      labels: ['time'].concat(c.labels),
      labelsDiv: legend,
      legend: 'always',
      legendFormatter: legendNodes,
      labelsUTC: true,
      stackedGraph: c.stacked,
      fillGraph: c.stacked,
      fillAlpha: 0.35,
      ylabel: c.unit,
      series: series,
      colors: palette.slice(0, Math.max(1, width)).concat(palette).slice(0, width),
      strokeWidth: 1.2,
      gridLineColor: cssVar('--grid'),
      axisLineColor: cssVar('--border'),
      axisLabelFontSize: 12,
      includeZero: true,
      axes: {
        x: { valueFormatter: timeText },
        y: { valueFormatter: numberText, axisLabelWidth: 58 },
        y2: { valueFormatter: numberText, axisLabelWidth: 58, independentTicks: true }
      }
    };
    if (c.right.length) options.y2label = c.right_unit;
    if (c.max_y) options.valueRange = [0, c.max_y];
    if (graphs.length === 0) {
      options.drawCallback = function (g) {
        var r = g.xAxisRange();
        heats.forEach(function (h) { h.zoom(r); });
      };
    }
    graphs.push(new Dygraph(plot, rows, options));
    charts++;
  });
  if (graphs.length > 1) Dygraph.synchronize(graphs, { selection: true, zoom: true, range: false });
  function resize() {
    graphs.forEach(function (g) { g.resize(); });
    heats.forEach(function (h) { h.draw(); });
  }
  window.addEventListener('resize', resize);
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  document.body.dataset.pcPoints = String(points);
  // How long drawing took, and the time from the start of navigation to now (ms).
  document.body.dataset.pcDrawMs = String(Math.round(performance.now() - started));
  document.body.dataset.pcReadyMs = String(Math.round(performance.now()));
  document.body.dataset.pcCharts = String(charts);
})();
)js";

}  // namespace pc::report::page
