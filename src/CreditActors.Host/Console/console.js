// The CreditActors console: plain JavaScript over the service's own API. The API key is kept in sessionStorage only
// (this tab, until it closes); every request carries it as a bearer token. Pages follow the caller's roles.
"use strict";

const T = {
  en: {
    signIn: "Sign in", signOut: "Sign out", apiKey: "API key", keyHint: "The key stays in this browser tab only and is forgotten when the tab closes.",
    portfolio: "Portfolio", aging: "Aging", alerts: "Alerts", approvals: "Approvals", asOf: "As of", knownAt: "As known at", show: "Show",
    downloadCsv: "Download CSV", downloadXlsx: "Download Excel", showAcknowledged: "Show acknowledged", makerChecker: "A request is decided by another person than the one who made it (maker-checker): the service refuses otherwise.",
    accounts: "Accounts", limits: "Credit limits", exposure: "Exposure", receivables: "Receivables", overdue: "Overdue", overdueShare: "Overdue share",
    dso: "DSO (days)", holds: "Holds", grades: "Grades", utilisation: "Utilisation", account: "Account", currency: "Currency", total: "Total",
    kind: "Kind", severity: "Severity", raised: "Raised", acknowledge: "Acknowledge", acknowledged: "Acknowledged", live: "live",
    reconnecting: "reconnecting…", request: "Request", from: "From", to: "To", reason: "Reason", requestedBy: "Requested by", approve: "Approve",
    reject: "Reject", nothingPending: "Nothing waits for a decision.", noAlerts: "No alerts.", badKey: "The key was refused.", decided: "Decided",
    facts: "Facts", none: "—", worklist: "Worklist", reconciliation: "Reconciliation", bankQueue: "Bank transactions waiting",
    disputedBalances: "Disputed balances", profile: "Profile", openInvoices: "Open invoices", activeHolds: "Holds", timeline: "Timeline",
    limitHistory: "Credit limit", ratingHistory: "Rating score", status: "Status", due: "Due", open: "Open", amount: "Amount",
    when: "When", who: "Who", what: "What", why: "Why", nextAction: "Next action", priority: "Priority", daysPastDue: "Days past due",
    collector: "Collector", payer: "Payer", remittance: "Remittance", proposal: "Proposal", theirBalance: "Their balance",
    difference: "Difference", statement: "Statement", contact: "Contact", phone: "Phone", email: "Email", taxId: "Tax id", timeZone: "Time zone",
    grade: "Grade", available: "Available credit", expires: "Expires", reference: "Reference",
    limitRequests: "Credit-limit requests", policyVersions: "Rating policy versions", policy: "Policy", description: "Description",
    statements: "Statements", period: "Period", closing: "Closing balance", delivery: "Delivery",
  },
  zh: {
    signIn: "登录", signOut: "退出", apiKey: "API 密钥", keyHint: "密钥只保存在此浏览器标签页中，关闭标签页即清除。",
    portfolio: "组合概览", aging: "账龄", alerts: "预警", approvals: "审批", asOf: "截至日期", knownAt: "按当时所知", show: "查询",
    downloadCsv: "下载 CSV", downloadXlsx: "下载 Excel", showAcknowledged: "显示已确认", makerChecker: "申请须由申请人以外的人审批（双人复核），否则系统拒绝。",
    accounts: "客户数", limits: "信用额度", exposure: "敞口", receivables: "应收账款", overdue: "逾期", overdueShare: "逾期占比",
    dso: "应收账款周转天数", holds: "冻结额度", grades: "评级分布", utilisation: "额度使用率", account: "客户", currency: "币种", total: "合计",
    kind: "类型", severity: "级别", raised: "发生时间", acknowledge: "确认", acknowledged: "已确认", live: "实时", reconnecting: "重新连接中…",
    request: "申请", from: "原额度", to: "新额度", reason: "理由", requestedBy: "申请人", approve: "批准", reject: "驳回",
    nothingPending: "没有待审批的申请。", noAlerts: "没有预警。", badKey: "密钥被拒绝。", decided: "已处理", facts: "详情", none: "—",
    worklist: "催收工作台", reconciliation: "对账", bankQueue: "待匹配银行流水", disputedBalances: "对账差异", profile: "客户档案",
    openInvoices: "未结发票", activeHolds: "额度冻结", timeline: "事件时间线", limitHistory: "信用额度", ratingHistory: "评分",
    status: "状态", due: "到期日", open: "未结金额", amount: "金额", when: "时间", who: "操作人", what: "事件", why: "原因",
    nextAction: "下一步", priority: "优先级", daysPastDue: "逾期天数", collector: "催收员", payer: "付款人", remittance: "附言",
    proposal: "建议匹配", theirBalance: "对方余额", difference: "差额", statement: "对账单", contact: "联系人", phone: "电话",
    email: "邮箱", taxId: "税号", timeZone: "时区", grade: "评级", available: "可用额度", expires: "到期", reference: "参考号",
    limitRequests: "额度调整申请", policyVersions: "评级政策版本", policy: "政策", description: "说明",
    statements: "对账单", period: "期间", closing: "期末余额", delivery: "发送",
  },
};

