"""Swedish diacritic repair: where it applies, what it restores, what it must never touch."""
from __future__ import annotations

import math
import re

import pytest
from click.testing import CliRunner

from extractors import extract_file
from normalizers.diacritics import DiacriticRepairer, words_of
from normalizers.speller import swedish_speller
from pipeline.cache import StageCache
from pipeline.cli import cli
from pipeline.repair import diacritic_mode, repair_document
from pipeline.run import plain_repairer, process_file
from scripts.repair_score import score_repair, strip_diacritics
from tests.conftest import FIXTURES, TEXT_000, TEXT_001, TEXT_002, TEXT_003

BAD_OCR_004 = FIXTURES / "ocr" / "004_verksamhetsplan_jonkoping_2026-2028_bad-ocr.pdf"
SEEDS = [TEXT_000, TEXT_001, TEXT_002, TEXT_003]


@pytest.fixture(scope="module")
def repaired_004(stage_cache):
    return process_file(BAD_OCR_004, cache=StageCache(stage_cache))


@pytest.mark.parametrize("path", SEEDS, ids=["000", "001", "002", "003"])
def test_good_text_passes_through_unchanged(path):
    extracted = extract_file(path)
    assert [diacritic_mode(page) for page in extracted.pages] == [None] * len(extracted.pages)
    with_repairer = repair_document(extracted, plain_repairer())
    without = repair_document(extracted, None)
    assert [p.text for p in with_repairer.pages] == [p.text for p in without.pages]
    # the clean-up of the repair stage changes no word's letters either (only line-end hyphens)
    assert sorted(set(words_of(" ".join(p.text for p in with_repairer.pages))) - set(
        words_of(" ".join(p.text for p in extracted.pages)))) in ([], ["projektet"])


DAMAGED_004 = {"är": "ar", "högre": "hégre", "önskemål": "6nskemal", "från": "fran", "för": "for",
               "mål": "mal", "Länsstyrelsen": "Lansstyrelsen", "Jönköpings": "Jonkdpings", "även": "aven",
               "Naturvårdsverket": "Naturvardsverket", "Öka": "Oka", "ökad": "6kad",
               "Återförsäljare": "Aterforsaljare"}


def test_004_words_come_out_right(repaired_004):
    raw = "\n".join(p.raw_text for p in repaired_004.document.pages)
    text = "\n".join(p.text for p in repaired_004.document.pages)
    for right, damaged in DAMAGED_004.items():
        assert re.search(rf"(?<!\w){damaged}(?!\w)", raw), damaged
        assert re.search(rf"(?<!\w){right}(?!\w)", text), right
    assert "Jönköpings län" in text
    for gone in ("6nskemal", "hégre", "Lansstyrelsen", "Naturvardsverket", "Aterforsaljare", "Jonkdpings"):
        assert gone not in text, gone


def test_004_metadata_after_repair(repaired_004):
    plan = repaired_004.plan
    assert plan.title == "Verksamhetsplan för styrgrupp miljösamverkan för åren 2026-2028"
    assert (plan.doc_type, plan.year_from, plan.year_to, plan.county) == ("verksamhetsplan", 2026, 2028,
                                                                          "Jönköpings län")


@pytest.mark.parametrize("damaged, repaired", [
    ("Miljosamverkan i Jonkopings lan ar ett samarbete", "Miljösamverkan i Jönköpings län är ett samarbete"),
    ("3 ganger per ar", "3 gånger per år"),
    ("FOR MILJOSAMVERKAN", "FÖR MILJÖSAMVERKAN"),
    ("Oka kunskapen, for att!", "Öka kunskapen, för att!"),
    ("Las mer pa www.miljosamverkanvarmland.se eller skriv till info@lansstyrelsen.se", None),
    ("R134 och 2026 550 699", None),
    ("Milj6samverkan ger st6d", "Miljösamverkan ger stöd"),
])
def test_repair_keeps_case_punctuation_addresses_and_numbers(damaged, repaired):
    result, _ = DiacriticRepairer([TEXT_003.read_text("utf-8")]).repair(damaged)
    if repaired is None:
        assert "www.miljosamverkanvarmland.se" in result or result == "R134 och 2026 550 699"
        assert "info@lansstyrelsen.se" in result or "@" not in damaged
    else:
        assert result == repaired


