// The suite dashboard: one panel for the platform and one per registered app, refreshed by polling the
// suite's JSON API. Charts are created once per key and updated in place, so polling does not flicker.
(function () {
  'use strict';
  const POLL_MS = 3000;
  const HISTORY = 60;
  const PALETTE = ['#1d6fb8', '#d9480f', '#2a8a3e', '#7048e8', '#c2255c', '#0b7285', '#e67700', '#5c940d'];
  const charts = new Map(); // key → Chart
  const history = new Map(); // key → [{t, v}] for client-side live series
  const state = { ready: false, errors: [], polls: 0 };
  window.__dashboard = { charts, state };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (k === 'class') e.className = v; else e.setAttribute(k, v);
    for (const c of children) if (c != null) e.append(c instanceof Node ? c : String(c));
    return e;
  }
  async function getJson(path) {
    const r = await fetch(path, { headers: { accept: 'application/json' } });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  }
  function fmt(v) {
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return v.toLocaleString('en');
    return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
  }
  function statsRow(items) {
    return el('div', { class: 'stats' }, ...items.map((s) => el('div', { class: 'stat' }, el('div', { class: 'v' }, fmt(s.value) + (s.unit ? ` ${s.unit}` : '')), el('div', { class: 'l' }, s.label))));
  }
  function table(headers, rows) {
    return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))), el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))));
  }

  /** A chart slot inside `grid`: created on first use, updated afterwards; `make` returns a Chart config. */
  function chartSlot(grid, key, make, cls) {
    let box = grid.querySelector(`[data-key="${CSS.escape(key)}"]`);
    const cfg = make();
    if (!box) {
      box = el('div', { class: `chart ${cls || ''}`, 'data-key': key }, el('canvas', {}));
      grid.append(box);
    }
    box.dataset.seen = '1';
    const existing = charts.get(key);
    if (existing) {
      existing.data = cfg.data;
      existing.update('none');
    } else {
      charts.set(key, new Chart(box.querySelector('canvas'), cfg));
    }
  }
  function heatmapSlot(grid, key, h) {
    let box = grid.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!box) {
      box = el('div', { class: 'chart heat', 'data-key': key }, el('canvas', {}));
      grid.append(box);
    }
    box.dataset.seen = '1';
    const existing = charts.get(key);
    if (existing) window.MoeHeatmap.update(existing, h);
    else charts.set(key, window.MoeHeatmap.create(box.querySelector('canvas'), h));
  }
  /** A picture slot (an app's `images`): the <img> is kept and only its source swapped, so polling does not flicker. */
  function imageSlot(grid, key, im) {
    let box = grid.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!box) {
      box = el('figure', { class: 'picture', 'data-key': key }, el('figcaption', { class: 'title' }), el('img', { alt: im.title }), el('figcaption', { class: 'caption muted' }));
      grid.append(box);
    }
    box.dataset.seen = '1';
    const img = box.querySelector('img');
    if (img.getAttribute('src') !== im.src) img.setAttribute('src', im.src);
    if (im.width) img.style.width = `${im.width}px`;
    box.querySelector('.title').textContent = im.title;
    box.querySelector('.caption').textContent = im.caption || '';
  }
  /** Removes chart slots not refreshed this round (e.g. a series that disappeared). */
  function sweep(grid) {
    for (const box of grid.querySelectorAll('.chart, .picture')) {
      if (box.dataset.seen === '1') { box.dataset.seen = ''; continue; }
      charts.get(box.dataset.key)?.destroy();
      charts.delete(box.dataset.key);
      box.remove();
    }
  }
  function lineConfig(title, series, opts) {
    return {
      type: 'line',
      data: { datasets: series.map((s, i) => ({ label: s.name, data: s.points.map(([x, y]) => ({ x, y })), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], pointRadius: s.points.length > 60 ? 0 : 2, borderWidth: 1.5, tension: 0.15 })) },
      options: { animation: false, maintainAspectRatio: false, parsing: true,
        plugins: { title: { display: true, text: title }, legend: { display: series.length > 1 } },
        scales: { x: { type: 'linear', ...(opts && opts.xMin !== undefined ? { min: opts.xMin } : {}), title: { display: !!(opts && opts.xLabel), text: (opts && opts.xLabel) || '' } }, y: { title: { display: !!(opts && opts.yLabel), text: (opts && opts.yLabel) || '' } } } },
    };
  }
  function barConfig(title, labels, datasets, opts) {
    const y = { ...(opts && opts.yMin !== undefined ? { min: opts.yMin } : {}), ...(opts && opts.yMax !== undefined ? { max: opts.yMax } : {}), title: { display: !!(opts && opts.yLabel), text: (opts && opts.yLabel) || '' } };
    return {
      type: 'bar',
      data: { labels, datasets: datasets.map((d, i) => ({ label: d.name, data: d.values, backgroundColor: PALETTE[i % PALETTE.length] })) },
      options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: title }, legend: { display: datasets.length > 1 } }, scales: { y } },
    };
  }
  function remember(key, v) {
    const h = history.get(key) || [];
    h.push({ t: Date.now() / 1000, v });
    if (h.length > HISTORY) h.shift();
    history.set(key, h);
    return h;
  }
  /** Per-second rate from a cumulative counter's history. */
  function rate(h) {
    const out = [];
    for (let i = 1; i < h.length; i++) out.push([h[i].t - h[0].t, (h[i].v - h[i - 1].v) / Math.max(1e-3, h[i].t - h[i - 1].t)]);
    return out;
  }

  function panelShell(id, title, badge) {
    let sec = document.getElementById(id);
    if (!sec) {
      sec = el('section', { class: 'panel', id },
        el('h2', {}, el('span', { class: 'title' }, title), el('span', { class: 'badge' })),
        el('div', { class: 'body' }), el('div', { class: 'pictures' }), el('div', { class: 'grid' }));
      document.getElementById('panels').append(sec);
    }
    const b = sec.querySelector('.badge');
    b.className = `badge ${badge}`;
    b.textContent = badge;
    return { body: sec.querySelector('.body'), pictures: sec.querySelector('.pictures'), grid: sec.querySelector('.grid') };
  }

  function renderPlatform(s) {
    const { body, grid } = panelShell('panel-platform', 'Platform', 'available');
    const mem = remember('platform:rss', s.rssBytes / 2 ** 20);
    const req = remember('platform:requests', s.requests.total);
    body.replaceChildren(statsRow([
      { label: 'uptime', value: s.uptimeSeconds, unit: 's' }, { label: 'resident memory', value: s.rssBytes / 2 ** 20, unit: 'MiB' },
      { label: 'requests', value: s.requests.total }, { label: '4xx', value: s.requests.clientErrors }, { label: '5xx', value: s.requests.serverErrors },
      { label: 'database', value: s.database },
    ]));
    chartSlot(grid, 'platform:rate', () => lineConfig('requests per second', [{ name: 'req/s', points: rate(req) }], { xLabel: 'seconds', xMin: 0 }));
    chartSlot(grid, 'platform:rss', () => lineConfig('resident memory (MiB)', [{ name: 'RSS', points: mem.map((p) => [p.t - mem[0].t, p.v]) }], { xLabel: 'seconds', xMin: 0 }));
    sweep(grid);
  }

  function renderApp(o) {
    const { body, pictures, grid } = panelShell(`panel-${o.name}`, o.title, o.state);
    const parts = [];
    if (o.state !== 'available') {
      parts.push(el('div', { class: `notice ${o.state}` }, o.state === 'failed' ? `failed to load: ${o.reason}` : `${o.title} is not available yet (${o.reason}).`));
    }
    if (o.panel && o.panel.status) parts.push(el('p', {}, o.panel.status));
    if (o.panelError) parts.push(el('div', { class: 'notice failed' }, o.panelError));
    const events = o.streams.reduce((a, s) => a + s.eventsApplied, 0);
    parts.push(statsRow([
      { label: 'model versions', value: o.models.length }, { label: 'stream events applied', value: events },
      { label: 'drift events', value: o.drift.total }, { label: 'dead letters', value: o.deadLetters },
      ...((o.panel && o.panel.stats) || []),
    ]));
    if (o.models.length) {
      const keys = [...new Set(o.models.flatMap((m) => Object.keys(m.metrics)))].slice(0, 4);
      parts.push(table(['model', 'version', 'status', 'created', ...keys], o.models.map((m) => [m.name, `v${m.version}`, m.status, new Date(m.createdAt).toLocaleString(), ...keys.map((k) => (k in m.metrics ? fmt(m.metrics[k]) : '—'))])));
      const ordered = [...o.models].reverse();
      chartSlot(grid, `${o.name}:models`, () => barConfig('metrics by model version', ordered.map((m) => `${m.name} v${m.version}`), keys.map((k) => ({ name: k, values: ordered.map((m) => m.metrics[k] ?? null) }))));
    } else if (o.state === 'available') {
      parts.push(el('p', { class: 'empty' }, 'no model versions registered yet'));
    }
    if (o.streams.length) {
      parts.push(table(['stream', 'consumer', 'offset', 'events applied', 'updated'], o.streams.map((s) => [s.stream, s.consumer, s.offset, fmt(s.eventsApplied), new Date(s.updatedAt).toLocaleTimeString()])));
      const h = remember(`${o.name}:events`, events);
      chartSlot(grid, `${o.name}:stream`, () => lineConfig('stream throughput (events/s, live)', [{ name: 'events/s', points: rate(h) }], { xLabel: 'seconds', xMin: 0 }));
    }
    body.replaceChildren(...parts);
    if (o.training) {
      const series = Object.entries(o.training.series).map(([name, points]) => ({ name, points }));
      if (series.length) chartSlot(grid, `${o.name}:training`, () => lineConfig(`training run #${o.training.runId} — ${o.training.modelName} (${o.training.status})`, series, { xLabel: 'step' }));
    }
    if (o.drift.recent.length) {
      const streams = [...new Set(o.drift.recent.map((d) => d.stream))];
      chartSlot(grid, `${o.name}:drift`, () => ({
        type: 'scatter',
        data: { datasets: ['warning', 'drift'].map((kind, i) => ({ label: kind, data: o.drift.recent.filter((d) => d.kind === kind).map((d) => ({ x: d.position, y: streams.indexOf(d.stream) })), backgroundColor: PALETTE[i + 1], pointRadius: 4 })) },
        options: { animation: false, maintainAspectRatio: false, plugins: { title: { display: true, text: 'drift detections by stream position' } },
          scales: { x: { title: { display: true, text: 'instance' } }, y: { min: -0.5, max: streams.length - 0.5, ticks: { stepSize: 1, callback: (v) => streams[v] ?? '' } } } },
      }));
    }
    for (const c of (o.panel && o.panel.charts) || []) chartSlot(grid, `${o.name}:chart:${c.title}`, () => lineConfig(c.title, c.series, c));
    for (const h of [...o.heatmaps, ...((o.panel && o.panel.heatmaps) || [])]) heatmapSlot(grid, `${o.name}:heat:${h.title}`, h);
    for (const b of (o.panel && o.panel.bars) || []) chartSlot(grid, `${o.name}:bars:${b.title}`, () => barConfig(b.title, b.labels, b.series, b));
    // Pictures get their own row above the charts, so a side-by-side comparison (input, truth, prediction) stays together.
    for (const im of (o.panel && o.panel.images) || []) imageSlot(pictures, `${o.name}:image:${im.title}`, im);
    sweep(pictures);
    sweep(grid);
  }

  async function poll() {
    try {
      const [stats, apps] = await Promise.all([getJson('/api/suite/stats'), getJson('/api/suite/apps')]);
      if (state.polls === 0) document.getElementById('panels').replaceChildren();
      renderPlatform(stats);
      const overviews = await Promise.all(apps.map((a) => getJson(`/api/suite/apps/${encodeURIComponent(a.name)}/overview`)));
      overviews.forEach(renderApp);
      state.polls++;
      state.ready = true;
      document.getElementById('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      state.errors.push(String(err));
      document.getElementById('updated').textContent = `refresh failed: ${err.message}`;
    }
    setTimeout(poll, POLL_MS);
  }
  poll();
})();