const PAGES = [
  { id: "portfolio", roles: ["finance", "credit-manager", "auditor", "analyst", "admin"], load: loadPortfolio },
  { id: "aging", roles: ["finance", "credit-manager", "auditor", "analyst", "admin"], load: loadAging },
  { id: "alerts", roles: ["finance", "credit-manager", "auditor", "analyst", "admin"], load: loadAlerts },
  { id: "account", roles: ["order-system", "finance", "credit-manager", "auditor", "analyst", "collector", "admin"], load: loadAccount },
  { id: "worklist", roles: ["collector", "credit-manager", "finance", "admin"], load: loadWorklist },
  { id: "reconciliation", roles: ["finance", "credit-manager", "auditor", "admin"], load: loadReconciliation },
  { id: "approvals", roles: ["credit-manager", "finance", "auditor", "admin"], load: loadApprovals },
];

const state = { lang: sessionStorage.getItem("lang") || (navigator.language.startsWith("zh") ? "zh" : "en"), stream: null, charts: [] };
const $ = id => document.getElementById(id);
const t = key => T[state.lang][key] || key;
const session = () => JSON.parse(sessionStorage.getItem("session") || "null");
const money = value => value === null || value === undefined ? t("none")
  : Number(value).toLocaleString(state.lang === "zh" ? "zh-CN" : "en-US", { maximumFractionDigits: 2 });
const esc = text => String(text ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

async function api(path, options = {}) {
  const s = session();
  const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
  if (s) headers.Authorization = "Bearer " + s.key;
  if (options.body) headers["Content-Type"] = "application/json";
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) { signOut(); throw new Error(t("badKey")); }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || problem.title || response.statusText);
  }
  return response.headers.get("Content-Type")?.includes("json") ? response.json() : response;
}

function translate() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach(e => { e.textContent = t(e.dataset.t); });
  $("lang").textContent = state.lang === "zh" ? "English" : "中文";
}

function signOut() {
  sessionStorage.removeItem("session");
  state.stream?.abort();
  location.hash = "";
  render();
}

function allowed(page) {
  const s = session();
  return s && page.roles.some(r => s.roles.includes(r));
}

function render() {
  translate();
  const s = session();
  $("signout").hidden = !s;
  $("who").textContent = s ? `${s.name} (${s.roles.join(", ")})` : "";
  const nav = $("nav");
  nav.hidden = !s;
  const pages = PAGES.filter(allowed);
  nav.innerHTML = pages.map(p => `<a href="#${p.id}" id="nav-${p.id}">${esc(t(p.id))}</a>`).join("");
  const [wanted, parameter] = location.hash.slice(1).split("/");
  state.parameter = parameter ? decodeURIComponent(parameter) : null;
  const page = s ? pages.find(p => p.id === wanted) || pages[0] : null;
  document.querySelectorAll(".page").forEach(e => { e.hidden = true; });
  state.charts.forEach(c => c.dispose());
  state.charts = [];
  if (!page) { $("signin-page").hidden = false; return; }
  $(page.id + "-page").hidden = false;
  nav.querySelectorAll("a").forEach(a => a.classList.toggle("active", a.id === "nav-" + page.id));
  if (page.id !== "alerts") state.stream?.abort();
  page.load().catch(error => { $(page.id).innerHTML = `<p class="error">${esc(error.message)}</p>`; });
}

