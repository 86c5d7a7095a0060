"""`plans import` into SQLite: contract schema, idempotent re-import, --force in place, bad files."""
from __future__ import annotations

import shutil
import sqlite3

import pytest
import sqlite_utils
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import BAD, FIXTURES, PDF_001, TEXT_001

CONTRACT = {
    "documents": ["id", "source_path", "file_name", "title", "organisation", "county", "doc_type", "year_from",
                  "year_to", "page_count", "extraction", "text_quality", "imported_at", "pipeline_version"],
    "document_counties": ["document_id", "county"],
    "pages": ["document_id", "page_no", "method", "quality", "raw_text", "text"],
    "activities": ["id", "document_id", "ordinal", "plan_year", "category", "title", "goal", "actions",
                   "timing_text", "period_start", "period_end", "frequency_per_year", "responsible",
                   "partners_text", "target_group", "effect_goals", "followup", "page_from", "page_to"],
    "activity_partners": ["activity_id", "partner"],
    "activity_themes": ["activity_id", "theme"],
    "budget_lines": ["id", "document_id", "ordinal", "budget_year", "section", "label", "amount_sek",
                     "amount_text", "is_total", "page"],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, stage_cache):
    """The four born-digital PDFs imported once."""
    db_path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    result = CliRunner().invoke(cli, ["import", str(FIXTURES / "pdf"), "--db", str(db_path), "--cache-dir",
                                      str(stage_cache)])
    assert result.exit_code == 0, result.output
    return db_path


def counts(db_path) -> dict[str, int]:
    db = sqlite_utils.Database(db_path)
    return {table: db.table(table).count for table in CONTRACT}


def test_schema_is_the_contract(corpus):
    db = sqlite_utils.Database(corpus)
    for table, columns in CONTRACT.items():
        assert set(columns) <= set(db.table(table).columns_dict), table
    for table in ("document_counties", "pages", "activities", "budget_lines"):
        assert [fk.other_table for fk in db.table(table).foreign_keys] == ["documents"]
        assert any(ix.columns == ["document_id"] for ix in db.table(table).indexes), table
    for table in ("activity_partners", "activity_themes"):
        assert [fk.other_table for fk in db.table(table).foreign_keys] == ["activities"]
        assert any(ix.columns == ["activity_id"] for ix in db.table(table).indexes), table


def test_imported_rows(corpus):
    assert counts(corpus) == {"documents": 4, "document_counties": 5, "pages": 24, "activities": 58,
                              "activity_partners": 105,
                              "activity_themes": 67, "budget_lines": 12}
    db = sqlite_utils.Database(corpus)
    rows = {r["file_name"][:3]: r for r in db.query("select * from documents")}
    assert rows["001"]["id"] == "aad219e862837383ad6b18300d3b001f85a38fcaa705efaa97ed28c168a57fdb"
    assert (rows["001"]["county"], rows["001"]["year_from"], rows["001"]["year_to"]) == ("Jönköpings län", 2021, 2023)
    assert rows["001"]["extraction"] == "text" and rows["001"]["page_count"] == 11
    assert (rows["002"]["title"], rows["002"]["doc_type"], rows["002"]["year_from"]) == (None, None, None)
    assert [r["county"] for r in db.query(
        "select county from document_counties where document_id = ? order by county", [rows["003"]["id"]])] == [
        "Hallands län", "Västra Götalands län"]
    budget = list(db.query("select section, sum(amount_sek) s from budget_lines where not is_total group by section"))
    assert {r["section"]: r["s"] for r in budget} == {"income": 1_143_000, "cost": 1_143_000}
    pages = list(db.query("select page_no, method, text from pages where document_id = ? order by page_no",
                          [rows["001"]["id"]]))
    assert [p["method"] for p in pages] == ["text"] * 11
    assert "Aktiviteter 2022" in pages[6]["text"]
    partners = list(db.query("""select partner from activity_partners p join activities a on a.id = p.activity_id
                                where a.title = 'Miljöbrottsamverkan Polis, åklagare, Länsstyrelsen och kommunerna '
                                || '(representerade av Miljösamverkan och Jönköpings kommun)' order by p.rowid"""))
    assert [p["partner"] for p in partners] == ["Länsstyrelsen", "Åklagare", "Polis", "Miljösamverkan",
                                                "Jönköpings kommun"]


def test_second_import_changes_nothing(corpus):
    before = counts(corpus)
    stamp = sqlite_utils.Database(corpus).execute("select group_concat(imported_at) from documents").fetchone()
    result = CliRunner().invoke(cli, ["import", str(FIXTURES / "pdf"), "--db", str(corpus)])
    assert result.exit_code == 0
    assert result.output.count("unchanged") == 4 + 1  # four rows and the summary line
    assert "0 imported, 0 reimported, 4 unchanged, 0 failed" in result.output
    assert counts(corpus) == before
    assert sqlite_utils.Database(corpus).execute("select group_concat(imported_at) from documents").fetchone() == stamp