def test_hunspell_judges_compounds_no_frequency_list_has_seen():
    speller = swedish_speller()
    assert speller.accepts("tillsynsvägledning") and speller.accepts("behovsutredningsmallen")
    assert speller.accepts("tillsynsvagledning") is False
    assert speller.accepts("behovsutredningsmällen") is False
    assert speller.accepts("och") is True   # the word that marks the end of each answer


@pytest.mark.parametrize("damaged, repaired", [
    # the compound Hunspell rejects loses to the one it accepts
    ("av den lansgemensamma behovsutredningsmallen", "av den länsgemensamma behovsutredningsmallen"),
    ("regional tillsynsvagledning", "regional tillsynsvägledning"),
    # a sure stand-in in a word no reading makes Swedish: repaired by its known parts
    ("Handlaggarséd", "Handläggarsöd"),
    # an abbreviation with '&' is not a word with a stand-in
    ("Kommunikation & bemotande (K&B)", "Kommunikation & bemötande (K&B)"),
    # a word unknown as it stands is kept rather than read with an unlikely damage ('i' for 'ä')
    ("fillsynskampanjen", "fillsynskampanjen"),
])
def test_compounds_stand_ins_and_unknown_words(damaged, repaired):
    assert DiacriticRepairer([TEXT_003.read_text("utf-8")]).repair(damaged)[0] == repaired


def test_confusion_table_adapts_to_a_text_that_lost_its_diacritics_plainly():
    """Stripped text writes 'o' for every 'ö' and never 'é': after one EM step reading 'o' as 'ö'
    costs nothing, while the English-model table (learned: 'ö' read as 'o' 79 times in 198) keeps
    a cost for it."""
    repairer = DiacriticRepairer([TEXT_003.read_text("utf-8")])
    stripped = strip_diacritics(TEXT_002.read_text("utf-8"))
    learned = repairer.adapted_to("").confusions
    adapted = repairer.adapted_to(stripped).confusions
    assert dict(learned.options("o"))["ö"] < -0.3
    assert dict(adapted.options("o"))["ö"] > -0.1
    assert adapted.counts["ö"]["o"] > 10 * adapted.counts["ö"]["é"]


def test_a_document_that_surely_writes_traff_means_traff_in_its_compounds():
    repairer = DiacriticRepairer([TEXT_003.read_text("utf-8")])
    text = "Handlaggartraffar och Presidietraff. Ordna en traff for inspektorerna. Kontaktpersonstraff"
    # on its own the compound is kontaktperson|straff or kontaktpersons|träff, too close to change
    assert repairer.repair(text)[0].endswith("Ordna en träff för inspektorerna. Kontaktpersonstraff")
    assert repairer.adapted_to(text).repair(text)[0] == (
        "Handläggarträffar och Presidieträff. Ordna en träff för inspektörerna. Kontaktpersonsträff")


def test_a_word_cut_by_a_narrow_cell_is_rejoined_before_its_diacritics_are_restored():
    """'miljokvalit' | 'etsmal' in a cell the word fills: as fragments neither has a Swedish
    reading; rejoined first, the repair sees 'miljokvalitetsmal' and reads 'miljökvalitetsmål'."""
    from core.records import Cell, ExtractedDocument, Line, Page, Table
    cell = Cell(lines=(Line("miljokvalit", top=100, x0=10, x1=65), Line("etsmal och Globala mal", top=112, x0=10, x1=60)),
                bbox=(8, 95, 66, 125))
    page = Page(page_no=1, text="", raw_text="", tables=(Table(rows=((cell,),), top=95),), method="text",
                quality=0.5, needs_diacritic_repair=True)
    doc = ExtractedDocument(sha256="0" * 64, source_path="x.pdf", file_name="x.pdf", source_kind="pdf", pages=(page,))
    repaired = repair_document(doc, DiacriticRepairer([TEXT_003.read_text("utf-8")]))
    lines = [line.text for line in repaired.pages[0].tables[0].rows[0][0].lines]
    assert lines == ["miljökvalitetsmål", "och Globala mål"]