function chart(element, option) {
  const c = echarts.init(element);
  c.setOption(Object.assign({ animation: false }, option));
  state.charts.push(c);
  return c;
}

async function loadPortfolio() {
  const report = await api("/reports/portfolio");
  const root = $("portfolio");
  root.className = "cards";
  root.innerHTML = report.currencies.map((c, i) => `
    <div class="card" data-currency="${esc(c.currency)}">
      <h2>${esc(c.currency)}</h2>
      <dl class="figures">
        <dt>${t("accounts")}</dt><dd id="portfolio-${esc(c.currency)}-accounts">${c.accounts}</dd>
        <dt>${t("limits")}</dt><dd>${money(c.totalCreditLimit)}</dd>
        <dt>${t("exposure")}</dt><dd id="portfolio-${esc(c.currency)}-exposure">${money(c.exposure)}</dd>
        <dt>${t("receivables")}</dt><dd>${money(c.receivables)}</dd>
        <dt>${t("holds")}</dt><dd>${money(c.holds)}</dd>
        <dt>${t("overdue")}</dt><dd>${money(c.overdue)}</dd>
        <dt>${t("overdueShare")}</dt><dd>${c.overdueShare === null || c.overdueShare === undefined ? t("none") : c.overdueShare + " %"}</dd>
        <dt>${t("dso")}</dt><dd>${money(c.daysSalesOutstanding)}</dd>
      </dl>
      <div id="utilisation-${i}" class="small-chart"></div>
      <div id="grades-${i}" class="small-chart"></div>
    </div>`).join("") || `<p>${t("none")}</p>`;
  report.currencies.forEach((c, i) => {
    const bars = (title, data) => ({
      title: { text: title, textStyle: { fontSize: 13 } }, tooltip: {}, grid: { left: 40, right: 10, top: 30, bottom: 25 },
      xAxis: { type: "category", data: Object.keys(data) }, yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: Object.values(data), itemStyle: { color: "#457b9d" } }],
    });
    chart($("utilisation-" + i), bars(t("utilisation"), c.utilizationDistribution || {}));
    chart($("grades-" + i), bars(t("grades"), c.gradeDistribution || {}));
  });
}

function agingQuery() {
  const query = new URLSearchParams();
  if ($("aging-asof").value) query.set("asOf", $("aging-asof").value);
  if ($("aging-knownat").value) query.set("knownAt", new Date($("aging-knownat").value).toISOString());
  return query.toString();
}

async function loadAging() {
  const report = await api("/reports/aging?" + agingQuery());
  if (!$("aging-asof").value) $("aging-asof").value = report.asOf;
  const buckets = report.buckets;
  const currencies = report.totals.map(x => x.currency);
  const palette = ["#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#b5179e", "#6a040f", "#264653"];
  chart($("aging-chart"), {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 80, right: 20, top: 40, bottom: 30 },
    xAxis: { type: "category", data: currencies }, yAxis: { type: "value" },
    series: buckets.map((b, i) => ({ name: b, type: "bar", stack: "aging", itemStyle: { color: palette[i % palette.length] },
      data: report.totals.map(x => x.buckets[b] || 0) })),
  });
  const head = `<tr><th>${t("account")}</th><th>${t("currency")}</th>${buckets.map(b => `<th class="num">${esc(b)}</th>`).join("")}<th class="num">${t("total")}</th></tr>`;
  const rows = report.accounts.map(a => `<tr data-account="${esc(a.accountId)}"><td><a href="#account/${encodeURIComponent(a.accountId)}">${esc(a.accountId)}</a></td><td>${esc(a.currency)}</td>${
    buckets.map(b => `<td class="num">${money(a.buckets[b] || 0)}</td>`).join("")}<td class="num">${money(a.total)}</td></tr>`).join("");
  const totals = report.totals.map(x => `<tr class="total"><th>${t("total")}</th><th>${esc(x.currency)}</th>${
    buckets.map(b => `<th class="num">${money(x.buckets[b] || 0)}</th>`).join("")}<th class="num" id="aging-total-${esc(x.currency)}">${money(x.total)}</th></tr>`).join("");
  $("aging-table").innerHTML = head + rows + totals;
}

