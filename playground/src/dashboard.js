// The drill-down dashboard: the signed-in account's scope node, a table and a
// bar chart of its children's figures, one level per request through the
// public GraphQL API with the account's token; clicking a row drills down, the
// breadcrumb goes back up. A to-do badge follows todoChanged over
// graphql-transport-ws, polling every 5 s while the socket is down.
import { createClient } from "graphql-ws";

const STATS = ["projects", "buildings", "units", "floorArea", "owners"];
const STATUSES = [
  "DRAFT",
  "SUBMITTED",
  "COMMUNITY_APPROVED",
  "STREET_APPROVED",
  "DISTRICT_APPROVED",
  "REPORTED",
  "PAID",
  "RETURNED",
];
const ROLE_ORDER = ["CITY", "DISTRICT", "STREET", "COMMUNITY", "ENTERPRISE", "MANAGER", "OWNER", "DELEGATE"];
const CITY_NAME = "深圳市";
const STATS_FIELDS = `stats { ${STATS.join(" ")} }`;
const FIGURES = "subsidyFigures { byStatus { status applications } }";
const LEVEL_FIGURES = "figures: subsidyFigures { byStatus { status applications projects area amount } }";
const WITH_FIGURES = new Set(["District", "Street", "Community"]);

// What each node type lists below it, and the fields of each child.
const LEVELS = {
  City: { list: "districts", fields: `id name ${STATS_FIELDS} ${FIGURES}` },
  District: { list: "streets", fields: `id name ${STATS_FIELDS} ${FIGURES}` },
  Street: { list: "communities", fields: `id name ${STATS_FIELDS} ${FIGURES}` },
  Community: { list: "projects", fields: `id name ${STATS_FIELDS}` },
  Enterprise: { list: "projects", fields: `id name ${STATS_FIELDS}` },
  Project: { list: "buildings", fields: "id name units { totalCount }" },
  Building: { list: "units", fields: "id number floorArea owners { id }" },
};
const PAGE = { units: 200 };

const $ = (id) => document.getElementById(id);
const state = { token: "", trail: [], rows: [], columns: [], ws: null, poll: null, generation: 0 };

