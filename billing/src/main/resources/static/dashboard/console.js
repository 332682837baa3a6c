// Berth's console pages beside the cost (dashboard.js): the subscription's groups; one group with
// its containers, events, a live log tail, its CPU and memory, and stop/start/restart/delete; and,
// for the admin key, the fleet with cordon, uncordon and drain. Everything comes from the same API
// every client calls, with the signed-in key (api() and state are dashboard.js').
'use strict';

const ARM = '/providers/Microsoft.ContainerInstance';
const PAGE_REFRESH_MS = 5000;
const LOG_LINES = 500;
const MIB = 1024 * 1024;

const page = { timer: null, logs: null, usageChart: null, group: null, admin: false };

function subscriptionPath() {
  return '/subscriptions/' + encodeURIComponent(state.subscription);
}

function groupPath(resourceGroup, name) {
  return subscriptionPath() + '/resourceGroups/' + encodeURIComponent(resourceGroup)
    + ARM + '/containerGroups/' + encodeURIComponent(name);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function resourceGroupOf(group) {
  const m = /\/resourceGroups\/([^/]+)\//i.exec(group.id || '');
  return m ? decodeURIComponent(m[1]) : '';
}

function groupState(group) {
  return group.properties?.instanceView?.state ?? group.properties?.provisioningState ?? '';
}

function restartsOf(group) {
  return (group.properties?.containers ?? [])
    .reduce((n, c) => n + (c.properties?.instanceView?.restartCount ?? 0), 0);
}

function button(parent, label, action, errorId) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', () => action().catch((e) => { $(errorId).textContent = e.message; }));
  parent.append(b, ' ');
  return b;
}

// ---- routing: #cost, #groups, #group/<resource group>/<name>, #fleet

function leavePage() {
  clearInterval(page.timer);
  page.timer = null;
  if (page.logs) page.logs.abort();
  page.logs = null;
  page.group = null;
}

function every(refresh, errorId) {
  const run = () => refresh().then(() => { $(errorId).textContent = ''; },
    (e) => { $(errorId).textContent = e.message; });
  run();
  page.timer = setInterval(run, PAGE_REFRESH_MS);
}

function route() {
  if (!state.key) return;
  const [name, ...rest] = (window.location.hash.slice(1) || 'cost').split('/');
  const shown = name === 'fleet' && !page.admin ? 'cost' : name;
  leavePage();
  $('board').hidden = shown !== 'cost';
  $('groups-page').hidden = shown !== 'groups';
  $('group-page').hidden = shown !== 'group';
  $('fleet-page').hidden = shown !== 'fleet';
  document.querySelectorAll('nav#pages a').forEach((a) => {
    a.classList.toggle('current', a.dataset.page === (shown === 'group' ? 'groups' : shown));
  });
  if (shown === 'groups') every(refreshGroups, 'groups-error');
  if (shown === 'group') openGroup(decodeURIComponent(rest[0] ?? ''), decodeURIComponent(rest[1] ?? ''));
  if (shown === 'fleet') every(refreshFleet, 'fleet-error');
}

window.addEventListener('hashchange', route);
window.addEventListener('berth:signed-in', async () => {
  $('pages').hidden = false;
  try {
    await api('/admin/hosts');
    page.admin = true;
  } catch (e) {
    page.admin = false; // a key scoped to a subscription: 403, no fleet
  }
  $('fleet-tab').hidden = !page.admin;
  route();
});
$('subscription').addEventListener('change', () => { if (!$('groups-page').hidden) refreshGroups(); });

// ---- Groups

async function allGroups() {
  const groups = [];
  let answer = await api(subscriptionPath() + ARM + '/containerGroups');
  groups.push(...(answer.value ?? []));
  for (let pages = 1; answer.nextLink && pages < 20; pages++) {
    const next = new URL(answer.nextLink); // same path and token, on this page's origin
    answer = await api(next.pathname + next.search);
    groups.push(...(answer.value ?? []));
  }
  return groups;
}

async function refreshGroups() {
  if (!state.subscription) return;
  const groups = await allGroups();
  const costs = new Map((state.usage?.byGroup ?? [])
    .map((g) => [g.resourceGroup.toLowerCase() + '/' + g.containerGroup.toLowerCase(), g.cost]));
  fill('groups', groups, (row, g) => {
    const rg = resourceGroupOf(g);
    row.className = 'clickable';
    row.dataset.group = rg + '/' + g.name;
    cell(row, rg);
    cell(row, g.name);
    const s = groupState(g);
    cell(row, s, 'state state-' + s);
    cell(row, restartsOf(g), 'num');
    cell(row, g.properties?.hostName ?? '');
    const cost = costs.get(rg.toLowerCase() + '/' + g.name.toLowerCase());
    cell(row, cost == null ? '—' : money(cost, state.usage.currency), 'num');
    row.addEventListener('click', () => {
      window.location.hash = '#group/' + encodeURIComponent(rg) + '/' + encodeURIComponent(g.name);
    });
  });
}

