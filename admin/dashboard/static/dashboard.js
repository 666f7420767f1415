// İZDES admin dashboard: sign-in, the province map, the ranking table and one province's view.
// Plain JavaScript without libraries: the page may only load what this server serves (CSP).
// Routes live in the address hash: "" is the overview, "#il/34" is İstanbul's page,
// "#degisim" what changed since the period before (or a year before); the findings register
// ("#bulgular", "#bulgu/12") lives in findings.js.
"use strict";

const TOKEN_KEY = "izdes.adminToken";
const SVG_NS = "http://www.w3.org/2000/svg";
const INVALID_TOKEN = "Geçersiz veya iptal edilmiş anahtar";
const NOT_ALLOWED = "Bu anahtar yalnızca kendi ilinin verilerini gösterir.";

const SERVICES = [
  ["emniyet", "Emniyet (polis)"],
  ["jandarma", "Jandarma"],
  ["trafik", "Trafik"],
  ["acil112", "112 Acil Çağrı"],
  ["nufus", "Nüfus"],
  ["goc", "Göç İdaresi"],
];
// The staff survey's kinds of unit (conversations/surveys/personel.yaml): who gives a service.
const UNITS = new Map([
  ["valilik", "Valilik / Kaymakamlık"],
  ["emniyet", "Emniyet"],
  ["jandarma", "Jandarma"],
  ["sahil_guvenlik", "Sahil Güvenlik"],
  ["afad", "AFAD"],
  ["goc", "Göç İdaresi"],
  ["nufus", "Nüfus Müdürlüğü"],
  ["acil112", "112 Acil Çağrı Merkezi"],
]);
// The staff's statements shown beside the citizens' timeliness: what the unit has.
const STAFF_DRIVERS = ["personnel", "equipment", "workload"];
// The hizmet survey's drivers, in its order (conversations/surveys/hizmet.yaml). Periods
// released before its version 2 have no "information" or "equal_treatment": "not asked".
const DRIVERS = [
  ["timeliness", "Zamanında hizmet"],
  ["information", "Bilgilendirme"],
  ["knowledge", "Bilgi ve yetkinlik"],
  ["courtesy", "Nezaket"],
  ["fairness", "Adil davranış"],
  ["equal_treatment", "Eşit muamele"],
  ["outcome", "Sonuç"],
];

// Mean satisfaction (1-5) in five steps. Provinces' means mostly fall between 2.5 and 4.5, so
// the steps are half points there rather than equal fifths of 1-5, which would leave most of
// the map one colour. Colours: ColorBrewer YlGnBu, light = low, safe for colour blindness.
const STEPS = [
  { below: 2.5, fill: "#ffffcc", label: "2,5'ten düşük" },
  { below: 3.0, fill: "#a1dab4", label: "2,5 – 3,0" },
  { below: 3.5, fill: "#41b6c4", label: "3,0 – 3,5" },
  { below: 4.0, fill: "#2c7fb8", label: "3,5 – 4,0" },
  { below: Infinity, fill: "#253494", label: "4,0 ve üstü" },
];
// Respondents come through posters and links: they choose to answer, so an interval is a
// guide, not what a random sample's would be. Said wherever intervals are shown.
const INDICATIVE = "gösterge niteliğinde: yanıtlayanlar gönüllüdür";
// What a comparison of two periods says of a figure (/api/v1/changes): the verdict after
// the false discovery rate is held at 5 % over the response's comparisons. An arrow and a
// word, so that the colour is never all there is.
const VERDICTS = {
  better: { arrow: "↑", text: "iyileşti" },
  worse: { arrow: "↓", text: "kötüleşti" },
  no_clear_change: { arrow: "→", text: "belirgin değişim yok", short: "belirgin değil" },
  not_tested: { arrow: "", text: "sınanmadı" },
  too_few_answers: { arrow: "", text: "yanıt az" },
};
// Worse first: what needs looking at leads the list.
const VERDICT_ORDER = ["worse", "better", "no_clear_change", "not_tested", "too_few_answers"];
const NO_DATA = "#d9d9d9";
const HATCH = "url(#hatch)";

