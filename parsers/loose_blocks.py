"""Activity tables whose cells reached the text as loose blocks (a scan's text layer without ruling
lines, like fixture 004): after a header of column names, blocks are typed by what they look like
(date, partners, responsible, follow-up, title, running text) and grouped into activities, one per
title, each closed by its responsible (or its follow-up when the table has no responsible)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from core.records import Box, ParsedActivity, box_around
from core.reference import reference_json
from normalizers.fold import fold
from normalizers.partners import starts_with_partner
from normalizers.periods import parse_period
from parsers.columns import field_of, header_key, synonyms

_HEADER_WINDOW = 12   # blocks a split header may have between its column names


def header_fields(text: str) -> list[str]:
    """Column names in a line, in order: 'UTVECKLINGSOMRÅDE VAD SKA GÖRAS?' -> [title, actions]."""
    key = header_key(text)
    fields: list[str] = []
    position = 0
    known = synonyms()
    while position < len(key):
        match = next(((word, name) for word, name in known if key.startswith(word, position)), None)
        if match is None:
            # an OCR-damaged column name ('UPPFOLINING') is taken when it is the whole rest; a line
            # of several column names keeps them even if its last word is damaged beyond that
            name = field_of(key[position:], compounds=False)   # the key has lost its spaces
            if name:
                return fields + [name]
            return fields if len(fields) >= 3 else []
        fields.append(match[1])
        position += len(match[0])
    return fields


@dataclass
class _Block:
    kind: str            # title | timing | partners | responsible | followup | text
    text: str
    page_no: int
    box: Box | None = None


@dataclass
class LooseBlockTables:
    default_year: int | None
    activities: list[ParsedActivity] = field(default_factory=list)
    _fields: list[str] = field(default_factory=list)
    _pending_header: list[str] = field(default_factory=list)
    _blocks: list[_Block] = field(default_factory=list)
    _category: str | None = None
    _last_heading: str | None = None
    _waiting: list[tuple[str, int, Box | None]] = field(default_factory=list)
    _header_evidence: int = 0

    def block(self, text: str, page_no: int, box: Box | None = None) -> None:
        """Feed a text block outside ruled tables, in reading order (`box`: where it stands on its page)."""
        text = " ".join(text.split())
        if not text:
            return
        names = header_fields(text)
        if self._fields:
            if not names:
                self._blocks.append(_Block(self._kind(text), text, page_no, box))
            return  # pieces of a repeated header are skipped
        if names:
            if names == ["title"] and not self._pending_header:
                # 'Utvecklingsområden' over a table whose first column is 'UTVECKLINGSOMRÅDE': a section
                self._last_heading = text
            self._pending_header += names
            if _is_table_header(text, names):
                self._header_evidence += 1
            if ("title" in self._pending_header and len(set(self._pending_header)) >= 3
                    and self._header_evidence):
                self._fields = list(dict.fromkeys(self._pending_header))
                self._category = self._last_heading
                waiting, self._waiting = self._waiting, []
                for block_text, block_page, block_box in waiting:
                    self.block(block_text, block_page, block_box)
            return
        if self._pending_header:
            # a header may be split by the cells printed between its column names
            self._waiting.append((text, page_no, box))
            if len(self._waiting) > _HEADER_WINDOW:
                self._pending_header, self._waiting, self._header_evidence = [], [], 0
            return
        if len(text) <= 60 and not text.endswith("."):
            self._last_heading = text

    def finish(self, ordinal_start: int, plan_year: int | None) -> list[ParsedActivity]:
        self._flush()
        return [replace(activity, ordinal=ordinal_start + index, plan_year=activity.plan_year or plan_year)
                for index, activity in enumerate(self.activities)]

    def _kind(self, text: str) -> str:
        words = reference_json("parsers", "columns.json")["loose_blocks"]
        folded = fold(text)
        if any(folded.startswith(fold(w)) for w in words["responsible_starts"]):
            return "responsible"
        if any(folded.startswith(fold(w)) for w in words["followup_starts"]):
            return "followup"
        if _is_timing(text):
            return "timing"
        if starts_with_partner(text) and len(text) <= 120:
            return "partners"
        if (len(text) <= words["max_title_chars"] and len(text.split()) <= words["max_title_words"]
                and text[:1].isupper() and not text.endswith((".", ",", ":")) and ", " not in text
                and not text.startswith("-")):
            return "title"
        return "text"

    def _flush(self) -> None:
        blocks = _merge_continuations(self._blocks)
        self._blocks = []
        segment: list[_Block] = []
        for index, block in enumerate(blocks):
            segment.append(block)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            ends = block.kind == "responsible" and (following is None or following.kind != "responsible")
            ends = ends or (block.kind == "followup" and following is not None
                            and following.kind in ("title", "text") and "responsible" not in self._fields)
            if ends:
                self._segment(segment)
                segment = []
        if segment:
            self._segment(segment)

    def _segment(self, blocks: list[_Block]) -> None:
        """One run of blocks -> as many activities as it has titles (tables sometimes interleave two)."""
        titles = [b for b in blocks if b.kind == "title"]
        if not titles:
            return
        by_kind = {kind: [b for b in blocks if b.kind == kind] for kind in ("timing", "partners", "responsible",
                                                                            "followup")}
        texts = [b for b in blocks if b.kind == "text"]
        several = len(titles) > 1
        first_page = min(b.page_no for b in blocks)
        for index, title in enumerate(titles):
            cells: dict[str, str | None]
            own = blocks   # the blocks that make the activity, where its box is drawn
            if several:
                own = [title, *filter(None, (_nth_block(by_kind[kind], index) for kind in
                                             ("timing", "partners", "responsible")))]
                cells = {"timing_text": _nth(by_kind["timing"], index),
                         "partners_text": _nth(by_kind["partners"], index),
                         "responsible": _nth(by_kind["responsible"], index),
                         "goal": _nth(texts, index) if "goal" in self._fields else None}
            else:
                cells = {"timing_text": _join(by_kind["timing"]), "partners_text": _join(by_kind["partners"]),
                         "responsible": _join(by_kind["responsible"]), "followup": _join(by_kind["followup"]),
                         **self._running_text(texts)}
            self.activities.append(ParsedActivity(
                ordinal=0, title=title.text, plan_year=self.default_year, category=self._category,
                page_from=first_page, page_to=max(b.page_no for b in blocks),
                box=box_around(b.box for b in own if b.page_no == first_page),
                timing_text=cells.get("timing_text"), partners_text=cells.get("partners_text"),
                responsible=cells.get("responsible"), followup=cells.get("followup"), goal=cells.get("goal"),
                actions=cells.get("actions")))

    def _running_text(self, texts: list[_Block]) -> dict[str, str | None]:
        """The cells of running text, as goal or actions by the columns the header named."""
        if not texts:
            return {}
        if "actions" in self._fields and "goal" in self._fields and len(texts) > 1:
            return {"actions": _join(texts[:-1]), "goal": texts[-1].text}
        if "goal" in self._fields and "actions" not in self._fields:
            return {"goal": _join(texts)}
        return {"actions": _join(texts)}


def _is_table_header(text: str, names: list[str]) -> bool:
    """Column names set in capitals, several on one line ('UTVECKLINGSOMRÅDE VAD SKA GÖRAS?'): a table
    header, not a prose heading like 'Syfte och mål'."""
    letters = [ch for ch in text if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
    return capitals and len(names) >= 2


def _is_timing(text: str) -> bool:
    if parse_period(text, 2000) is None:
        return False
    words = text.split()
    return len(words) <= 8 or bool(re.match(r"\d", text))


def _merge_continuations(blocks: list[_Block]) -> list[_Block]:
    """A block that starts in lower case continues the last block that is not a title."""
    merged: list[_Block] = []
    for block in blocks:
        if block.text[:1].islower() and block.kind in ("text", "title", "followup", "responsible"):
            target = next((b for b in reversed(merged) if b.kind != "title"), None)
            if target is not None:
                target.text = f"{target.text} {block.text}"
                if block.page_no == target.page_no:
                    target.box = box_around([target.box, block.box])
                continue
        merged.append(block)
    return merged


def _join(blocks: list[_Block]) -> str | None:
    return " ".join(b.text for b in blocks) or None


def _nth(blocks: list[_Block], index: int) -> str | None:
    block = _nth_block(blocks, index)
    return block.text if block else None


def _nth_block(blocks: list[_Block], index: int) -> _Block | None:
    return blocks[index] if index < len(blocks) else None
