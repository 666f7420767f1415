// İZDES admin dashboard: the findings register ("#bulgular": the list with its filters and a
// form for a new finding; "#bulgu/12": one finding with its evidence, proposals, history, and
// forms to move it on). Loaded before dashboard.js, whose helpers (el, $, api, showOnly,
// failed, geoData, SERVICES, DRIVERS, INDICATIVE ...) it uses once both are in.
// Every text an analyst wrote goes into the page as text (textContent through el()), never
// as HTML.
"use strict";

const FINDINGS_VIEWS = ["findings", "finding"];
const FINDING_STATUSES = [
  ["open", "Açık"],
  ["action_taken", "Önlem alındı"],
  ["re_evaluated", "Yeniden değerlendirildi"],
  ["closed", "Kapatıldı"],
];
const STATUS_LABEL = new Map(FINDING_STATUSES);
// The moves each status has (storage/finding_status.py), as the form offers them.
const MOVES = {
  open: [["action_taken", "Önlem alındı"], ["closed", "Kapat: yapılabilecek bir şey yok"]],
  action_taken: [["re_evaluated", "Yeniden değerlendirildi"], ["open", "Yeniden aç"]],
  re_evaluated: [["closed", "Kapat"], ["open", "Yeniden aç"]],
  closed: [["open", "Yeniden aç"]],
};
const NOTE_LABEL = {
  re_evaluated: "Değerlendirme notu: ne görüldü",
  closed: "Not",
  open: "Neden yeniden açılıyor",
};
const NOTE_NEEDED = new Set(["re_evaluated", "open"]); // and closing an open finding
const CLOSED_AS = { done: "tamamlandı", not_actionable: "yapılabilecek bir şey yok" };
const RAISED_BY = { province: "Valilik", ministry: "Bakanlık" };
const SOURCE_LABEL = { analyst: "analist", staff_survey: "personel önerisi" };
const HISTORY_ACTION = {
  created: "Bulgu oluşturuldu",
  proposal_added: "Öneri eklendi",
  status: "Durum değişti",
  reported: "Merkeze bildirildi",
};
const FIELD_LABEL = {
  status: "durum", action_date: "önlem tarihi", action: "yapılan", re_evaluated_at:
  "değerlendirme zamanı", re_evaluation_note: "değerlendirme notu", re_evaluation_result:
  "değerlendirme sonucu", closed_at: "kapanış", closed_as: "kapanış türü", closing_note:
  "kapanış notu", reopen_note: "yeniden açma nedeni", reported_at: "bildirim zamanı",
  reported_by: "bildiren", proposal: "öneri",
};
// What a refusal means, in Turkish; the server's own sentence (English) follows it.
const REFUSED = {
  400: "Kaydedilemedi: bilgileri denetleyin.",
  403: "Bu anahtarın bunu yapma yetkisi yok.",
  404: "Bulgu bulunamadı.",
  409: "Bulgunun şimdiki durumu buna izin vermiyor.",
};
const dayFormat = new Intl.DateTimeFormat("tr-TR",
  { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const momentFormat = new Intl.DateTimeFormat("tr-TR", { day: "numeric", month: "long",
  year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Istanbul" });

// The scope comes with every list; the load counter is the page's own (state.seq in
// dashboard.js), so that a slow overview answer cannot replace a findings view, nor one the
// overview.
const findingsState = { scope: null, provinces: null, shown: null };

// ---------------------------------------------------------------- helpers

function dayText(iso) {
  if (!iso) return "—";
  const [year, month, day] = iso.split("-").map(Number);
  return dayFormat.format(new Date(Date.UTC(year, month - 1, day)));
}

const momentText = (iso) => (iso ? momentFormat.format(new Date(iso)) : "—");
const serviceText = (key) => new Map(SERVICES).get(key) ?? (key || "Tüm hizmetler");
const driverText = (key) => new Map(DRIVERS).get(key) ?? key;

function placeText(finding) {
  return [finding.district_name, finding.province_name].filter(Boolean).join(", ");
}

function statusBadge(finding) {
  const badges = [el("span", { class: `badge status-${finding.status}` },
    STATUS_LABEL.get(finding.status) ?? finding.status)];
  if (finding.overdue) badges.push(" ", el("span", { class: "badge overdue" }, "Gecikmiş"));
  return badges;
}

// A write to the API: JSON in, the finding (or a refusal in Turkish, with the server's
// sentence) out. 401 and 429 end the session as every other call does.
async function send(method, path, body) {
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}`,
        "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "Sunucuya ulaşılamadı; bağlantıyı denetleyip yeniden deneyin.");
  }
  if (response.ok) return response.json();
  if (response.status === 401) signOut(INVALID_TOKEN);
  if (response.status === 429) {
    signOut(`Çok fazla istek. ${response.headers.get("Retry-After") || "60"} saniye sonra `
      + "yeniden deneyin.");
  }
  let detail = "";
  try {
    detail = (await response.json()).detail ?? "";
  } catch { /* not a problem document: the status says enough */ }
  const said = REFUSED[response.status] ?? `İşlem yapılamadı (sunucu yanıtı ${response.status}).`;
  throw new ApiError(response.status, detail ? `${said} (${detail})` : said);
}

async function provinceList() {
  findingsState.provinces ??= geoData().then((geo) => geo.features
    .map((feature) => [feature.properties.plate, feature.properties.name])
    .sort((a, b) => a[1].localeCompare(b[1], "tr")));
  return findingsState.provinces;
}

function options(select, pairs, keepFirst = true) {
  const first = keepFirst ? [...select.options].slice(0, 1) : [];
  select.replaceChildren(...first, ...pairs.map(([value, label]) =>
    el("option", { value }, label)));
}

function clearFindings() {
  for (const selector of ["#findings-table tbody", "#finding-facts", "#finding-round",
    "#finding-reevaluation",
    "#finding-evidence tbody", "#finding-proposals", "#finding-history"]) {
    $(selector).replaceChildren();
  }
  for (const selector of ["#findings-status", "#finding-title", "#finding-status",
    "#finding-problem", "#finding-evidence-note", "#report-note", "#nf-error", "#move-error",
    "#proposal-error", "#report-error"]) {
    $(selector).textContent = "";
  }
  $("#new-finding-form").reset();
  options($("#f-province"), []); // refilled for the next token's scope
  options($("#nf-province"), [], false);
  findingsState.scope = null;
  findingsState.shown = null;
}

// ---------------------------------------------------------------- routes

function routeFindings(hash) {
  if (hash === "#bulgular") {
    loadFindings();
    return true;
  }
  const match = /^#bulgu\/(\d{1,18})$/.exec(hash);
  if (match) {
    loadFinding(match[1]);
    return true;
  }
  return false;
}

// ---------------------------------------------------------------- the list

function findingsQuery() {
  const query = new URLSearchParams({ per_page: "200" });
  for (const [name, id] of [["province", "#f-province"], ["service", "#f-service"],
    ["status", "#f-status"], ["reported", "#f-reported"]]) {
    if ($(id).value) query.set(name, $(id).value);
  }
  if ($("#f-overdue").checked) query.set("overdue", "true");
  // Action taken and a whole period released since: the centre's re-evaluations due.
  if ($("#f-due").checked) query.set("due", "reevaluation");
  return query.toString();
}

async function loadFindings() {
  const seq = ++state.seq;
  $("#findings-status").textContent = "Yükleniyor…";
  try {
    const [body, provinces] = await Promise.all([api(`/findings?${findingsQuery()}`),
      provinceList()]);
    if (seq !== state.seq) return;
    findingsState.scope = body.scope;
    showOnly("findings");
    fillProvinceChoices(provinces, body.scope);
    drawFindings(body);
  } catch (error) {
    if (seq === state.seq) failed(error, "findings", "#findings-status");
  }
}

// A governor's office has one province: the filter and the new finding's place are fixed.
function fillProvinceChoices(provinces, scope) {
  const own = scope?.startsWith("province:") ? scope.slice("province:".length) : null;
  const mine = own ? provinces.filter(([plate]) => plate === own) : provinces;
  if ($("#f-province").options.length <= 1) options($("#f-province"), mine);
  if (!$("#nf-province").options.length) options($("#nf-province"), mine, false);
  $("#f-province").disabled = $("#nf-province").disabled = Boolean(own);
}

function drawFindings(body) {
  const rows = body.findings;
  $("#findings-status").textContent = rows.length
    ? `${rows.length < body.total ? `${body.total} bulgudan ilk ${rows.length} tanesi` : `${body.total} bulgu`} gösteriliyor.`
    : "Bu seçime uyan bulgu yok.";
  $("#findings-table tbody").replaceChildren(...rows.map((finding) => el("tr",
    { "data-finding": String(finding.id), class: finding.overdue ? "overdue-row" : "" },
    el("td", { class: "num" }, el("a", { href: `#bulgu/${finding.id}` }, String(finding.id))),
    el("td", {}, placeText(finding)),
    el("td", {}, serviceText(finding.service)),
    el("td", { class: "text short" }, el("a", { href: `#bulgu/${finding.id}` },
      shortened(finding.problem))),
    el("td", {}, finding.responsible_unit),
    el("td", {}, dayText(finding.due_date)),
    el("td", {}, ...statusBadge(finding)),
    el("td", {}, finding.reported_at ? momentText(finding.reported_at) : "—"))));
}