const one = new Intl.NumberFormat("tr-TR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat("tr-TR", { style: "percent", maximumFractionDigits: 0 });
const whole = new Intl.NumberFormat("tr-TR", { maximumFractionDigits: 0 });
const monthFormat = new Intl.DateTimeFormat("tr-TR",
  { month: "short", year: "numeric", timeZone: "UTC" });

const state = {
  service: "",
  minCell: 10,
  scope: null, // null until known; then { national: true } or { national: false, province }
  seq: 0, // bumped by every load, so that a slow answer cannot overwrite a newer one
  view: null,
  survey: "", // "" for the default survey (hizmet); else a key of GET /surveys
  surveys: null, // Map(key -> { title, services, drivers }), fetched once
  plate: null, // the province page shown
  geo: null, // promise of the GeoJSON, fetched once
  map: null, // { shapes: Map(plate -> { link, path, name, row }), highlights }
};

const $ = (selector) => document.querySelector(selector);

// The survey shown (GET /surveys describes each): "&survey=..." for any but the default.
function surveyParam(separator = "&") {
  return state.survey ? `${separator}survey=${encodeURIComponent(state.survey)}` : "";
}

function shownSurvey() {
  return state.surveys?.get(state.survey) ?? null;
}

function driverList() {
  const survey = shownSurvey();
  return survey ? survey.drivers.map(({ key, label }) => [key, label]) : DRIVERS;
}

function hasServices() {
  return shownSurvey()?.services ?? true;
}

// The overview's title and the map's caption say what is measured: satisfaction with a
// service, or another survey's overall question on its own 1-5 scale.
const SATISFACTION = ["İllere göre memnuniyet",
  "Ortalama memnuniyet (1 = hiç memnun değil, 5 = çok memnun)"];

function nameSurvey() {
  const survey = shownSurvey();
  const [title, caption] = survey
    ? [`İllere göre: ${survey.title}`, "Ortalama, 1–5 ölçeğinde (5 en olumlu yanıt)"]
    : SATISFACTION;
  $("#overview-title").textContent = title;
  $("#map-caption").textContent = caption;
}

async function learnSurveys() {
  if (state.surveys) return;
  const body = await api("/surveys");
  const others = body.surveys.filter((survey) => survey.key !== body.default);
  state.surveys = new Map(others.map((survey) => [survey.key, survey]));
  $("#survey").append(...others.map((survey) =>
    el("option", { value: survey.key }, survey.title)));
}

// ---------------------------------------------------------------- small DOM and text helpers

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// Turkish case endings follow the last word of the number as read aloud: 10'dan, 5'ten, 20'den.
function ablative(number) {
  const units = ["", "den", "den", "ten", "ten", "ten", "dan", "den", "den", "dan"];
  const tens = ["", "dan", "den", "dan", "tan", "den", "tan", "ten", "den", "dan"];
  if (number % 10) return units[number % 10];
  if (number % 100) return tens[(number / 10) % 10];
  return number % 1e6 ? "den" : "dan"; // yüz, bin; milyon
}

function fewerThan(number) {
  return `${whole.format(number)}'${ablative(number)} az`;
}

function withInterval(value, interval, format) {
  if (value == null) return "—";
  const text = format.format(value);
  return interval ? `${text} (${format.format(interval[0])}–${format.format(interval[1])})` : text;
}

const meanText = (row) => withInterval(row.mean, row.mean_ci95, one);
const shareText = (row) => withInterval(row.satisfied_share, row.satisfied_ci95, percent);
const signed = (format, value) => (value > 0 ? "+" : "") + format.format(value);
const isShown = (row) => Boolean(row) && !row.suppressed && row.mean != null;

function countText(row) {
  if (!row) return "Yanıt yok";
  return row.suppressed ? fewerThan(state.minCell) : whole.format(row.n);
}

// The three figure cells shared by every table: responses, mean, satisfied share.
function figureCells(row) {
  return [
    el("td", { class: "num" }, countText(row)),
    el("td", { class: "num" }, row ? meanText(row) : "—"),
    el("td", { class: "num" }, row ? shareText(row) : "—"),
  ];
}

// A period as published: a month (2026-11) in words, a quarter (2026-Q4) or year as it is.
function monthLabel(key) {
  if (!/^\d{4}-\d{2}$/.test(key)) return key;
  const [year, month] = key.split("-").map(Number);
  return monthFormat.format(new Date(Date.UTC(year, month - 1, 1)));
}

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path) {
  return (await fetched(path)).json();
}

// The API's answer when it is a success; otherwise what a failed call means for the page (a
// bad token signs out) as an ApiError with one sentence to show.
async function fetched(path) {
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` },
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "Sunucuya ulaşılamadı; bağlantıyı denetleyip yeniden deneyin.");
  }
  if (response.ok) return response;
  // A bad token (or a blocked address) ends the session: back to the sign-in form.
  if (response.status === 401) signOut(INVALID_TOKEN);
  if (response.status === 429) {
    const wait = response.headers.get("Retry-After") || "60";
    signOut(`Çok fazla hatalı deneme. ${wait} saniye sonra yeniden deneyin.`);
  }
  const message = response.status === 403 ? NOT_ALLOWED
    : `Veriler alınamadı (sunucu yanıtı ${response.status}). Sayfayı yenileyip yeniden deneyin.`;
  throw new ApiError(response.status, message);
}

function geoData() {
  state.geo ??= fetch("/dashboard/provinces.geojson").then((response) => {
    if (!response.ok) throw new ApiError(response.status, "İl sınırları yüklenemedi.");
    return response.json();
  }).catch((error) => {
    state.geo = null; // try again next time
    throw error instanceof ApiError ? error : new ApiError(0, "İl sınırları yüklenemedi.");
  });
  return state.geo;
}

// The API does not say what a token may see: a province token just gets its own province and
// 403 for any other. So when one province or none comes back, ask once about another one.
async function learnScope(rows) {
  if (state.scope) {
    if (!state.scope.national) state.scope.province ??= rows[0]?.province ?? null;
    return;
  }
  const plates = new Set(rows.map((row) => row.province));
  if (plates.size > 1) {
    state.scope = { national: true };
    return;
  }
  const other = plates.has("06") ? "34" : "06";
  try {
    await api(`/scores?group_by=province&province=${other}`);
    state.scope = { national: true };
  } catch (error) {
    if (error.status !== 403) throw error;
    state.scope = { national: false, province: rows[0]?.province ?? null };
  }
}

function mayOpen(plate) {
  return !state.scope || state.scope.national || state.scope.province === plate;
}

// ---------------------------------------------------------------- sign-in and views

function showOnly(view) {
  for (const id of ["sign-in", "overview", "changes", "province", ...FINDINGS_VIEWS]) {
    $(`#${id}`).hidden = id !== view;
  }
  $("#nav").hidden = view === "sign-in";
  $("#sign-in-form button").disabled = false;
  state.view = view;
}