def test_swedish_ocr_is_repaired_only_where_a_word_is_not_swedish():
    result, changes = plain_repairer().repair("Lansstyrelsen har mal och for", only_unknown=True)
    assert result == "Länsstyrelsen har mal och for"
    assert [(c.before, c.after) for c in changes] == [("Lansstyrelsen", "Länsstyrelsen")]


def test_swedish_ocr_words_misread_by_one_lookalike_glyph_are_read_right():
    text = ("Vi samlar värje kalvåret. Löparide arbete med dagvatteri och miriska projektmeidel i en "
            "komimun, samordhare för badvattenköntroll och tillsyhsprojekt.")
    assert plain_repairer().repair(text, only_unknown=True)[0] == (
        "Vi samlar varje halvåret. Löpande arbete med dagvatten och minska projektmedel i en "
        "kommun, samordnare för badvattenkontroll och tillsynsprojekt.")


def test_swedish_ocr_leaves_what_may_be_right_as_read():
    # a rare compound whose å/ä/ö is as likely right, words two lookalikes make equally well
    # ('länsstyrelser'/'länsstyrelsen', 'janets'/'länets'), names, and words too short to tell
    text = "Mätrapporter från Hylte kommun och Ljusnarsberg, länsstyrelseri om jänets ar och fa."
    assert plain_repairer().repair(text, only_unknown=True) == (text, [])


def test_swedish_ocr_rare_words_one_glyph_from_a_far_more_frequent_word_are_read_as_it():
    result, changes = plain_repairer().repair("Det finns mänga tillfällen för allå kommuner, tör länet.",
                                              only_unknown=True)
    assert result == "Det finns många tillfällen för alla kommuner, för länet."
    assert [(c.before, c.after) for c in changes] == [("mänga", "många"), ("allå", "alla"), ("tör", "för")]


def test_swedish_ocr_of_two_lookalike_readings_takes_the_one_the_document_writes():
    text = "Kontakta länsstyrelseri om jänets tillsyn."
    document = "Länsstyrelsen i Västerbottens län samordnar länets tillsyn. " + text
    assert plain_repairer().repair(text, only_unknown=True)[0] == text
    assert plain_repairer().reading_words_of(document).repair(text, only_unknown=True)[0] == (
        "Kontakta länsstyrelsen om länets tillsyn.")


def test_swedish_ocr_words_split_by_a_misread_gap_are_joined():
    result, changes = plain_repairer().repair("Verksam hetsplan: Bakgru nd till ett pressmeddelan de om "
                                              "små avloppsanläggningar", only_unknown=True)
    assert result == "Verksamhetsplan: Bakgrund till ett pressmeddelande om små avloppsanläggningar"
    assert [(c.start, c.before, c.after) for c in changes] == [
        (0, "Verksam hetsplan", "Verksamhetsplan"), (18, "Bakgru nd", "Bakgrund"),
        (37, "pressmeddelan de", "pressmeddelande")]


def test_stripped_seeds_regression():
    """Each seed with its diacritics stripped, repaired with the other seeds as context: the
    accuracy measured by scripts/eval_repair.py must not get worse."""
    texts = {path: path.read_text("utf-8") for path in SEEDS}
    scores = {}
    for path, clean in texts.items():
        repairer = DiacriticRepairer([t for p, t in texts.items() if p != path])
        stripped = strip_diacritics(clean)
        scores[path.name[:3]] = score_repair(clean, stripped, repairer.adapted_to(stripped).repair(stripped)[0])
    accuracies = {key: score.right_after for key, score in scores.items()}
    # measured: 000 0.992, 001 0.995, 002 0.980, 003 0.993; all four 0.992 (the target: 0.99)
    assert accuracies["000"] >= 0.985 and accuracies["001"] >= 0.99
    assert accuracies["002"] >= 0.975 and accuracies["003"] >= 0.99
    right = sum(score.right_after * score.words for score in scores.values())
    assert right / sum(score.words for score in scores.values()) >= 0.99
    assert sum(score.made_wrong for score in scores.values()) <= 1   # measured 1 (TUVs 'anda' read 'ändå')


