"""Small plans of the layout families other counties use, written as born-digital PDFs with fpdf2.

Each builder lays out a table the way plans do it (no rules, rules between rows only, zebra
shading, a category column, the title not first, a header that is not repeated on the next page,
budgets with a column per year, amounts in tkr with decimal commas, negatives in parentheses, a
month grid) and returns the PDF's bytes. The plans and their wording are made up for the tests.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

LEFT = 20.0          # mm
LINE = 4.6           # mm, the height of one line of 9 pt text
ROW_PAD = 1.6        # mm above and below a row's lines


class _Plan(FPDF):
    def __init__(self, landscape: bool = False):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(LEFT, 20)
        self.add_page()
        self.set_font("Helvetica", size=9)

    def heading(self, text: str, size: float = 14, gap: float = 4.0) -> None:
        self.set_font("Helvetica", "B", size)
        self.cell(0, size * 0.45, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)
        self.set_font("Helvetica", size=9)

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, LINE, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float], style: str = "none",
              header_rows: int = 1, align: Sequence[str] | None = None, pad: float = ROW_PAD) -> None:
        """Rows of cells; a cell's text wraps within its width. style: none | rules | zebra. `pad`:
        mm above and below a row's lines (0: rows as close as the lines of a cell)."""
        align = align or ["L"] * len(widths)
        right = LEFT + sum(widths)
        for number, row in enumerate(rows):
            header = number < header_rows
            self.set_font("Helvetica", "B" if header else "", 9)
            wrapped = [self.multi_cell(w - 2, LINE, text, dry_run=True, output="LINES") if text else []
                       for w, text in zip(widths, row, strict=True)]
            height = max(len(lines) for lines in wrapped) * LINE + 2 * pad
            top = self.get_y()
            if style == "zebra" and not header and number % 2:
                self.set_fill_color(228, 232, 240)
                self.rect(LEFT, top, right - LEFT, height, style="F")
            if style == "rules":
                self.line(LEFT, top, right, top)
            x = LEFT
            for width, lines, alignment in zip(widths, wrapped, align, strict=True):
                for index, text in enumerate(lines):
                    self.set_xy(x + 1, top + pad + index * LINE)
                    self.cell(width - 2, LINE, text, align=alignment)
                x += width
            self.set_y(top + height)
            if style == "rules" and number == len(rows) - 1:
                self.line(LEFT, top + height, right, top + height)
        self.set_font("Helvetica", size=9)
        self.ln(5)

    def bytes(self) -> bytes:
        return bytes(self.output())


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


ACTIVITY_ROWS = [
    ["Tillsyn av hästgårdar", "Färre läckage av gödsel till vattendrag.", "Våren 2024", "Samordnaren",
     "Länsstyrelsen och kommunerna"],
    ["Förorenade områden i planeringen", "Samsyn kring när utredning krävs vid planläggning av mark.",
     "September 2024", "Arbetsgruppen", "Länets kommuner"],
    ["Radon i skolor", "Fler skolor mäter radon och åtgärdar höga halter.", "Q4 2024", "Miljöchefsgruppen",
     "Polisen"],
]
ACTIVITY_HEADER = ["Aktivitet", "Syfte", "Tid", "Ansvarig", "Samverkanspart"]
ACTIVITY_WIDTHS = [42, 52, 26, 28, 30]


def unruled_activities(style: str = "none") -> bytes:
    """An activity table whose columns are whitespace only (style 'rules': rules between rows; 'zebra':
    shaded rows), under a year heading, with a paragraph before and after."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2024 för Miljösamverkan Sydlän")
    plan.paragraph("Miljösamverkan Sydlän samordnar tillsynen i länets kommuner. Planen beskriver årets "
                   "gemensamma projekt och hur de följs upp.")
    plan.heading("Aktiviteter 2024", size=11, gap=2)
    plan.table([ACTIVITY_HEADER, *ACTIVITY_ROWS], ACTIVITY_WIDTHS, style=style)
    plan.paragraph("Planen följs upp av styrgruppen i december.")
    return plan.bytes()


def category_column_title_second() -> bytes:
    """Category as a column before the title ('Område' repeats down the rows), timing first of the rest."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2023 för Miljösamverkan Sydlän")
    rows = [["Område", "Aktivitet", "Tid", "Ansvarig"],
            ["Hälsoskydd", "Bassängbad och egenkontroll", "Mars 2023", "Samordnaren"],
            ["Hälsoskydd", "Tatuering och piercing", "Hösten 2023", "Arbetsgruppen"],
            ["Miljöskydd", "Små avlopp i känsliga områden", "Maj 2023", "Samordnaren"]]
    plan.table(rows, [34, 60, 34, 40], style="rules")
    return plan.bytes()