// ---- One group

function openGroup(resourceGroup, name) {
  page.group = { resourceGroup, name, path: groupPath(resourceGroup, name), containers: null };
  $('group-title').textContent = resourceGroup + ' / ' + name;
  $('log-tail').textContent = '';
  $('log-container').replaceChildren();
  if (page.usageChart) {
    page.usageChart.destroy();
    page.usageChart = null;
  }
  every(refreshGroup, 'group-error');
}

async function refreshGroup() {
  const group = page.group;
  if (!group) return;
  const [g, events, metrics] = await Promise.all([
    api(group.path),
    api(group.path + '/events'),
    api(group.path + '/metrics', { timespan: 'PT15M', interval: 'PT10S' }),
  ]);
  if (page.group !== group) return; // left meanwhile
  const s = groupState(g);
  $('group-state').textContent = s;
  $('group-state').className = 'badge state-' + s;
  $('group-host').textContent = g.properties?.hostName ? 'on ' + g.properties.hostName : '';
  const containers = g.properties?.containers ?? [];
  fill('group-containers', containers, (row, c) => {
    const view = c.properties?.instanceView ?? {};
    row.dataset.container = c.name;
    cell(row, c.name);
    cell(row, c.properties?.image ?? '');
    cell(row, view.currentState?.state ?? '');
    cell(row, view.currentState?.detailStatus ?? '');
    cell(row, view.restartCount ?? 0, 'num');
    cell(row, c.properties?.resources?.requests?.cpu ?? '', 'num');
    cell(row, c.properties?.resources?.requests?.memoryInGB ?? '', 'num');
  });
  if (group.containers === null) {
    group.containers = containers.map((c) => c.name);
    $('log-container').replaceChildren(...group.containers.map((n) => new Option(n, n)));
    if (group.containers.length) followLogs(group, group.containers[0]);
  }
  fill('group-events', (events.value ?? []).slice(-50).reverse(), (row, e) => {
    cell(row, (e.at ?? '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
    cell(row, e.container ?? '');
    cell(row, describe(e));
  });
  renderUsage(metrics);
}

function describe(e) {
  if (e.kind === 'StateChanged') return `group ${e.state} (${e.detail})`;
  if (e.kind === 'ContainerStateChanged') {
    return `${e.state}${e.detail ? ' ' + e.detail : ''}, restarts ${e.restartCount ?? 0}`;
  }
  return `${e.name}${e.message ? ': ' + e.message : ''}${e.count > 1 ? ` (x${e.count})` : ''}`;
}

function renderUsage(metrics) {
  const series = [];
  const times = new Set();
  for (const m of metrics.value ?? []) {
    const name = m.name?.value ?? m.name;
    if (name !== 'CpuUsage' && name !== 'MemoryUsage') continue;
    for (const ts of m.timeseries ?? []) {
      const data = ts.data ?? [];
      data.forEach((p) => times.add(p.timeStamp));
      series.push({ name, container: ts.container, points: new Map(data.map((p) => [p.timeStamp, p.average])) });
    }
  }
  const labels = [...times].sort();
  const datasets = series.map((s, i) => ({
    label: `${s.container} ${s.name === 'CpuUsage' ? 'CPU (millicores)' : 'memory (MiB)'}`,
    data: labels.map((t) => {
      const v = s.points.get(t);
      return v == null ? null : s.name === 'CpuUsage' ? v : v / MIB;
    }),
    yAxisID: s.name === 'CpuUsage' ? 'cpu' : 'memory',
    borderColor: PALETTE[i % PALETTE.length],
    backgroundColor: PALETTE[i % PALETTE.length],
    spanGaps: true,
  }));
  const shownLabels = labels.map((t) => t.slice(11, 19));
  if (!page.usageChart) {
    page.usageChart = new Chart($('usage-chart'), {
      type: 'line',
      data: { labels: shownLabels, datasets },
      options: {
        animation: false,
        scales: {
          cpu: { position: 'left', beginAtZero: true, title: { display: true, text: 'millicores' } },
          memory: { position: 'right', beginAtZero: true, title: { display: true, text: 'MiB' }, grid: { drawOnChartArea: false } },
        },
      },
    });
  } else {
    page.usageChart.data.labels = shownLabels;
    page.usageChart.data.datasets = datasets;
    page.usageChart.update();
  }
}

function appendLog(line) {
  const pre = $('log-tail');
  const lines = (pre.textContent + line + '\n').split('\n');
  pre.textContent = lines.slice(Math.max(0, lines.length - 1 - LOG_LINES)).join('\n');
  pre.scrollTop = pre.scrollHeight;
}

// The container's output as it is written: Server-Sent Events read through fetch (EventSource
// cannot send the key), resumed with Last-Event-ID after a broken connection, until the group ends.
async function followLogs(group, container) {
  if (page.logs) page.logs.abort();
  const abort = new AbortController();
  page.logs = abort;
  $('log-tail').textContent = '';
  let lastId = null;
  while (!abort.signal.aborted) {
    const url = new URL(group.path + '/containers/' + encodeURIComponent(container) + '/logs', window.location.origin);
    url.searchParams.set('api-version', API_VERSION);
    url.searchParams.set('follow', 'true');
    if (lastId === null) url.searchParams.set('tail', '200');
    const headers = { Authorization: 'Bearer ' + state.key, Accept: 'text/event-stream' };
    if (lastId !== null) headers['Last-Event-ID'] = lastId;
    let ended = false;
    try {
      const response = await fetch(url, { headers, signal: abort.signal });
      if (response.status === 204) ended = true;
      else if (!response.ok) throw new Error('logs: ' + response.status);
      else {
        $('log-state').textContent = 'following';
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let id = null;
            let event = 'message';
            const data = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('id:')) id = line.slice(3).trim();
              else if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
            }
            if (event === 'end') ended = true;
            else if (data.length) {
              appendLog(data.join('\n'));
              if (id) lastId = id;
            }
          }
        }
      }
    } catch (e) {
      if (abort.signal.aborted) return;
      $('log-state').textContent = 'reconnecting: ' + e.message;
    }
    if (ended) {
      $('log-state').textContent = 'the group has ended';
      return;
    }
    await sleep(1000);
  }
}

