/**
 * A self-contained HTML page that renders `/openapi.json` as a list of endpoints with their parameters and
 * schemas. No CDN assets: the service must work offline and on loopback only.
 */
export function docsPageHtml(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — API</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2330}
h1{font-size:1.4rem} .op{border:1px solid #d6dae3;border-radius:6px;margin:.6rem 0;padding:.5rem .8rem}
.m{display:inline-block;min-width:4.2rem;font-weight:600;text-transform:uppercase}
.get{color:#1d6fb8}.post{color:#2a8a3e}.put,.patch{color:#a86a00}.delete{color:#b3261e}
.lock{font-size:.8rem;color:#7a4b00;margin-left:.5rem} pre{background:#f5f6f8;padding:.5rem;overflow:auto;font-size:12px}
summary{cursor:pointer}
</style></head><body>
<h1>${escapeHtml(title)} — API</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Mutating endpoints need an API key in <code>X-API-Key</code>.</p>
<div id="ops">loading…</div>
<script>
fetch('/openapi.json').then(r => r.json()).then(doc => {
  const root = document.getElementById('ops'); root.textContent = '';
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    const d = document.createElement('details'); d.className = 'op';
    const s = document.createElement('summary');
    s.innerHTML = '<span class="m ' + method + '"></span><code></code><span class="lock"></span> — <span class="sum"></span>';
    s.querySelector('.m').textContent = method; s.querySelector('code').textContent = path;
    s.querySelector('.sum').textContent = op.summary || '';
    if (op.security) s.querySelector('.lock').textContent = '🔒 API key';
    d.appendChild(s);
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses }, null, 2);
    d.appendChild(pre); root.appendChild(d);
  }
});
</script></body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
