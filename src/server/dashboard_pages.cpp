#include "pc/server/dashboard_pages.hpp"

#include "pc/core/version.hpp"
#include "pc/report/report_builder.hpp"
#include "pc/server/html_text.hpp"

namespace pc::server {

namespace {

// Light and dark follow the browser's setting.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light dark; --fg:#1d2330; --bg:#fbfbfd; --muted:#5d6675; --line:#d8dce3;
  --accent:#2456c7; --fresh:#1f7a3a; --late:#a86400; --silent:#b3261e; --panel:#f0f2f6; }
@media (prefers-color-scheme: dark) {
  :root { --fg:#e4e7ee; --bg:#14171c; --muted:#9aa3b2; --line:#333a45; --accent:#7ea6ff;
    --fresh:#5fcf7f; --late:#f0b04a; --silent:#ff7a70; --panel:#1d2129; } }
body { font: 15px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  margin: 0; }
header.pcd { display:flex; align-items:center; gap:1em; padding:.6em 1.2em;
  border-bottom:1px solid var(--line); background: var(--panel); flex-wrap: wrap; }
header.pcd h1 { font-size:1.1em; margin:0; }
header.pcd .grow { flex:1; }
main.pcd { padding: 1em 1.2em; }
a { color: var(--accent); }
button, input, select { font: inherit; padding: .25em .6em; }
table.fleet { border-collapse: collapse; width: 100%; }
table.fleet th, table.fleet td { padding: .35em .7em; border-bottom: 1px solid var(--line);
  text-align: right; white-space: nowrap; }
table.fleet th:first-child, table.fleet td:first-child,
table.fleet th:nth-child(2), table.fleet td:nth-child(2) { text-align: left; }
table.fleet th { cursor: pointer; user-select: none; }
table.fleet th[aria-sort=ascending]::after { content: " \25B2"; }
table.fleet th[aria-sort=descending]::after { content: " \25BC"; }
.state-fresh { color: var(--fresh); font-weight: 600; }
.state-late { color: var(--late); font-weight: 600; }
.state-silent { color: var(--silent); font-weight: 600; }
.muted { color: var(--muted); }
.message { padding: .6em 1em; border: 1px solid var(--silent); border-radius: 4px;
  margin-bottom: 1em; }
form.signin { max-width: 28em; margin: 4em auto; display: grid; gap: .7em; }
)css";

std::string page(std::string_view title, std::string_view body, std::string_view script = {}) {
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>";
    out += html_escape(title);
    out += "</title><style>";
    out += kStyle;
    out += "</style></head><body>";
    out += body;
    if (!script.empty()) {
        out += "<script>";
        out += script;
        out += "</script>";
    }
    out += "</body></html>\n";
    return out;
}

constexpr std::string_view kSignOut =
    "<form method=\"post\" action=\"/dashboard/signout\"><button type=\"submit\" "
    "id=\"signout\">Sign out</button></form>";

// Fills the table from fleet.json every few seconds: values go in with textContent only.
constexpr std::string_view kFleetScript = R"js(
"use strict";
(function () {
  const refreshMs = Number(document.body.dataset.refreshSeconds) * 1000;
  const body = document.getElementById("fleet-rows");
  const filter = document.getElementById("filter");
  const status = document.getElementById("status");
  const stateRank = { fresh: 0, late: 1, silent: 2 };
  let machines = [];
  let sortKey = "identifier";
  let sortDir = 1;
  function ago(s) {
    if (s < 120) return s + " s ago";
    if (s < 7200) return Math.round(s / 60) + " min ago";
    if (s < 172800) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " days ago";
  }
  function pct(v) { return v === null ? "\u2013" : v.toFixed(1) + " %"; }
  function key(m) {
    if (sortKey === "state") return stateRank[m.state];
    if (sortKey === "last_seen") return -m.last_seen;
    const v = m[sortKey];
    return v === null ? -1 : v;
  }
  function cell(tr, text, cls) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function render() {
    const words = filter.value.trim().toLowerCase();
    const shown = machines.filter(m => m.identifier.toLowerCase().includes(words));
    shown.sort((a, b) => {
      const ka = key(a), kb = key(b);
      if (ka < kb) return -sortDir;
      if (ka > kb) return sortDir;
      return a.identifier < b.identifier ? -1 : 1;
    });
    const rows = document.createDocumentFragment();
    for (const m of shown) {
      const tr = document.createElement("tr");
      tr.dataset.identifier = m.identifier;
      tr.dataset.state = m.state;
      const name = document.createElement("td");
      const link = document.createElement("a");
      link.href = "/dashboard/machine/" + encodeURIComponent(m.identifier);
      link.textContent = m.identifier;
      name.appendChild(link);
      tr.appendChild(name);
      cell(tr, m.state, "state state-" + m.state);
      cell(tr, m.last_seen ? ago(m.age) : "never").title =
          m.last_seen ? new Date(m.last_seen * 1000).toISOString() : "";
      cell(tr, m.interval === null ? "\u2013" : m.interval + " s");
      cell(tr, m.ticks.toLocaleString());
      cell(tr, m.gaps.toLocaleString());
      cell(tr, pct(m.cpu_busy_pct));
      cell(tr, pct(m.mem_used_pct));
      rows.appendChild(tr);
    }
    body.replaceChildren(rows);
    document.body.dataset.pcFleetRows = String(shown.length);
  }
  async function load() {
    try {
      const r = await fetch("/dashboard/fleet.json", { credentials: "same-origin", cache: "no-store" });
      if (r.status === 401) { window.location.assign("/"); return; }
      if (!r.ok) throw new Error("HTTP " + r.status);
      const data = await r.json();
      machines = data.machines;
      render();
      status.textContent = machines.length + " machine(s), updated " +
          new Date(data.now * 1000).toISOString().replace(".000Z", "Z");
      document.body.dataset.pcFleetUpdated = String(data.now);
    } catch (e) {
      status.textContent = "cannot refresh: " + e.message + " (retrying)";
    }
  }
  for (const th of document.querySelectorAll("table.fleet th")) {
    th.addEventListener("click", () => {
      if (sortKey === th.dataset.key) sortDir = -sortDir; else { sortKey = th.dataset.key; sortDir = 1; }
      for (const other of document.querySelectorAll("table.fleet th")) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
      render();
    });
  }
  filter.addEventListener("input", render);
  load();
  setInterval(load, refreshMs);
})();
)js";

constexpr std::string_view kBannerStyle = R"css(
.pcd-banner { font: 14px/1.4 system-ui, sans-serif; display: flex; flex-wrap: wrap; gap: .6em 1.2em;
  align-items: center; padding: .6em 1em; border-bottom: 1px solid #8884; margin-bottom: .8em; }
.pcd-banner form { display: flex; flex-wrap: wrap; gap: .4em; align-items: center; margin: 0; }
.pcd-banner .grow { flex: 1; }
.pcd-banner .note { flex-basis: 100%; opacity: .8; }
@media print { .pcd-banner { display: none; } }
)css";

}  // namespace

std::string sign_in_page(std::string_view message) {
    std::string body =
        "<header class=\"pcd\"><h1>pcd dashboard</h1></header><main class=\"pcd\">"
        "<form class=\"signin\" method=\"post\" action=\"/dashboard/signin\">";
    if (!message.empty()) {
        body += "<div class=\"message\" id=\"message\" role=\"alert\">" + html_escape(message) +
                "</div>";
    }
    body +=
        "<label for=\"key\">Admin key (a line of pcd's admin keys file)</label>"
        "<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" required autofocus>"
        "<button type=\"submit\" id=\"signin\">Sign in</button>"
        "<p class=\"muted\">The key is sent once, in this form's body, and never stored by the "
        "browser: a session cookie stands for it until you sign out or it expires.</p>"
        "</form></main>";
    return page("pcd dashboard: sign in", body);
}

std::string fleet_page(int refresh_seconds) {
    std::string body = "<header class=\"pcd\"><h1>pcd fleet</h1><span class=\"muted\">";
    body += html_escape(core::version());
    body +=
        "</span><span class=\"grow\"></span><input id=\"filter\" type=\"search\" "
        "placeholder=\"Filter by identifier\" aria-label=\"Filter by identifier\">";
    body += kSignOut;
    body +=
        "</header><main class=\"pcd\"><p id=\"status\" class=\"muted\">loading\u2026</p>"
        "<table class=\"fleet\"><thead><tr>"
        "<th data-key=\"identifier\" aria-sort=\"ascending\">Machine</th>"
        "<th data-key=\"state\">State</th><th data-key=\"last_seen\">Last seen</th>"
        "<th data-key=\"interval\">Interval</th><th data-key=\"ticks\">Ticks stored</th>"
        "<th data-key=\"gaps\">Gaps</th><th data-key=\"cpu_busy_pct\">CPU busy</th>"
        "<th data-key=\"mem_used_pct\">Memory used</th></tr></thead>"
        "<tbody id=\"fleet-rows\"></tbody></table>"
        "<p class=\"muted\">State, from the time since pcd last stored a batch, in the machine's "
        "own interval: fresh up to 2 intervals + 5 s, late up to 5 intervals + 10 s, then "
        "silent. CPU busy and memory used are from its last two ticks.</p></main>";
    std::string html = page("pcd fleet", body, kFleetScript);
    // The refresh period travels as a data attribute of <body>.
    const auto at = html.find("<body>");
    html.replace(at, 6, "<body data-refresh-seconds=\"" + std::to_string(refresh_seconds) + "\">");
    return html;
}

std::string machine_banner(std::string_view identifier, const DashboardWindow& window,
                           std::string_view note) {
    const std::string id_url = url_component(identifier);
    const std::string base = "/dashboard/machine/" + id_url;
    const std::string range =
        "since=" + std::to_string(window.since) + "&amp;until=" + std::to_string(window.until);
    std::string out =
        "<nav class=\"pcd-banner\" id=\"pcd-banner\"><a href=\"/\" id=\"to-fleet\">\u2190 "
        "Fleet</a><strong>";
    out += html_escape(identifier);
    out += "</strong><form method=\"get\" action=\"" + base + "\" id=\"window-form\">";
    out += "<select name=\"window\" aria-label=\"Window\">";
    for (const auto& p : window_presets()) {
        out += "<option value=\"" + std::string(p.name) + "\"";
        if (p.name == window.preset) out += " selected";
        out += ">" + std::string(p.label) + "</option>";
    }
    out += "</select><button type=\"submit\">Show</button></form>";
    out += "<form method=\"get\" action=\"" + base + "\" id=\"range-form\">";
    out += "<label>from <input type=\"datetime-local\" step=\"1\" name=\"since\" value=\"" +
           utc_input_time(window.since) + "\"></label>";
    out += "<label>to <input type=\"datetime-local\" step=\"1\" name=\"until\" value=\"" +
           utc_input_time(window.until) + "\"></label><span>UTC</span>";
    out += "<button type=\"submit\">Show range</button></form><span class=\"grow\"></span>";
    out += "<a id=\"download-collection\" href=\"" + base + "/collection.json?" + range +
           "\" download>Collection (JSON lines)</a>";
    out += "<a id=\"download-report\" href=\"" + base + "/report.html?" + range +
           "\" download>Report (HTML)</a>";
    out += kSignOut;
    if (!note.empty()) {
        out += "<span class=\"note\" id=\"window-note\">" + html_escape(note) + "</span>";
    }
    out += "</nav>";
    return out;
}

std::string_view machine_banner_style() {
    return kBannerStyle;
}

const report::CspHashes& dashboard_csp_hashes() {
    static const report::CspHashes hashes = [] {
        report::CspHashes h;
        h.add_style(kStyle);
        h.add_style(kBannerStyle);
        h.add_script(kFleetScript);
        h.add(report::report_page_hashes());
        return h;
    }();
    return hashes;
}

std::string dashboard_error_page(std::string_view title, std::string_view message) {
    std::string body = "<header class=\"pcd\"><a href=\"/\">\u2190 Fleet</a><h1>";
    body += html_escape(title);
    body += "</h1><span class=\"grow\"></span>";
    body += kSignOut;
    body += "</header><main class=\"pcd\"><p class=\"message\" id=\"message\">";
    body += html_escape(message);
    body += "</p></main>";
    return page("pcd: " + std::string(title), body);
}

}  // namespace pc::server
