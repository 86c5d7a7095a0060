"""Unit tests of table parsing on small hand-made tables: other counties' column names, budgets."""
from __future__ import annotations

from core.records import Block, Cell, ExtractedDocument, Line, Page, Table
from parsers import parse_document
from parsers.columns import field_of, header_of_line, is_month_grid, map_header, year_heading
from pipeline.normalise import normalise_plan


def test_header_synonyms():
    assert field_of("SAMVERKANS- PARTER") == "partners_text"
    assert field_of("GENOMFÖRANDE (vad som ska göras)") == "actions"
    assert field_of("TID FÖR GENOMFÖRANDE") == "timing_text"
    assert field_of("EFFEKT MÅL (miljökvalitetsmål och globala mål)") == "effect_goals"
    assert field_of("Målgrupp") == "target_group"
    assert field_of("Syfte och mål") == "goal"
    assert field_of("Projektledare") == "responsible"
    assert field_of("VAD SKA GÖRAS?") == "actions"
    assert field_of("UTVECKLINGSOMRÅDE") == "title"
    assert field_of("Budget 2021 (tkr)") is None
    # a due date, a report's outcome, a communication plan's sender and recipients
    assert field_of("Klart senast") == "timing_text"
    assert field_of("VAD HAR GJORTS?") == "followup"
    assert map_header(["Kanal", "Budskap", "Mottagare", "När", "Avsändare"]) == {
        0: "title", 2: "target_group", 3: "timing_text", 4: "responsible"}
    assert map_header(["Åtgärd", "Ansvar", "Klart"]) == {0: "title", 1: "responsible", 2: "timing_text"}
    assert map_header(["Vad", "Hur", "När", "Vem"]) == {0: "title", 1: "actions", 2: "timing_text", 3: "responsible"}
    # a header names its column in a few words; a row of cells that only begin with column names is data
    assert field_of("Tid för genomförande och uppföljning") == "timing_text"
    assert map_header(["Styrgruppsmöte med miljöcheferna", "Samordnaren förbereder underlag och skriver",
                       "Miljöchefer", "Protokoll"]) is None
    assert map_header(["Projekt", "Syfte", "Innehåll", "Tidplan", "Ansvarig", "Deltagare"]) == {
        0: "title", 1: "goal", 2: "actions", 3: "timing_text", 4: "responsible", 5: "partners_text"}
    assert map_header(["", "Budget 2021 (tkr)"]) is None
    # a header printed as a line: names of more words divide one way only, a sentence not at all
    assert header_of_line("Projekt Syfte och mål Tid för genomförande Ansvarig") == [
        "Projekt", "Syfte och mål", "Tid för genomförande", "Ansvarig"]
    assert header_of_line("Planen beskriver vilka aktiviteter som ska genomföras") is None
    assert is_month_grid(["År/ månad", "jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug"])
    assert year_heading("Aktiviteter 2022") == 2022
    assert year_heading("4. Aktiviteter 2017") == 2017
    assert year_heading("Nationella aktiviteter 2021") is None


def _doc(*items, pages=1) -> ExtractedDocument:
    """A text-export-like document; each item is a heading string or a list of rows (one per page)."""
    page_items: dict[int, tuple[list, list]] = {n: ([], []) for n in range(1, pages + 1)}
    for top, (page_no, item) in enumerate(items):
        blocks, tables = page_items[page_no]
        if isinstance(item, str):
            blocks.append(Block(lines=(Line(text=item, top=top),), top=top))
        else:
            tables.append(Table(rows=tuple(tuple(Cell(lines=(Line(text=c, top=top),) if c else ()) for c in row)
                                           for row in item), top=top))
    return ExtractedDocument(sha256="0" * 64, source_path="x.txt", file_name="x.txt", source_kind="text",
                             pages=tuple(Page(page_no=n, text="", raw_text="", blocks=tuple(b), tables=tuple(t))
                                         for n, (b, t) in page_items.items()))


HEADER = ["Projekt", "Syfte", "Tidplan", "Ansvarig", "Medverkande"]


