"""002 and 003: nothing invented where the document states nothing."""
from __future__ import annotations

import pytest

from tests.conftest import PDF_002, PDF_003, TEXT_002, TEXT_003


@pytest.mark.parametrize("path", [PDF_002, TEXT_002], ids=["pdf", "text"])
def test_002_has_no_title_years_or_tables(plan_of, path):
    plan = plan_of(path)
    assert plan.title is None
    assert plan.doc_type is None
    assert (plan.year_from, plan.year_to) == (None, None)
    assert plan.activities == () and plan.budget_lines == ()
    assert plan.county == "Västerbottens län"


@pytest.mark.parametrize("path", [PDF_003, TEXT_003], ids=["pdf", "text"])
def test_003_covers_two_counties(plan_of, path):
    plan = plan_of(path)
    assert plan.counties == ("Västra Götalands län", "Hallands län")
    assert plan.county == "Västra Götalands län"
    assert plan.organisations == ("Miljösamverkan Västra Götaland", "Miljösamverkan Halland")
    assert plan.doc_type == "avsiktsförklaring"
    assert plan.title.startswith("Avsiktsförklaring för samarbetet mellan Miljösamverkan Västra Götaland")
    assert (plan.year_from, plan.year_to) == (None, None)
    assert plan.activities == () and plan.budget_lines == ()