async function graphql(query, variables = {}) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  const response = await fetch(window.propgraphDashboard.config.endpoint, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

function levelQuery(type) {
  const { list, fields } = LEVELS[type];
  const page = `${list}(first: ${PAGE[list] || 100}) { totalCount edges { node { __typename ${fields} } } }`;
  if (type === "City") {
    return `query { list: ${page} ${LEVEL_FIGURES} }`;
  }
  const figures = WITH_FIGURES.has(type) ? LEVEL_FIGURES : "";
  return `query($id: ID!) { node(id: $id) { __typename id ... on ${type} { name list: ${page} ${figures} } } }`;
}

// Children as rows: a label, the figures shown as columns, whether it drills.
function toRows(type, edges) {
  return edges.map(({ node }) => {
    const row = { id: node.id, type: node.__typename, label: node.name ?? node.number, values: {} };
    if (node.stats) Object.assign(row.values, node.stats);
    if (node.units) row.values.units = node.units.totalCount;
    if (node.floorArea !== undefined) row.values.floorArea = node.floorArea;
    if (node.owners) row.values.owners = node.owners.length;
    if (node.subsidyFigures) {
      for (const status of STATUSES) row.values[status] = 0;
      for (const f of node.subsidyFigures.byStatus) row.values[f.status] = f.applications;
    }
    row.drills = Boolean(LEVELS[row.type]);
    return row;
  });
}

function columnsOf(rows) {
  const present = new Set(rows.flatMap((r) => Object.keys(r.values)));
  return [...STATS, ...STATUSES].filter((c) => present.has(c));
}

function format(value) {
  if (value === undefined || value === null) return "";
  return typeof value === "number" && !Number.isInteger(value) ? value.toFixed(2) : String(value);
}

function cell(tag, text) {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

function renderTable(rows, columns, childLabel) {
  const table = $("children");
  table.replaceChildren();
  const head = document.createElement("tr");
  head.append(cell("th", childLabel), ...columns.map((c) => cell("th", c)));
  table.append(head);
  for (const row of rows) {
    const tr = document.createElement("tr");
    tr.dataset.id = row.id;
    tr.append(cell("td", row.label), ...columns.map((c) => cell("td", format(row.values[c]))));
    if (row.drills) {
      tr.className = "drill";
      tr.addEventListener("click", () => drill({ type: row.type, id: row.id, label: row.label }));
    }
    table.append(tr);
  }
}

function renderChart(rows, metric) {
  const svg = $("chart");
  const NS = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  const bar = 22;
  const labelWidth = 180;
  const width = 720;
  const max = Math.max(1, ...rows.map((r) => Number(r.values[metric]) || 0));
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(rows.length * bar + 10));
  rows.forEach((row, i) => {
    const value = Number(row.values[metric]) || 0;
    const y = i * bar + 4;
    const label = document.createElementNS(NS, "text");
    label.setAttribute("x", "0");
    label.setAttribute("y", String(y + 14));
    label.textContent = row.label;
    const rect = document.createElementNS(NS, "rect");
    rect.setAttribute("x", String(labelWidth));
    rect.setAttribute("y", String(y));
    rect.setAttribute("height", String(bar - 6));
    rect.setAttribute("width", String(((width - labelWidth - 80) * value) / max));
    rect.setAttribute("fill", "#2e7dab");
    const figure = document.createElementNS(NS, "text");
    figure.setAttribute("x", String(labelWidth + ((width - labelWidth - 80) * value) / max + 4));
    figure.setAttribute("y", String(y + 14));
    figure.textContent = format(value);
    svg.append(label, rect, figure);
  });
}

function renderFigures(figures) {
  $("figures-block").hidden = !figures;
  const table = $("figures");
  table.replaceChildren();
  if (!figures) return;
  const fields = ["applications", "projects", "area", "amount"];
  const head = document.createElement("tr");
  head.append(cell("th", "status"), ...fields.map((f) => cell("th", f)));
  table.append(head);
  for (const f of figures.byStatus) {
    const tr = document.createElement("tr");
    tr.append(cell("td", f.status), ...fields.map((k) => cell("td", format(f[k]))));
    table.append(tr);
  }
}

function renderCrumbs() {
  const nav = $("crumbs");
  nav.replaceChildren();
  state.trail.forEach((step, i) => {
    if (i) nav.append(Object.assign(cell("span", "›"), { className: "sep" }));
    if (i === state.trail.length - 1) {
      nav.append(cell("b", step.label));
    } else {
      const link = cell("a", step.label);
      link.dataset.type = step.type;
      link.addEventListener("click", () => {
        state.trail = state.trail.slice(0, i + 1);
        show();
      });
      nav.append(link);
    }
  });
}

async function show() {
  const step = state.trail[state.trail.length - 1];
  const generation = state.generation;
  $("status").textContent = "Loading…";
  renderCrumbs();
  try {
    const data = await graphql(levelQuery(step.type), step.type === "City" ? {} : { id: step.id });
    if (generation !== state.generation) return;
    const holder = step.type === "City" ? data : data.node;
    if (!holder) throw new Error("This node is not visible to the account.");
    if (holder.name && step.label === "…") {
      step.label = holder.name;
      renderCrumbs();
    }
    const { list } = LEVELS[step.type];
    state.rows = toRows(step.type, holder.list.edges);
    state.columns = columnsOf(state.rows);
    $("title").textContent = `${step.label}: ${list} (${state.rows.length} of ${holder.list.totalCount})`;
    renderTable(state.rows, state.columns, list);
    const metric = $("metric");
    const wanted = state.columns.includes(metric.value) ? metric.value : state.columns.includes("units") ? "units" : state.columns[0];
    metric.replaceChildren(...state.columns.map((c) => Object.assign(cell("option", c), { value: c })));
    metric.value = wanted;
    renderChart(state.rows, wanted);
    renderFigures(holder.figures);
    $("child-tools").querySelectorAll("button").forEach((b) => {
      b.hidden = step.type === "Building";
    });
    $("level").hidden = false;
    $("status").textContent = "";
    document.body.dataset.level = step.type;
  } catch (error) {
    if (generation !== state.generation) return;
    $("level").hidden = true;
    $("status").textContent = String(error.message || error);
  }
}

function drill(step) {
  state.trail.push(step);
  show();
}

async function refreshTodos() {
  const badge = $("todos");
  try {
    const data = await graphql("query { todos(status: PENDING) { totalCount } }");
    badge.dataset.count = String(data.todos.totalCount);
    badge.textContent = `to-dos: ${data.todos.totalCount}`;
  } catch {
    badge.dataset.count = "";
    badge.textContent = "to-dos: –";
  }
}

// While the socket is down (a proxy without WebSockets, a restart), poll every 5 s.
const POLL_MS = 5000;
function polling(on) {
  if (on && !state.poll) state.poll = setInterval(refreshTodos, POLL_MS);
  if (!on && state.poll) {
    clearInterval(state.poll);
    state.poll = null;
  }
}

function followTodos(token) {
  if (state.ws) state.ws.dispose();
  state.ws = null;
  polling(false);
  if (!token) return;
  const url = new URL(window.propgraphDashboard.config.endpoint, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const client = createClient({
    url: url.href,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 5,
    lazy: false,
  });
  state.ws = client;
  client.subscribe(
    { query: "subscription { todoChanged { todo { id status } } }" },
    {
      next: () => refreshTodos(),
      error: () => {},
      complete: () => {},
    },
  );
  client.on("connected", () => {
    document.body.dataset.live = "yes";
    polling(false);
    refreshTodos(); // anything that changed while connecting
  });
  client.on("closed", () => {
    if (state.ws !== client) return; // signed in as someone else meanwhile
    document.body.dataset.live = "no";
    polling(true);
  });
}

async function signIn(token, account) {
  state.token = token;
  state.generation += 1;
  $("who").textContent = account ? `${account.role} · ${account.scope_name || account.username}` : token ? "token" : "";
  followTodos(token);
  refreshTodos();
  if (!token) {
    state.trail = [];
    renderCrumbs();
    $("level").hidden = true;
    $("status").textContent = "Sign in to see your part of the city.";
    return;
  }
  try {
    const data = await graphql("query { me { role scope { __typename id } } }");
    const scope = data.me && data.me.scope;
    if (data.me && data.me.role === "CITY") {
      state.trail = [{ type: "City", id: null, label: CITY_NAME }];
    } else if (scope && LEVELS[scope.__typename]) {
      state.trail = [{ type: scope.__typename, id: scope.id, label: (account && account.scope_name) || "…" }];
    } else {
      state.trail = [];
      renderCrumbs();
      $("level").hidden = true;
      $("status").textContent = "This account has no statistics to drill into.";
      return;
    }
    show();
  } catch (error) {
    $("status").textContent = String(error.message || error);
  }
}

async function download(table, format) {
  const step = state.trail[state.trail.length - 1];
  const query = step && step.id ? `?node=${encodeURIComponent(step.id)}` : "";
  const response = await fetch(`/exports/${table}.${format}${query}`, {
    headers: { Authorization: `Bearer ${state.token}` },
  });
  if (!response.ok) {
    $("status").textContent = `Export failed: HTTP ${response.status}`;
    return;
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `${table}.${format}`;
  link.click();
  URL.revokeObjectURL(link.href);
}

function fillPicker(select, accounts) {
  const roles = [...new Set(accounts.map((a) => a.role))].sort(
    (a, b) => (ROLE_ORDER.indexOf(a) + 1 || 99) - (ROLE_ORDER.indexOf(b) + 1 || 99),
  );
  for (const role of roles) {
    const group = document.createElement("optgroup");
    group.label = role;
    accounts.forEach((account, index) => {
      if (account.role !== role) return;
      const option = cell("option", [account.scope_name, account.username].filter(Boolean).join(" · "));
      option.value = String(index);
      option.dataset.username = account.username;
      group.append(option);
    });
    select.append(group);
  }
}

function start() {
  const config = JSON.parse($("config").textContent);
  window.propgraphDashboard.config = config;
  const accounts = config.accounts || [];
  const select = $("account");
  const tokenInput = $("token");
  fillPicker(select, accounts);
  const choose = (index) => {
    const account = index === "" ? null : accounts[Number(index)];
    select.value = account ? index : "";
    tokenInput.value = account ? account.token : "";
    signIn(account ? account.token : "", account);
  };
  select.addEventListener("change", () => choose(select.value));
  tokenInput.addEventListener("change", () => {
    const token = tokenInput.value.trim();
    const index = accounts.findIndex((a) => a.token === token);
    select.value = index >= 0 ? String(index) : "";
    signIn(token, index >= 0 ? accounts[index] : null);
  });
  $("metric").addEventListener("change", () => renderChart(state.rows, $("metric").value));
  document.querySelectorAll("button[data-export]").forEach((button) => {
    button.addEventListener("click", () => download(button.dataset.export, button.dataset.format));
  });
  const params = new URLSearchParams(window.location.search);
  const wanted = params.get("as");
  if (params.get("token")) {
    tokenInput.value = params.get("token");
    tokenInput.dispatchEvent(new Event("change"));
  } else if (wanted && accounts.some((a) => a.username === wanted)) {
    choose(String(accounts.findIndex((a) => a.username === wanted)));
  } else {
    choose(accounts.length ? "0" : "");
  }
}

window.propgraphDashboard = { started: false, config: null };
try {
  start();
  window.propgraphDashboard.started = true;
} catch (error) {
  $("status").textContent = `The dashboard could not start: ${error}`;
  throw error;
}
