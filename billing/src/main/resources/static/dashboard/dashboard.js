// Berth's cost dashboard (the console's Cost page; console.js has the others). It reads the same billing API clients call, with the key the user signs
// in with (kept in this tab's sessionStorage only). Money is handled as exact scaled integers.
'use strict';

const API_VERSION = '2023-05-01';
const SCALE = 10n ** 24n; // amounts are exact decimals; 24 places hold every price x MiB fraction
const REFRESH_MS = 5000;

const state = { key: null, subscription: null, usage: null, fetchedAt: 0, shown: new Map(), chart: null, split: null, timer: null };

const $ = (id) => document.getElementById(id);

function toScaled(decimal) {
  const [whole, frac = ''] = String(decimal).split('.');
  const negative = whole.startsWith('-');
  const digits = BigInt((negative ? whole.slice(1) : whole) || '0') * SCALE
    + BigInt((frac + '0'.repeat(24)).slice(0, 24));
  return negative ? -digits : digits;
}

function formatScaled(value, places) {
  const unit = 10n ** BigInt(24 - places);
  const rounded = value / unit; // truncated: the ticker never shows money not yet accrued
  const s = rounded.toString().padStart(places + 1, '0');
  return s.slice(0, s.length - places) + '.' + s.slice(s.length - places);
}

function money(decimal, currency, places = 8) {
  return (currency === 'USD' ? '$' : currency + ' ') + formatScaled(toScaled(decimal), places);
}

async function api(path, params = {}, method = 'GET') {
  const url = new URL(path, window.location.origin);
  url.searchParams.set('api-version', API_VERSION);
  Object.entries(params).forEach(([k, v]) => v != null && url.searchParams.set(k, v));
  const response = await fetch(url, { method, headers: { Authorization: 'Bearer ' + state.key } });
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { message = (await response.json()).error.message; } catch (e) { /* not an ARM error body */ }
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return response.headers.get('content-type')?.includes('json') ? response.json() : response.text();
}

function monthRange() {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { from: from.toISOString(), to: to.toISOString(), month: from.toISOString().slice(0, 7) };
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fill(tableId, items, render) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren();
  items.forEach((item) => render(body.insertRow(), item));
}

async function signIn(key) {
  state.key = key;
  const subscriptions = (await api('/subscriptions')).value;
  sessionStorage.setItem('berth.key', key);
  const select = $('subscription');
  select.replaceChildren(...subscriptions.map((s) => new Option(s.subscriptionId, s.subscriptionId)));
  if (subscriptions.length === 0) select.append(new Option('(no usage yet)', ''));
  state.subscription = select.value || null;
  $('sign-in').hidden = true;
  $('board').hidden = false;
  $('controls').hidden = false;
  window.dispatchEvent(new Event('berth:signed-in')); // the console's pages (console.js)
  await refresh();
  clearInterval(state.timer);
  state.timer = setInterval(() => refresh().catch(showError), REFRESH_MS);
  requestAnimationFrame(tick);
}

function showError(e) {
  $('error').textContent = e.message;
}