function signOut(message = "") {
  sessionStorage.removeItem(TOKEN_KEY);
  state.scope = null;
  state.seq += 1; // answers still on their way are dropped
  clearData();
  showOnly("sign-in");
  $("#sign-in-error").textContent = message;
  $("#token").focus();
}

// Nothing of the last session stays on the page for the next person at this screen.
function clearData() {
  for (const selector of ["#ranking tbody", "#by-service tbody", "#by-link tbody", "#trend",
    "#drivers", "#by-staff tbody", "#changes-table tbody"]) {
    $(selector).replaceChildren();
  }
  for (const selector of ["#status", "#province-status", "#province-summary", "#province-title",
    "#staff-period", "#changes-status", "#changes-note", "#ranking-change-note"]) {
    $(selector).textContent = "";
  }
  if (state.map) paintMap([]);
  clearFindings();
}

function onSignIn(event) {
  event.preventDefault();
  const token = $("#token").value.trim();
  if (!token) {
    $("#sign-in-error").textContent = "Anahtarı yazın.";
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $("#token").value = "";
  $("#sign-in-error").textContent = "";
  $("#sign-in-form button").disabled = true; // until the first answer comes
  route();
}

function route() {
  if (!sessionStorage.getItem(TOKEN_KEY)) {
    signOut($("#sign-in-error").textContent);
    return;
  }
  if (routeFindings(location.hash)) return; // #bulgular, #bulgu/12: findings.js
  const match = /^#il\/(\d{1,2})$/.exec(location.hash);
  if (match) loadProvince(match[1].padStart(2, "0"));
  else if (location.hash === "#degisim") loadChanges();
  else loadOverview();
}

// Shows an error where the view shows its status; 401 and 429 have already signed out.
function failed(error, view, target) {
  if (error.status === 401 || error.status === 429) return;
  if (state.view === "sign-in") showOnly(view);
  $(target).textContent = error.message;
  if (!(error instanceof ApiError)) console.error(error);
}

// ---------------------------------------------------------------- overview: map and table

async function loadOverview() {
  const seq = ++state.seq;
  const cameBack = state.view === "province" || state.view === "changes";
  $("#status").textContent = "Yükleniyor…";
  try {
    await learnSurveys();
    const service = (state.service ? `&service=${encodeURIComponent(state.service)}` : "")
      + surveyParam();
    const [geo, body, changes] = await Promise.all([geoData(),
      api(`/scores?group_by=province${service}`), changesOrNone(`group_by=province${service}`)]);
    await learnScope(body.rows);
    if (seq !== state.seq) return;
    state.minCell = body.min_cell;
    showOnly("overview");
    drawMap(geo);
    paintMap(body.rows);
    drawLegend();
    drawRanking(body.rows, changes);
    drawScopeNote();
    $("#status").textContent = overviewStatus(body.rows, body.period);
    if (cameBack) $("#overview-title").focus();
  } catch (error) {
    if (seq === state.seq) failed(error, "overview", "#status");
  }
}

// Figures are published by whole periods once they have ended (docs/statistics.md).
function overviewStatus(rows, period) {
  if (!period) return "Henüz yayımlanmış dönem yok: rakamlar bir dönem bitince yayımlanır.";
  const when = `Dönem: ${monthLabel(period)}. `;
  if (!rows.length) return `${when}Bu seçim için yanıt yok.`;
  const hidden = rows.filter((row) => !isShown(row)).length;
  const shown = `${rows.length - hidden} il gösteriliyor`;
  return when + (hidden ? `${shown}, ${hidden} il gizli.` : `${shown}.`);
}

function drawScopeNote() {
  const note = $("#scope-note");
  note.hidden = !state.scope || state.scope.national;
  note.textContent = NOT_ALLOWED;
}

// Equirectangular projection, x shrunk by cos(middle latitude) so that shapes keep their look
// at Türkiye's latitudes (about 36-42° N). Every point of the file is drawn; none is dropped.
function projection(features) {
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of features) {
    for (const ring of rings(feature.geometry)) {
      for (const [lon, lat] of ring) {
        [west, east] = [Math.min(west, lon), Math.max(east, lon)];
        [south, north] = [Math.min(south, lat), Math.max(north, lat)];
      }
    }
  }
  const shrink = Math.cos(((south + north) / 2) * (Math.PI / 180));
  const width = 1000;
  const pad = 6;
  const scale = (width - 2 * pad) / ((east - west) * shrink);
  const height = Math.ceil((north - south) * scale + 2 * pad);
  const point = ([lon, lat]) => [pad + (lon - west) * shrink * scale, pad + (north - lat) * scale];
  return { width, height, point };
}

function rings(geometry) {
  return geometry.type === "Polygon" ? geometry.coordinates : geometry.coordinates.flat();
}