def header_not_repeated() -> bytes:
    """A table that goes on at the top of the next page without its header."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2022 för Miljösamverkan Sydlän")
    plan.table([ACTIVITY_HEADER, *ACTIVITY_ROWS[:2]], ACTIVITY_WIDTHS, style="rules")
    plan.add_page()
    plan.set_y(20)
    plan.table([["Nedskräpning vid återvinningsstationer", "Renare platser kring stationerna.", "Juni 2022",
                 "Samordnaren", "Avfall Sverige"],
                ["Köldmedier i butiker", "Färre läckage från kylanläggningar.", "Hösten 2022", "Arbetsgruppen",
                 "Länets kommuner"]], ACTIVITY_WIDTHS, style="rules", header_rows=0)
    return plan.bytes()


def multi_year_budget(unit_in: str = "header") -> bytes:
    """A budget with a column per year, amounts right-aligned; tkr in the header or in a sentence;
    a decimal comma and a negative in parentheses."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2025-2026 för Miljösamverkan Sydlän")
    plan.heading("Budget", size=11, gap=2)
    if unit_in == "sentence":
        plan.paragraph("Alla belopp i tusentals kronor.")
    label = "Intäkter och kostnader (tkr)" if unit_in == "header" else "Post"
    rows = [[label, "Budget 2025", "Budget 2026"],
            ["Intäkter", "", ""],
            ["Medlemsavgifter", "1 250", "1 300"],
            ["Bidrag från Länsstyrelsen", "120,5", "130"],
            ["Summa intäkter", "1 370,5", "1 430"],
            ["Kostnader", "", ""],
            ["Lön samordnare", "1 200", "1 250"],
            ["Återbetalning till kommunerna", "(30)", "(20)"],
            ["Resor", "200,5", "200"],
            ["Summa kostnader", "1 370,5", "1 430"],
            ["Resultat", "0", "0"]]
    plan.table(rows, [70, 35, 35], style="none", align=["L", "R", "R"])
    return plan.bytes()


def month_grid() -> bytes:
    """An activity table followed by a schedule whose rows repeat the titles with X marks."""
    plan = _Plan(landscape=True)
    plan.heading("Kommunikationsplan 2021 för Miljösamverkan Sydlän")
    plan.table([["Aktivitet", "Målgrupp", "Tid"],
                ["Nyhetsbrev till inspektörer", "Inspektörer", "Varje månad"],
                ["Webbinarium om köldmedier", "Verksamhetsutövare", "Oktober 2021"]], [70, 60, 40], style="rules")
    months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    plan.table([["Aktivitet", *months],
                ["Nyhetsbrev till inspektörer", *["X"] * 12],
                ["Webbinarium om köldmedier", *[""] * 9, "X", "", ""]], [70, *[12] * 12], style="none")
    return plan.bytes()


def contact_list() -> bytes:
    """A plan whose only table lists contacts: neither activities, a budget nor a schedule."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2024 för Miljösamverkan Sydlän")
    plan.paragraph("Kontaktpersoner i länets kommuner.")
    plan.table([["Kommun", "Kontaktperson", "E-post"],
                ["Ljungby", "Anna Berg", "anna.berg@ljungby.se"],
                ["Alvesta", "Per Holm", "per.holm@alvesta.se"]], [40, 50, 70], style="rules")
    return plan.bytes()


NUMBERED_TITLES = ["Temadag om radon", "Tankstationer och spillzoner", "Badvattenkontroll vid strandbad",
                   "Tillsyn av täkter", "Inspektörsträffar"]


def numbered_sections() -> bytes:
    """A numbered activity list without rules ('Nr | Område | Period'): section headings set flush
    left over the numbers, reaching across the next column, with extra space above them."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2026 för Miljösamverkan Sydlän")
    plan.paragraph("Planen tar upp årets gemensamma projekt, utbildningar och nätverksträffar.")
    plan.heading("Verksamhet 2026", size=11, gap=2)
    rows = [("head", ["Nr", "Område", "Period"]),
            ("section", "Kompetensutveckling"), ("row", ["1", NUMBERED_TITLES[0], "Löpande under året"]),
            ("section", "Tillsynsprojekt"), ("row", ["2", NUMBERED_TITLES[1], "Vid behov"]),
            ("row", ["3", NUMBERED_TITLES[2], "Dec 2026"]), ("row", ["4", NUMBERED_TITLES[3], "7-9 maj 2026"]),
            ("section", "Nätverk"), ("row", ["5", NUMBERED_TITLES[4], "Tre gånger per år"])]
    for kind, content in rows:
        if kind == "section":
            plan.ln(1.5)
            plan.set_font("Helvetica", "B", 9)
            plan.set_x(LEFT)
            plan.cell(80, LINE + 1, str(content), new_x="LMARGIN", new_y="NEXT")
            plan.set_font("Helvetica", size=9)
            continue
        plan.set_font("Helvetica", "B" if kind == "head" else "", 9)
        for x, text in zip((LEFT, LEFT + 22, LEFT + 110), content, strict=True):
            plan.set_xy(x + (8 if kind == "row" and x == LEFT else 0), plan.get_y())
            plan.cell(80, LINE + 1, text)
        plan.ln(LINE + 1.6)
    plan.set_font("Helvetica", size=9)
    plan.ln(4)
    plan.paragraph("Verksamheten följs upp i en verksamhetsberättelse i början av 2027.")
    return plan.bytes()


