"""Every activity and budget line knows where it stands: its page and the box of its row there."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from core.records import Box, Word
from normalizers.fold import fold
from pipeline.cache import StageCache
from pipeline.run import process_file
from tests.conftest import FIXTURES, PDF_000, PDF_001, TEXT_001

BAD_OCR_004 = FIXTURES / "ocr" / "004_verksamhetsplan_jonkoping_2026-2028_bad-ocr.pdf"


@pytest.fixture(scope="module")
def processed(stage_cache):
    found = {}

    def run(path: Path):
        if path not in found:
            found[path] = process_file(path, cache=StageCache(stage_cache))
        return found[path]
    return run


def _words_in(words: tuple[Word, ...], box: Box) -> list[str]:
    x0, top, x1, bottom = box
    return [w.text for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]


def _first_word(text: str) -> str:
    """Its first word as the page's words (a text layer without å, ä and ö, before repair) spell it."""
    return fold(text.split()[0].strip(".,:;()"))


@pytest.mark.parametrize("path, count", [(PDF_001, 49), (PDF_000, 9)], ids=["001", "000"])
def test_each_activity_box_holds_its_title_on_its_first_page(processed, path, count):
    result = processed(path)
    activities = result.plan.activities
    assert len(activities) == count
    pages = {page.page_no: page for page in result.document.pages}
    for activity in activities:
        assert activity.box is not None, activity.title
        page = pages[activity.page_from]
        x0, top, x1, bottom = activity.box
        assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
        inside = fold(" ".join(_words_in(page.words, activity.box)))
        assert _first_word(activity.title) in inside, (activity.title, inside[:80])


def test_activities_of_loose_blocks_are_boxed_around_their_blocks(processed):
    """004's cells reached its text layer as blocks stacked in one column (running on below the page's
    foot): an activity's box is around its blocks on its first page, which may begin with the running
    text of its row before its title; an activity none of whose own blocks stands on that page has none."""
    result = processed(BAD_OCR_004)
    pages = {page.page_no: page for page in result.document.pages}
    activities = result.plan.activities
    boxed = [a for a in activities if a.box is not None]
    assert (len(activities), len(boxed)) == (27, 25)
    holding_title = [a for a in boxed if _first_word(a.title) in map(fold, _words_in(pages[a.page_from].words, a.box))]
    assert len(holding_title) == 21
    assert all(a.box[0] == 56.0 and a.box[1] < pages[a.page_from].height for a in boxed)


def test_rows_of_one_page_do_not_overlap(processed):
    activities = processed(PDF_001).plan.activities
    for before, after in itertools.pairwise(activities):
        if before.page_from == after.page_from:
            assert before.box[3] <= after.box[1] + 0.5, (before.title, after.title)


def test_each_budget_line_box_holds_its_label_and_its_amount(processed):
    result = processed(PDF_001)
    lines = result.plan.budget_lines
    assert len(lines) == 12
    pages = {page.page_no: page for page in result.document.pages}
    for line in lines:
        assert line.box is not None and line.page is not None, line.label
        inside = [fold(word) for word in _words_in(pages[line.page].words, line.box)]
        assert _first_word(line.label) in inside, (line.label, inside)
        assert line.amount_text.split()[0] in inside, (line.amount_text, inside)
    boxes = [line.box for line in lines]
    assert len(set(boxes)) == len(boxes)    # one row, one box: each line of 001 is a row of its own


def test_a_text_export_has_pages_but_no_boxes(processed):
    plan = processed(TEXT_001).plan
    assert len(plan.activities) == 49 and len(plan.budget_lines) == 12
    assert all(a.box is None and a.page_from == 1 for a in plan.activities)
    assert all(b.box is None for b in plan.budget_lines)