function pathData(geometry, point) {
  return rings(geometry).map((ring) => "M" + ring.map((position) =>
    point(position).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("");
}

function hatchPattern() {
  return svg("defs", {},
    svg("pattern", { id: "hatch", patternUnits: "userSpaceOnUse", width: 6, height: 6,
      patternTransform: "rotate(45)" },
    svg("rect", { width: 6, height: 6, fill: "#ffffff" }),
    svg("line", { x1: 1.5, y1: 0, x2: 1.5, y2: 6, stroke: "#3d3d3d", "stroke-width": 2.5 })));
}

// Built once; later loads only repaint (paintMap), so focus and hover survive a filter change.
function drawMap(geo) {
  if (state.map) return;
  const { width, height, point } = projection(geo.features);
  const layer = svg("g", { class: "provinces" });
  const shapes = new Map();
  for (const feature of geo.features) {
    const { plate, name } = feature.properties;
    const path = svg("path", { class: "province", "data-plate": plate, fill: NO_DATA,
      d: pathData(feature.geometry, point) });
    const link = svg("a", { class: "province-link" }, path);
    link.addEventListener("pointerenter", (event) => pointAt(plate, event));
    link.addEventListener("pointermove", (event) => pointAt(plate, event));
    link.addEventListener("pointerleave", () => pointAt(null));
    link.addEventListener("focus", () => pointAt(plate));
    link.addEventListener("blur", () => pointAt(null));
    shapes.set(plate, { link, path, name, row: null });
    layer.append(link);
  }
  // The outline of the province under the pointer or focus, drawn on top of its neighbours.
  const highlights = [svg("path", { class: "highlight halo" }),
    svg("path", { class: "highlight" })];
  const map = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "choropleth",
    role: "group", "aria-label": "Türkiye illeri haritası" }, hatchPattern(), layer, ...highlights);
  $("#map").replaceChildren(map);
  state.map = { shapes, highlights };
}

function lookOf(row) {
  if (!row) return { fill: NO_DATA, state: "empty" };
  if (row.suppressed) return { fill: HATCH, state: "suppressed" };
  if (row.mean == null) return { fill: NO_DATA, state: "empty" };
  return { fill: STEPS.find((step) => row.mean < step.below).fill, state: "scored" };
}

function paintMap(rows) {
  const byPlate = new Map(rows.map((row) => [row.province, row]));
  for (const [plate, shape] of state.map.shapes) {
    shape.row = byPlate.get(plate) ?? null;
    const look = lookOf(shape.row);
    shape.path.setAttribute("fill", look.fill);
    shape.path.dataset.state = look.state;
    if (mayOpen(plate)) {
      shape.link.setAttribute("href", `#il/${plate}`);
      shape.link.setAttribute("aria-label", describe(shape).join(", "));
      shape.link.removeAttribute("aria-hidden");
    } else { // another province's shape is only scenery for this token: not a link
      shape.link.removeAttribute("href");
      shape.link.removeAttribute("aria-label");
      shape.link.setAttribute("aria-hidden", "true");
    }
  }
}

function describe(shape) {
  const { name, row } = shape;
  if (!row) return [name, "Yanıt yok"];
  if (row.suppressed) return [name, `${fewerThan(state.minCell)} yanıt (gösterilmiyor)`];
  return [name, `${whole.format(row.n)} yanıt`, `Ortalama ${meanText(row)}`,
    `Memnun ${shareText(row)}`];
}

// Tooltip and outline for the province under the pointer or keyboard focus (null: none).
function pointAt(plate, event) {
  const tooltip = $("#tooltip");
  const shape = plate && state.map.shapes.get(plate);
  const outline = shape ? shape.path.getAttribute("d") : "";
  for (const line of state.map.highlights) line.setAttribute("d", outline);
  if (!shape) {
    tooltip.hidden = true;
    return;
  }
  const [title, ...lines] = mayOpen(plate) ? describe(shape) : [shape.name, "Yetki dışında"];
  tooltip.replaceChildren(el("strong", {}, title), ...lines.map((line) => el("span", {}, line)));
  tooltip.hidden = false;
  const area = $("#map-area").getBoundingClientRect();
  const spot = event ?? centreBottom(shape.path.getBoundingClientRect());
  let left = spot.clientX - area.left + 14;
  if (left + tooltip.offsetWidth > area.width) { // no room on the right: show it on the left
    left = spot.clientX - area.left - tooltip.offsetWidth - 14;
  }
  tooltip.style.left = `${Math.max(0, left)}px`;
  tooltip.style.top = `${spot.clientY - area.top + 14}px`;
}

function centreBottom(box) {
  return { clientX: box.left + box.width / 2, clientY: box.bottom - 4 };
}

function swatch(fill) {
  return svg("svg", { class: "swatch", width: 22, height: 14, "aria-hidden": "true" },
    svg("rect", { x: 0.5, y: 0.5, width: 21, height: 13, fill, stroke: "#6b6b6b" }));
}

function drawLegend() {
  const items = [
    ...STEPS.map((step) => [step.fill, step.label]),
    [NO_DATA, "Yanıt yok"],
    [HATCH, `${fewerThan(state.minCell)} yanıt`],
  ];
  $("#legend").replaceChildren(...items.map(([fill, label]) =>
    el("li", {}, swatch(fill), el("span", {}, label))));
}

// Highest mean first; ties by more responses, then name. Hidden provinces last, by name.
function ranked(rows) {
  const byName = (a, b) => a.province_name.localeCompare(b.province_name, "tr");
  const shown = rows.filter(isShown).sort((a, b) => b.mean - a.mean || b.n - a.n || byName(a, b));
  return [...shown, ...rows.filter((row) => !isShown(row)).sort(byName)];
}