function shortened(text) {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

async function createFinding(event) {
  event.preventDefault();
  const lines = (id) => $(id).value.split("\n").map((line) => line.trim()).filter(Boolean);
  const body = {
    province: $("#nf-province").value,
    service: $("#nf-service").value || undefined,
    district: $("#nf-district").value.trim() || undefined,
    period: $("#nf-period").value.trim() || undefined,
    drivers: [...$("#nf-drivers").querySelectorAll("input:checked")].map((box) => box.value),
    problem: $("#nf-problem").value,
    proposals: lines("#nf-proposals"),
    responsible_unit: $("#nf-unit").value,
    due_date: $("#nf-due").value,
  };
  const missing = [["#nf-problem", body.problem.trim()], ["#nf-proposals", body.proposals.length],
    ["#nf-unit", body.responsible_unit.trim()], ["#nf-due", body.due_date]]
    .filter(([, value]) => !value).map(([id]) => $(`label[for="${id.slice(1)}"]`)
      .firstChild.textContent.trim());
  if (missing.length) {
    $("#nf-error").textContent = `Eksik: ${missing.join(", ")}.`;
    return;
  }
  await submitting(event.submitter, "#nf-error", async () => {
    const made = await send("POST", "/findings", body);
    $("#new-finding-form").reset();
    $("#new-finding").open = false;
    location.hash = `#bulgu/${made.id}`;
  });
}

// Runs a write with its button disabled; a refusal goes to the form's alert.
async function submitting(button, errorTarget, write) {
  $(errorTarget).textContent = "";
  if (button) button.disabled = true;
  try {
    await write();
  } catch (error) {
    if (error.status !== 401 && error.status !== 429) $(errorTarget).textContent = error.message;
    if (!(error instanceof ApiError)) console.error(error);
  } finally {
    if (button) button.disabled = false;
  }
}

// ---------------------------------------------------------------- one finding

async function loadFinding(number) {
  const seq = ++state.seq;
  $("#finding-status").textContent = "Yükleniyor…";
  try {
    const [finding, listed] = await Promise.all([api(`/findings/${number}`),
      findingsState.scope ? null : api("/findings?per_page=1")]);
    if (seq !== state.seq) return;
    if (listed) findingsState.scope = listed.scope;
    showOnly("finding");
    drawFinding(finding);
    $("#finding-title").focus();
  } catch (error) {
    if (seq !== state.seq) return;
    if (error.status === 404) showFindingMessage("Bulgu bulunamadı",
      "Bu numarada bir bulgu yok ya da bu anahtar onu göremez.");
    else failed(error, "finding", "#finding-status");
  }
}

function showFindingMessage(title, message) {
  clearFindings();
  showOnly("finding");
  $("#finding-content").hidden = true;
  $("#finding-title").textContent = title;
  $("#finding-status").textContent = message;
  $("#finding-title").focus();
}

function drawFinding(finding) {
  findingsState.shown = finding;
  $("#finding-content").hidden = false;
  $("#finding-status").textContent = "";
  $("#finding-title").replaceChildren(`Bulgu ${finding.id} `, ...statusBadge(finding));
  $("#finding-facts").replaceChildren(...facts(finding).flatMap(([term, ...value]) =>
    [el("dt", {}, term), el("dd", {}, ...value)]));
  $("#finding-problem").textContent = finding.problem;
  $("#finding-round").replaceChildren(...roundOf(finding));
  $("#finding-reevaluation").replaceChildren(...reEvaluationParts(finding));
  drawEvidence(finding);
  $("#finding-proposals").replaceChildren(...finding.proposals.map((proposal) => el("li", {},
    el("p", { class: "text" }, proposal.text),
    el("p", { class: "sub" }, `${SOURCE_LABEL[proposal.source] ?? proposal.source} · `
      + `${proposal.added_by} · ${momentText(proposal.added_at)}`))));
  $("#proposal-form").hidden = finding.status === "closed";
  drawMoves(finding);
  drawReport(finding);
  $("#finding-history").replaceChildren(...finding.history.map(historyItem));
}

function facts(finding) {
  return [
    ["Yer", placeText(finding)],
    ["Hizmet", serviceText(finding.service)],
    ["Dönem", monthLabel(finding.period)],
    ["İlgili boyutlar", finding.drivers.map(driverText).join(", ") || "—"],
    ["Sorumlu birim", finding.responsible_unit],
    ["Son tarih", dayText(finding.due_date), ...(finding.overdue
      ? [" ", el("span", { class: "badge overdue" }, "Gecikmiş")] : [])],
    ["Oluşturan", `${RAISED_BY[finding.raised_by] ?? finding.raised_by} · ${finding.created_by}`
      + ` · ${momentText(finding.created_at)}`],
    ["Merkeze bildirim", finding.reported_at
      ? `${momentText(finding.reported_at)} · ${finding.reported_by}` : "Bildirilmedi"],
  ];
}

// The current round: the action taken, its re-evaluation, the closing, why it was reopened.
function roundOf(finding) {
  const parts = [];
  const block = (title, when, text) => parts.push(el("h2", {}, title),
    el("p", { class: "sub" }, when), el("p", { class: "text" }, text ?? "—"));
  if (finding.reopen_note && finding.status === "open") {
    block("Yeniden açıldı", "", finding.reopen_note);
  }
  if (finding.action_date) block("Alınan önlem", dayText(finding.action_date), finding.action);
  if (finding.re_evaluated_at) {
    const result = finding.re_evaluation_result;
    block("Yeniden değerlendirme", momentText(finding.re_evaluated_at),
      finding.re_evaluation_note ?? (result?.verdict
        ? `Kaydedilen sonuç: ${REEVALUATION_VERDICT[result.verdict]?.[0] ?? result.verdict}`
        : null));
  }
  if (finding.closed_at) {
    block(`Kapatıldı (${CLOSED_AS[finding.closed_as] ?? finding.closed_as})`,
      momentText(finding.closed_at), finding.closing_note);
  }
  return parts;
}

function drawEvidence(finding) {
  const { figures, released_at: released, min_cell: minCell } = finding.evidence;
  const concerned = new Set(finding.drivers);
  const rows = [ // label, value, whether it is a driver the finding is about
    ["Yanıt", figures.n == null ? "—" : whole.format(figures.n)],
    ["Ortalama memnuniyet (1–5, %95 GA)", meanText(figures)],
    ["Memnun (4–5, %95 GA)", shareText(figures)],
    ...DRIVERS.filter(([key]) => key in (figures.drivers ?? {})).map(([key, label]) => [
      concerned.has(key) ? `${label} (ilgili)` : label,
      figures.drivers[key] == null ? "yetersiz yanıt" : whole.format(figures.drivers[key]),
      concerned.has(key)]),
    ["Kolaylık (1–7)", figures.effort == null ? "—" : one.format(figures.effort)],
  ];
  $("#finding-evidence tbody").replaceChildren(...rows.map(([label, value, about]) => el("tr",
    about ? { class: "concerned" } : {},
    el("th", { scope: "row" }, label), el("td", { class: "num" }, value))));
  $("#finding-evidence-note").textContent = `${monthLabel(finding.period)} dönemi, `
    + `${momentText(released)} tarihli yayından; en az ${minCell} yanıtlı hücreler `
    + `gösterilir. GA: %95 güven aralığı, ${INDICATIVE}. Boyutlar 0–100 arasıdır.`;
}

function drawMoves(finding) {
  options($("#move"), MOVES[finding.status] ?? [], false);
  $("#status-form").reset();
  showMoveFields();
}

function showMoveFields() {
  const move = $("#move").value;
  const from = findingsState.shown?.status;
  $("#move-action").hidden = move !== "action_taken";
  const withNote = move !== "action_taken";
  $("#move-note").hidden = $("#move-note-label").hidden = !withNote;
  $("#move-note-label").textContent = move === "closed" && from === "open"
    ? "Neden yapılabilecek bir şey yok" : NOTE_LABEL[move] ?? "Not";
}

async function changeStatus(event) {
  event.preventDefault();
  const finding = findingsState.shown;
  const move = $("#move").value;
  const body = { status: move };
  if (move === "action_taken") {
    Object.assign(body, { action_date: $("#action-date").value, action: $("#action-text").value });
    if (!body.action_date || !body.action.trim()) {
      $("#move-error").textContent = "Önlemin tarihini ve ne yapıldığını yazın.";
      return;
    }
  } else {
    body.note = $("#move-note").value;
    // A re-evaluation computed now is kept as the result: a note is then optional.
    const needed = (NOTE_NEEDED.has(move) && !(move === "re_evaluated" && finding.re_evaluation))
      || (move === "closed" && finding.status === "open");
    if (needed && !body.note.trim()) {
      $("#move-error").textContent = "Bu değişiklik için bir not yazın.";
      return;
    }
    if (!body.note.trim()) delete body.note;
  }
  await submitting(event.submitter, "#move-error", async () => {
    drawFinding(await send("POST", `/findings/${finding.id}/status`, body));
    $("#finding-status").textContent = `Durum: ${STATUS_LABEL.get(body.status)}.`;
  });
}

async function addProposal(event) {
  event.preventDefault();
  const text = $("#proposal-text").value;
  if (!text.trim()) {
    $("#proposal-error").textContent = "Öneriyi yazın.";
    return;
  }
  await submitting(event.submitter, "#proposal-error", async () => {
    drawFinding(await send("POST", `/findings/${findingsState.shown.id}/proposals`, { text }));
    $("#proposal-form").reset();
    $("#finding-status").textContent = "Öneri eklendi.";
  });
}

// Only the ministry marks a finding reported to the centre; a governor's office sees whether
// it has been.
function drawReport(finding) {
  const ministry = findingsState.scope && !findingsState.scope.startsWith("province:");
  $("#report-note").textContent = finding.reported_at
    ? `${momentText(finding.reported_at)} tarihinde ${finding.reported_by} tarafından `
      + "merkeze bildirildi."
    : "Henüz merkeze bildirilmedi.";
  $("#report-button").hidden = !ministry || Boolean(finding.reported_at);
}

async function markReported(event) {
  await submitting(event.currentTarget, "#report-error", async () => {
    drawFinding(await send("POST", `/findings/${findingsState.shown.id}/reported`));
    $("#finding-status").textContent = "Merkeze bildirildi olarak işaretlendi.";
  });
}

function historyItem(event) {
  const changes = Object.entries(event.changes).filter(([field]) => field in FIELD_LABEL);
  const said = changes.map(([field, { before, after }]) => field === "status"
    ? `${STATUS_LABEL.get(before) ?? "—"} → ${STATUS_LABEL.get(after) ?? after}`
    : field === "proposal" ? `“${after?.text ?? ""}”`
      : `${FIELD_LABEL[field]}: ${shownValue(after)}`);
  return el("li", {},
    el("p", {}, el("strong", {}, HISTORY_ACTION[event.action] ?? event.action),
      ` · ${event.actor} (${event.via === "cli" ? "komut satırı" : "panel/API"}) · `
      + momentText(event.at)),
    ...said.map((text) => el("p", { class: "sub text" }, text)));
}

function shownValue(value) {
  if (value == null) return "—";
  if (typeof value === "object") return JSON.stringify(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return dayText(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return momentText(value);
  return String(value);
}

// ---------------------------------------------------------------- start

function startFindings() {
  options($("#f-status"), FINDING_STATUSES);
  options($("#f-service"), SERVICES);
  options($("#nf-service"), SERVICES);
  $("#nf-drivers").append(...DRIVERS.map(([key, label]) => el("label", { class: "check" },
    el("input", { type: "checkbox", value: key }), ` ${label}`)));
  $("#findings-filters").addEventListener("change", loadFindings);
  $("#findings-filters").addEventListener("submit", (event) => event.preventDefault());
  $("#new-finding-form").addEventListener("submit", createFinding);
  $("#status-form").addEventListener("submit", changeStatus);
  $("#move").addEventListener("change", showMoveFields);
  $("#proposal-form").addEventListener("submit", addProposal);
  $("#report-button").addEventListener("click", markReported);
}