@pytest.mark.slow   # the whole repair of 004, uncached
def test_plans_repair_shows_a_diff():
    result = CliRunner().invoke(cli, ["repair", str(BAD_OCR_004)])
    assert result.exit_code == 0, result.output
    assert "page 1 (text, quality 0.5):" in result.output
    assert "-Jonkdpings lans 13 kommuner." in result.output
    assert "+Jönköpings läns 13 kommuner." in result.output
    assert re.search(r"\n\d+ words changed\n$", result.output)
    clean = CliRunner().invoke(cli, ["repair", str(TEXT_001)])
    assert "Aktiviteter 2021" not in clean.output


def test_repaired_004_gives_activities_with_readable_titles_and_partners(repaired_004):
    activities = repaired_004.plan.activities
    titles = [a.title for a in activities]
    for title in ("Hälsoskyddstillsyn i ett varmare klimat", "Dagvattenhantering", "Upptäcka illegal avfallshantering",
                  "Återförsäljare - kemiska produkter och varor", "Masshantering", "Prioriterade förorenade områden",
                  "Ventilation i skola/förskola och vårdlokaler", "Miljöinspektörer som arbetar med små avlopp",
                  "Miljöinspektörer som arbetar med lantbrukstillsyn", "Presidieträff", "Miljöbrottsamverkan"):
        assert title in titles, title
    by_title = {a.title: a for a in activities}
    heat = by_title["Hälsoskyddstillsyn i ett varmare klimat"]
    assert heat.timing_text == "Jan 2025-april 2026"
    assert (heat.period_start, heat.period_end) == ("2025-01-01", "2026-04-30")
    assert heat.partners == ("Länets kommuner", "Länsstyrelsen")
    assert heat.responsible == "Utvecklingsledaren ihop med projektgruppen."
    assert heat.goal.startswith("Öka kunskapen hos verksamhetsutövare")
    assert by_title["Upptäcka illegal avfallshantering"].partners == ("Länets kommuner", "Länsstyrelsen",
                                                                       "Miljösamverkan")
    assert by_title["Miljöbrottsamverkan"].partners[:3] == ("Länsstyrelsen", "Åklagare", "Polis")
    assert {a.plan_year for a in activities} == {2026}
    assert all(a.partners for a in activities if a.partners_text)


def test_english_layer_regression():
    """The English-model text layer of the 001 scan repaired with seeds 000, 002, 003 as context,
    scored against seed 001 as scripts/eval_repair.py does: restored share of the words whose only
    damage is their diacritics, and right words made wrong, must not get worse."""
    import pdfplumber
    with pdfplumber.open(FIXTURES / "scan" / "001_verksamhetsplan_jonkoping_2021-2023_scan_ocr-eng.pdf") as pdf:
        damaged = "\n".join(page.extract_text() or "" for page in pdf.pages)
    repairer = DiacriticRepairer([p.read_text("utf-8") for p in (TEXT_000, TEXT_002, TEXT_003)])
    score = score_repair(TEXT_001.read_text("utf-8"), damaged, repairer.adapted_to(damaged).repair(damaged)[0])
    assert score.restored >= 0.99                # measured 0.994 (the target: 0.99)
    assert score.made_wrong <= 1                 # measured 0 (target: under 1 in 500 right words)
    assert score.right_after_of_present >= 0.985  # measured 0.990


def test_004_budget_printed_as_text_lines(repaired_004):
    lines = [(b.budget_year, b.section, b.label, b.amount_sek, b.is_total) for b in repaired_004.plan.budget_lines]
    assert lines[0] == (2026, "income", "Intäkter", 1_867_789, True)
    assert (2026, "income", "IB 2026", 620_000, False) in lines
    assert (2026, "cost", "Löner", 1_726_090, False) in lines
    assert (2026, "cost", "Kostnader", 1_937_090, True) in lines
    assert lines[-1] == (2026, "result", "Överskott 2026", 550_699, True)  # not 2 026 550 699
    assert len(lines) == 13
    # income and cost add up to their totals; the printed result does not (it is not income minus cost)
    assert [w for w in repaired_004.plan.warnings if w.startswith("budget")] == [
        "budget 2026 result: income minus cost is -69 301 kr but 'Överskott 2026' says 550 699 kr "
        "(difference 620 000 kr)"]