function provinceName(row) {
  return mayOpen(row.province) ? el("a", { href: `#il/${row.province}` }, row.province_name)
    : row.province_name;
}

function drawRanking(rows, changes) {
  const body = $("#ranking tbody");
  const change = new Map((changes?.rows ?? []).map((row) => [row.province, row.mean]));
  if (!rows.length) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "empty" },
      "Bu seçim için henüz yanıt yok.")));
  } else {
    let rank = 0;
    body.replaceChildren(...ranked(rows).map((row) => el("tr",
      { "data-plate": row.province, class: isShown(row) ? "" : "hidden-row" },
      el("td", { class: "num" }, isShown(row) ? whole.format(++rank) : "–"),
      el("th", { scope: "row" }, provinceName(row)),
      ...figureCells(row),
      changeCell(change.get(row.province), one, { short: true }))));
  }
  const fewer = fewerThan(state.minCell);
  $("#ranking-note").textContent = `GA: %95 güven aralığı, ${INDICATIVE}. `
    + `Memnun: 4 veya 5 puan verenler. ${fewer} `
    + "yanıtı olan iller, yanıt verenler tanınmasın diye gösterilmez; bunlar başka rakamlardan "
    + `geri hesaplanamasın diye gerektiğinde bir il daha gizlenir ve o da “${fewer}” görünür.`;
  $("#ranking-change-note").textContent = changes
    ? `Değişim: ortalamanın ${monthLabel(changes.compared_with)} dönemine göre değişimi. `
      + fdrNote(changes)
    : "Değişim: karşılaştırılacak önceki dönem henüz yayımlanmadı.";
}

// ---------------------------------------------------------------- what changed