LEADER_BUDGET = [("Intäkter", None), ("Medlemsavgifter", "779 013"), ("Bidrag från Länsstyrelsen", "211 919"),
                 ("Summa intäkter", "990 932"), ("Kostnader", None), ("Personalkostnader samordnare", "644 394"),
                 ("Administration", "152 866"), ("Trycksaker och webbplats", "83 413"),
                 ("Summa kostnader", "880 673"), ("Årets resultat", "110 259")]


def budget_with_leaders() -> bytes:
    """A budget printed as lines with dot leaders ('Administration ........ 152 866'), amounts in
    kronor by a sentence, then the year's activities in a table of other columns."""
    plan = _Plan()
    plan.heading("Verksamhetsberättelse 2024 för Miljösamverkan Sydlän")
    plan.heading("Budget", size=11, gap=2)
    plan.paragraph("Kostnaderna för samordnarens tjänst är den största posten. Alla belopp anges i kronor.")
    right = LEFT + 120
    for label, amount in LEADER_BUDGET:
        plan.set_font("Helvetica", "" if amount else "B", 9)
        plan.set_x(LEFT)
        if amount is None:
            plan.cell(0, LINE, label, new_x="LMARGIN", new_y="NEXT")
            continue
        width = plan.get_string_width(amount)
        dots = "." * int((right - width - 2 - LEFT - plan.get_string_width(label)) / plan.get_string_width("."))
        plan.cell(right - width - LEFT, LINE, label + dots)
        plan.cell(width, LINE, amount, new_x="LMARGIN", new_y="NEXT")
    plan.ln(4)
    plan.heading("Genomförda aktiviteter", size=11, gap=2)
    plan.paragraph("Tabellen nedan visar årets aktiviteter.")
    plan.table([["Genomfördes", "Insats", "Resultat", "Deltagare"],
                ["Maj 2024", "Tillsyn av bassängbad", "Alla baden besöktes.", "Länets kommuner"],
                ["Hösten 2024", "Radon i flerbostadshus", "Mätningar i 40 hus.", "Samordnaren"]],
               [30, 50, 50, 40], style="none")
    return plan.bytes()


def budget_years_over_figures() -> bytes:
    """A budget whose header names the years over the figures only (the labels' header left blank),
    the unit given by a sentence above it."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2018-2019 för Miljösamverkan Sydlän")
    plan.heading("Budget 2018", size=11, gap=2)
    plan.paragraph("Avgiften per kommun beräknas utifrån antalet invånare. Alla belopp i tusentals kronor.")
    rows = [["", "2018", "2019", "Plan 2020"],
            ["Intäkter", "", "", ""],
            ["Medlemsavgifter", "1 357", "1 501", "1 606"],
            ["Bidrag från Länsstyrelsen", "49", "52", "59"],
            ["Summa intäkter", "1 406", "1 553", "1 665"],
            ["Kostnader", "", "", ""],
            ["Lön och sociala avgifter", "1 060", "1 150", "1 200"],
            ["Resor", "346", "403", "465"],
            ["Totala kostnader", "1 406", "1 553", "1 665"]]
    plan.table(rows, [70, 25, 25, 25], style="none", align=["L", "R", "R", "R"])
    return plan.bytes()


def budget_ruled_above_and_below() -> bytes:
    """A budget in kronor set tight (a line per row), ruled only above the header, under it and
    below the last row, its figures set flush right and wider than the years over them
    ('2021' over '1 121 283 kr'), a loss in parentheses with its unit outside them."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2021-2022 för Miljösamverkan Sydlän")
    plan.heading("Ekonomi", size=11, gap=2)
    plan.paragraph("Budgeten för verksamheten framgår av tabellen nedan.")
    widths, right = [80, 32, 32], LEFT + 144
    rows = [["Post", "2021", "2022"], *TIGHT_BUDGET]
    top = plan.get_y()
    plan.line(LEFT, top, right, top)
    for number, row in enumerate(rows):
        plan.set_font("Helvetica", "B" if number == 0 or row[0].startswith("Summa") else "", 9)
        plan.set_x(LEFT)
        for width, text, alignment in zip(widths, row, ["L", "R", "R"], strict=True):
            plan.cell(width, LINE, text, align=alignment)
        plan.ln(LINE)
        if number == 0:
            plan.line(LEFT, plan.get_y(), right, plan.get_y())
    plan.line(LEFT, plan.get_y() + 0.5, right, plan.get_y() + 0.5)
    plan.set_font("Helvetica", size=9)
    plan.ln(8)
    plan.heading("Uppföljning", size=11, gap=2)
    plan.paragraph("Styrgruppen följer upp budgeten vid varje möte.")
    return plan.bytes()


