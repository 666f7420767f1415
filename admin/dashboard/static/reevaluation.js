// İZDES admin dashboard: a finding's re-evaluation (admin/reevaluation.py), drawn on the
// finding's page by findings.js. Loaded before it; uses dashboard.js's el, one, whole,
// percent, monthLabel and findings.js's driverText once all are in.
"use strict";

const REEVALUATION_VERDICT = {
  improved: ["İyileşti", "better"],
  worse: ["Kötüleşti", "worse"],
  no_measurable_change: ["Ölçülebilir bir değişiklik yok", "same"],
  not_enough_answers: ["Henüz yeterli yanıt yok", "few"],
};

const reTwo = new Intl.NumberFormat("tr-TR", { minimumFractionDigits: 2,
  maximumFractionDigits: 2 });

// A difference with its interval, in points (a share) or on the figure's own scale.
function reDifference(change, factor, digits) {
  if (!change) return "karşılaştırılamadı";
  const signed = (value) => `${value > 0 ? "+" : ""}${digits.format(value * factor)}`;
  const interval = change.ci95
    ? ` (%95 GA ${signed(change.ci95[0])} – ${signed(change.ci95[1])})` : "";
  const test = change.p_value == null ? "" : `, p ${change.p_value < 0.001 ? "< 0,001"
    : `= ${change.p_value.toLocaleString("tr-TR", { maximumFractionDigits: 3 })}`}`;
  return `${signed(change.difference)}${interval}${test}`;
}

function reRow(label, change, factor, digits, shown) {
  return el("tr", {}, el("th", { scope: "row" }, label),
    el("td", { class: "num" }, change ? shown(change.before) : "—"),
    el("td", { class: "num" }, change ? shown(change.after) : "—"),
    el("td", { class: "num" }, reDifference(change, factor, digits)));
}

function reWindow(label, window) {
  const periods = window.periods.map(monthLabel).join(", ");
  const left = window.left_out.length
    ? `; gizli ya da yayımlanmamış olduğu için dışarıda: ${window.left_out.map(monthLabel)
      .join(", ")}` : "";
  return `${label}: ${periods} (${window.n == null ? "yayımlanmış yanıt yok"
    : `${whole.format(window.n)} yanıt`}${left})`;
}

// The section's children: the verdict, the windows, the table of figures and what more is
// needed; or why there is no re-evaluation yet.
function reEvaluationParts(finding) {
  const shown = finding.re_evaluation;
  const title = el("h2", {}, "Yeniden değerlendirme: önlemden önce ve sonra");
  if (!shown) {
    const why = finding.action_date
      ? "Önlemin alındığı dönemden sonra henüz tamamlanıp yayımlanmış bir dönem yok."
      : "Önlem tarihi girilince, önlemden önceki ve sonraki dönemler karşılaştırılır.";
    return [title, el("p", { class: "sub", id: "reevaluation-none" }, why)];
  }
  const [verdict, tone] = REEVALUATION_VERDICT[shown.verdict] ?? [shown.verdict, "few"];
  const rows = [
    reRow("Memnun (4–5); fark puan olarak", shown.satisfied_share, 100, one,
      (value) => percent.format(value)),
    reRow("Ortalama memnuniyet (1–5)", shown.mean, 1, reTwo, (value) => reTwo.format(value)),
    ...Object.entries(shown.drivers).map(([key, change]) => reRow(`${driverText(key)} (0–100)`,
      change, 1, one, (value) => whole.format(value))),
  ];
  const parts = [title,
    el("p", {}, el("span", { class: `badge verdict-${tone}`, id: "reevaluation-verdict" },
      verdict), ` · önlem dönemi ${monthLabel(shown.action_period)} karşılaştırmaya katılmaz`),
    el("p", { class: "sub" }, reWindow("Önce", shown.windows.before)),
    el("p", { class: "sub" }, reWindow("Sonra", shown.windows.after)),
    el("table", { class: "data compact", id: "reevaluation-table" },
      el("thead", {}, el("tr", {}, el("th", {}, ""), el("th", { class: "num" }, "Önce"),
        el("th", { class: "num" }, "Sonra"), el("th", { class: "num" }, "Fark"))),
      el("tbody", {}, ...rows))];
  if (shown.answers_needed) {
    parts.push(el("p", { class: "text", id: "reevaluation-needed" },
      `Memnun oranındaki ${whole.format(shown.detectable_change * 100)} puanlık bir `
      + `değişikliği görebilmek için önlemden sonraki dönemlerde ${whole.format(
        shown.answers_needed)} yanıt daha gerekiyor (önce ve sonra ayrı ayrı ${whole.format(
        shown.needed_per_window)} yanıt gerekir): ankete katılımı burada artırın.`));
  }
  parts.push(el("p", { class: "footnote" }, "Yalnızca yayımlanmış hücreler toplanır. Karar, "
    + "memnun oranı için %5 düzeyinde tek bir testtir. GA: %95 güven aralığı; boyutların "
    + "aralıkları yayımlanan ortalamanın izin verdiği en geniş yayılımla hesaplanır."));
  return parts;
}