// The comparison, or null when a period to compare is not released (404): then there is
// simply nothing to compare, which is no error.
async function changesOrNone(query) {
  try {
    return await api(`/changes?${query}`);
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

function fdrNote(body) {
  const count = whole.format(body.false_discovery_rate.comparisons);
  return "İyileşti ve kötüleşti, yanlış keşif oranı %5'te tutularak söylenir: bu tablodaki "
    + `${count} karşılaştırmanın tümüne birlikte Benjamini-Hochberg düzeltmesi uygulanır. `
    + `Aralıklar her karşılaştırmanın kendi %95 güven aralığıdır, ${INDICATIVE}.`;
}

// A figure's verdict with its arrow; the figures themselves in the cell's title.
function changeCell(figure, format, { short = false } = {}) {
  if (!figure) return el("td", { class: "change none" }, "—");
  const verdict = VERDICTS[figure.verdict];
  const words = short ? verdict.short ?? verdict.text : verdict.text;
  const cell = el("td", { class: `change ${figure.verdict}`, "data-verdict": figure.verdict },
    [verdict.arrow, words].filter(Boolean).join(" "));
  if (figure.difference != null) {
    cell.title = `${format.format(figure.before)} → ${format.format(figure.after)}, fark `
      + signed(format, figure.difference);
  }
  return cell;
}

// "a → b" and "+d (low – high)" of one figure; the verdict's cell beside them.
function changeFigures(figure, value, difference) {
  if (figure.difference == null) {
    return [el("td", { class: "num" }, "—"), el("td", { class: "num" }, "—"),
      changeCell(figure, value)];
  }
  const interval = figure.ci95
    ? ` (${signed(difference, figure.ci95[0])} – ${signed(difference, figure.ci95[1])})` : "";
  return [
    el("td", { class: "num" }, `${value.format(figure.before)} → ${value.format(figure.after)}`),
    el("td", { class: "num" }, signed(difference, figure.difference) + interval),
    changeCell(figure, value),
  ];
}

const points = { format: (share) => one.format(share * 100) };
const twoPlaces = new Intl.NumberFormat("tr-TR",
  { minimumFractionDigits: 2, maximumFractionDigits: 2 });

async function loadChanges() {
  const seq = ++state.seq;
  $("#changes-status").textContent = "Yükleniyor…";
  try {
    const against = $("#against").value;
    const groups = hasServices() ? "province,service" : "province";
    const body = await changesOrNone(`group_by=${groups}&against=${against}${surveyParam()}`);
    if (seq !== state.seq) return;
    showOnly("changes");
    if (!body) {
      $("#changes-table tbody").replaceChildren();
      $("#changes-note").textContent = "";
      $("#changes-status").textContent = against === "year"
        ? "Bir yıl önceki aynı dönem yayımlanmadı: karşılaştırılacak bir şey yok."
        : "Önceki dönem yayımlanmadı: karşılaştırılacak bir şey yok.";
    } else {
      state.minCell = body.min_cell;
      drawChanges(body);
    }
    $("#changes-title").focus();
  } catch (error) {
    if (seq === state.seq) failed(error, "changes", "#changes-status");
  }
}

function rankOf(row) {
  return Math.min(...[row.satisfied_share, row.mean].map((f) => VERDICT_ORDER.indexOf(f.verdict)));
}

function drawChanges(body) {
  const label = new Map(SERVICES);
  const byName = (a, b) => a.province_name.localeCompare(b.province_name, "tr")
    || (label.get(a.service) ?? "").localeCompare(label.get(b.service) ?? "", "tr");
  const rows = [...body.rows].sort((a, b) => rankOf(a) - rankOf(b) || byName(a, b));
  const driverName = new Map(driverList());
  $("#changes-table tbody").replaceChildren(...rows.map((row) => {
    const few = row.n_after == null;
    const drivers = Object.entries(row.drivers)
      .filter(([, figure]) => figure.verdict === "better" || figure.verdict === "worse")
      .map(([key, figure]) => `${driverName.get(key) ?? key} ${VERDICTS[figure.verdict].arrow}`);
    return el("tr", { "data-plate": row.province, "data-service": row.service ?? "",
      class: few ? "hidden-row" : "" },
    el("th", { scope: "row" }, provinceName(row)),
    el("td", {}, label.get(row.service) ?? "Tüm hizmetler"),
    el("td", { class: "num" }, few ? "—"
      : `${whole.format(row.n_before)} → ${whole.format(row.n_after)}`),
    ...changeFigures(row.satisfied_share, percent, points),
    ...changeFigures(row.mean, twoPlaces, twoPlaces),
    el("td", {}, drivers.join(", ") || "—"));
  }));
  const found = body.rows.filter((row) => rankOf(row) <= 1).length;
  $("#changes-status").textContent = `Dönem: ${monthLabel(body.period)}, karşılaştırılan: `
    + `${monthLabel(body.compared_with)}. ${whole.format(body.rows.length)} hücreden `
    + `${whole.format(found)} tanesinde memnuniyet belirgin biçimde değişti.`;
  $("#changes-note").textContent = `${fdrNote(body)} Memnun: 4 veya 5 puan verenler; fark `
    + "yüzde puan olarak. Bir dönemde gizli olan (yanıtı az) hücreler karşılaştırılmaz. Hizmet "
    + "boyutları, yanıtlarının dağılımı yayımlanmadığından temkinli sınanır: yalnızca belirgin "
    + "değişimler görünür.";
}

// ---------------------------------------------------------------- one province

async function loadProvince(plate) {
  const seq = ++state.seq;
  showPlate(null); // no report of the province before, or of none, while this one loads
  $("#province-status").textContent = "Yükleniyor…";
  if (!(Number(plate) >= 1 && Number(plate) <= 81)) {
    showProvinceMessage("Böyle bir il yok", "Plaka kodu 01 ile 81 arasında olmalı.");
    return;
  }
  try {
    const [page, total, links, linkScores] = await Promise.all([
      api(`/provinces/${plate}${surveyParam("?")}`),
      api(`/scores?group_by=province&province=${plate}${surveyParam()}`),
      api(`/links?province=${plate}`),
      api(`/scores?group_by=link&province=${plate}${surveyParam()}`),
    ]);
    if (seq !== state.seq) return;
    state.minCell = page.min_cell;
    showPlate(plate);
    showOnly("province");
    const row = total.rows[0] ?? null;
    $("#province-title").textContent = `${page.province_name} (${page.province})`;
    $("#province-summary").textContent = provinceSummary(row);
    $("#province-status").textContent = "";
    drawTrend(page.trend);
    drawDrivers(row);
    drawServices(page.services);
    drawStaff(page.staff, page.services);
    drawLinks(links.links, linkScores.rows);
    $("#province-title").focus();
  } catch (error) {
    if (seq !== state.seq) return;
    if (error.status === 403) showProvinceMessage("Yetki yok", NOT_ALLOWED);
    else failed(error, "province", "#province-status");
  }
}

// A calm page instead of an error for a province this token may not see (or that is no
// province at all): nothing is drawn, one sentence says why, the back link stays.
function showProvinceMessage(title, message) {
  showPlate(null);
  clearData();
  showOnly("province");
  $("#province-title").textContent = title;
  $("#province-status").textContent = message;
  $("#province-title").focus();
}

// The province whose page is shown: its report's button is there only while one is.
function showPlate(plate) {
  state.plate = plate;
  $("#province-report").hidden = plate === null;
}

function provinceSummary(row) {
  if (!row) return "Bu ilde henüz yanıt yok.";
  if (row.suppressed) return `${fewerThan(state.minCell)} yanıt var; rakamlar gösterilmiyor.`;
  return `Toplam ${whole.format(row.n)} yanıt · ortalama ${meanText(row)} · memnun `
    + shareText(row);
}

function monthsBetween(first, last) {
  const months = [];
  let [year, month] = first.split("-").map(Number);
  for (let key = first; key <= last && months.length < 600;) {
    months.push(key);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
    key = `${year}-${String(month).padStart(2, "0")}`;
  }
  return months;
}

// Consecutive months with a published mean: each run gets one line and one interval band.
function runsOf(months, byMonth) {
  const runs = [];
  let run = [];
  months.forEach((month, index) => {
    const row = byMonth.get(month);
    if (isShown(row)) run.push({ index, row });
    else if (run.length) runs.push(run.splice(0));
  });
  if (run.length) runs.push(run);
  return runs;
}

function drawTrend(rows) {
  const box = $("#trend");
  const sorted = rows.map((row) => row.period).filter(Boolean).sort();
  if (!rows.some(isShown)) {
    box.replaceChildren(el("p", { class: "empty" }, rows.length
      ? `Her ayda ${fewerThan(state.minCell)} yanıt var; aylık ortalama gösterilmiyor.`
      : "Bu ilde henüz yanıt yok."));
    return;
  }
  const months = /^\d{4}-\d{2}$/.test(sorted[0]) ? monthsBetween(sorted[0], sorted.at(-1))
    : [...new Set(sorted)];
  const byMonth = new Map(rows.map((row) => [row.period, row]));
  const [width, height, left, right, top, bottom] = [640, 250, 64, 44, 14, 44];
  const x = (i) => months.length === 1 ? (left + width - right) / 2
    : left + (i * (width - left - right)) / (months.length - 1);
  const y = (value) => top + ((5 - value) / 4) * (height - top - bottom);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "trend-chart",
    role: "img", "aria-label": "Aylara göre ortalama memnuniyet; değerler aşağıdaki tabloda" });
  for (let value = 1; value <= 5; value += 1) {
    chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: y(value),
      y2: y(value) }), svg("text", { class: "tick", x: left - 10, y: y(value) + 4,
      "text-anchor": "end" }, String(value)));
  }
  for (const run of runsOf(months, byMonth)) {
    const upper = run.map(({ index, row }) => [x(index), y(row.mean_ci95?.[1] ?? row.mean)]);
    const lower = run.map(({ index, row }) => [x(index), y(row.mean_ci95?.[0] ?? row.mean)]);
    const line = run.map(({ index, row }) => [x(index), y(row.mean)]);
    const points = (list) => list.map((p) => p.map((v) => v.toFixed(1)).join(",")).join(" ");
    chart.append(svg("polygon", { class: "band", points: points([...upper, ...lower.reverse()]) }),
      svg("polyline", { class: "line", points: points(line) }));
  }
  const every = Math.ceil(months.length / 8); // at most about eight month names fit
  months.forEach((month, index) => {
    const row = byMonth.get(month);
    chart.append(monthMark(row, x(index), y, month));
    if (index % every === 0) {
      chart.append(svg("text", { class: "tick", x: x(index), y: height - bottom + 22,
        "text-anchor": "middle" }, monthLabel(month)));
    }
  });
  box.replaceChildren(chart, trendTable(months, byMonth));
}

