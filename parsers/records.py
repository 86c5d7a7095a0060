"""Plain data produced by the parse stage; the normalise stage fills the canonical fields."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Activity:
    ordinal: int
    title: str
    plan_year: int | None = None
    category: str | None = None
    goal: str | None = None
    actions: str | None = None
    timing_text: str | None = None
    responsible: str | None = None
    partners_text: str | None = None
    target_group: str | None = None
    effect_goals: str | None = None
    followup: str | None = None
    page_from: int | None = None
    page_to: int | None = None
    # filled by the normalise stage
    period_start: str | None = None
    period_end: str | None = None
    frequency_per_year: float | None = None
    partners: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    lemmas: str | None = None      # lemmas of title, goal and actions, for search and similarity


@dataclass
class BudgetLine:
    ordinal: int
    label: str
    amount_text: str
    budget_year: int | None
    section: str | None            # income | cost | result
    is_total: bool
    unit_multiplier: int           # 1000 when the table is in tkr
    page: int | None = None
    amount_sek: int | None = None  # filled by the normalise stage


@dataclass
class Plan:
    sha256: str
    source_path: str
    file_name: str
    page_count: int
    title: str | None = None
    doc_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    organisations: list[str] = field(default_factory=list)
    # places (as printed) that say which county the plan is for: its organisations', else the one
    # county the text names most
    county_mentions: list[str] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # filled by the normalise stage
    organisation: str | None = None
    county: str | None = None
    counties: list[str] = field(default_factory=list)
