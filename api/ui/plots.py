"""SVG figures drawn by coprokg itself (no plotting library): overview bar charts and the
accountability graph of a case.

The overview charts count cases per power-transfer level by policy domain (COFOG division) and by
country. Their numbers come from the named SPARQL query ``level-by-domain-and-country`` run on the
store, so a case stored through the API shows up at once. Every figure carries a ``<title>`` and a
``<desc>``, text labels on its bars and nodes, and a ``<title>`` per bar or edge with its numbers,
so it reads without colour and without a mouse; pages show a data table next to it as well.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from rdflib import Literal

from coprokg.cases import Case
from coprokg.namespaces import CPK
from coprokg.ontology import Ontology, default_ontology
from coprokg.store import GraphStore

LEVEL_QUERY = "level-by-domain-and-country"
# A sequential scale, light to dark, each fill with a text colour that keeps 4.5:1 contrast on it;
# the levels (read from the ontology, in rank order) take evenly spaced steps of it.
_RAMP: tuple[tuple[str, str], ...] = (
    ("#d9d9d9", "#111111"),
    ("#c6dbef", "#111111"),
    ("#9ecae1", "#111111"),
    ("#6baed6", "#111111"),
    ("#2171b5", "#ffffff"),
    ("#08519c", "#ffffff"),
    ("#08306b", "#ffffff"),
)


def level_notations(ontology: Ontology | None = None) -> list[str]:
    """The power-transfer levels of the default reading, floor first, as the ontology ranks them."""
    return (ontology or default_ontology()).level_notations()


def level_labels(ontology: Ontology | None = None) -> dict[str, str]:
    """Notation -> label of every power-transfer level of the default reading (from the ontology).

    >>> level_labels()["none"]
    'no transfer of power'
    """
    return {level.notation: level.label for level in (ontology or default_ontology()).power_levels()}


def level_colours(ontology: Ontology | None = None) -> dict[str, tuple[str, str]]:
    """Notation -> (fill, text) colours: the floor lightest, the highest rank darkest."""
    notations = level_notations(ontology)
    if len(notations) == 1:
        return {notations[0]: _RAMP[0]}
    last = len(_RAMP) - 1
    return {n: _RAMP[round(i * last / (len(notations) - 1))] for i, n in enumerate(notations)}


NOT_STATED = "unknown"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass(frozen=True)
class LevelCount:
    """How many cases of one policy domain and country reach one power-transfer level."""

    domain: str
    country: str
    level: str
    cases: int


@dataclass
class Bar:
    """One bar of a stacked chart: a label and a count per level."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Overview:
    """The two overview charts and the bars they were drawn from."""

    by_domain: list[Bar]
    by_country: list[Bar]
    by_domain_svg: str
    by_country_svg: str
    truncated: bool  # counts cut at a row cap (never, since they come from the case catalogue)


def level_counts(rows: Sequence[Mapping[str, str]]) -> list[LevelCount]:
    """Rows of the ``level-by-domain-and-country`` query as ``LevelCount``s.

    >>> level_counts([{"domain": "health", "country": "NL", "level": "co-production", "cases": "2"}])
    [LevelCount(domain='health', country='NL', level='co-production', cases=2)]
    """
    return [
        LevelCount(
            domain=row.get("domain", NOT_STATED),
            country=row.get("country", NOT_STATED),
            level=row.get("level", "none"),
            cases=int(row.get("cases", "0")),
        )
        for row in rows
    ]


def cofog_division(domain: str, ontology: Ontology) -> tuple[str, str]:
    """The COFOG division (code, label) a policy-domain notation falls under.

    >>> cofog_division("police-services", default_ontology())
    ('03', 'public order and safety')
    >>> cofog_division("unknown", default_ontology())
    ('', 'policy domain not stated')
    """
    vocab = ontology.vocabularies["domain"]
    value = vocab.values.get(domain)
    code = ontology.graph.value(value.iri, CPK.cofogCode) if value is not None else None
    if value is None or not isinstance(code, Literal):
        return "", "policy domain not stated" if domain == NOT_STATED else domain
    division = str(code).split(".", 1)[0]
    for candidate in vocab.values.values():
        if str(ontology.graph.value(candidate.iri, CPK.cofogCode)) == division:
            return division, candidate.label
    return division, value.label