function monthMark(row, x, y, month) {
  if (isShown(row)) {
    const [low, high] = row.mean_ci95 ?? [row.mean, row.mean];
    return svg("g", { class: "point" },
      svg("line", { class: "whisker", x1: x, x2: x, y1: y(low), y2: y(high) }),
      svg("circle", { cx: x, cy: y(row.mean), r: 5 },
        svg("title", {}, `${monthLabel(month)}: ortalama ${meanText(row)}, `
          + `${whole.format(row.n)} yanıt`)));
  }
  if (!row) return svg("g");
  // A month with too few answers: a hatched mark on the axis, so it is not read as "no data".
  return svg("rect", { class: "hidden-month", x: x - 6, y: y(1) - 6, width: 12, height: 12,
    fill: HATCH }, svg("title", {}, `${monthLabel(month)}: ${fewerThan(state.minCell)} yanıt`));
}

function trendTable(months, byMonth) {
  const rows = months.map((month) => el("tr", {}, el("th", { scope: "row" }, monthLabel(month)),
    ...figureCells(byMonth.get(month))));
  return el("details", {},
    el("summary", {}, "Tablo olarak göster"),
    el("table", { class: "data compact" },
      el("thead", {}, el("tr", {}, ...["Ay", "Yanıt", "Ortalama (%95 GA)", "Memnun (%95 GA)"]
        .map((title, i) => el("th", { scope: "col", class: i ? "num" : "" }, title)))),
      el("tbody", {}, ...rows)));
}

function drawDrivers(row) {
  const box = $("#drivers");
  if (!isShown(row)) {
    box.replaceChildren(el("p", { class: "empty" }, provinceSummary(row)));
    return;
  }
  const [width, rowHeight, labelWidth, top] = [640, 40, 170, 28];
  const barWidth = width - labelWidth - 70;
  const shown = driverList();
  const height = top + shown.length * rowHeight + 6;
  const drivers = row.drivers ?? {};
  const values = shown.map(([key, label]) => [label, drivers[key] ?? null,
    key in drivers ? "yetersiz yanıt" : "sorulmadı"]);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "driver-chart",
    role: "img", "aria-label": values.map(([label, value, none]) =>
      `${label} ${value == null ? none : whole.format(value)}`).join(", ") });
  for (const tick of [0, 25, 50, 75, 100]) {
    const x = labelWidth + (tick / 100) * barWidth;
    chart.append(svg("line", { class: "grid", x1: x, x2: x, y1: top - 6, y2: height - 4 }),
      svg("text", { class: "tick", x, y: top - 12, "text-anchor": "middle" }, String(tick)));
  }
  values.forEach(([label, value, none], i) => {
    const y = top + i * rowHeight + 8;
    chart.append(
      svg("text", { class: "label", x: labelWidth - 12, y: y + 17, "text-anchor": "end" }, label),
      svg("rect", { class: "track", x: labelWidth, y, width: barWidth, height: 24 }),
      svg("rect", { class: "bar", x: labelWidth, y, width: ((value ?? 0) / 100) * barWidth,
        height: 24 }),
      svg("text", { class: "value", x: labelWidth + ((value ?? 0) / 100) * barWidth + 8,
        y: y + 17 }, value == null ? none : whole.format(value)));
  });
  box.replaceChildren(chart);
}