def test_other_county_layout_with_headerless_continuation_and_year_headings():
    doc = _doc(
        (1, "Verksamhetsplan 2017–2018 för Miljösamverkan Östergötland"),
        (1, "4. Aktiviteter 2017"),
        (1, [HEADER, ["Tillsyn", "", "", "", ""], ["Förorenade områden", "Öka kunskapen", "Hösten 2017",
                                                   "Samordnaren", "LST, kommunerna"]]),
        (2, [["", "och samsyn", "", "", ""], ["Bassängbad", "Säkrare bad", "2017", "Projektgrupp", "FHM"]]),
        (2, "4. Aktiviteter 2018"),
        (2, [HEADER, ["Ej fastställt", "", "", "", ""]]),
        pages=2,
    )
    plan = normalise_plan(parse_document(doc))
    assert (plan.doc_type, plan.year_from, plan.year_to, plan.county) == ("verksamhetsplan", 2017, 2018,
                                                                          "Östergötlands län")
    assert [(a.plan_year, a.category, a.title, a.goal, a.page_from, a.page_to) for a in plan.activities] == [
        (2017, "Tillsyn", "Förorenade områden", "Öka kunskapen och samsyn", 1, 2),
        (2017, "Tillsyn", "Bassängbad", "Säkrare bad", 2, 2),
    ]
    assert plan.activities[0].partners == ("Länsstyrelsen", "Länets kommuner")


def test_a_section_row_names_its_category_without_a_trailing_mark():
    doc = _doc(
        (1, "Verksamhetsplan 2024 för Miljösamverkan Gotland"),
        (1, [HEADER, ["Kommunikation:", "", "", "", ""], ["Nyhetsbrev", "Nå alla", "Kvartalsvis", "Samordnaren", ""],
             ["Övrigt m.m.", "", "", "", ""], ["Årsmöte", "Förankra planen", "Mars 2024", "Styrgruppen", ""]]),
    )
    plan = normalise_plan(parse_document(doc))
    assert [(a.category, a.title) for a in plan.activities] == [("Kommunikation", "Nyhetsbrev"),
                                                               ("Övrigt m.m.", "Årsmöte")]


def test_a_header_line_a_budget_table_ran_into_heads_the_table_on_the_next_page():
    # a table found by text alignment took in the heading and the header line printed below it;
    # the activity table itself starts on the next page, under a running header, without its header
    doc = _doc(
        (1, "Verksamhetsplan 2019 för Miljösamverkan Halland"),
        (1, [["Post", "Budget 2019"], ["Avgifter från kommunerna", "800 tkr"], ["Summa intäkter", "800 tkr"],
             ["3. Aktiviteter 2019", ""], ["Projekt Syfte Tidplan", "Ansvarig"]]),
        (2, "Miljösamverkan Halland"),
        (2, [["Radon i skolor", "Färre elever i radon", "Hösten 2019", "Samordnaren"],
             ["Bassängbad", "Säkrare bad", "Våren 2019", "Projektgruppen"]]),
        pages=2,
    )
    plan = normalise_plan(parse_document(doc))
    assert [(a.plan_year, a.title, a.goal, a.timing_text, a.responsible, a.page_from) for a in plan.activities] == [
        (2019, "Radon i skolor", "Färre elever i radon", "Hösten 2019", "Samordnaren", 2),
        (2019, "Bassängbad", "Säkrare bad", "Våren 2019", "Projektgruppen", 2),
    ]
    assert [line.amount_sek for line in plan.budget_lines] == [800_000, 800_000]
    assert plan.warnings == ()


def _boxed_table(rows: list[list[str]], top: float, lefts: list[float], height: float = 20.0) -> Table:
    """A table whose cells have boxes: row i from top + i * height, column j from lefts[j]."""
    cells = tuple(tuple(Cell(lines=(Line(text=text, top=top + i * height),) if text else (),
                             bbox=(lefts[j], top + i * height, lefts[j] + 50, top + (i + 1) * height))
                        for j, text in enumerate(row)) for i, row in enumerate(rows))
    return Table(rows=cells, top=top)