async function downloadAging(type, extension) {
  const response = await api("/reports/aging?" + agingQuery(), { headers: { Accept: type } });
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `aging-${$("aging-asof").value || "today"}.${extension}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function alertRow(a, fresh) {
  const facts = Object.entries(a.facts || {}).map(([k, v]) => `${esc(k)}: ${esc(typeof v === "object" ? JSON.stringify(v) : v)}`).join("; ");
  const action = a.acknowledgedAt ? `${t("acknowledged")} (${esc(a.acknowledgedBy)})`
    : `<button type="button" data-ack="${esc(a.alertId)}">${t("acknowledge")}</button>`;
  return `<tr id="alert-${esc(a.alertId)}" class="${fresh ? "new" : ""}" data-kind="${esc(a.kind)}"><td>${esc(new Date(a.raisedAt).toLocaleString())}</td>
    <td>${esc(a.accountId)}</td><td>${esc(a.kind)}</td><td class="severity-${esc(a.severity)}">${esc(a.severity)}</td><td>${facts}</td><td>${action}</td></tr>`;
}

async function loadAlerts() {
  const query = new URLSearchParams({ limit: "200" });
  if (!$("alerts-all").checked) query.set("acknowledged", "false");
  if ($("alerts-kind").value) query.set("kind", $("alerts-kind").value);
  if ($("alerts-account").value.trim()) query.set("accountId", $("alerts-account").value.trim());
  const alerts = await api("/alerts?" + query);
  const kinds = $("alerts-kind");
  for (const kind of alerts.map(a => a.kind)) {
    if (![...kinds.options].some(o => o.value === kind)) kinds.add(new Option(kind, kind));
  }
  const table = $("alerts");
  table.innerHTML = `<tr><th>${t("raised")}</th><th>${t("account")}</th><th>${t("kind")}</th><th>${t("severity")}</th><th>${t("facts")}</th><th></th></tr>`
    + (alerts.length ? alerts.map(a => alertRow(a, false)).join("") : `<tr class="empty"><td colspan="6">${t("noAlerts")}</td></tr>`);
  const last = alerts.reduce((m, a) => Math.max(m, a.sequence), 0);
  follow(last);
}

// Server-Sent Events over fetch (EventSource cannot send the key): each alert after the last one shown appears at once.
async function follow(after) {
  state.stream?.abort();
  const controller = new AbortController();
  state.stream = controller;
  let lastId = after;
  while (!controller.signal.aborted) {
    try {
      $("alerts-live").textContent = "● " + t("live");
      const response = await fetch("/alerts/stream", { signal: controller.signal,
        headers: { Authorization: "Bearer " + session().key, Accept: "text/event-stream", "Last-Event-ID": String(lastId) } });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split("\n").filter(l => l.startsWith("data:")).map(l => l.slice(5).trim()).join("\n");
          const id = message.split("\n").find(l => l.startsWith("id:"));
          if (id) lastId = Number(id.slice(3).trim());
          if (!data) continue;
          const alert = JSON.parse(data);
          if ($("alert-" + alert.alertId)) continue;
          if (($("alerts-kind").value && alert.kind !== $("alerts-kind").value)
            || ($("alerts-account").value.trim() && alert.accountId !== $("alerts-account").value.trim())) continue;
          $("alerts").querySelector("tr.empty")?.remove();
          $("alerts").rows[0].insertAdjacentHTML("afterend", alertRow(alert, true));
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
    }
    $("alerts-live").textContent = t("reconnecting");
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

const table = (columns, rows) => `<table><tr>${columns.map(c => `<th${c.num ? ' class="num"' : ""}>${esc(t(c.key))}</th>`).join("")}</tr>${
  rows.length ? rows.map(r => `<tr>${columns.map(c => `<td${c.num ? ' class="num"' : ""}>${c.html ? c.value(r) : esc(c.value(r) ?? t("none"))}</td>`).join("")}</tr>`).join("")
    : `<tr><td colspan="${columns.length}">${t("none")}</td></tr>`}</table>`;

async function loadAccount() {
  const id = state.parameter || $("account-id").value;
  const root = $("account");
  if (!id) { root.innerHTML = ""; return; }
  $("account-id").value = id;
  const path = "/accounts/" + encodeURIComponent(id);
  const readsStatements = ["finance", "credit-manager", "auditor", "collector", "admin"].some(r => session().roles.includes(r));
  const [a, invoices, holds, events, statements] = await Promise.all([api(path), api(path + "/invoices"), api(path + "/holds"),
    api(path + "/events?limit=1000"), readsStatements ? api(path + "/statements") : Promise.resolve([])]);
  const limits = events.filter(e => e.type === "AccountOpened" || e.type === "CreditLimitChanged")
    .map(e => [e.recordedAt, e.type === "AccountOpened" ? e.data.creditLimit : e.data.newLimit]);
  const ratings = events.filter(e => e.type === "RatingAssigned").map(e => [e.recordedAt, e.data.score]);
  const why = e => e.data.reason || e.data.comment || e.data.summary || "";
  root.innerHTML = `
    <h1 id="account-title">${esc(a.name)} <small>${esc(a.accountId)}</small></h1>
    <div class="cards">
      <div class="card"><h2>${t("profile")}</h2><dl class="figures">
        <dt>${t("status")}</dt><dd>${esc(a.status)}</dd><dt>${t("currency")}</dt><dd>${esc(a.currency)}</dd>
        <dt>${t("limits")}</dt><dd id="account-limit">${money(a.creditLimit)}</dd><dt>${t("receivables")}</dt><dd>${money(a.receivables)}</dd>
        <dt>${t("exposure")}</dt><dd>${money(a.exposure)}</dd><dt>${t("available")}</dt><dd>${money(a.availableCredit)}</dd>
        <dt>${t("grade")}</dt><dd>${esc(a.rating?.grade ?? t("none"))}</dd><dt>${t("contact")}</dt><dd id="account-contact">${esc(a.contact ?? t("none"))}</dd>
        <dt>${t("phone")}</dt><dd>${esc(a.phone ?? t("none"))}</dd><dt>${t("email")}</dt><dd>${esc(a.email ?? t("none"))}</dd>
        <dt>${t("taxId")}</dt><dd>${esc(a.taxId ?? t("none"))}</dd><dt>${t("timeZone")}</dt><dd>${esc(a.timeZone)}</dd></dl></div>
      <div class="card"><div id="limit-chart" class="small-chart"></div><div id="rating-chart" class="small-chart"></div></div>
    </div>
    <h2>${t("openInvoices")}</h2>${table([{ key: "reference", value: i => i.invoiceNumber }, { key: "due", value: i => i.dueDate },
      { key: "amount", value: i => money(i.amount), num: true }, { key: "open", value: i => money(i.open), num: true }, { key: "status", value: i => i.status }],
      invoices.filter(i => i.open > 0))}
    <h2>${t("activeHolds")}</h2>${table([{ key: "reference", value: h => h.holdId }, { key: "amount", value: h => money(h.amount), num: true },
      { key: "status", value: h => h.status }, { key: "expires", value: h => new Date(h.expiresAt).toLocaleString() }], holds)}
    <h2>${t("statements")}</h2>${table([{ key: "statement", value: x => x.statementId }, { key: "period", value: x => `${x.from} – ${x.to}` },
      { key: "closing", value: x => money(x.closingBalance), num: true }, { key: "delivery", value: x => x.delivery }], statements)}
    <h2>${t("timeline")}</h2><div id="timeline">${table([{ key: "when", value: e => new Date(e.recordedAt).toLocaleString() },
      { key: "what", value: e => e.type }, { key: "who", value: e => e.actor }, { key: "why", value: why }], events.slice().reverse())}</div>`;
  const line = (title, data) => ({ title: { text: title, textStyle: { fontSize: 13 } }, tooltip: { trigger: "axis" },
    grid: { left: 70, right: 10, top: 30, bottom: 25 }, xAxis: { type: "time" }, yAxis: { type: "value" },
    series: [{ type: "line", step: "end", data, itemStyle: { color: "#1d3557" } }] });
  chart($("limit-chart"), line(t("limitHistory"), limits));
  chart($("rating-chart"), line(t("ratingHistory"), ratings));
}

async function loadWorklist() {
  const items = await api("/collections/worklist");
  $("worklist").outerHTML = `<div id="worklist">${table([{ key: "priority", value: w => w.rank, num: true },
    { key: "account", value: w => `<a href="#account/${encodeURIComponent(w.accountId)}">${esc(w.accountId)}</a>`, html: true },
    { key: "nextAction", value: w => `${w.nextAction} (${w.dueOn})` }, { key: "overdue", value: w => money(w.overdue), num: true },
    { key: "daysPastDue", value: w => w.daysPastDue, num: true }, { key: "collector", value: w => w.collector }], items)}</div>`;
}

async function loadReconciliation() {
  const [bank, items] = await Promise.all([api("/bank/transactions?status=unmatched"), api("/reconciliation-items?status=open")]);
  $("bank-queue").outerHTML = `<div id="bank-queue">${table([{ key: "reference", value: b => b.bankReference }, { key: "when", value: b => b.bookingDate },
    { key: "amount", value: b => money(b.remaining), num: true }, { key: "payer", value: b => b.payerName }, { key: "remittance", value: b => b.remittanceText },
    { key: "proposal", value: b => b.proposal ? `${b.proposal.accountId} (${b.proposal.rule} ${b.proposal.confidence})` : null }], bank)}</div>`;
  $("reconciliation").outerHTML = `<div id="reconciliation">${table([{ key: "account", value: r => r.accountId }, { key: "statement", value: r => r.statementId },
    { key: "theirBalance", value: r => money(r.theirBalance), num: true }, { key: "difference", value: r => money(r.difference), num: true },
    { key: "who", value: r => r.respondent }], items)}</div>`;
}

async function loadApprovals() {
  const requests = await api("/credit-limit-requests?status=pending");
  const table = $("approvals");
  table.innerHTML = `<tr><th>${t("account")}</th><th>${t("request")}</th><th class="num">${t("from")}</th><th class="num">${t("to")}</th><th>${t("reason")}</th><th>${t("requestedBy")}</th><th></th></tr>`
    + (requests.length ? requests.map(r => `<tr id="request-${esc(r.requestId)}"><td>${esc(r.accountId)}</td><td>${esc(r.requestId)}</td>
      <td class="num">${money(r.oldLimit)}</td><td class="num">${money(r.newLimit)}</td><td>${esc(r.reason)}</td><td>${esc(r.requestedBy)}</td>
      <td><button type="button" data-decide="approve" data-account="${esc(r.accountId)}" data-request="${esc(r.requestId)}">${t("approve")}</button>
          <button type="button" data-decide="reject" data-account="${esc(r.accountId)}" data-request="${esc(r.requestId)}">${t("reject")}</button></td></tr>`).join("")
      : `<tr><td colspan="7">${t("nothingPending")}</td></tr>`);
  if (!["credit-manager", "auditor", "admin"].some(r => session().roles.includes(r))) { $("policies").innerHTML = ""; return; }
  const versions = (await api("/rating-policies")).filter(v => v.status === "pending");
  $("policies").innerHTML = `<tr><th>${t("policy")}</th><th>${t("description")}</th><th>${t("reason")}</th><th>${t("requestedBy")}</th><th></th></tr>`
    + (versions.length ? versions.map(v => `<tr id="policy-${esc(v.policyId)}-${v.version}"><td>${esc(v.policyId)} v${v.version}</td><td>${esc(v.description)}</td>
      <td>${esc(v.reason)}</td><td>${esc(v.proposedBy)}</td>
      <td><button type="button" data-policy="approve" data-id="${esc(v.policyId)}" data-version="${v.version}">${t("approve")}</button>
          <button type="button" data-policy="reject" data-id="${esc(v.policyId)}" data-version="${v.version}">${t("reject")}</button></td></tr>`).join("")
      : `<tr><td colspan="5">${t("nothingPending")}</td></tr>`);
}

document.addEventListener("click", async event => {
  const target = event.target;
  if (target.dataset.ack) {
    await api(`/alerts/${encodeURIComponent(target.dataset.ack)}/acknowledge`, { method: "POST" })
      .then(a => { $("alert-" + a.alertId).outerHTML = alertRow(a, false); })
      .catch(error => { target.title = error.message; });
  } else if (target.dataset.policy) {
    $("approvals-error").textContent = "";
    const path = `/rating-policies/${encodeURIComponent(target.dataset.id)}/versions/${target.dataset.version}/${target.dataset.policy}`;
    const body = target.dataset.policy === "approve" ? { comment: "approved in the console" } : { reason: "rejected in the console" };
    await api(path, { method: "POST", body: JSON.stringify(body) })
      .then(() => { $(`policy-${target.dataset.id}-${target.dataset.version}`).querySelector("td:last-child").textContent = t("decided"); })
      .catch(error => { $("approvals-error").textContent = error.message; });
  } else if (target.dataset.decide) {
    $("approvals-error").textContent = "";
    const path = `/accounts/${encodeURIComponent(target.dataset.account)}/credit-limit-requests/${encodeURIComponent(target.dataset.request)}/${target.dataset.decide}`;
    const body = target.dataset.decide === "approve" ? { comment: "approved in the console" } : { reason: "rejected in the console" };
    await api(path, { method: "POST", body: JSON.stringify(body) })
      .then(() => { $("request-" + target.dataset.request).querySelector("td:last-child").textContent = t("decided"); })
      .catch(error => { $("approvals-error").textContent = error.message; });
  }
});

$("signin").addEventListener("submit", async event => {
  event.preventDefault();
  $("signin-error").textContent = "";
  const key = $("key").value.trim();
  try {
    const response = await fetch("/me", { headers: { Authorization: "Bearer " + key, Accept: "application/json" } });
    if (!response.ok) throw new Error(t("badKey"));
    const me = await response.json();
    sessionStorage.setItem("session", JSON.stringify({ key, name: me.name || "development", roles: me.roles }));
    $("key").value = "";
    render();
  } catch (error) {
    $("signin-error").textContent = error.message;
  }
});
$("signout").addEventListener("click", signOut);
$("lang").addEventListener("click", () => { state.lang = state.lang === "zh" ? "en" : "zh"; sessionStorage.setItem("lang", state.lang); render(); });
$("aging-form").addEventListener("submit", event => { event.preventDefault(); loadAging().catch(e => { $("aging-table").innerHTML = `<tr><td class="error">${esc(e.message)}</td></tr>`; }); });
$("aging-csv").addEventListener("click", () => downloadAging("text/csv", "csv"));
$("aging-xlsx").addEventListener("click", () => downloadAging("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"));
$("account-form").addEventListener("submit", event => { event.preventDefault(); location.hash = "account/" + encodeURIComponent($("account-id").value.trim()); });
$("alerts-all").addEventListener("change", () => loadAlerts());
$("alerts-filter").addEventListener("submit", event => { event.preventDefault(); loadAlerts(); });
window.addEventListener("hashchange", render);
window.addEventListener("resize", () => state.charts.forEach(c => c.resize()));
render();
