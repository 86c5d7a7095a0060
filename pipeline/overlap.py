"""Which counties plan the same kind of work, and when: themes x counties x years, the themes
shared by two or more counties with their concrete activity pairs, and similar activities across
counties found by the words they share (lemmas), even where no theme matched."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import sqlite_utils

SIMILAR_MIN = 0.3          # cosine of lemma TF-IDF vectors
SIMILAR_MAX_ACTIVITIES = 3000
PAIRS_PER_THEME = 50
PAIRS_PER_COUNTY = 5
HEATMAP_DPI = 150
_LABEL_POINTS = 8


@dataclass
class Overlap:
    matrix: pd.DataFrame                                  # theme x (county, year): activities
    shared: list[dict] = field(default_factory=list)      # themes in 2+ counties
    pairs: list[dict] = field(default_factory=list)       # activity pairs per shared theme
    similar: list[dict] = field(default_factory=list)     # similar activities of different counties

    @property
    def empty(self) -> bool:
        """No activity of a theme matched the filters (or the corpus has none)."""
        return self.matrix.empty

    def as_dict(self) -> dict:
        if self.empty:
            return {"matrix": [], "shared_themes": self.shared, "pairs": self.pairs, "similar": self.similar}
        counts = self.matrix.stack([0, 1], future_stack=True)
        # zip, not items(): pandas-stubs type a Series key as Hashable, this one is (theme, county, year)
        matrix = [{"theme": theme, "county": county, "year": int(year), "activities": int(n)}
                  for (theme, county, year), n in zip(counts.index, counts, strict=True) if n]
        return {"matrix": matrix, "shared_themes": self.shared, "pairs": self.pairs, "similar": self.similar}


def _filters(theme, county, year_from, year_to, alias: str = "x") -> tuple[str, list]:
    where, params = ["1 = 1"], []
    for column, operator, value in (("theme", "=", theme), ("county", "=", county),
                                    ("plan_year", ">=", year_from), ("plan_year", "<=", year_to)):
        if value is not None:
            where.append(f"{alias}.{column} {operator} ?")
            params.append(value)
    return " and ".join(where), params


def overlap(db: sqlite_utils.Database, theme: str | None = None, county: str | None = None,
            year_from: int | None = None, year_to: int | None = None) -> Overlap:
    """Aggregates over the indexed activity_theme_counties table, so a corpus of hundreds of
    thousands of activities answers in well under a second."""
    where, params = _filters(theme, county, year_from, year_to)
    cells = pd.DataFrame(db.query(f"""select theme, county, plan_year as year, count(*) as n
                                      from activity_theme_counties x where {where} and plan_year is not null
                                      group by theme, county, plan_year""", params),
                         columns=["theme", "county", "year", "n"])
    matrix = (cells.pivot_table(index="theme", columns=["county", "year"], values="n", fill_value=0, aggfunc="sum")
              .sort_index(axis=1) if not cells.empty else pd.DataFrame())
    result = Overlap(matrix=matrix)
    for name, group in cells.groupby("theme"):
        assert isinstance(name, str)   # a text column
        counties = sorted(group["county"].unique())
        if len(counties) < 2:
            continue
        result.shared.append({"theme": name, "counties": counties,
                              "years": sorted(int(y) for y in group["year"].unique()),
                              "activities": int(group["n"].sum())})
        result.pairs += _pairs(db, name, counties, where, params)
    result.similar = similar_activities(db, county=county, year_from=year_from, year_to=year_to)
    return result


def _pairs(db: sqlite_utils.Database, theme: str, counties: list[str], where: str, params: list) -> list[dict]:
    """Concrete activity pairs of a shared theme across counties: the first few of each county."""
    rows: list[dict] = []
    for county in counties:
        rows += db.query(f"""select x.county, x.plan_year as year, a.title
                             from activity_theme_counties x join activities a on a.id = x.activity_id
                             where {where} and x.theme = ? and x.county = ? and x.plan_year is not null
                             order by x.plan_year, x.activity_id limit {PAIRS_PER_COUNTY}""",
                         [*params, theme, county])
    pairs = [(a, b) for a, b in combinations(rows, 2) if a["county"] != b["county"]]
    return [{"theme": theme, "a": a, "b": b} for a, b in pairs[:PAIRS_PER_THEME]]


def similar_activities(db: sqlite_utils.Database, county: str | None = None, year_from: int | None = None,
                       year_to: int | None = None, minimum: float = SIMILAR_MIN) -> list[dict]:
    """Pairs of activities of different counties whose lemmas are alike (TF-IDF cosine >= minimum)."""
    where, params = _filters(None, None, year_from, year_to, alias="a")
    if county is not None:
        where += " and d.county = ?"
        params.append(county)
    rows = list(db.query(f"""
        select a.id, a.document_id, a.plan_year as year, a.title, a.lemmas, d.county
        from activities a join documents d on d.id = a.document_id
        where {where} and a.lemmas is not null and d.is_current = 1
        order by a.id limit ?""", [*params, SIMILAR_MAX_ACTIVITIES]))
    documents: Counter[str] = Counter()
    bags = []
    for row in rows:
        bag = Counter(word for word in row["lemmas"].split() if len(word) > 2)
        bags.append(bag)
        documents.update(bag.keys())
    total = len(rows)
    vectors = []
    for bag in bags:
        vector = {w: n * math.log((1 + total) / (1 + documents[w])) for w, n in bag.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({w: v / norm for w, v in vector.items()})
    index: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for word in vector:
            index[word].append(i)
    scores: dict[tuple[int, int], float] = defaultdict(float)
    for word, members in index.items():
        if len(members) > 200:      # too common to tell activities apart
            continue
        for i, j in combinations(members, 2):
            if rows[i]["county"] != rows[j]["county"]:
                scores[(i, j)] += vectors[i][word] * vectors[j][word]
    found = []
    for (i, j), score in sorted(scores.items(), key=lambda kv: -kv[1]):
        if score < minimum:
            break
        a, b = rows[i], rows[j]
        found.append({"similarity": round(score, 3),
                      "a": {"county": a["county"], "year": a["year"], "title": a["title"]},
                      "b": {"county": b["county"], "year": b["year"], "title": b["title"]}})
    return found



def heatmap(result: Overlap, path: str | Path, width: int | None = None, dpi: int = HEATMAP_DPI) -> None:
    """Write the heatmap as PNG: `width` in pixels (at least what its labels need), `dpi` its sharpness."""
    import matplotlib.pyplot as plt
    figure = heatmap_figure(result, width, dpi)
    figure.savefig(path, dpi=dpi)
    plt.close(figure)


def heatmap_figure(result: Overlap, width: int | None = None, dpi: int = HEATMAP_DPI):
    """Themes down, county and year across, activities in each cell: readable at a glance. Each
    column is at least a label's line apart, its county and year written upwards, so that no two
    labels meet however many counties and years there are; a narrower `width` is widened to that."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from normalizers.themes import themes

    matrix = result.matrix
    if matrix.empty:
        raise ValueError("no themed activities to plot")
    columns = matrix.columns
    assert isinstance(columns, pd.MultiIndex)   # pivoted on county and year (pandas-stubs say Index[str])
    labels = [f"{county} {year}" for county, year in columns]
    names = {t.id: f"{t.label} ({'tillsyn' if t.kind == 'supervision' else 'samverkan'})" for t in themes()}
    rows = [names.get(i, i) for i in matrix.index]
    pitch = 2.2 * _LABEL_POINTS / 72      # inches between two columns or rows: a label's line and a gap
    longest_row = max(len(label) for label in rows) * 0.75 * _LABEL_POINTS / 72
    longest_column = max(len(label) for label in labels) * 0.75 * _LABEL_POINTS / 72
    needed = longest_row + pitch * len(labels) + 2.2      # the colour bar and margins
    inches = max(needed, (width or 0) / dpi)
    height = longest_column + pitch * len(rows) + 1.5
    figure, axes = plt.subplots(figsize=(inches, height), dpi=dpi, layout="constrained")
    image = axes.imshow(matrix.values, cmap="YlOrRd", aspect="auto", vmin=0)
    axes.set_xticks(range(len(labels)), labels, fontsize=_LABEL_POINTS, rotation=90)
    axes.set_yticks(range(len(rows)), rows, fontsize=_LABEL_POINTS)
    for y in range(matrix.shape[0]):
        for x in range(matrix.shape[1]):
            value = int(matrix.values[y, x])
            if value:
                axes.text(x, y, str(value), ha="center", va="center", fontsize=_LABEL_POINTS - 1,
                          color="white" if value > matrix.values.max() / 2 else "black")
    axes.set_title("Aktiviteter per tema, län och planår")
    figure.colorbar(image, ax=axes, label="aktiviteter", shrink=min(1.0, 4 / max(1.0, height)))
    return figure