def test_rows_right_below_a_table_found_with_fewer_columns_go_on_in_it():
    # a scan's table found in two parts: the lower lost the rules of its empty cells, so its cells
    # have fewer columns; each goes to the column it stands in
    upper = _boxed_table([["Projekt", "Innehåll", "Tidsperiod", "Ansvarig"],
                          ["Introduktion för nya", "Ordna utbildningen", "Kontinuerligt", "Samordnaren"]],
                         top=100, lefts=[50, 190, 370, 470])
    lower = _boxed_table([["inspektörer", "på en central ort."], ["Tillsyn av växtskyddsmedel", "Kontrollera förvaring"]],
                         top=140.5, lefts=[50, 182])
    doc = ExtractedDocument(sha256="0" * 64, source_path="x.pdf", file_name="x.pdf", source_kind="text",
                            pages=(Page(page_no=1, text="", raw_text="", tables=(upper, lower),
                                        blocks=(Block(lines=(Line(text="Verksamhetsplan 2025", top=0),), top=0),)),))
    plan = normalise_plan(parse_document(doc))
    assert [(a.title, a.actions, a.timing_text) for a in plan.activities] == [
        ("Introduktion för nya inspektörer", "Ordna utbildningen på en central ort.", "Kontinuerligt"),
        ("Tillsyn av växtskyddsmedel", "Kontrollera förvaring", None),
    ]
    assert plan.warnings == ()


def test_a_running_header_a_table_took_in_is_no_activity():
    running = "Miljösamverkan Gotland Region Gotland"
    header = _boxed_table([["Aktivitet", "Tid", "Ansvarig"], ["Radon i skolor", "Hösten 2022", "Samordnaren"]],
                          top=300, lefts=[50, 250, 400])
    taken_in = _boxed_table([["Miljösamverkan Gotland", "Region Gotland", ""],
                             ["Bassängbad", "Våren 2022", "Projektgruppen"]], top=30, lefts=[50, 250, 400])
    def page(page_no: int, tables: tuple[Table, ...], blocks: tuple[str, ...]) -> Page:
        return Page(page_no=page_no, text="", raw_text="", height=842.0, tables=tables,
                    blocks=tuple(Block(lines=(Line(text=text, top=top),), top=top)
                                 for text, top in zip(blocks, (30.0, 60.0), strict=False)))
    doc = ExtractedDocument(sha256="0" * 64, source_path="x.pdf", file_name="x.pdf", source_kind="text", pages=(
        page(1, (header,), (running, "Verksamhetsplan 2022")), page(2, (taken_in,), ()), page(3, (), (running,))))
    plan = normalise_plan(parse_document(doc))
    assert [(a.title, a.timing_text, a.page_from) for a in plan.activities] == [
        ("Radon i skolor", "Hösten 2022", 1), ("Bassängbad", "Våren 2022", 2)]


def test_a_repeated_header_read_with_the_rest_of_a_broken_row_gives_the_rest_back():
    header = ["OMRÅDE", "SYFTE", "TIDSPERIOD"]
    doc = _doc(
        (1, "Verksamhetsplan 2023 för Miljösamverkan Skåne"),
        (1, [header, ["Tillsyn av", "Att vindkraftverk i drift", "Kvartal 1 2023"]]),
        (2, [["OMRÅDE vindkraftverk", "SYFTE följer villkoren för buller.", "TIDSPERIOD"],
             ["Grustäkter", "Skydda grundvattnet", "Hela året"]]),
        pages=2,
    )
    plan = normalise_plan(parse_document(doc))
    assert [(a.title, a.goal, a.page_to) for a in plan.activities] == [
        ("Tillsyn av vindkraftverk", "Att vindkraftverk i drift följer villkoren för buller.", 2),
        ("Grustäkter", "Skydda grundvattnet", 2)]
    # a repeated header with a speck and its note is only the header again
    noted = ["OMRÅDE", "SYFTE (kort)", "TIDSPERIOD"]
    doc = _doc((1, "Verksamhetsplan 2023 för Miljösamverkan Skåne"),
               (1, [noted, ["Tillsyn av täkter", "Skydda grundvattnet", "Hela året"]]),
               (2, [["OMRÅDE", "SYFTE = (kort)", "TIDSPERIOD"], ["Grustäkter", "Färre olyckor", "Våren"]]), pages=2)
    assert [(a.title, a.goal) for a in normalise_plan(parse_document(doc)).activities] == [
        ("Tillsyn av täkter", "Skydda grundvattnet"), ("Grustäkter", "Färre olyckor")]