function drawServices(rows) {
  $("#services-part").hidden = !hasServices();
  const byService = new Map(rows.map((row) => [row.service, row]));
  $("#by-service tbody").replaceChildren(...SERVICES.map(([key, label]) =>
    el("tr", { "data-service": key }, el("th", { scope: "row" }, label),
      ...figureCells(byService.get(key)))));
}

// Beside each service, the staff of the unit that gives it (İZDES1): their own cells, by
// quarter, hidden below their own smallest group like every figure.
function staffCells(figures, minCell) {
  if (!figures) return [el("td", { class: "num" }, "Yanıt yok"), ...Array(4).fill(null)
    .map(() => el("td", { class: "num" }, "—"))];
  if (figures.suppressed) return [el("td", { class: "num" }, fewerThan(minCell)),
    ...Array(4).fill(null).map(() => el("td", { class: "num" }, "—"))];
  const driver = (key) => figures.drivers?.[key] == null ? "—" : whole.format(figures.drivers[key]);
  return [el("td", { class: "num" }, whole.format(figures.n)),
    el("td", { class: "num" }, meanText(figures)),
    ...STAFF_DRIVERS.map((key) => el("td", { class: "num" }, driver(key)))];
}

function drawStaff(staff, rows) {
  const section = $("#staff-side");
  section.hidden = !staff;
  if (!staff) return;
  $("#staff-min-cell").textContent = whole.format(staff.min_cell);
  const [year, quarter] = (staff.period ?? "").split("-Q");
  $("#staff-period").textContent = staff.period
    ? `Personelin görüşü: ${year} yılının ${quarter}. çeyreği.`
    : "Personelin görüşü için henüz yayımlanmış çeyrek yok.";
  const byService = new Map(rows.map((row) => [row.service, row]));
  $("#by-staff tbody").replaceChildren(...SERVICES.map(([key, label]) => {
    const side = staff.services[key];
    const citizens = byService.get(key);
    const timely = isShown(citizens) && citizens.drivers?.timeliness != null
      ? whole.format(citizens.drivers.timeliness) : "—";
    return el("tr", { "data-service": key }, el("th", { scope: "row" }, label),
      el("td", { class: "num" }, timely),
      el("td", {}, side ? UNITS.get(side.unit) ?? side.unit : "—"),
      ...staffCells(side?.figures, staff.min_cell));
  }));
}

// Muhtars' links in this province: how many people opened each, and the released scores
// (hidden like any other cell when too few answered).
// A link's reach comes coarse: null below the smallest cell, else a multiple of 5.
function reach(count) {
  return count === null ? fewerThan(state.minCell) : whole.format(count);
}

function drawLinks(links, rows) {
  const byLink = new Map(rows.map((row) => [row.link, row]));
  const body = $("#by-link tbody");
  if (!links.length) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "empty" },
      "Bu ilde muhtarlık bağlantısı yok.")));
    return;
  }
  body.replaceChildren(...links.map((link) => el("tr", { "data-link": String(link.id) },
    el("th", { scope: "row" }, link.label,
      el("span", { class: "sub" }, ` · ${[link.mahalle, link.district_name].filter(Boolean)
        .join(", ")}${link.disabled ? " · kapalı" : ""}`)),
    el("td", { class: "num" }, reach(link.opened)),
    ...figureCells(byLink.get(String(link.id))))));
}

// ---------------------------------------------------------------- start

// The report to the centre as a PDF (admin.pdf_report): Türkiye, or a province. Fetched with
// the token like every call (a plain link would carry no token), then saved under the name
// the server gives it.
async function downloadReport(plate, status) {
  const button = plate ? $("#province-report") : $("#overview-report");
  button.disabled = true;
  $(status).textContent = "Rapor hazırlanıyor…";
  try {
    const response = await fetched(plate ? `/report.pdf?province=${plate}${surveyParam()}`
      : `/report.pdf${surveyParam("?")}`);
    const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "");
    const address = URL.createObjectURL(await response.blob());
    const link = el("a", { href: address, download: named ? named[1] : "izdes-rapor.pdf" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(address), 60000);
    $(status).textContent = "Rapor indirildi.";
  } catch (error) {
    $(status).textContent = error.status === 404
      ? "Henüz yayımlanmış dönem yok: rapor bir dönem bitince hazırlanabilir."
      : error.message;
  } finally {
    button.disabled = false;
  }
}

function skipToTable(event) {
  event.preventDefault(); // a hash here would be read as a route
  $("#ranking-title").focus();
}

function start() {
  $("#sign-in-form").addEventListener("submit", onSignIn);
  $("#sign-out").addEventListener("click", () => {
    history.replaceState(null, "", location.pathname);
    signOut();
  });
  $("#service").addEventListener("change", (event) => {
    state.service = event.target.value;
    loadOverview();
  });
  $("#survey").addEventListener("change", (event) => {
    state.survey = event.target.value;
    state.service = "";
    $("#service").value = "";
    $("#service-filter").hidden = !hasServices();
    nameSurvey();
    loadOverview();
  });
  $("#skip-to-table").addEventListener("click", skipToTable);
  $("#overview-report").addEventListener("click", () => downloadReport(null, "#status"));
  $("#province-report").addEventListener("click",
    () => state.plate && downloadReport(state.plate, "#province-status"));
  startFindings();
  $("#against").addEventListener("change", loadChanges);
  window.addEventListener("hashchange", route);
  route();
}

start();