def test_force_reimports_in_place_with_stable_ids(tmp_path):
    db_path = tmp_path / "c.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(PDF_001), "--db", str(db_path)]).exit_code == 0
    ids = [r[0] for r in sqlite3.connect(db_path).execute("select id from activities order by ordinal")]
    result = runner.invoke(cli, ["import", str(PDF_001), "--db", str(db_path), "--force"])
    assert result.exit_code == 0 and "0 imported, 1 reimported, 0 unchanged, 0 failed" in result.output
    assert counts(db_path)["documents"] == 1 and counts(db_path)["activities"] == 49
    assert [r[0] for r in sqlite3.connect(db_path).execute("select id from activities order by ordinal")] == ids


def test_same_file_under_two_names_is_one_document(tmp_path):
    copy = tmp_path / "kopia.txt"
    shutil.copy(TEXT_001, copy)
    result = CliRunner().invoke(cli, ["import", str(TEXT_001), str(copy), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 0
    assert "same content as" in result.output
    assert counts(tmp_path / "c.db")["documents"] == 1


EXPECTED_ERRORS = {
    "empty.pdf": "empty file (0 bytes)",
    "png_renamed.pdf": "not a PDF (PNG image)",
    "encrypted_user-pw-hemligt.pdf": "password-protected PDF (give --password)",
    "truncated.pdf": "damaged PDF: cut off or corrupt (no readable cross-reference table)",
    "blank_pages.pdf": "no text found on any page (3 blank pages, no images)",
}


def test_bad_files_fail_with_one_line_reasons_and_the_batch_goes_on(tmp_path):
    db_path = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["import", str(BAD), str(PDF_001), "--db", str(db_path)])
    assert result.exit_code == 1
    for name, reason in EXPECTED_ERRORS.items():
        assert f"error: {BAD / name}: {reason}\n" in result.output
    assert "Traceback" not in result.output
    assert "3 imported, 0 reimported, 0 unchanged, 5 failed" in result.output
    db = sqlite_utils.Database(db_path)
    assert db.table("documents").count == 3  # 001 and the two decodable text exports of 000
    names = {r["file_name"]: r for r in db.query("select file_name, county, title from documents")}
    assert names["000_cp1252.txt"]["title"] == "Kommunikationsplan för Miljösamverkan Värmland 2011"
    assert names["000_utf8_mojibake.txt"]["title"] == "Kommunikationsplan för Miljösamverkan Värmland 2011"
    assert db.execute("select count(*) from activities a join documents d on d.id = a.document_id "
                      "where d.file_name like '000_%'").fetchone()[0] == 18


def test_password_opens_encrypted_pdf(tmp_path):
    result = CliRunner().invoke(cli, ["import", str(BAD / "encrypted_user-pw-hemligt.pdf"), "--db",
                                      str(tmp_path / "c.db"), "--password", "hemligt"])
    assert result.exit_code == 0, result.output
    assert sqlite_utils.Database(tmp_path / "c.db").table("activities").count == 9


def test_show_json_prints_the_plan(tmp_path):
    import json
    result = CliRunner().invoke(cli, ["show", str(TEXT_001), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["county"] == "Jönköpings län" and len(data["activities"]) == 49
    assert data["budget_lines"][3]["label"] == "SUMMA INTÄKTER" and data["budget_lines"][3]["amount_sek"] == 1143000


def test_a_utf16_text_export_with_a_byte_order_mark_imports_as_its_utf8_twin(tmp_path):
    """What Windows Notepad writes ('Unicode' is UTF-16 LE with a BOM), and its big-endian kind."""
    from pipeline.run import process_file
    text = TEXT_001.read_text("utf-8")
    expected = process_file(TEXT_001).plan
    for codec, name in (("utf-16", "plan_le.txt"), ("utf-16-be", "plan_be.txt")):
        path = tmp_path / name
        path.write_bytes((b"\xfe\xff" if codec == "utf-16-be" else b"") + text.replace("\n", "\r\n").encode(codec))
        plan = process_file(path).plan
        assert (plan.title, len(plan.activities), len(plan.budget_lines)) == (expected.title, 49, 12)
        assert [a.title for a in plan.activities] == [a.title for a in expected.activities]
    damaged = tmp_path / "cut.txt"
    damaged.write_bytes(text.encode("utf-16")[:-1])
    result = CliRunner().invoke(cli, ["import", str(damaged), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 1 and f"error: {damaged}: damaged UTF-16 text" in result.output


def test_a_missing_path_and_a_fifo_named_pdf_are_one_failed_line_each_and_the_batch_goes_on(tmp_path):
    import os
    fifo = tmp_path / "plan.pdf"
    os.mkfifo(fifo)          # reading it would wait for a writer forever
    missing = tmp_path / "gone.pdf"
    result = CliRunner().invoke(cli, ["import", str(fifo), str(missing), str(TEXT_001), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 1
    assert f"error: {fifo}: not a regular file (a pipe, socket or device)\n" in result.output
    assert f"error: {missing}: no such file or folder\n" in result.output
    assert "1 imported, 0 reimported, 0 unchanged, 2 failed" in result.output
    assert sqlite_utils.Database(tmp_path / "c.db").table("activities").count == 49


def test_a_file_name_that_is_not_utf8_imports_and_is_stored_with_its_bytes_escaped(tmp_path):
    import os
    name = os.fsdecode(b"plan_\xe5r.txt")      # 'år' in Latin-1, as an old Windows archive unpacks it
    shutil.copy(TEXT_001, tmp_path / name)
    result = CliRunner().invoke(cli, ["import", str(tmp_path), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 0, result.output
    assert "1 imported, 0 reimported, 0 unchanged, 0 failed" in result.output
    [row] = sqlite_utils.Database(tmp_path / "c.db").query("select file_name, source_path from documents")
    assert row["file_name"] == "plan_\\xe5r.txt" and row["source_path"].endswith("/plan_\\xe5r.txt")


def test_symlinked_folders_are_imported_once_and_a_link_back_up_the_tree_ends(tmp_path):
    import os
    plans, elsewhere = tmp_path / "plans", tmp_path / "elsewhere" / "jonkoping"
    (plans / ".hidden").mkdir(parents=True)
    elsewhere.mkdir(parents=True)
    shutil.copy(TEXT_001, elsewhere / "vp_2021.txt")
    shutil.copy(TEXT_001, plans / ".hidden" / "vp_2021.txt")
    (elsewhere / "notes.docx").write_text("not a plan")
    os.symlink(elsewhere, plans / "jonkoping")
    os.symlink(plans, elsewhere / "back")              # a loop: plans/jonkoping/back -> plans
    result = CliRunner().invoke(cli, ["import", str(plans), "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 0, result.output
    assert "1 imported, 0 reimported, 0 unchanged, 0 failed" in result.output
    [row] = sqlite_utils.Database(tmp_path / "c.db").query("select source_path from documents")
    assert row["source_path"].endswith("plans/jonkoping/vp_2021.txt")


def test_pages_without_text_say_what_became_of_them_and_the_batch_goes_on(tmp_path):
    """Issue 15 item 8: a page refused as too large, pages OCR read nothing on, and scans left
    unread (--ocr never) each give their own reason, not 'OCR is needed' for all."""
    from tests.hostile import scanned_pages
    huge, blank = tmp_path / "huge.pdf", tmp_path / "blank.pdf"
    huge.write_bytes(scanned_pages(1100, 1100))
    blank.write_bytes(scanned_pages(210, 297, pages=2))
    db_path = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["import", str(huge), str(blank), str(TEXT_001), "--db", str(db_path)])
    assert result.exit_code == 1
    assert (f"error: {huge}: no text on any of 1 page: 1 refused for OCR (page too large to OCR "
            "(169 megapixels at 300 dpi, limit 80))\n") in result.output
    assert (f"error: {blank}: no text on any of 2 pages: 2 read by OCR to no text (blank, or too faint "
            "to read)\n") in result.output
    assert "1 imported, 0 reimported, 0 unchanged, 2 failed" in result.output
    assert sqlite_utils.Database(db_path).table("activities").count == 49
    never = CliRunner().invoke(cli, ["import", str(blank), "--db", str(db_path), "--ocr", "never"])
    assert never.exit_code == 1
    assert f"error: {blank}: no text on any of 2 pages: 2 scanned without a text layer: OCR is needed\n" \
        in never.output


def test_a_pdf_whose_fonts_map_no_glyph_to_a_letter_is_read_by_ocr(tmp_path):
    """Issue 15 item 7: without ToUnicode the text layer is glyph codes; the page has no image, but
    its glyphs render, and OCR reads them."""
    from tests.hostile import pdf_without_to_unicode
    path = tmp_path / "utan_tounicode.pdf"
    path.write_bytes(pdf_without_to_unicode(["Verksamhetsplan för Miljösamverkan Östergötland 2024", "",
                                             "Tillsyn av små avlopp i länets kommuner."]))
    db_path = tmp_path / "c.db"
    result = CliRunner().invoke(cli, ["import", str(path), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    [page] = sqlite_utils.Database(db_path).query("select method, raw_text, text from pages")
    assert page["method"] == "ocr"
    assert page["text"].split("\n\n") == ["Verksamhetsplan för Miljösamverkan Östergötland 2024",
                                          "Tillsyn av små avlopp i länets kommuner."]
    [doc] = sqlite_utils.Database(db_path).query("select title, county, year_from from documents")
    assert doc == {"title": "Verksamhetsplan för Miljösamverkan Östergötland 2024", "county": "Östergötlands län",
                   "year_from": 2024}