def bars_by_division(counts: Sequence[LevelCount], ontology: Ontology | None = None) -> list[Bar]:
    """One bar per COFOG division (all ten, so empty fields show), plus one for cases without a domain."""
    ontology = ontology or default_ontology()
    bars: dict[str, Bar] = {}
    for value in ontology.vocabularies["domain"].values.values():
        cofog = ontology.graph.value(value.iri, CPK.cofogCode)
        if isinstance(cofog, Literal) and "." not in str(cofog):
            bars[str(cofog)] = Bar(str(cofog), f"{cofog} {value.label}")
    divisions: dict[str, tuple[str, str]] = {}  # one lookup per domain, not per row (rows grow with the cases)
    for count in counts:
        if count.domain not in divisions:
            divisions[count.domain] = cofog_division(count.domain, ontology)
        code, label = divisions[count.domain]
        bar = bars.setdefault(code, Bar(code, f"{code} {label}".strip()))
        bar.counts[count.level] = bar.counts.get(count.level, 0) + count.cases
    return [bars[k] for k in sorted(bars, key=lambda k: (k == "", k))]


def bars_by_country(counts: Sequence[LevelCount]) -> list[Bar]:
    """One bar per country code, most cases first."""
    bars: dict[str, Bar] = {}
    for count in counts:
        label = "country not stated" if count.country == NOT_STATED else count.country
        bar = bars.setdefault(count.country, Bar(count.country, label))
        bar.counts[count.level] = bar.counts.get(count.level, 0) + count.cases
    return sorted(bars.values(), key=lambda b: (-b.total, b.key))


def _tick_step(maximum: int) -> int:
    """A round step giving at most about eight ticks up to ``maximum``.

    >>> [_tick_step(n) for n in (3, 9, 17, 60, 450)]
    [1, 2, 5, 10, 100]
    """
    raw = maximum / 8
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "figure"