async function refresh() {
  if (!state.subscription) return;
  const range = monthRange();
  const sub = encodeURIComponent(state.subscription);
  const granularity = $('granularity').value;
  const params = { from: range.from, to: range.to, granularity };
  const [usage, invoice, csv] = await Promise.all([
    api(`/subscriptions/${sub}/providers/Berth.Billing/usage`, params),
    api(`/subscriptions/${sub}/providers/Berth.Billing/invoices/${range.month}`),
    api(`/subscriptions/${sub}/providers/Berth.Billing/usage/export`, params),
  ]);
  state.usage = usage;
  state.fetchedAt = performance.now();
  $('error').textContent = '';
  renderBreakdown(usage);
  renderChart(usage);
  renderSplit(usage);
  renderInvoice(invoice);
  const link = $('csv-link');
  if (link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  link.download = `berth-usage-${state.subscription}-${range.month}.csv`;
}

// The ticker: the API's exact cost so far, plus each running group's cost per second times the
// seconds since it was read. It never goes backwards (a refresh may have counted a little less).
function tick() {
  if (state.usage) {
    const elapsedMs = BigInt(Math.max(0, Math.floor(performance.now() - state.fetchedAt)));
    let total = 0n;
    const running = [];
    for (const g of state.usage.byGroup) {
      let cost = toScaled(g.cost);
      if (g.running) cost += (toScaled(g.costPerSecond) * elapsedMs) / 1000n;
      const key = g.resourceGroup + '/' + g.containerGroup;
      const before = state.shown.get(key) ?? 0n;
      if (g.running && cost < before) cost = before;
      state.shown.set(key, cost);
      total += cost;
      if (g.running) running.push({ g, cost });
    }
    const currency = state.usage.currency;
    $('ticker-total').textContent = (currency === 'USD' ? '$' : currency + ' ') + formatScaled(total, 8);
    fill('running', running, (row, { g, cost }) => {
      row.dataset.group = g.resourceGroup + '/' + g.containerGroup;
      cell(row, g.resourceGroup + ' / ' + g.containerGroup);
      cell(row, money(g.costPerSecond, currency, 8), 'num');
      cell(row, (currency === 'USD' ? '$' : currency + ' ') + formatScaled(cost, 8), 'num cost');
    });
  }
  setTimeout(() => requestAnimationFrame(tick), 250);
}

function renderBreakdown(usage) {
  fill('by-group', usage.byGroup, (row, g) => {
    row.className = 'clickable';
    row.dataset.group = g.resourceGroup + '/' + g.containerGroup;
    cell(row, g.resourceGroup);
    cell(row, g.containerGroup + (g.running ? ' ●' : ''));
    cell(row, g.billedSeconds, 'num');
    cell(row, g.vcpuSeconds, 'num');
    cell(row, g.gbSeconds, 'num');
    cell(row, money(g.cost, usage.currency), 'num');
    row.addEventListener('click', () => drillDown(g.resourceGroup, g.containerGroup).catch(showError));
  });
  fill('by-resource-group', usage.byResourceGroup, (row, r) => {
    cell(row, r.resourceGroup);
    cell(row, r.billedSeconds, 'num');
    cell(row, money(r.cost, usage.currency), 'num');
  });
}

function renderChart(usage) {
  const labels = usage.timeSeries.map((b) => usage.granularity === 'Hourly'
    ? b.start.slice(0, 13).replace('T', ' ') + ':00' : b.start.slice(0, 10));
  const data = usage.timeSeries.map((b) => Number(b.cost));
  if (!state.chart) {
    state.chart = new Chart($('cost-chart'), {
      type: 'bar',
      data: { labels, datasets: [{ label: `Cost (${usage.currency})`, data, backgroundColor: '#1f6feb' }] },
      options: {
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => Number(v).toFixed(8).replace(/0+$/, '').replace(/\.$/, '') } } },
      },
    });
  } else {
    state.chart.data.labels = labels;
    state.chart.data.datasets[0].data = data;
    state.chart.update();
  }
}

const PALETTE = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#9a6700', '#57606a'];

function renderSplit(usage) {
  const labels = usage.byResourceGroup.map((r) => r.resourceGroup);
  const data = usage.byResourceGroup.map((r) => Number(r.cost));
  if (!state.split) {
    state.split = new Chart($('resource-group-chart'), {
      type: 'doughnut',
      data: { labels, datasets: [{ data, backgroundColor: PALETTE }] },
      options: { animation: false, plugins: { legend: { position: 'right' } } },
    });
  } else {
    state.split.data.labels = labels;
    state.split.data.datasets[0].data = data;
    state.split.update();
  }
}

function renderInvoice(invoice) {
  $('invoice-month').textContent = invoice.month;
  $('invoice-status').textContent = invoice.status;
  $('invoice-total').textContent = money(invoice.total, invoice.currency, 2);
  $('invoice-rule').textContent = invoice.roundingRule;
  fill('invoice-lines', invoice.lines, (row, l) => {
    cell(row, l.lineNo);
    cell(row, l.kind + (l.kind === 'Correction' ? ' of ' + l.usageMonth : ''));
    cell(row, l.resourceGroup + ' / ' + l.containerGroup);
    cell(row, l.billedSeconds, 'num');
    cell(row, money(l.amount, invoice.currency, 2), 'num');
  });
}

async function drillDown(resourceGroup, name) {
  const sub = encodeURIComponent(state.subscription);
  const usage = await api(`/subscriptions/${sub}/resourceGroups/${encodeURIComponent(resourceGroup)}`
    + `/providers/Microsoft.ContainerInstance/containerGroups/${encodeURIComponent(name)}/usage`);
  $('drill-name').textContent = resourceGroup + ' / ' + name;
  fill('runs', usage.runs, (row, r) => {
    cell(row, r.startTime);
    cell(row, r.endTime ?? (r.running ? 'running' : ''));
    cell(row, r.billedSeconds, 'num');
    cell(row, r.unbilledSeconds, 'num');
    cell(row, r.cpu, 'num');
    cell(row, r.memoryInGB, 'num');
    cell(row, money(r.cost, usage.currency), 'num');
    cell(row, r.charges.map((c) => c.formula).join('; ') || '—', 'formula');
  });
  $('drill-down').hidden = false;
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('api-key').value.trim()).catch((e) => {
    $('sign-in-error').textContent = e.status === 401 ? 'That key is not valid.' : e.message;
  });
});
$('subscription').addEventListener('change', () => {
  state.subscription = $('subscription').value;
  state.shown.clear();
  refresh().catch(showError);
});
$('granularity').addEventListener('change', () => refresh().catch(showError));
$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem('berth.key');
  window.location.reload();
});

const remembered = sessionStorage.getItem('berth.key');
if (remembered) signIn(remembered).catch(() => sessionStorage.removeItem('berth.key'));