def _every_reading(options: list[tuple[tuple[str, float], ...]]) -> tuple[tuple[str, float], ...]:
    """Every reading of a token whose characters have these options, likeliest first, its channel
    summed left to right as the beam sums it; among equals in the beam's order (its last character
    varies slowest)."""
    import itertools
    found = []
    for combination in itertools.product(*reversed(options)):
        score = 0.0
        for _, p in reversed(combination):
            score += p
        found.append(("".join(letter for letter, _ in reversed(combination)), score))
    return tuple(sorted(found, key=lambda item: -item[1]))


def _exhaustive_best(repairer: DiacriticRepairer, token: str, previous, following) -> tuple[str, bool]:
    """Every reading scored in full, compounds split: what the repair's bounded search must equal."""
    from normalizers import diacritics
    lower = token.lower()
    splits = any(repairer.confusions.split_letter(token[i:i + 2]) for i in range(len(token) - 1))
    # every reading, not only the beam's likeliest 512: the repair finds words among all of them
    readings = (repairer.confusions.readings(token) if splits or len(lower) != len(token)
                else _every_reading([repairer.confusions.options(char) for char in token]))
    if len(readings) == 1 and readings[0][0] == lower and not any(repairer.confusions.stands_in(c) for c in lower):
        return lower, True
    scored = []
    for candidate, channel in readings:
        lexical = repairer.lexicon.score(candidate)
        if lexical is not None:
            corpus = diacritics._CORPUS_WEIGHT * math.log10(1 + repairer.word_pairs.words[candidate])
            scored.append((lexical + channel + corpus + repairer.word_pairs.bonus(candidate, previous, following),
                           candidate))
    if any(repairer.confusions.stands_in(ch) for ch in lower):
        if not scored:
            return repairer._by_known_parts(lower), False
    elif not any(c == lower for _, c in scored):
        scored.append((diacritics._UNKNOWN_WORD, lower))
    scored.sort(reverse=True)
    score, best = scored[0]
    original = next((s for s, c in scored if c == lower), None)
    if original is not None and best != lower and score - original < diacritics._CHANGE_MARGIN:
        return lower, False
    return best, len(scored) == 1 or score - scored[1][0] >= diacritics._SURE_MARGIN


def test_the_bounded_search_reads_every_word_as_scoring_every_reading_would():
    """Only the readings that are words or compound parts are made (found by key), and a reading is
    split into parts only while its ceiling may still win or come within the sure margin: on a
    stripped seed and on the English-model layer of a scan (many more readings per word), before and
    after adapting to the text, it chooses as scoring every reading of the table does."""
    from normalizers.diacritics import _PAIR_TOKEN, _as_neighbour
    stripped = strip_diacritics(TEXT_002.read_text("utf-8"))[:6000]
    english_layer = ("Milj6samverkan Jénképings lan: tillsynsvagledning, forbattra larandet, mdl for ar 2021. "
                     "Styrgruppsmoéten och tréaffar, moéte om tréd. ") * 3
    repairer = DiacriticRepairer([TEXT_003.read_text("utf-8")])
    compared = changed = 0
    for text in (stripped, english_layer):
        for current in (repairer, repairer.adapted_to(text)):
            tokens = [m.group(0) for m in _PAIR_TOKEN.finditer(text)]
            for i, token in enumerate(tokens):
                if token.isdigit():
                    continue
                previous = _as_neighbour(tokens[i - 1]) if i else None
                following = _as_neighbour(tokens[i + 1]) if i + 1 < len(tokens) else None
                expected = _exhaustive_best(current, token, previous, following)
                assert current._best_reading(token, previous, following) == expected, token
                compared += 1
                changed += expected[0] != token.lower()
    assert compared > 1400 and changed > 350, (compared, changed)


