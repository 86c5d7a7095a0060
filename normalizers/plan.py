"""Stage 4, normalise: canonical counties, amounts in kronor, partners, periods, themes; budget totals checked."""
from __future__ import annotations

import copy
from collections import defaultdict

from normalizers.amounts import parse_amount, to_kronor
from normalizers.counties import canonical_county
from normalizers.partners import split_partners
from normalizers.periods import parse_period
from normalizers.themes import lemmas, themes_of
from parsers.records import Plan

VERSION = "4"


def normalise_plan(parsed: Plan) -> Plan:
    plan = copy.deepcopy(parsed)
    counties = [c for c in (canonical_county(place) for place in plan.county_mentions) if c]
    plan.counties = list(dict.fromkeys(counties))
    plan.county = plan.counties[0] if plan.counties else None
    plan.organisation = plan.organisations[0] if len(plan.organisations) == 1 else (
        " och ".join(plan.organisations) if plan.organisations else None)
    for activity in plan.activities:
        activity.partners = split_partners(activity.partners_text)
        activity.themes = themes_of(activity.title, activity.goal, activity.actions)
        activity.lemmas = " ".join(lemmas(" ".join(filter(None, (activity.title, activity.goal, activity.actions)))))
        period = parse_period(activity.timing_text, activity.plan_year)
        if period is not None:
            activity.period_start, activity.period_end = period.start_iso, period.end_iso
            activity.frequency_per_year = period.frequency_per_year
    for line in plan.budget_lines:
        line.amount_sek = to_kronor(parse_amount(line.amount_text), line.unit_multiplier)
    plan.warnings.extend(budget_warnings(plan))
    return plan


def budget_warnings(plan: Plan) -> list[str]:
    """A budget whose lines do not add up to its totals is imported, with the difference named."""
    warnings = []
    groups: dict[tuple[int | None, str | None], list] = defaultdict(list)
    for line in plan.budget_lines:
        groups[(line.budget_year, line.section)].append(line)
    for (year, section), lines in groups.items():
        if section not in ("income", "cost"):
            continue
        items = [l.amount_sek for l in lines if not l.is_total and l.amount_sek is not None]
        for total in (l for l in lines if l.is_total and l.amount_sek is not None):
            difference = total.amount_sek - sum(items)
            if difference:
                warnings.append(f"budget {year} {section}: lines add up to {sum(items):,} kr but "
                                f"'{total.label}' says {total.amount_sek:,} kr (difference {difference:,} kr)"
                                .replace(",", " "))
    return warnings