def test_budget_with_year_columns_kronor_and_a_sum_that_does_not_add_up():
    doc = _doc(
        (1, "Verksamhetsplan 2016–2018 Miljösamverkan Skåne"),
        (1, "Budget (kr)"),
        (1, [["", "2016", "2017", "2018"],
             ["Intäkter", "", "", ""],
             ["Kommunernas avgifter", "1 250 000", "1 300 000", "1 350 000"],
             ["Summa intäkter", "1 250 000", "1 300 000", "1 350 000"],
             ["Kostnader", "", "", ""],
             ["Samordnare", "900 000", "950 000", "(45)"],
             ["Summa kostnader", "900 000", "950 000", "1 000 000"],
             ["Resultat", "350 000", "350 000", "−45"]]),
    )
    plan = normalise_plan(parse_document(doc))
    lines = [(b.budget_year, b.section, b.label, b.amount_sek, b.is_total) for b in plan.budget_lines]
    assert len(lines) == 15
    assert lines[:3] == [(2016, "income", "Kommunernas avgifter", 1_250_000, False),
                         (2017, "income", "Kommunernas avgifter", 1_300_000, False),
                         (2018, "income", "Kommunernas avgifter", 1_350_000, False)]
    assert (2018, "cost", "Samordnare", -45, False) in lines
    assert lines[-1] == (2018, "result", "Resultat", -45, True)
    assert plan.warnings == ("budget 2018 cost: lines add up to -45 kr but 'Summa kostnader' says "
                             "1 000 000 kr (difference 1 000 045 kr)",
                             "budget 2018 result: income minus cost is 350 000 kr but 'Resultat' says -45 kr "
                             "(difference -350 045 kr)")


def test_budget_lines_printed_as_text_with_a_colon_and_a_unit_after_each_amount():
    from parsers.budget import budget_row_of_line, budget_rows_of_lines, parse_budget_table
    assert budget_row_of_line("Medlemsavgifter: 1 660 199 kr") == ["Medlemsavgifter", "1 660 199 kr"]
    assert budget_row_of_line("Lön samordnare inkl. sociala avgifter; 1103 000 kr") == [
        "Lön samordnare inkl. sociala avgifter", "1103 000 kr"]
    assert budget_row_of_line("Totala intäkter: 1:991 502 kr") == ["Totala intäkter", "1 991 502 kr"]   # OCR's colon
    assert budget_row_of_line("Överskott 2026 550 699 tkr") == ["Överskott 2026", "550 699 tkr"]
    assert budget_row_of_line("Mötet börjar 10:30") is None
    rows = budget_rows_of_lines(["Intäkter", "Medlemsavgifter: 1 660 199 kr", "Bidrag från regionen: 269 680 kr",
                                 "Totala intäkter: 1 929 879 kr", "Kostnader", "Resor: 359 873 kr",
                                 "Totalt: 359 873 kr"])
    assert [index for index, _ in rows] == [0, 1, 2, 3, 4, 5, 6]
    lines = parse_budget_table([row for _, row in rows], 3, "Ekonomi", default_year=2024)
    assert [(b.section, b.label, b.amount_text, b.is_total) for b in lines] == [
        ("income", "Medlemsavgifter", "1 660 199 kr", False), ("income", "Bidrag från regionen", "269 680 kr", False),
        ("income", "Totala intäkter", "1 929 879 kr", True), ("cost", "Resor", "359 873 kr", False),
        ("cost", "Totalt", "359 873 kr", True)]
    assert {b.unit_multiplier for b in lines} == {1}


