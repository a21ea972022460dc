// The playground: GraphiQL (with the explorer plugin) and a picker of demo
// accounts. Choosing an account sends its token as the Authorization header
// and remounts GraphiQL, which then introspects that role's own schema, so the
// docs and autocompletion show exactly what the role may use. The "Examples"
// panel loads the role's saved operations (examples.json) into the editor;
// subscriptions go over graphql-transport-ws with the token in connection_init.
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { useEditorContext } from "@graphiql/react";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { Component, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

import "graphiql/graphiql.css";
import "@graphiql/plugin-explorer/dist/style.css";

import EXAMPLES from "./examples.json";

const ROLE_ORDER = [
  "CITY",
  "DISTRICT",
  "STREET",
  "COMMUNITY",
  "ENTERPRISE",
  "MANAGER",
  "OWNER",
  "DELEGATE",
];

const EXAMPLE =
  "# Each role is served its own schema: the docs and\n" +
  "# autocompletion show only what the signed-in role may use.\n" +
  "{\n  me { username role position scope { id __typename } }\n" +
  "  projects(first: 5) { totalCount edges { node { name kind region { districtName streetName } } } }\n}\n";

const explorer = explorerPlugin();

// A pasted token's role is not known to the page: ask the API once.
function useRole(given, token, endpoint) {
  const [role, setRole] = useState(given);
  useEffect(() => {
    if (given || !token) return;
    const headers = { "Content-Type": "application/json", Authorization: `Bearer ${token}` };
    const body = JSON.stringify({ query: "{ me { role } }" });
    fetch(endpoint, { method: "POST", headers, body })
      .then((response) => response.json())
      .then((answer) => answer.data?.me?.role && setRole(answer.data.me.role))
      .catch(() => {});
  }, [given, token, endpoint]);
  return role;
}

function ExampleList({ given, token, endpoint }) {
  const { queryEditor, variableEditor, setOperationName } = useEditorContext({ nonNull: true });
  const role = useRole(given, token, endpoint);
  const examples = EXAMPLES[role] || [];
  const load = (example) => {
    queryEditor?.setValue(example.query);
    // the operation to run is the example's, not the one picked before it
    const named = /^\s*(?:query|mutation|subscription)\s+(\w+)/m.exec(example.query);
    setOperationName(named ? named[1] : "");
    variableEditor?.setValue(example.variables ? JSON.stringify(example.variables, null, 2) : "");
  };
  return (
    <div className="playground-examples">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p>
        {examples.length ? `Saved operations for ${role}.` : "Pick a demo account to see its role's examples."} Drill-downs go one level per request: copy an id from an
        answer into the variables of the next one.
      </p>
      <ul>
        {examples.map((example) => (
          <li key={example.name}>
            <button type="button" data-example={example.name} onClick={() => load(example)}>
              {example.name}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const BookIcon = () => (
  <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.5">
    <path d="M4 4h11a3 3 0 0 1 3 3v13H7a3 3 0 0 1-3-3z" />
    <path d="M4 17a3 3 0 0 1 3-3h11" />
  </svg>
);

const examplePlugins = new Map();
function examplesPlugin(role, token, endpoint) {
  const key = role || `token:${token}`;
  if (!examplePlugins.has(key)) {
    examplePlugins.set(key, {
      title: "Examples",
      icon: BookIcon,
      content: () => <ExampleList given={role} token={token} endpoint={endpoint} />,
    });
  }
  return examplePlugins.get(key);
}

function socketUrl(endpoint) {
  const url = new URL(endpoint, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

function showFailure(message) {
  const target = document.getElementById("graphiql");
  target.className = "playground-failed";
  target.textContent = message;
}

class Guard extends Component {
  constructor(props) {
    super(props);
    this.state = { error: null };
  }

  static getDerivedStateFromError(error) {
    return { error };
  }

  render() {
    if (this.state.error) {
      return (
        <div className="playground-failed">
          GraphiQL stopped with an error: {String(this.state.error)}. Reload the page; the
          GraphQL endpoint itself is not affected.
        </div>
      );
    }
    return this.props.children;
  }
}

// The tab being edited, from GraphiQL's own storage. Handing it back on a
// remount keeps the user's query across a role switch, and keeps GraphiQL
// from opening one more tab on every switch.
function currentTab() {
  try {
    const state = JSON.parse(window.localStorage.getItem("graphiql:tabState"));
    const tab = state.tabs[state.activeTabIndex];
    return { query: tab.query ?? undefined, variables: tab.variables ?? undefined };
  } catch {
    return {};
  }
}

function describe(account) {
  const parts = [account.scope_name, account.username];
  return parts.filter(Boolean).join(" · ") + (account.position ? ` (${account.position})` : "");
}

// One <optgroup> per role, in the hierarchy's order; inside it, by scope.
function fillPicker(select, accounts) {
  const byRole = new Map();
  accounts.forEach((account, index) => {
    if (!byRole.has(account.role)) byRole.set(account.role, []);
    byRole.get(account.role).push({ account, index });
  });
  const roles = [...byRole.keys()].sort(
    (a, b) => (ROLE_ORDER.indexOf(a) + 1 || 99) - (ROLE_ORDER.indexOf(b) + 1 || 99),
  );
  for (const role of roles) {
    const group = document.createElement("optgroup");
    group.label = role;
    const entries = byRole.get(role);
    entries.sort(
      (x, y) =>
        (x.account.scope_name || "").localeCompare(y.account.scope_name || "") ||
        x.account.username.localeCompare(y.account.username),
    );
    for (const { account, index } of entries) {
      const option = document.createElement("option");
      option.value = String(index);
      option.textContent = describe(account);
      option.dataset.role = role;
      option.dataset.username = account.username;
      group.appendChild(option);
    }
    select.appendChild(group);
  }
}

function start() {
  const config = JSON.parse(document.getElementById("config").textContent);
  const accounts = config.accounts || [];
  const select = document.getElementById("account");
  const tokenInput = document.getElementById("token");
  const who = document.getElementById("who");
  const root = createRoot(document.getElementById("graphiql"));
  fillPicker(select, accounts);

  function render(token, account) {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    if (account) {
      who.textContent = `${account.role} schema`;
    } else {
      who.textContent = token ? "the token's role schema" : "no token: PUBLIC schema";
    }
    document.body.dataset.role = account ? account.role : token ? "TOKEN" : "PUBLIC";
    const fetcher = createGraphiQLFetcher({
      url: config.endpoint,
      headers,
      subscriptionUrl: socketUrl(config.endpoint),
      wsConnectionParams: headers, // browsers cannot set headers on a WebSocket
    });
    const role = account ? account.role : token ? null : "PUBLIC";
    const examples = examplesPlugin(role, token, config.endpoint);
    const tab = currentTab();
    // A new key remounts GraphiQL, so it introspects the (role's) schema again.
    root.render(
      <Guard key={token || "public"}>
        <GraphiQL
          fetcher={fetcher}
          plugins={[examples, explorer]}
          visiblePlugin={examples}
          defaultQuery={EXAMPLE}
          query={tab.query}
          variables={tab.variables}
          defaultEditorToolsVisibility={false}
          shouldPersistHeaders={false}
        />
      </Guard>,
    );
  }

  function choose(index) {
    const account = index === "" ? null : accounts[Number(index)];
    select.value = account ? index : "";
    tokenInput.value = account ? account.token : "";
    render(account ? account.token : "", account);
  }

  select.addEventListener("change", () => choose(select.value));
  tokenInput.addEventListener("change", () => {
    const token = tokenInput.value.trim();
    const index = accounts.findIndex((a) => a.token === token);
    select.value = index >= 0 ? String(index) : "";
    render(token, index >= 0 ? accounts[index] : null);
  });

  // ?as=USERNAME or ?token=TOKEN picks who to start as; else the first account.
  const params = new URLSearchParams(window.location.search);
  const wanted = params.get("as");
  const pasted = params.get("token");
  if (pasted) {
    tokenInput.value = pasted;
    tokenInput.dispatchEvent(new Event("change"));
  } else if (wanted && accounts.some((a) => a.username === wanted)) {
    choose(String(accounts.findIndex((a) => a.username === wanted)));
  } else {
    choose(accounts.length ? "0" : "");
  }
}

window.propgraphPlayground = { started: false };
try {
  start();
  window.propgraphPlayground.started = true;
} catch (error) {
  showFailure(`The playground could not start: ${error}`);
  throw error;
}
