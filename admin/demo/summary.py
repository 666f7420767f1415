"""What `izdes demo` says when it is done: what it made, the named cells as released, how to
sign in and where to look."""

from __future__ import annotations

from admin.demo.fill import Filled, TrendFigures
from admin.demo.size import DemoSize
from conversations.places import province_by_plate


def filled_text(filled: Filled, size: DemoSize, where: str, serving: bool) -> str:
    dataset, took = filled.dataset, filled.seconds
    lines = [
        f"demo: {size.responses:,} responses over {size.months} months "
        f"({dataset.months[0]} to {dataset.months[-1]}), seed {size.seed}, in {where}",
        f"  made and written in {took['write']:.1f} s, {len(filled.released)} periods "
        f"released in {took['release']:.1f} s",
    ]
    if filled.trends:
        lines.append("cells that change over the last months (hizmet, mean satisfaction "
                     "1-5, as released):")
        lines += [_trend_line(figures) for figures in filled.trends]
    if filled.findings:
        lines.append(f"findings register: {len(filled.findings)} findings of those cells, the "
                     "improving ones with an action and its re-evaluation (dashboard: "
                     "Bulgular; izdes findings list)")
    first = dataset.links[0]
    lines += [
        f"a muhtar's link, {first.link.label}: stats code {first.stats_code} "
        "(/istatistik on the web server or in the bot)",
        f"sign in on the dashboard with this national token (shown only now): {filled.token}",
    ]
    if not serving:
        lines.append("see it: izdes demo --serve (no bot token needed); any command runs on it "
                     f"with IZDES_DATABASE_URL={where}")
    return "\n".join(lines)


def _trend_line(figures: TrendFigures) -> str:
    trend = figures.trend
    province = province_by_plate(trend.province)
    cell = f"{province.name if province else trend.province} · {trend.service}"
    (first, before), (last, after) = figures.first, figures.last
    return (f"  {'worse ' if trend.worsens else 'better'}  {cell:<20} {_mean(before)} ({first})"
            f" -> {_mean(after)} ({last})  {trend.why}")


def _mean(value: float | None) -> str:
    return "hidden" if value is None else f"{value:.2f}"
