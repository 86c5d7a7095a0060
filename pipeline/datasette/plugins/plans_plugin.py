"""Datasette plugin of `plans serve`: a "source" link on every activity and budget line, leading to
its page's text and its page image with the row's box outlined; rows first (one line each, column
descriptions behind a toggle and in the headers' tooltips); amounts grouped with thin spaces;
canned-query parameters the corpus knows as choice lists; search snippets with the matched words
marked.

    /-/source/<database>/<activities|budget_lines>/<id>          the row, its page text and image
    /-/page-image/<database>/<document id>/<page>.png            the page, rendered from the source PDF

The image is rendered with PDFium on request and cached as PNG in the folder the plugin
configuration names (`plans serve` gives 'cache/pages' beside the corpus); where that folder cannot
be written, as on read-only media, each request renders it afresh.
"""
from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import markupsafe
from datasette import Response, hookimpl

from core.errors import SourceFileError
from pipeline.source_pages import SOURCE_TABLES, page_image, row_source, why_not_shown

PLUGIN = "plans-source"
VIEW_TABLES = {"activities_view": "activities", "budget_view": "budget_lines"}
# the column that links to the source, by table or view: the page the row starts on
LINKED_COLUMNS = {name: SOURCE_TABLES[VIEW_TABLES.get(name, name)][1] for name in (*SOURCE_TABLES, *VIEW_TABLES)}


def source_url(datasette, database: str, table: str, row_id: int) -> str:
    return datasette.urls.path(f"/-/source/{database}/{VIEW_TABLES.get(table, table)}/{row_id}")


HERE = Path(__file__).resolve().parent
# read once, not at every page Datasette serves
TEMPLATE = (HERE.parent / "templates" / "row_source.html").read_text("utf-8")
UI_SCRIPT = (HERE / "plans_ui.js").read_text("utf-8")
UI_STYLESHEET = (HERE / "plans_ui.css").read_text("utf-8")
AMOUNT_COLUMNS = {"amount_sek", "estimated_cost_sek", "income_sek", "cost_sek", "result_sek"}
DOCUMENT_COLUMNS = {"document_id", "copy_of", "superseded_by"}
DOCUMENT_ID = re.compile(r"[0-9a-f]{64}")
THIN_SPACE = "\u202f"   # narrow no-break space: Swedish groups thousands with it ('1 143 000')


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/plans-ui.css")]


@hookimpl
def extra_body_script(database, datasette):
    name = json.dumps(database or "")
    return markupsafe.Markup(f"document.body.dataset.plansDatabase = {name};\n{UI_SCRIPT}")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "snippet" and table is None and isinstance(value, str):
        return _marked(value)
    if column in DOCUMENT_COLUMNS and isinstance(value, str) and DOCUMENT_ID.fullmatch(value) and database:
        return _document_link(datasette, database, value)
    if column in AMOUNT_COLUMNS and isinstance(value, int):
        return markupsafe.Markup('<span class="amount">{}</span>').format(f"{value:,}".replace(",", THIN_SPACE))
    if table is None or LINKED_COLUMNS.get(table) != column or value is None:
        return None
    try:
        row_id = row["id"]
    except (IndexError, KeyError):
        return None
    return markupsafe.Markup('{page} <a class="source-link" href="{url}" title="The page image, the row outlined">'
                             'source</a>').format(page=value, url=source_url(datasette, database, table, row_id))


@hookimpl
def register_routes():
    tables = "|".join(SOURCE_TABLES)
    return [
        (r"^/-/plans-ui\.css$", stylesheet),
        (rf"^/-/source/(?P<database>[^/]+)/(?P<table>{tables})/(?P<row_id>-?\d+)$", source_view),
        (r"^/-/page-image/(?P<database>[^/]+)/(?P<document_id>[0-9a-f]{64})/(?P<page_no>\d+)\.png$", image_view),
    ]


async def stylesheet():
    return Response(UI_STYLESHEET, content_type="text/css; charset=utf-8",
                    headers={"Cache-Control": "max-age=300"})


async def source_view(datasette, request):
    database, table = request.url_vars["database"], request.url_vars["table"]
    row_id = int(request.url_vars["row_id"])
    db = _database(datasette, database)
    if db is None:
        return _no_database(database)
    source = await db.execute_fn(lambda conn: row_source(conn, table, row_id))
    if source is None:
        return Response.html(f"No row {row_id} in {markupsafe.escape(table)}", status=404)
    problem = await asyncio.to_thread(why_not_shown, source)
    image = None if problem else datasette.urls.path(
        f"/-/page-image/{database}/{source.document_id}/{source.page_no}.png")
    template = datasette.jinja_env.from_string(TEMPLATE)
    return Response.html(await datasette.render_template(template, {
        "source": source, "problem": problem, "image": image, "database": database, "table": table,
        "row_url": datasette.urls.row(database, table, str(row_id)),
        "document_url": datasette.urls.row(database, "documents", source.document_id),
    }, request=request))


async def image_view(datasette, request):
    database, document_id = request.url_vars["database"], request.url_vars["document_id"]
    db = _database(datasette, database)
    if db is None:
        return _no_database(database)
    found = (await db.execute("select coalesce(source_file, source_path) from documents where id = ?",
                              [document_id])).first()
    if found is None:
        return Response.text(f"No document {document_id}", status=404)
    cache_dir = (datasette.plugin_config(PLUGIN) or {}).get("cache_dir")
    try:
        png = await asyncio.to_thread(page_image, document_id, found[0], int(request.url_vars["page_no"]), cache_dir)
    except SourceFileError as exc:
        return Response.text(str(exc), status=404)
    return Response(png, content_type="image/png", headers={"Cache-Control": "max-age=3600"})


def _document_link(datasette, database: str, document_id: str):
    """A document's id as its file name, linked to its row (the hash alone tells a reader nothing)."""
    async def link() -> markupsafe.Markup | None:
        db = _database(datasette, database)
        if db is None:
            return None
        found = (await db.execute("select file_name from documents where id = ?", [document_id])).first()
        if found is None:
            return None
        url = datasette.urls.row(database, "documents", document_id)
        return markupsafe.Markup('<a href="{}" title="{}">{}</a>').format(url, document_id, found[0])
    return link


def _marked(snippet: str) -> markupsafe.Markup:
    """A search snippet (search_activities) with the words that matched, which SQLite's snippet()
    set in «», marked."""
    escaped = str(markupsafe.escape(snippet))
    return markupsafe.Markup(escaped.replace("«", "<mark>").replace("»", "</mark>"))


def _no_database(name: str) -> Response:
    return Response.text(f"No database {name}", status=404)


def _database(datasette, name: str):
    try:
        return datasette.get_database(name)
    except KeyError:
        return None