TIGHT_BUDGET = [["Medlemsavgifter", "1 121 283 kr", "1 108 910 kr"],
                ["Deltagaravgifter", "215 939 kr", "209 452 kr"],
                ["Summa intäkter", "1 337 222 kr", "1 318 362 kr"],
                ["Samordnartjänst", "1 094 283 kr", "1 084 910 kr"],
                ["Resor", "350 000 kr", "340 000 kr"],
                ["Summa kostnader", "1 444 283 kr", "1 424 910 kr"],
                ["Årets resultat", "(107 061) kr", "(106 548) kr"]]


def budget_over_a_page_break() -> bytes:
    """A budget in tkr with a column per year whose costs go on at the top of the next page, under
    the plan's running header, without the table's header."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2023-2024 för Miljösamverkan Sydlän")
    plan.heading("Budget (tkr)", size=11, gap=2)
    widths, align = [80, 30, 30], ["L", "R", "R"]
    plan.table([["Post", "2023", "Plan 2024"], *BROKEN_BUDGET[:5]], widths, style="rules", align=align)
    plan.add_page()
    plan.set_y(10)
    plan.cell(0, LINE, "Miljösamverkan Sydlän", new_x="LMARGIN", new_y="NEXT")
    plan.set_y(20)
    plan.table(BROKEN_BUDGET[5:], widths, style="rules", header_rows=0, align=align)
    return plan.bytes()


BROKEN_BUDGET = [["Intäkter", "", ""],
                 ["Medlemsavgifter", "1 250", "1 300"],
                 ["Summa intäkter", "1 250", "1 300"],
                 ["Kostnader", "", ""],
                 ["Samordnare", "900", "950"],
                 ["Resor", "150", "160"],
                 ["Utbildningar", "200", "190"],
                 ["Summa kostnader", "1 250", "1 300"]]


def row_broken_over_a_page() -> bytes:
    """An unruled activity table whose last row on the first page goes on at the top of the next
    (the rest of its goal and partners), under the plan's running header, before two more rows;
    the header is not repeated."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2022 för Miljösamverkan Sydlän")
    plan.table([ACTIVITY_HEADER, *ACTIVITY_ROWS[:2],
                ["Cisterner vid bensinstationer", "Färre läckor från", "Hösten 2022", "Samordnaren",
                 "Räddningstjänsten"]], ACTIVITY_WIDTHS, style="none")
    plan.add_page()
    plan.set_y(8)
    plan.cell(0, LINE, "Miljösamverkan Sydlän", new_x="LMARGIN", new_y="NEXT")
    plan.set_y(22)
    plan.table([["", "gamla cisterner i mark.", "", "", "och kommunerna"], *BROKEN_ROWS],
               ACTIVITY_WIDTHS, style="none", header_rows=0)
    return plan.bytes()


BROKEN_ROWS = [["Nedskräpning vid återvinningsstationer", "Renare platser kring stationerna.", "Juni 2022",
                "Samordnaren", "Avfall Sverige"],
               ["Köldmedier i butiker", "Färre läckage från kylanläggningar.", "Hösten 2022", "Arbetsgruppen",
                "Länets kommuner"]]


def rows_set_close() -> bytes:
    """An unruled activity table whose rows are as close as the lines of a cell, titles wrapping."""
    plan = _Plan()
    plan.heading("Verksamhetsplan 2024 för Miljösamverkan Sydlän")
    plan.table([ACTIVITY_HEADER, *CLOSE_ROWS], [34, 60, 26, 28, 30], style="none", pad=0.0)
    return plan.bytes()


CLOSE_ROWS = [["Tillsyn av hästgårdar och ridskolor", "Färre läckage av gödsel till vattendrag.", "Våren 2024",
               "Samordnaren", "Länsstyrelsen"],
              ["Radon i skolor", "Fler skolor mäter radon.", "Q4 2024", "Arbetsgruppen", "Kommunerna"],
              ["Avfallshantering hos verksamheter", "Samordna tillsynen med de kommunala avfallsbolagen.",
               "Hösten 2024", "Samordnaren", "Avfallsbolagen"]]
