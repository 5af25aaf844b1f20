// The farm page itself: plain HTML, CSS and a small script, served as they are (no build step).
// The script builds every cell with textContent, so names from printers or files cannot inject markup.

export const FARM_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>link-sync farm</title>
<link rel="stylesheet" href="/farm.css">
</head>
<body>
<header>
  <h1>link-sync farm</h1>
  <p id="summary">Connecting…</p>
  <p id="live" class="live off">offline</p>
</header>
<main>
  <table id="farm">
    <thead>
      <tr><th>Printer</th><th>State</th><th>Job</th><th>Pending</th><th>Upload</th><th>Last sync</th><th>Last error</th></tr>
    </thead>
    <tbody></tbody>
  </table>
  <p class="note">Read-only view of <code>link-sync watch</code>. Updates live; no need to reload.</p>
</main>
<script src="/farm.js"></script>
</body>
</html>
`;

export const FARM_CSS = `:root { color-scheme: light dark; --ok: #2e7d32; --busy: #1565c0; --warn: #b26a00; --bad: #c62828; --muted: #6b7280; --line: #d0d4da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; align-items: baseline; gap: 1.5rem; padding: 0.8rem 1.2rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.2rem; margin: 0; }
#summary { margin: 0; color: var(--muted); flex: 1; }
.live { margin: 0; font-weight: 600; }
.live.on { color: var(--ok); }
.live.off { color: var(--bad); }
main { padding: 0.8rem 1.2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { white-space: nowrap; font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.name { font-weight: 600; }
.sub { color: var(--muted); font-size: 0.85em; }
.state { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.8rem; font-size: 0.85em; font-weight: 600; color: #fff; background: var(--muted); white-space: nowrap; }
.state.IDLE, .state.READY, .state.FINISHED, .state.STOPPED { background: var(--ok); }
.state.PRINTING, .state.BUSY { background: var(--busy); }
.state.PAUSED, .state.ATTENTION { background: var(--warn); }
.state.ERROR, .state.UNREACHABLE, .state.REFUSED, .state.HTTPERROR { background: var(--bad); }
.bar { height: 0.5rem; width: 12rem; max-width: 100%; background: var(--line); border-radius: 0.25rem; overflow: hidden; margin-top: 0.25rem; }
.bar > span { display: block; height: 100%; background: var(--busy); }
.upload .bar > span { background: var(--ok); }
.error { color: var(--bad); }
.ok { color: var(--ok); }
.note { color: var(--muted); font-size: 0.85em; }
`;

export const FARM_JS = `// Renders the farm document pushed by /api/events; reconnects by itself.
'use strict';
const body = document.querySelector('#farm tbody');
const summary = document.getElementById('summary');
const live = document.getElementById('live');

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function bar(percent) {
  const outer = el('div', 'bar');
  const inner = el('span');
  inner.style.width = Math.max(0, Math.min(100, percent)) + '%';
  outer.appendChild(inner);
  return outer;
}

function bytes(n) {
  if (n < 1000) return n + ' B';
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++; }
  return (value >= 100 ? value.toFixed(0) : value.toFixed(1)) + ' ' + units[unit];
}

function ago(iso) {
  if (!iso) return 'never';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 172800) return Math.floor(s / 3600) + ' h ago';
  return new Date(iso).toLocaleString();
}

function pendingText(row) {
  // An old plan may say "in sync": the printer has not had the newest master.
  if (row.behindMaster) return 'behind the master (changed since its last sync)';
  const p = row.pending;
  if (!p) return '-';
  if (p.inSync) return p.held ? 'in sync (' + p.held + ' held)' : 'in sync';
  const parts = [];
  if (p.upload) parts.push(p.upload + ' to upload');
  if (p.replace) parts.push(p.replace + ' to replace');
  if (p.delete) parts.push(p.delete + ' to delete');
  if (p.rmdir) parts.push(p.rmdir + ' folders to remove');
  if (p.problems) parts.push(p.problems + ' cannot sync');
  if (p.held) parts.push(p.held + ' held');
  return parts.join(', ');
}

/** It answered the state read with an error status (a 503 while it restarts): reachable, but not read. */
function errorAnswer(p) {
  return !p.state && p.error && typeof p.error.status === 'number' && p.error.code !== 'PRINTER_AUTH';
}

/** [text, class] of the state badge. */
function stateBadge(p) {
  if (p.state) return [p.state, p.state];
  if (p.error && p.error.code === 'PRINTER_AUTH') return ['REFUSED LOGIN', 'REFUSED'];
  if (p.error && p.error.code === 'PRINTER_NOT_PRUSALINK') return ['NOT PRUSALINK', 'HTTPERROR'];
  if (errorAnswer(p)) return ['PRINTER ERROR (HTTP ' + p.error.status + ')', 'HTTPERROR'];
  return ['UNREACHABLE', 'UNREACHABLE'];
}

function row(p) {
  const tr = el('tr');
  tr.dataset.printer = p.name;
  const name = el('td');
  name.append(el('div', 'name', p.name), el('div', 'sub', p.model));
  const badge = stateBadge(p);
  const state = el('td');
  state.append(el('span', 'state ' + badge[1], badge[0]));
  if (p.activity) state.append(el('div', 'sub activity', p.activity));
  const job = el('td', 'job');
  if (p.job) {
    job.append(el('div', '', p.job.file || '(file unknown)'));
    if (typeof p.job.progress === 'number') { job.append(bar(p.job.progress), el('div', 'sub', Math.round(p.job.progress) + '%')); }
  } else job.textContent = '-';
  const pending = el('td', p.pending && p.pending.inSync && !p.behindMaster ? 'pending ok' : 'pending', pendingText(p));
  const upload = el('td', 'upload');
  if (p.upload) {
    const percent = p.upload.total > 0 ? (100 * p.upload.bytes) / p.upload.total : 0;
    upload.append(el('div', '', p.upload.path), bar(percent), el('div', 'sub', bytes(p.upload.bytes) + ' of ' + bytes(p.upload.total) + ' (' + Math.floor(percent) + '%)'));
  } else upload.textContent = '-';
  // "never" only for a printer that answered: for the others it is not known.
  const last = el('td', 'last-sync', p.lastSync || p.answered ? ago(p.lastSync) : '-');
  const problem = p.error || p.lastError;
  const error = el('td', problem ? 'error' : '', problem ? problem.message : '-');
  if (problem && problem.hint) error.title = problem.hint;
  tr.append(name, state, job, pending, upload, last, error);
  return tr;
}

function render(doc) {
  body.replaceChildren(...doc.printers.map(row));
  const count = (f) => doc.printers.filter(f).length;
  const erring = count(errorAnswer);
  const behind = count((p) => p.behindMaster);
  summary.textContent = doc.printers.length + ' printers: ' + count((p) => p.state === 'PRINTING') + ' printing, ' +
    count((p) => p.upload) + ' uploading, ' + count((p) => !p.answered && !errorAnswer(p)) + ' not answering' +
    (erring ? ', ' + erring + ' answering with an error' : '') + (behind ? ', ' + behind + ' behind the master' : '') +
    '. Source: ' + (doc.source || '-') + '. Updated ' + new Date(doc.time).toLocaleTimeString() + '.';
}

const events = new EventSource('/api/events');
events.onmessage = (message) => {
  live.textContent = 'live';
  live.className = 'live on';
  render(JSON.parse(message.data));
};
events.onerror = () => {
  live.textContent = 'reconnecting…';
  live.className = 'live off';
};
`;
