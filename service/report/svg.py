"""Inline SVG charts for the HTML report: no scripts, no external assets."""

from __future__ import annotations

from html import escape

GOOD, WEAK = 70.0, 45.0
COLORS = {"good": "#2e7d32", "mid": "#f9a825", "bad": "#c62828", "none": "#9e9e9e"}
SERIES = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#212121")


def level(v: float | None) -> str:
    """Return the colour class of a 0–100 score: good, mid, bad or none."""
    if v is None:
        return "none"
    return "good" if v >= GOOD else "mid" if v >= WEAK else "bad"


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.0f}"


def hbars(rows: list[tuple[str, float | None]], width: int = 520, vmax: float = 100.0,
          label_w: int = 190, unit: str = "", colored: bool = True) -> str:
    """Return horizontal bars with labels and values (score colours when `colored`)."""
    bar_h, gap = 18, 6
    height = len(rows) * (bar_h + gap) + gap
    span = width - label_w - 50
    parts = [f'<svg class="chart" width="{width}" height="{height}" role="img" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, v) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = 0 if v is None or vmax <= 0 else max(1.0, span * min(v, vmax) / vmax)
        color = COLORS[level(v)] if colored else SERIES[0]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}" rx="2"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{_num(v)}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(bins: list[int], title: str, width: int = 260, height: int = 140) -> str:
    """Return a column chart of a 0–100 score histogram with 10-point bins."""
    top = max(bins) if bins and max(bins) > 0 else 1
    pad_l, pad_r, pad_b, pad_t = 28, 14, 20, 18
    cw = (width - pad_l - pad_r) / max(len(bins), 1)
    ch = height - pad_b - pad_t
    parts = [f'<svg class="chart" width="{width}" height="{height}" role="img" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="{pad_l}" y="12" class="t">{escape(title)}</text>']
    for i, c in enumerate(bins):
        h = ch * c / top
        x = pad_l + i * cw
        mid = (i + 0.5) * 100 / len(bins)
        parts.append(f'<rect x="{x + 1:.1f}" y="{pad_t + ch - h:.1f}" width="{cw - 2:.1f}" '
                     f'height="{h:.1f}" fill="{COLORS[level(mid)]}"><title>{i * 10}–{i * 10 + 10}:'
                     f' {c}</title></rect>')
    for tick in (0, 50, 100):
        x = pad_l + (width - pad_l - pad_r) * tick / 100
        parts.append(f'<text x="{x:.1f}" y="{height - 5}" text-anchor="middle">{tick}</text>')
    parts.append(f'<text x="{pad_l - 4}" y="{pad_t + 8}" text-anchor="end">{top}</text>')
    if not any(bins):
        parts.append(f'<text x="{width / 2}" y="{pad_t + ch / 2}" text-anchor="middle">'
                     "нет данных</text>")
    parts.append("</svg>")
    return "".join(parts)


def lines(labels: list[str], series: dict[str, list[float | None]], width: int = 520,
          height: int = 180) -> str:
    """Return a line chart of 0–100 series over weeks (points when there is one week)."""
    pad_l, pad_r, pad_t, pad_b = 30, 110, 10, 24
    cw, ch = width - pad_l - pad_r, height - pad_t - pad_b
    n = max(len(labels), 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad_l + (cw * i / (n - 1) if n > 1 else cw / 2)
        return x, pad_t + ch * (1 - v / 100)

    parts = [f'<svg class="chart" width="{width}" height="{height}" role="img" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for tick in (0, 50, 100):
        y = pad_t + ch * (1 - tick / 100)
        parts.append(f'<line x1="{pad_l}" y1="{y}" x2="{pad_l + cw}" y2="{y}" stroke="#ddd"/>'
                     f'<text x="{pad_l - 4}" y="{y + 4}" text-anchor="end">{tick}</text>')
    step = max(1, n // 6)
    for i, lab in enumerate(labels):
        if i % step == 0:
            x, _ = xy(i, 0)
            parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle">'
                         f'{escape(lab)}</text>')
    for k, (name, vals) in enumerate(series.items()):
        color = SERIES[k % len(SERIES)]
        pts = [xy(i, v) for i, v in enumerate(vals) if v is not None]
        if len(pts) > 1:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
        ly = pad_t + 12 + k * 16
        parts.append(f'<rect x="{width - pad_r + 8}" y="{ly - 9}" width="10" height="10" '
                     f'fill="{color}"/><text x="{width - pad_r + 22}" y="{ly}">'
                     f'{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def meter(v: float | None, width: int = 90) -> str:
    """Return a small inline bar of a 0–100 score with its number (plain HTML, light)."""
    w = 0 if v is None else max(0.0, min(v, 100.0))
    return (f'<span class="meter" style="width:{width}px"><i class="{level(v)}" '
            f'style="width:{w:.0f}%"></i></span> {_num(v)}')


def spark(values: list[float | None], labels: list[str] | None = None, width: int = 120,
          height: int = 30) -> str:
    """Return a small line of 0–100 values over weeks (fixed scale: charts compare across pages);
    the last point is coloured by its level; hovering shows each week's value."""
    pad = 4
    n = len(values)
    pts = []
    for i, v in enumerate(values):
        if v is None:
            continue
        x = pad + ((width - 2 * pad) * i / (n - 1) if n > 1 else (width - 2 * pad) / 2)
        pts.append((x, pad + (height - 2 * pad) * (1 - max(0.0, min(v, 100.0)) / 100), v, i))
    parts = [f'<svg class="spark" width="{width}" height="{height}" role="img" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{pad}" y1="{height / 2}" x2="{width - pad}" y2="{height / 2}" '
             'stroke="#eee"/>']
    if len(pts) > 1:
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in pts)
        parts.append(f'<polyline points="{d}" fill="none" stroke="{SERIES[0]}" stroke-width="1.5"/>')
    for k, (x, y, v, i) in enumerate(pts):
        color = COLORS[level(v)] if k == len(pts) - 1 else SERIES[0]
        tip = f"{labels[i]}: {_num(v)}" if labels and i < len(labels) else _num(v)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{3 if k == len(pts) - 1 else 2}" '
                     f'fill="{color}"><title>{escape(tip)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
