"""Stage 4, normalise: ParsedPlan -> NormalisedPlan: canonical counties, amounts in kronor, partners,
periods, themes; budget totals checked."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

from core.records import (
    NormalisedActivity,
    NormalisedBudgetLine,
    NormalisedPlan,
    ParsedActivity,
    ParsedBudgetLine,
    ParsedPlan,
    PlanDocument,
)
from normalizers.amounts import parse_amount, to_kronor
from normalizers.counties import canonical_county
from normalizers.lemmas import search_terms
from normalizers.partners import split_partners
from normalizers.periods import parse_period
from normalizers.themes import themes_of


def normalise_plan(parsed: ParsedPlan) -> NormalisedPlan:
    counties = tuple(dict.fromkeys(c for c in (canonical_county(place) for place in parsed.county_mentions) if c))
    organisations = parsed.organisations
    budget_lines = tuple(normalise_budget_line(line) for line in parsed.budget_lines)
    document = {name: getattr(parsed, name) for name in PlanDocument.__dataclass_fields__}
    document["warnings"] = (*parsed.warnings, *budget_warnings(budget_lines))
    return NormalisedPlan(
        **document,
        organisations=organisations,
        organisation=organisations[0] if len(organisations) == 1 else (
            " och ".join(organisations) if organisations else None),
        county=counties[0] if counties else None,
        counties=counties,
        activities=tuple(normalise_activity(activity) for activity in parsed.activities),
        budget_lines=budget_lines,
        coverage_note=coverage_note(parsed),
    )


def coverage_note(parsed: ParsedPlan) -> str | None:
    """What a reader should know of a document whose tables gave no activities."""
    if parsed.table_count and not parsed.activities:
        tables = f"{parsed.table_count} table{'s' if parsed.table_count > 1 else ''}"
        return f"{tables}, none read as an activity table" + (
            f" ({len(parsed.budget_lines)} budget lines)" if parsed.budget_lines else "")
    return None


def normalise_activity(activity: ParsedActivity) -> NormalisedActivity:
    period = parse_period(activity.timing_text, activity.plan_year)
    text = " ".join(filter(None, (activity.title, activity.goal, activity.actions)))
    return NormalisedActivity(
        **asdict(activity),
        period_start=period.start_iso if period else None,
        period_end=period.end_iso if period else None,
        frequency_per_year=period.frequency_per_year if period else None,
        partners=tuple(split_partners(activity.partners_text)),
        themes=tuple(themes_of(activity.title, activity.goal, activity.actions)),
        lemmas=" ".join(search_terms(text)),
        estimated_cost_sek=to_kronor(parse_amount(activity.estimated_cost_text),
                                     activity.estimated_cost_multiplier or 1),
    )


def normalise_budget_line(line: ParsedBudgetLine) -> NormalisedBudgetLine:
    return NormalisedBudgetLine(**asdict(line), amount_sek=to_kronor(parse_amount(line.amount_text),
                                                                      line.unit_multiplier))


def budget_warnings(lines: tuple[NormalisedBudgetLine, ...]) -> list[str]:
    """A budget whose lines do not add up to its totals, or whose result is not income minus cost,
    is imported, with the difference named."""
    warnings = [*_line_warnings(lines), *_result_warnings(lines)]
    return [w.replace(",", " ") for w in warnings]


def _result_warnings(lines: tuple[NormalisedBudgetLine, ...]) -> list[str]:
    warnings = []
    for year in dict.fromkeys(line.budget_year for line in lines):
        totals = {section: [line.amount_sek for line in lines if line.budget_year == year and line.section == section
                            and line.is_total and line.amount_sek is not None] for section in ("income", "cost")}
        results = [line for line in lines if line.budget_year == year and line.section == "result"
                   and line.amount_sek is not None]
        if len(totals["income"]) != 1 or len(totals["cost"]) != 1 or len(results) != 1:
            continue   # without one of each there is nothing to check against
        income, cost, result = totals["income"][0], totals["cost"][0], results[0]
        if income is None or cost is None or result.amount_sek is None:
            continue
        expected = income - cost
        if result.amount_sek != expected:
            warnings.append(f"budget {year} result: income minus cost is {expected:,} kr but '{result.label}' "
                            f"says {result.amount_sek:,} kr (difference {result.amount_sek - expected:,} kr)")
    return warnings


def _line_warnings(lines: tuple[NormalisedBudgetLine, ...]) -> list[str]:
    warnings = []
    groups: dict[tuple[int | None, str | None], list[NormalisedBudgetLine]] = defaultdict(list)
    for line in lines:
        groups[(line.budget_year, line.section)].append(line)
    for (year, section), group in groups.items():
        if section not in ("income", "cost"):
            continue
        items = [line.amount_sek for line in group if not line.is_total and line.amount_sek is not None]
        for total in group:
            if not total.is_total or total.amount_sek is None:
                continue
            difference = total.amount_sek - sum(items)
            if difference:
                warnings.append(f"budget {year} {section}: lines add up to {sum(items):,} kr but "
                                f"'{total.label}' says {total.amount_sek:,} kr (difference {difference:,} kr)")
    return warnings
