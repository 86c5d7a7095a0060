"""Issue 16, provenance: every activity and budget line links to its page, shown from the source PDF
with the row's box outlined; the page images are cached, except where the cache cannot be written;
a source that moved or changed says so."""
from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from PIL import Image

from pipeline.browse import PLUGINS_DIR, metadata_for
from pipeline.cli import cli
from tests.conftest import PDF_001, TEXT_000
from tests.hostile import mounted


@pytest.fixture()
def corpus(tmp_path, stage_cache):
    """001 as PDF (copied, so that a test may move it) and 000 as text export."""
    pdf = tmp_path / "plans" / PDF_001.name
    pdf.parent.mkdir()
    shutil.copy(PDF_001, pdf)
    db_path = tmp_path / "corpus.db"
    result = CliRunner().invoke(cli, ["import", str(pdf), str(TEXT_000), "--db", str(db_path),
                                      "--cache-dir", str(stage_cache)])
    assert result.exit_code == 0, result.output
    return db_path, pdf


def _client(db_path, page_cache):
    from datasette.app import Datasette
    datasette = Datasette([str(db_path)], metadata=metadata_for(db_path, page_cache), plugins_dir=str(PLUGINS_DIR))

    def get(path: str):
        return asyncio.run(datasette.client.get(path))
    return get


def _rows(db_path, sql: str, *params):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def test_rows_keep_their_boxes_and_pages_their_size(corpus):
    db_path, pdf = corpus
    boxed = _rows(db_path, """select d.file_name, count(*) as n, count(a.x0) as boxed, min(a.x1 - a.x0) as width
                              from activities a join documents d on d.id = a.document_id group by d.file_name""")
    assert {row["file_name"]: (row["n"], row["boxed"]) for row in boxed} == {PDF_001.name: (49, 49),
                                                                             TEXT_000.name: (9, 0)}
    assert [r["width"] for r in boxed if r["file_name"] == PDF_001.name][0] > 400   # a row spans the table
    assert _rows(db_path, "select count(*), count(top) from budget_lines")[0][:] == (12, 12)
    sizes = _rows(db_path, "select distinct width, height from pages where width is not null")
    assert [tuple(round(v) for v in row) for row in sizes] == [(595, 842)]
    assert _rows(db_path, "select source_file from documents where file_name = ?", PDF_001.name)[0][0] == str(pdf)


def test_every_activity_and_budget_row_links_to_its_source(corpus, tmp_path):
    db_path, _ = corpus
    get = _client(db_path, tmp_path / "pages")
    for path, count in (("/corpus/activities?_size=100", 58), ("/corpus/activities_view?_size=100", 58),
                        ("/corpus/budget_lines?_size=100", 12), ("/corpus/budget_view?_size=100", 12)):
        html = get(path).text
        links = re.findall(r'<a class="source-link" href="(/-/source/corpus/(?:activities|budget_lines)/-?\d+)"', html)
        assert len(links) == len(set(links)) == count, path


def test_the_source_page_shows_the_page_image_with_the_row_outlined_and_caches_it(corpus, tmp_path):
    db_path, pdf = corpus
    activity = _rows(db_path, "select * from activities where title = 'Köldmedia på bilverkstäder'")[0]
    get = _client(db_path, tmp_path / "pages")
    page = get(f"/-/source/corpus/activities/{activity['id']}")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Köldmedia på bilverkstäder</h1>" in html and f"page {activity['page_from']}" in html
    box = re.search(r'class="row-box"[^>]*data-box="([^"]+)"', html).group(1)
    assert [float(v) for v in box.split(",")] == [activity[c] for c in ("x0", "top", "x1", "bottom")]
    assert "Minska utsläpp av ozonnedbrytande ämnen" in html   # the page's text
    image_url = re.search(r'<img class="page-image" src="([^"]+)"', html).group(1)
    image = get(image_url)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    cached = list((tmp_path / "pages").iterdir())
    assert [p.name for p in cached] == [f"{activity['document_id']}-p{activity['page_from']}.png"]
    assert cached[0].read_bytes() == image.content
    with Image.open(cached[0]) as png:
        assert png.size == (1191, 1684)       # A4 at 2 pixels a point
    pdf.unlink()   # the cache still has the page; the source page says the file is gone
    assert get(image_url).content == image.content
    moved = get(f"/-/source/corpus/activities/{activity['id']}").text
    assert f"{pdf} is not there any more (moved or deleted since it was imported)" in moved
    assert "page-image" not in moved and "Minska utsläpp av ozonnedbrytande ämnen" in moved


def test_a_source_that_changed_or_a_text_export_says_so(corpus, tmp_path):
    db_path, pdf = corpus
    get = _client(db_path, None)
    line = _rows(db_path, "select id from budget_lines order by ordinal limit 1")[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% revised\n")
    html = get(f"/-/source/corpus/budget_lines/{line['id']}").text
    assert f"{pdf} has changed since it was imported" in html and "page-image" not in html
    document = _rows(db_path, "select id from documents where file_name = ?", PDF_001.name)[0]["id"]
    refused = get(f"/-/page-image/corpus/{document}/2.png")
    assert refused.status_code == 404 and "has changed since it was imported" in refused.text
    activity = _rows(db_path, "select a.id from activities a join documents d on d.id = a.document_id "
                              "where d.file_name = ? limit 1", TEXT_000.name)[0]
    html = get(f"/-/source/corpus/activities/{activity['id']}").text
    assert f"{TEXT_000.name} is a text export: it has no page image" in html
    assert get("/-/source/corpus/activities/12345").status_code == 404


def test_on_read_only_media_the_page_image_is_rendered_without_being_cached(corpus, tmp_path):
    db_path, _ = corpus
    (tmp_path / "media" / "pages").mkdir(parents=True)
    with mounted(tmp_path / "ro", ["mount", "--bind", str(tmp_path / "media"), str(tmp_path / "ro")],
                 ["mount", "-o", "remount,ro,bind", str(tmp_path / "ro")]) as media:
        get = _client(db_path, media / "pages")
        document = _rows(db_path, "select id from documents where file_name = ?", PDF_001.name)[0]["id"]
        image = get(f"/-/page-image/corpus/{document}/3.png")
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
        assert list((media / "pages").iterdir()) == []
