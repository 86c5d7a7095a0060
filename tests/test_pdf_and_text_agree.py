"""The PDF of a plan and its text export give the same activities and budget lines."""
from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import PDF_000, PDF_001, TEXT_000, TEXT_001, no_spaces

TEXT_FIELDS = ("title", "goal", "actions", "timing_text", "responsible", "partners_text", "target_group",
               "effect_goals", "followup", "category")


@pytest.mark.parametrize("pdf, text, count", [(PDF_001, TEXT_001, 49), (PDF_000, TEXT_000, 9)], ids=["001", "000"])
def test_same_activities(plan_of, pdf, text, count):
    from_pdf, from_text = plan_of(pdf).activities, plan_of(text).activities
    assert len(from_pdf) == len(from_text) == count   # both sides finding nothing is no agreement
    for a, b in zip(from_pdf, from_text, strict=True):
        assert a.plan_year == b.plan_year
        assert a.partners == b.partners, a.title
        for field in TEXT_FIELDS:
            assert no_spaces(getattr(a, field)) == no_spaces(getattr(b, field)), (field, a.title)


def test_same_budget_lines(plan_of):
    # where a line stands is the source's own (a text export has no geometry)
    strip = lambda line: {k: v for k, v in dataclasses.asdict(line).items() if k not in ("page", "box")}  # noqa: E731
    from_pdf = [strip(b) for b in plan_of(PDF_001).budget_lines]
    assert len(from_pdf) == 12
    assert from_pdf == [strip(b) for b in plan_of(TEXT_001).budget_lines]