def stacked_bar_chart_svg(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[str] | None = None,
    series_labels: Mapping[str, str] | None = None,
    colours: Mapping[str, tuple[str, str]] | None = None,
) -> str:
    """A horizontal stacked bar chart as an SVG document (also valid inline in HTML).

    >>> svg = stacked_bar_chart_svg([Bar("NL", "NL", {"co-governance": 2})], chart_id="c", title="T", description="D")
    >>> "<title id=\\"c-title\\">T</title>" in svg and ">2</text>" in svg
    True
    """
    series = list(series) if series is not None else level_notations()
    series_labels = series_labels if series_labels is not None else level_labels()
    colours = colours if colours is not None else level_colours()
    cid = _id(chart_id)
    width, label_width, right, row, bar_height, top, bottom = 720, 280, 48, 28, 18, 48, 44
    plot_width = width - label_width - right
    height = top + max(1, len(bars)) * row + bottom
    largest = max((b.total for b in bars), default=0)
    step = _tick_step(max(largest, 1))
    axis_max = max(step, math.ceil(largest / step) * step)
    scale = plot_width / axis_max
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family={quoteattr(FONT)} font-size="13">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    # legend, in the order of the scale
    x = 16
    out.append('<g class="legend" aria-hidden="true">')
    for name in series:
        fill, _ = colours[name]
        out.append(f'<rect x="{x}" y="12" width="14" height="14" fill="{fill}" stroke="#555" stroke-width="0.5"/>')
        label = series_labels.get(name, name)
        out.append(f'<text x="{x + 19}" y="24">{escape(label)}</text>')
        x += 19 + int(len(label) * 7.2) + 18
    out.append("</g>")
    # grid and axis
    plot_bottom = top + len(bars) * row
    out.append('<g class="axis" aria-hidden="true">')
    for tick in range(0, axis_max + 1, step):
        tx = label_width + tick * scale
        out.append(f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{plot_bottom}" stroke="#e1e4e8"/>')
        out.append(f'<text x="{tx:.1f}" y="{plot_bottom + 16}" text-anchor="middle" fill="#444">{tick}</text>')
    out.append(
        f'<text x="{label_width + plot_width / 2:.1f}" y="{plot_bottom + 36}" text-anchor="middle" '
        f'fill="#444">number of cases</text>'
    )
    out.append("</g>")
    for index, bar in enumerate(bars):
        y = top + index * row
        parts = ", ".join(f"{series_labels.get(s, s)} {bar.counts.get(s, 0)}" for s in series if bar.counts.get(s))
        summary = f"{bar.label}: {bar.total} case{'s' if bar.total != 1 else ''}" + (f" ({parts})" if parts else "")
        out.append(f'<g class="bar"><title>{escape(summary)}</title>')
        out.append(
            f'<text x="{label_width - 8}" y="{y + bar_height / 2 + 5:.1f}" text-anchor="end">'
            f"{escape(_truncate(bar.label, 36))}</text>"
        )
        x0 = float(label_width)
        for name in series:
            count = bar.counts.get(name, 0)
            if not count:
                continue
            fill, ink = colours[name]
            w = count * scale
            out.append(f'<rect x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{fill}"/>')
            if w >= 18:
                out.append(
                    f'<text x="{x0 + w / 2:.1f}" y="{y + bar_height / 2 + 5:.1f}" text-anchor="middle" '
                    f'fill="{ink}">{count}</text>'
                )
            x0 += w
        out.append(f'<text x="{x0 + 6:.1f}" y="{y + bar_height / 2 + 5:.1f}" font-weight="bold">{bar.total}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def overview(store: GraphStore, *, ontology: Ontology | None = None) -> Overview:
    """Count the stored cases by domain, country and level (``GraphStore.level_counts``: the figures of the
    ``level-by-domain-and-country`` named query, from the case catalogue) and draw both overview charts."""
    counts = [
        LevelCount(domain=domain, country=country, level=level, cases=n)
        for (domain, country, level), n in store.level_counts().items()
    ]
    by_domain = bars_by_division(counts, ontology)
    by_country = bars_by_country(counts)
    total = sum(c.cases for c in counts)
    labels = level_labels(ontology)
    names = list(labels.values())
    scale_words = f"{names[0]} to {names[-1]}" if len(names) > 1 else names[0]
    return Overview(
        by_domain=by_domain,
        by_country=by_country,
        by_domain_svg=stacked_bar_chart_svg(
            by_domain,
            chart_id="level-by-domain",
            title="Power-transfer level by policy domain (COFOG division)",
            description=f"Stacked bars: for each COFOG division, the number of the {total} stored cases at each "
            f"power-transfer level, from {scale_words}.",
        ),
        by_country_svg=stacked_bar_chart_svg(
            by_country,
            chart_id="level-by-country",
            title="Power-transfer level by country",
            description=f"Stacked bars: for each country, the number of the {total} stored cases at each "
            f"power-transfer level, from {scale_words}.",
        ),
        truncated=False,
    )


# ---------------------------------------------------------------- the accountability graph of a case
def _wrap(text: str, width: int = 24, lines: int = 2) -> list[str]:
    """Words of ``text`` in at most ``lines`` lines of about ``width`` characters.

    >>> _wrap("Municipality of Rotterdam, incl. city maintenance and enforcement services")
    ['Municipality of', 'Rotterdam, incl. city…']
    """
    words, out, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], out[lines - 1][: width - 1].rstrip() + "…"]
    return out


