"""The `plans` command: a thin layer over pipeline.batch, pipeline.run and pipeline.report."""
from __future__ import annotations

import csv
import dataclasses
import difflib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from core.errors import CorpusError, PlansError
from pipeline.batch import FileResult, collect_files, default_cache_dir, import_files
from pipeline.database import can_change, open_corpus, open_corpus_to_read
from pipeline.report import corpus_report, format_table
from pipeline.run import OCR_MODES, Options, path_text, process_file

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar  # the type click.progressbar returns; click does not export it

DEFAULT_DB = "data/out/corpus.db"

db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                         type=click.Path(dir_okay=False), help="SQLite corpus file.")


ocr_option = click.option("--ocr", type=click.Choice(OCR_MODES), default="auto", show_default=True,
                          help="auto: OCR pages without text or with a poor text layer; always; never.")
jobs_option = click.option("--jobs", type=click.IntRange(min=1), default=None,
                           help="Pages to OCR in parallel [default: all cores].")


class _OcrProgress:
    """A page-level progress bar for the OCR of one file, on standard error."""

    def __init__(self) -> None:
        self._bar: ProgressBar[int] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="  OCR pages", file=sys.stderr, show_pos=True)
            self._bar.__enter__()
        self._bar.update(1)
        if done >= total:
            self._bar.__exit__(None, None, None)
            self._bar = None