def test_every_reading_is_made_as_the_beam_makes_it_when_it_keeps_them_all():
    """The product of the characters' options (what the exhaustive test scores) equals the beam's
    readings, order and sums alike, for a stripped word, an OCR word with stand-ins and a word with
    nothing to change."""
    from normalizers.diacritics import Confusions
    confusions = Confusions.load()
    adapted = confusions.adapted([("forvaltning", "förvaltning"), ("ar", "år"), ("ar", "är")])
    compared = 0
    for table in (confusions, adapted):
        for token in ("forvaltning", "Jonkoping", "milj6", "tillsyn", "anlaggningar", "ar"):
            options = [table.options(char) for char in token]
            splits = any(table.split_letter(token[i:i + 2]) for i in range(len(token) - 1))
            if not splits and math.prod(len(o) for o in options) <= 512:
                assert table.readings(token) == _every_reading(options), token
                compared += 1
    assert compared >= 10
    readings = dict(adapted.readings("ar"))
    assert {"ar", "år", "är"} <= set(readings)
    assert adapted.channel("ar", "år") == readings["år"]
    assert adapted.channel("ar", "ör") == readings.get("ör")
    assert adapted.channel("ar", "or") is None and adapted.channel("tillsyn", "tillsyn") == 0.0


def test_words_are_found_by_key_with_every_word_that_shares_it():
    from normalizers.diacritics import Confusions, WordsByKey
    confusions = Confusions.load()
    index = WordsByKey(["år", "är", "ar", "tillsyn", "łódź"], confusions.changeable)
    assert set(index.get(confusions.key("ar"))) == {"ar", "år", "är"}
    assert index.get(confusions.key("tillsyn")) == ["tillsyn"]
    assert index.get(confusions.key("łódź")) == ["łódź"]      # outside Latin-1: still found
    assert index.get(confusions.key("plan")) == []


def test_a_token_of_too_many_compound_beginnings_is_read_by_the_beam_alike(monkeypatch):
    """Where finding compound readings by key would keep too many beginnings, the beam over the
    table's readings decides: on a stripped seed (words of 512 readings or fewer, which the beam
    keeps all of) it reads every word as the key does."""
    from normalizers import diacritics
    stripped = strip_diacritics(TEXT_002.read_text("utf-8"))[:4000]
    by_key = DiacriticRepairer([TEXT_003.read_text("utf-8")]).adapted_to(stripped).repair(stripped)[0]
    monkeypatch.setattr(diacritics, "_MAX_COMPOUND_PREFIXES", -1)
    repairer = DiacriticRepairer([TEXT_003.read_text("utf-8")])
    repairer.best_reading("for")
    assert repairer._compound_readings("samverkansorganisationer") is None
    by_beam = repairer.adapted_to(stripped).repair(stripped)[0]
    assert by_beam == by_key
    assert "samverkan" in by_key and "för" in by_key.lower()


def test_a_letter_of_borrowed_words_may_be_itself_and_still_stands_in_for_a_swedish_letter():
    """'é' is damage in an English-model layer ('Jénképings') and Swedish in borrowed words ('idéer',
    'entrén'): a reading keeps it where that makes the word."""
    repairer = DiacriticRepairer()
    text = "Nya forskningsidéer om entrén till anlaggningen i Jénképings lan"
    repaired = repairer.adapted_to(text).repair(text)[0]
    assert repaired == "Nya forskningsidéer om entrén till anläggningen i Jönköpings län"
    assert repairer.confusions.stands_in("é") and not repairer.confusions.stands_in("a")


def test_a_token_longer_than_any_compound_is_read_character_by_character():
    """No reading of a token longer than four of the longest compound parts (with every other glyph
    merged) is Swedish: it is read glyph by glyph as the table likes best, in time proportional to
    its length, instead of by compound parts over all its spans."""
    repairer = DiacriticRepairer()
    repairer.best_reading("för")
    longest = repairer.lexicon.longest_part
    assert 30 <= longest <= 60           # the dictionary's longest form, plus a linking -s
    garbage = "moéten" * (8 * longest // 6 + 1)
    assert repairer._too_long(garbage) and not repairer._too_long("moéten" * 8)
    assert repairer.repair(garbage)[0] == "moöten" * (8 * longest // 6 + 1)
    assert repairer.repair("Styrgruppsmoéten")[0] == "Styrgruppsmöten"
