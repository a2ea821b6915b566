// Heatmaps drawn by Chart.js: a scatter chart whose points are squares filling each cell, coloured by value.
// (chartjs-chart-matrix is not a dependency; this keeps the heatmap inside Chart.js's axes, tooltips and
// resizing rather than hand-drawing it.)
(function () {
  'use strict';
  // Light-to-dark blue ramp; t in [0, 1].
  function colour(t) {
    const a = [237, 243, 251], b = [8, 48, 107];
    const c = a.map((x, i) => Math.round(x + (b[i] - x) * Math.max(0, Math.min(1, t))));
    return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  }
  function points(h) {
    const out = [];
    h.values.forEach((row, r) => row.forEach((v, c) => out.push({ x: c, y: r, v })));
    return out;
  }
  function range(h) {
    const all = h.values.flat();
    const lo = Math.min(0, ...all), hi = Math.max(...all, lo + 1e-12);
    return [lo, hi];
  }
  function config(h) {
    const [lo, hi] = range(h);
    const cols = Math.max(1, h.columnLabels.length), rows = Math.max(1, h.rowLabels.length);
    return {
      type: 'scatter',
      data: { datasets: [{ label: h.title, data: points(h), pointStyle: 'rect',
        backgroundColor: (ctx) => colour(((ctx.raw && ctx.raw.v) - lo) / (hi - lo)),
        borderColor: 'rgba(255,255,255,0.8)', borderWidth: 1,
        // Chart.js draws a 'rect' point with side radius·√2: size it to fill the smaller cell side.
        pointRadius: (ctx) => { const a = ctx.chart.chartArea; if (!a) return 4; return (Math.min(a.width / cols, a.height / rows) * 0.96) / Math.SQRT2; },
        pointHoverRadius: (ctx) => { const a = ctx.chart.chartArea; if (!a) return 4; return (Math.min(a.width / cols, a.height / rows)) / Math.SQRT2; } }] },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false }, title: { display: true, text: `${h.title}  (${lo.toPrecision(3)} … ${hi.toPrecision(3)})` },
          tooltip: { callbacks: { label: (ctx) => `${h.rowLabels[ctx.raw.y] ?? ctx.raw.y} × ${h.columnLabels[ctx.raw.x] ?? ctx.raw.x}: ${Number(ctx.raw.v).toPrecision(4)}` } } },
        scales: {
          // Ticks at the cell centres (0, 1, …), not at the -0.5 … n-0.5 range ends a linear scale would pick.
          x: { type: 'linear', min: -0.5, max: cols - 0.5, grid: { display: false }, afterBuildTicks: (axis) => { axis.ticks = h.columnLabels.map((_, i) => ({ value: i })); }, ticks: { autoSkip: false, callback: (v) => h.columnLabels[v] ?? '' } },
          y: { type: 'linear', min: -0.5, max: rows - 0.5, reverse: true, grid: { display: false }, afterBuildTicks: (axis) => { axis.ticks = h.rowLabels.map((_, i) => ({ value: i })); }, ticks: { autoSkip: false, callback: (v) => h.rowLabels[v] ?? '' } },
        },
      },
    };
  }
  window.MoeHeatmap = {
    create(canvas, h) { return new Chart(canvas, config(h)); },
    update(chart, h) { const c = config(h); chart.data = c.data; chart.options = c.options; chart.update('none'); },
  };
})();