def _layers(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Columns for a left-to-right drawing: each forum right of its accountor where cycles allow."""
    layer = dict.fromkeys(nodes, 0)
    for _ in range(len(nodes)):
        changed = False
        for source, target in edges:
            if source != target and layer[target] < layer[source] + 1 <= len(nodes) - 1:
                layer[target] = layer[source] + 1
                changed = True
        if not changed:
            break
    used = sorted(set(layer.values()))
    return {n: used.index(layer[n]) for n in nodes}


def accountability_graph_svg(
    case: Case, *, type_labels: Mapping[str, str] | None = None, chart_id: str = "accountability-graph"
) -> str | None:
    """The case's accountability relations as a graph, accountor → forum; None when it has none.

    >>> from coprokg.cases import load_case
    >>> svg = accountability_graph_svg(load_case("tests/fixtures/buurt.json").case)
    >>> svg is not None and "marker-end" in svg
    True
    """
    if not case.accountability:
        return None
    cid = _id(chart_id)
    labels = {a.id: a.label for a in case.actors}
    type_labels = type_labels or {}
    nodes: list[str] = []
    for relation in case.accountability:
        for actor in (relation.accountor, relation.forum):
            if actor not in nodes:
                nodes.append(actor)
    edges = [(r.accountor, r.forum) for r in case.accountability]
    layer = _layers(nodes, edges)
    columns: dict[int, list[str]] = {}
    for node in nodes:
        columns.setdefault(layer[node], []).append(node)
    box_w, box_h, col_gap, row_gap, margin = 190, 48, 140, 28, 16
    back_edges = any(layer[t] <= layer[s] for s, t in edges)
    tallest = max(len(c) for c in columns.values())
    width = 2 * margin + len(columns) * box_w + (len(columns) - 1) * col_gap
    height = 2 * margin + tallest * (box_h + row_gap) - row_gap + (70 if back_edges else 0)
    position: dict[str, tuple[float, float]] = {}
    for col, members in columns.items():
        offset = (tallest - len(members)) * (box_h + row_gap) / 2
        for row, node in enumerate(members):
            position[node] = (margin + col * (box_w + col_gap), margin + offset + row * (box_h + row_gap))
    dashes = {"vertical": "", "horizontal": ' stroke-dasharray="7 4"', "social": ' stroke-dasharray="2 3"'}
    names = ", ".join(
        f"{labels.get(r.accountor, r.accountor)} to {labels.get(r.forum, r.forum)}" for r in case.accountability
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family={quoteattr(FONT)} font-size="13">',
        f'<title id="{cid}-title">Accountability relations: who renders account to whom</title>',
        f'<desc id="{cid}-desc">{escape(f"Arrows point from the accountor to its forum: {names}.")}</desc>',
        f'<defs><marker id="{cid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    ]
    edge_labels: list[str] = []
    for relation in case.accountability:
        (sx, sy), (tx, ty) = position[relation.accountor], position[relation.forum]
        kind = type_labels.get(relation.type, relation.type)
        what = f"{labels.get(relation.accountor, relation.accountor)} renders account to "
        what += f"{labels.get(relation.forum, relation.forum)} ({kind})"
        if relation.mechanism:
            what += f": {relation.mechanism}"
        dash = dashes.get(relation.type, "")
        if layer[relation.forum] > layer[relation.accountor]:
            x1, y1, x2, y2 = sx + box_w, sy + box_h / 2, tx - 2, ty + box_h / 2
            path = f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
            # the label sits on the line, nearer the accountor, so labels of edges into one forum part
            lx, ly = x1 + (x2 - x1) * 0.4, y1 + (y2 - y1) * 0.4 + 4
        else:
            x1, y1 = sx + box_w * 0.35, sy + box_h
            x2, y2 = tx + box_w * 0.65, ty + box_h + 2
            bend = max(y1, y2) + 55
            path = f"M{x1:.1f},{y1:.1f} C{x1:.1f},{bend:.1f} {x2:.1f},{bend:.1f} {x2:.1f},{y2:.1f}"
            lx, ly = (x1 + x2) / 2, bend - 8
        out.append(f'<g class="edge"><title>{escape(what)}</title>')
        out.append(
            f'<path d="{path}" fill="none" stroke="#444" stroke-width="1.6"{dash} marker-end="url(#{cid}-arrow)"/>'
        )
        out.append("</g>")
        # the short name of the type on the edge (the notation); the full label is in the title
        edge_labels.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="middle" fill="#222" paint-order="stroke" '
            f'stroke="#ffffff" stroke-width="5" font-size="12"><title>{escape(what)}</title>'
            f"{escape(relation.type)}</text>"
        )
    for node in nodes:
        x, y = position[node]
        label = labels.get(node, node)
        lines = _wrap(label)
        out.append(f'<g class="node"><title>{escape(label)}</title>')
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w}" height="{box_h}" rx="6" fill="#eef4fb" stroke="#0b3d6e"/>'
        )
        first = y + box_h / 2 + 5 - (len(lines) - 1) * 8
        for i, line in enumerate(lines):
            out.append(
                f'<text x="{x + box_w / 2:.1f}" y="{first + i * 16:.1f}" text-anchor="middle">{escape(line)}</text>'
            )
        out.append("</g>")
    out.extend(edge_labels)
    out.append("</svg>")
    return "\n".join(out)