def test_budget_rows_whose_header_the_scan_lost_go_on_under_the_header_of_the_next_page():
    """Page 1 keeps only a budget's amount rows (its header lost to OCR), a footer below them;
    page 2 repeats the header over the rest: one budget, the first rows under that header."""
    doc = _doc(
        (1, "Verksamhetsplan 2026–2027 för Miljösamverkan Uppsala län"),
        (1, [["Avgifter från kommunerna", "1079000", "1166290"], ["Bidrag från Region", "38000", "38605"]]),
        (1, "Sida 1 av 3"),
        (2, [["Intäkter och kostnader (kr)", "Budget 2026", "Plan 2027"],
             ["Summa intäkter", "1117000", "1204895"],
             ["Samordnare", "1117000", "1204895"]]),
        pages=2,
    )
    plan = normalise_plan(parse_document(doc))
    assert [(b.budget_year, b.section, b.label, b.amount_sek) for b in plan.budget_lines][:5] == [
        (2026, "income", "Avgifter från kommunerna", 1_079_000), (2027, "income", "Avgifter från kommunerna", 1_166_290),
        (2026, "income", "Bidrag från Region", 38_000), (2027, "income", "Bidrag från Region", 38_605),
        (2026, "income", "Summa intäkter", 1_117_000)]


def test_a_budget_header_repeated_on_the_next_page_with_a_year_ocr_damaged_keeps_its_years_and_section():
    """Page 2 repeats the header of page 1's budget, one year damaged ('Uttalle017'); page 1 ends with
    the costs' heading. A budget of other years on the next page is a budget of its own."""
    first_page = [["Budgetpost", "Utfall 2017", "Utfall 2018"], ["Intäkter", "", ""],
                  ["Avgifter från kommunerna", "1306", "1265"], ["Totala intäkter", "1306", "1265"],
                  ["Kostnader", "", ""]]
    doc = _doc(
        (1, "Verksamhetsberättelse 2018 för Miljösamverkan Uppsala län"),
        (1, "Ekonomi – belopp i tkr"),
        (1, first_page),
        (2, [["Budgetpost.", "Uttalle017", "Utfall 2018"], ["Samordnare", "817", "488"], ["Totalt", "817", "488"]]),
        pages=2,
    )
    plan = normalise_plan(parse_document(doc))
    assert [(b.budget_year, b.section, b.label, b.amount_sek) for b in plan.budget_lines][4:] == [
        (2017, "cost", "Samordnare", 817_000), (2018, "cost", "Samordnare", 488_000),
        (2017, "cost", "Totalt", 817_000), (2018, "cost", "Totalt", 488_000)]
    other_years = _doc(
        (1, "Verksamhetsberättelse 2018 för Miljösamverkan Uppsala län"),
        (1, "Ekonomi – belopp i tkr"),
        (1, first_page),
        (2, [["Budgetpost", "Budget 2019", "Budget 2020"], ["Kostnader", "", ""], ["Samordnare", "900", "950"],
             ["Totalt", "900", "950"]]),
        pages=2,
    )
    assert [(b.budget_year, b.section, b.label) for b in normalise_plan(parse_document(other_years)).budget_lines][4:] == [
        (2019, "cost", "Samordnare"), (2020, "cost", "Samordnare"), (2019, "cost", "Totalt"), (2020, "cost", "Totalt")]


def test_the_organisation_of_a_title_ocr_damaged_is_still_found_but_not_another_cooperation():
    from parsers.metadata import find_organisations
    assert find_organisations("Verksamhetsberättelse för Miljösam verkan Sörmland 2016", []) == [
        "Miljösamverkan Sörmland"]
    assert find_organisations("Verksamhetsplan för jallösaraverkan Västmanland 2018-2019", []) == [
        "Miljösamverkan Västmanland"]
    assert find_organisations("Vattensamverkan Dalarna 2020", []) == []
    assert find_organisations("Samverkan Västmanland 2020", []) == []