$('log-container').addEventListener('change', () => {
  if (page.group) followLogs(page.group, $('log-container').value);
});

function groupAction(action) {
  return async () => {
    const group = page.group;
    if (!group) return;
    await api(group.path + '/' + action, {}, 'POST');
    await refreshGroup();
  };
}

$('group-stop').addEventListener('click', () => groupAction('stop')().catch((e) => { $('group-error').textContent = e.message; }));
$('group-start').addEventListener('click', () => groupAction('start')().catch((e) => { $('group-error').textContent = e.message; }));
$('group-restart').addEventListener('click', () => groupAction('restart')().catch((e) => { $('group-error').textContent = e.message; }));
$('group-delete').addEventListener('click', async () => {
  const group = page.group;
  if (!group || !window.confirm(`Delete ${group.resourceGroup} / ${group.name}? Its containers are removed.`)) return;
  try {
    await api(group.path, {}, 'DELETE');
    window.location.hash = '#groups';
  } catch (e) {
    $('group-error').textContent = e.message;
  }
});

// ---- Fleet (admin key)

function capacity(row, reserved, allocatable, unit) {
  const td = row.insertCell();
  const bar = document.createElement('span');
  bar.className = 'bar';
  const fillPart = document.createElement('span');
  const share = allocatable > 0 ? Math.min(1, reserved / allocatable) : 0;
  fillPart.style.width = (share * 100).toFixed(1) + '%';
  bar.append(fillPart);
  bar.dataset.share = share.toFixed(4);
  const label = document.createElement('small');
  label.textContent = `${+reserved.toFixed(3)} / ${+allocatable.toFixed(3)} ${unit}`;
  td.append(bar, label);
}

async function refreshFleet() {
  const hosts = (await api('/admin/hosts')).value ?? [];
  fill('hosts', hosts, (row, h) => {
    row.dataset.host = h.id;
    cell(row, h.id);
    cell(row, h.state, 'state state-' + h.state);
    cell(row, h.zone ?? '');
    capacity(row, h.reserved?.cpu ?? 0, h.allocatable?.cpu ?? 0, 'vCPU');
    capacity(row, h.reserved?.memoryInGB ?? 0, h.allocatable?.memoryInGB ?? 0, 'GB');
    cell(row, h.groupCount ?? 0, 'num');
    const actions = row.insertCell();
    const hostPath = '/admin/hosts/' + encodeURIComponent(h.id);
    if (h.state === 'Cordoned') {
      button(actions, 'Uncordon', () => api(hostPath + '/uncordon', {}, 'POST').then(refreshFleet), 'fleet-error');
    } else if (h.state === 'Ready') {
      button(actions, 'Cordon', () => api(hostPath + '/cordon', {}, 'POST').then(refreshFleet), 'fleet-error');
    }
    if (h.state !== 'Draining' && h.state !== 'Lost') {
      button(actions, 'Drain', async () => {
        if (window.confirm(`Drain ${h.id}? Its groups are moved to other hosts, one at a time.`)) {
          await api(hostPath + '/drain', {}, 'POST');
          await refreshFleet();
        }
      }, 'fleet-error');
    }
  });
}