class _Plans(click.Group):
    """A PlansError from any command ends it with one line and the exit code of its class."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlansError as exc:
            _fail(exc)


@click.group(cls=_Plans, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="miljosamverkan-plans")
def cli() -> None:
    """Turn Swedish Miljösamverkan plans into a comparable SQLite corpus."""


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())   # a missing one is one failed file
@db_option
@click.option("--force", is_flag=True, help="Re-import files already in the corpus, in place.")
@click.option("--password", default=None, help="Password for encrypted PDFs.")
@ocr_option
@jobs_option
@click.option("--cache-dir", default=None, type=click.Path(file_okay=False),
              help="Stage cache folder [default: 'cache' beside the database].")
@click.option("--replace", is_flag=True,
              help="Delete the document of a path whose file has new content, instead of keeping it as superseded.")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.option("--json", "as_json", is_flag=True, help="Print the result of each file and the counts as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars, table or warnings: errors and the summary only.")
@click.option("--verbose", "-v", is_flag=True, help="Also say where corpus and cache are, each file's document id.")
def import_command(paths, db_path, force, password, ocr, jobs, cache_dir, replace, debug, as_json, quiet,
                   verbose) -> None:
    """Import plan files (PDF or text) and folders of them into the corpus."""
    files = collect_files(paths)
    if not files:
        raise click.UsageError("no .pdf or .txt files found in the given paths")
    open_corpus(db_path).close()   # a corpus that cannot be written is one line, before any work
    cache_dir = cache_dir or str(default_cache_dir(db_path))
    if verbose:
        click.echo(f"importing {len(files)} file(s) into {db_path} (stage cache {cache_dir}, OCR {ocr})", err=True)
    quiet = quiet or as_json
    options = Options(ocr=ocr, jobs=jobs, password=password,
                      on_ocr_page=None if quiet or not sys.stderr.isatty() else _OcrProgress())
    bar: ProgressBar[FileResult]
    with click.progressbar(length=len(files), label="Importing", file=sys.stderr, show_pos=True,
                           item_show_func=lambda r: Path(r.path).name if r else "",
                           hidden=quiet or not sys.stderr.isatty()) as bar:   # in a log, a bar is noise
        def done(result) -> None:
            bar.update(1, result)
        results = import_files(files, db_path, cache_dir=cache_dir, force=force, options=options, on_done=done,
                               replace_path=replace)

    order = {path_text(path): index for index, path in enumerate(files)}
    results.sort(key=lambda r: order.get(r.path, len(order)))
    stored = ("imported", "reimported", "reprocessed")
    rows = [{"file": r.path, "status": r.status, "activities": r.activities if r.status in stored else None,
             "budget_lines": r.budget_lines if r.status in stored else None, "reason": r.reason}
            for r in results]
    counts = {s: sum(1 for r in results if r.status == s)
              for s in ("imported", "reimported", "reprocessed", "unchanged", "failed")}
    if as_json:
        click.echo(json.dumps({"database": str(db_path), "counts": counts,
                               "files": [{**row, "document_id": r.document_id, "warnings": list(r.warnings)}
                                         for row, r in zip(rows, results, strict=True)]},
                              ensure_ascii=False, indent=2))
    elif not quiet:
        click.echo(format_table(rows))
    for result in results:
        if verbose and result.document_id:
            click.echo(f"{result.path}: document {result.document_id}", err=True)
        for warning in () if quiet else result.warnings:
            click.echo(f"warning: {result.path}: {warning}", err=True)
        if result.status == "failed":
            click.echo(f"error: {result.path}: {result.reason}", err=True)
            if (debug or verbose) and result.debug:
                click.echo(result.debug, err=True)
    if not counts["reprocessed"]:
        del counts["reprocessed"]   # only after an upgrade; the usual summary keeps its four counts
    if not as_json:
        click.echo(", ".join(f"{n} {s}" for s, n in counts.items()) + f" -> {db_path}")
    if counts["failed"]:
        sys.exit(1)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print everything found as JSON.")
@click.option("--password", default=None, help="Password for an encrypted PDF.")
@ocr_option
@jobs_option
def show(file, as_json, password, ocr, jobs) -> None:
    """Run the pipeline on one file, without a database, and print what it found."""
    plan = process_file(file, options=Options(ocr=ocr, jobs=jobs, password=password,
                                              on_ocr_page=_OcrProgress())).plan
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(plan), ensure_ascii=False, indent=2))
        return
    for key in ("file_name", "title", "organisation", "county", "counties", "doc_type", "year_from",
                "year_to", "page_count"):
        value = getattr(plan, key)
        click.echo(f"{key:>13}: {', '.join(value) if isinstance(value, tuple) else value}")
    click.echo(f"\nActivities: {len(plan.activities)}")
    click.echo(format_table([{"#": a.ordinal, "year": a.plan_year, "category": _short(a.category, 24),
                              "title": _short(a.title, 50), "timing": _short(a.timing_text, 22),
                              "period": f"{a.period_start or ''}..{a.period_end or ''}",
                              "themes": _short(", ".join(a.themes), 40),
                              "pages": f"{a.page_from}-{a.page_to}"} for a in plan.activities]))
    click.echo(f"\nBudget lines: {len(plan.budget_lines)}")
    click.echo(format_table([{"year": b.budget_year, "section": b.section, "label": _short(b.label, 60),
                              "printed": b.amount_text, "amount_sek": b.amount_sek,
                              "total": "yes" if b.is_total else ""} for b in plan.budget_lines]))
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--password", default=None, help="Password for an encrypted PDF.")
@ocr_option
@jobs_option
def repair(file, password, ocr, jobs) -> None:
    """Show what the repair stage changes in FILE, page by page, as a diff (no database: what an
    import would store)."""
    options = Options(ocr=ocr, jobs=jobs, password=password, on_ocr_page=_OcrProgress())
    document = process_file(file, options=options).document
    changed_words = 0
    for page in document.pages:
        before = [line for line in page.raw_text.splitlines() if line.strip()]
        after = [line for line in page.text.splitlines() if line.strip()]
        diff = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
                if not line.startswith(("---", "+++"))]
        if not diff:
            continue
        click.echo(f"page {page.page_no} ({page.method}, quality {page.quality}):")
        for line in diff:
            if line.startswith("@@"):
                continue
            colour = "red" if line.startswith("-") else "green"
            click.secho(f"  {line}", fg=colour)
        words = difflib.SequenceMatcher(None, " ".join(before).split(), " ".join(after).split(), autojunk=False)
        changed_words += sum(i2 - i1 for tag, i1, i2, _, _ in words.get_opcodes() if tag != "equal")
    click.echo(f"{changed_words} words changed" if changed_words else "no changes")


@cli.command(name="reprocess")
@db_option
@ocr_option
@jobs_option
def reprocess_command(db_path, ocr, jobs) -> None:
    """Repair the damaged documents again with the whole corpus as context, and say what changed.

    An import repairs each file on its own (the same file always gives the same rows); this step
    lets the clean plans already imported teach the repair which words go together.
    """
    from pipeline.reprocess import reprocess
    db = open_corpus(db_path, create=False)
    try:
        results = reprocess(db, Options(ocr=ocr, jobs=jobs, on_ocr_page=_OcrProgress()))
    finally:
        db.close()
    click.echo(format_table([{"file": r.path, "status": r.status, "words_changed": r.words_changed,
                              "activities": "{} -> {}".format(*r.activities),
                              "budget_lines": "{} -> {}".format(*r.budget_lines), "reason": r.reason}
                             for r in results]))
    done = sum(1 for r in results if r.status == "reprocessed")
    click.echo(f"{done} reprocessed, {len(results) - done} failed -> {db_path}")
    if done < len(results):
        sys.exit(1)


def _known_theme(theme: str | None) -> str | None:
    """The theme id as given, or a usage error that lists the ids there are."""
    from normalizers.themes import themes
    ids = sorted(t.id for t in themes())
    if theme is not None and theme not in ids:
        raise click.BadParameter(f"no theme {theme!r}; the themes are: {', '.join(ids)}", param_hint="'--theme'")
    return theme


def _known_county(county: str | None) -> str | None:
    """The county's name as the corpus writes it ('Skåne' -> 'Skåne län'), or a usage error that
    lists the counties."""
    from normalizers.counties import canonical_county, county_names
    if county is None:
        return None
    name = canonical_county(county)
    if name is None:
        raise click.BadParameter(f"no county {county!r}; the counties are: {', '.join(county_names())}",
                                 param_hint="'--county'")
    return name




@cli.command()
@db_option
@click.option("--theme", default=None, help="Only this theme (id, e.g. small_sewage).")
@click.option("--county", default=None, help="Only this county, e.g. 'Jönköpings län'.")
@click.option("--from", "year_from", type=int, default=None, help="First plan year.")
@click.option("--to", "year_to", type=int, default=None, help="Last plan year.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@click.option("--plot", type=click.Path(dir_okay=False), default=None, help="Write a heatmap PNG.")
@click.option("--width", type=click.IntRange(min=100), default=None,
              help="Heatmap width in pixels [default: what its labels need; never less].")
@click.option("--dpi", type=click.IntRange(min=50, max=600), default=150, show_default=True, help="Heatmap sharpness.")
def overlap(db_path, theme, county, year_from, year_to, fmt, as_json, plot, width, dpi) -> None:
    """Which counties work on the same themes, when, and with which activities."""
    from pipeline.overlap import heatmap
    from pipeline.overlap import overlap as find_overlap
    fmt = "json" if as_json else fmt
    theme, county = _known_theme(theme), _known_county(county)
    result = find_overlap(open_corpus_to_read(db_path), theme=theme, county=county, year_from=year_from,
                          year_to=year_to)
    data = result.as_dict()
    if result.empty and not result.similar and fmt == "table":
        click.echo("no activities match" + (" these filters" if theme or county or year_from or year_to else
                                             " a theme (the corpus has no themed activities)"))
        if plot:
            click.echo(f"no heatmap written to {plot}: no activities match", err=True)
        return
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["theme", "county", "year", "activities"])
        writer.writeheader()
        writer.writerows(data["matrix"])
    else:
        click.echo("Activities per theme, county and year")
        click.echo(result.matrix.to_string() if not result.matrix.empty else "(none)")
        click.echo("\nThemes shared by two or more counties")
        click.echo(format_table([{"theme": s["theme"], "counties": ", ".join(s["counties"]),
                                  "years": ", ".join(map(str, s["years"])), "activities": s["activities"]}
                                 for s in data["shared_themes"]]))
        click.echo("\nActivity pairs of shared themes")
        click.echo(format_table([{"theme": p["theme"], "a": _pair_side(p["a"]), "b": _pair_side(p["b"])}
                                 for p in data["pairs"]]))
        click.echo("\nSimilar activities in different counties (lemma similarity)")
        click.echo(format_table([{"similarity": p["similarity"], "a": _pair_side(p["a"]), "b": _pair_side(p["b"])}
                                 for p in data["similar"]]))
    if plot and result.empty:
        click.echo(f"no heatmap written to {plot}: no activities match", err=True)
    elif plot:
        heatmap(result, plot, width=width, dpi=dpi)
        click.echo(f"heatmap written to {plot}", err=True)


def _pair_side(side: dict) -> str:
    return f"{side['county']} {side['year']}: {_short(side['title'], 50)}"


@cli.command(name="export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx"]), default="csv", show_default=True)
@click.option("--out", default="data/out/export", show_default=True, type=click.Path(file_okay=False))
@click.option("--no-bom", is_flag=True, help="CSV without the byte-order mark Excel on Windows needs for å, ä, ö.")
def export_command(db_path, fmt, out, no_bom) -> None:
    """Write the current plans' documents, activities (with county, organisation, themes, partners),
    activity themes and partners, budget lines and pages without text: a CSV or Parquet file per
    table, or one workbook (corpus.xlsx) with a sheet per table."""
    from pipeline.export import export
    for path in export(open_corpus_to_read(db_path), out, fmt, bom=not no_bom):
        click.echo(str(path))


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--cache-dir", default=None, type=click.Path(file_okay=False),
              help="Stage cache folder, whose 'pages' folder keeps the page images shown [default: 'cache' beside "
                   "the database].")
def serve(db_path, host, port, cache_dir) -> None:
    """Browse the corpus in Datasette (read-only); each activity and budget line links to its page image."""
    from pipeline.browse import serve as run_datasette
    open_corpus_to_read(db_path).close()  # creates views and search tables of an older corpus
    immutable = not can_change(Path(db_path))
    mode = "read-only, immutable: the corpus cannot change there" if immutable else "read-only"
    click.echo(f"Datasette on http://{host}:{port}/ ({mode}); Ctrl-C stops it", err=True)
    pages = Path(cache_dir or default_cache_dir(db_path)) / "pages"
    sys.exit(run_datasette(db_path, host=host, port=port, immutable=immutable, page_cache=pages))


@cli.command(name="remove")
@click.argument("documents", nargs=-1, required=True)
@db_option
def remove_command(documents, db_path) -> None:
    """Delete documents, given by id or by the path they were imported from, with all their rows."""
    from pipeline.database import remove_documents
    db = open_corpus(db_path, create=False)
    try:
        ids, unknown = [], []
        for given in documents:
            found = [row["id"] for row in db.query(
                "select id from documents where id = ? or source_path = ? or source_path = ?",
                [given, given, path_text(Path(given).resolve())])]
            if found:
                ids += [i for i in found if i not in ids]
            else:
                unknown.append(given)
        if unknown:
            raise CorpusError(f"{db_path}: no document {', '.join(map(repr, unknown))} "
                              "(give an id or an imported path)")
        names = {row["id"]: row["source_path"] for row in db.query(
            f"select id, source_path from documents where id in ({', '.join('?' * len(ids))})", ids)}
        remove_documents(db, ids)
    finally:
        db.close()
    for document_id in ids:
        click.echo(f"removed {names[document_id]} ({document_id[:12]})")


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def report(db_path, as_json) -> None:
    """Summarise the corpus: documents, activities per county and year, budget totals."""
    data = corpus_report(open_corpus_to_read(db_path))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"Documents: {len(data['documents'])}")
    click.echo(format_table(data["documents"]))
    if data["set_aside"]:
        click.echo(f"\n{len(data['set_aside'])} set aside (copies and older versions of the plans above, "
                   "not counted below)")
        click.echo(format_table(data["set_aside"]))
    if data["without_activities"]:
        click.echo("\nDocuments with tables but no activities (their warnings name the tables)")
        click.echo(format_table(data["without_activities"]))
    click.echo("\nActivities per county and year")
    click.echo(format_table(data["activities_by_county_year"]))
    click.echo("\nBudget totals (kronor)")
    click.echo(format_table(data["budget_totals"]))


def _fail(error: PlansError) -> NoReturn:
    """One line on standard error, and the exit code of the error's class."""
    click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


def _short(text: str | None, width: int) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    cli()
