"""The `cancu` command: a thin click layer over ingest/ and classifier/.

Every command parses its options, opens the knowledge base, calls one library
function and formats the result. Library errors become messages here and only here.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from pathlib import Path

import click

from cancu.ingest.errors import IngestError

# Each command imports what it uses when it runs (cancu.ingest.build, the classifier, Datasette):
# `cancu classify FILE --json` on a current knowledge base never loads sqlite-utils (bench/startup.py).


class CancuError(click.ClickException):
    """A ClickException that prints "Lỗi:" instead of click's "Error:"."""

    def show(self, file=None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


class IsoDate(click.ParamType):
    """A date written YYYY-MM-DD (or DD/MM/YYYY, as Vietnamese documents do): cancu.ingest.dates.parse_typed_date."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from cancu.ingest.dates import parse_typed_date

        typed = parse_typed_date(value)
        if typed is None:
            self.fail(f"'{value}' không phải ngày hợp lệ (dạng YYYY-MM-DD, ví dụ 2026-03-12)", param, ctx)
        return typed


ISO_DATE = IsoDate()


def db_option(command):
    """--db PATH, shared by every command that reads the knowledge base."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="CANCU_DB",
        help="Tệp cơ sở dữ liệu (mặc định: $CANCU_DB hoặc ~/.local/share/cancu/cancu.db).",
    )(command)


def as_of_option(command):
    return click.option(
        "--as-of",
        "as_of",
        type=ISO_DATE,
        help="Ngày cần xét hiệu lực (mặc định: ngày ghi ở phần đầu dự thảo, nếu không có thì hôm nay).",
    )(command)


def _use_rules(ctx, param, value):
    """--rules FILE: the officer's rules, applied on top of the shipped data/rules.yml.

    Passed on through $CANCU_RULES, so the classifier, the knowledge base's freshness
    fingerprint and every `check --workers` process read the same files.
    """
    if value:
        os.environ["CANCU_RULES"] = str(Path(value).resolve())
    return value


def rules_option(command):
    """--rules FILE, shared by the commands that classify (classify, check, serve)."""
    return click.option(
        "--rules",
        "rules_path",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        envvar="CANCU_RULES",
        expose_value=False,
        is_eager=True,
        callback=_use_rules,
        help="Tệp quy tắc riêng của cán bộ bảo mật, áp dụng thêm trên data/rules.yml (mặc định: $CANCU_RULES).",
    )(command)


def translate_errors(command):
    """Turn the library's named errors into 'Lỗi: …' and exit 1; bugs keep their traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except IngestError as error:
            raise CancuError(str(error)) from error

    return wrapper


def open_kb(db_path: Path | None) -> Path:
    """The knowledge base to read, built from the shipped data if missing or stale."""
    from cancu.ingest.build import default_db_path, ensure_kb

    return ensure_kb(db_path or default_db_path())


@click.group()
@click.version_option(package_name="cancu", message="cancu %(version)s")
def cli():
    """cancu (căn cứ): tra cứu danh mục bí mật nhà nước và đề xuất căn cứ xác định độ mật.

    Ví dụ:

        cancu ingest

        cancu classify du-thao.docx

        cancu check thu-muc-du-thao/ --format md --output bao-cao.md
    """


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@db_option
@click.option("--keep-going", is_flag=True, help="Bỏ qua tệp lỗi, nhập các tệp còn lại và liệt kê tệp bị bỏ qua.")
@click.option("--no-shipped", is_flag=True, help="Chỉ nhập SOURCES, không kèm dữ liệu đi cùng gói.")
@translate_errors
def ingest(sources, db_path, keep_going, no_shipped):
    """Dựng cơ sở dữ liệu danh mục bí mật nhà nước từ các văn bản.

    Không có SOURCES: dựng từ dữ liệu đi kèm (data/). SOURCES là tệp .txt (có
    phần đầu YAML), .docx, .html, .pdf, sổ đăng ký .csv, hoặc thư mục chứa chúng;
    chúng được nhập cùng dữ liệu đi kèm. Cơ sở dữ liệu được ghi ra tệp tạm rồi mới
    thay thế, nên lần chạy lỗi không làm hỏng bản cũ.

    Ví dụ:

        cancu ingest

        cancu ingest quyet-dinh-moi.docx --db kho.db
    """
    from cancu.ingest.build import BuildFailed, build_kb, default_db_path

    if no_shipped and not sources:
        raise click.UsageError("--no-shipped cần ít nhất một SOURCES")
    target = db_path or default_db_path()
    try:
        report = build_kb(target, list(sources), include_shipped=not no_shipped, keep_going=keep_going)
    except BuildFailed as failure:
        for error in failure.errors:
            click.echo(f"Lỗi: {error}", err=True)
        click.echo(f"Không ghi gì: {len(failure.errors)} tệp lỗi; {target} giữ nguyên. "
                   "Sửa tệp hoặc chạy lại với --keep-going để bỏ qua chúng.", err=True)
        sys.exit(1)
    for note in report.notes:
        click.echo(f"Lưu ý: {note}", err=True)
    for error in report.skipped:
        click.echo(f"Bỏ qua: {error}", err=True)
    click.echo(f"Đã dựng {report.db_path}: {report.decisions} quyết định có văn bản, "
               f"{report.items} mục danh mục, {report.laws} văn bản luật.")
    if report.skipped:
        click.echo(f"{len(report.skipped)} tệp bị bỏ qua.")


@cli.command()
@db_option
@translate_errors
def stats(db_path):
    """Thống kê cơ sở dữ liệu: quyết định theo tình trạng và độ đầy đủ, mục theo độ mật.

    Ví dụ:

        cancu stats
    """
    from cancu.ingest.labels import vn_label
    from cancu.ingest.model import Level
    from cancu.ingest.stats import kb_stats

    summary = kb_stats(open_kb(db_path))
    click.echo("Quyết định theo tình trạng hiệu lực:")
    for status, count in summary.by_status:
        click.echo(f"  {vn_label(status):<18} {count:>4}")
    click.echo("Quyết định theo độ đầy đủ của văn bản:")
    for completeness, count in summary.by_completeness:
        click.echo(f"  {vn_label(completeness):<18} {count:>4}")
    click.echo("Mục danh mục theo độ mật:")
    for level, count in summary.by_level:
        click.echo(f"  {level:<18} {count:>4}")
    click.echo(f"Mục danh mục theo quyết định ({' / '.join(level.value for level in Level)}):")
    for row in summary.per_decision:
        counts = " ".join(f"{row[level.value]:>3}" for level in Level)
        click.echo(f"  {row['number']:<16} {counts}  {vn_label(row['text_completeness']) or 'không có văn bản'}, "
                   f"{vn_label(row['status'])}")


@cli.command()
@db_option
@rules_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ lắng nghe; mặc định chỉ máy này truy cập được.")
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Cổng lắng nghe.")
@translate_errors
def serve(db_path, host, port):
    """Mở trang tra cứu danh mục và trang phân loại dự thảo trên trình duyệt (Datasette).

    Cơ sở dữ liệu được mở ở chế độ chỉ đọc; nếu chưa có thì được dựng từ dữ liệu
    đi kèm. Nội dung dự thảo dán vào trang Phân loại dự thảo không được lưu.

    Ví dụ:

        cancu serve

        cancu serve --port 8080 --db kho.db
    """
    from cancu.serve import MetadataMissing, serve as run_server

    kb = open_kb(db_path)
    click.echo(f"Đang phục vụ {kb} tại http://{host}:{port}/ (Ctrl+C để dừng)", err=True)
    try:
        run_server(kb, host=host, port=port)
    except MetadataMissing as missing:
        raise CancuError(str(missing)) from missing


# --------------------------------------------------------------------------- classify (issue 3)


def _read_input(source: str) -> tuple[str, str]:
    """(name, text) of a file argument, or of standard input for '-'."""
    from cancu.ingest.readers import read_document

    if source == "-":
        with click.open_file("-", encoding="utf-8") as stream:
            return "-", stream.read()
    return source, read_document(Path(source), guess_encoding=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@rules_option
@as_of_option
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 50), help="Số đề xuất tối đa.")
@click.option("--json", "as_json", is_flag=True, help="Xuất JSON (một đối tượng; nhiều tệp: mỗi dòng một đối tượng có khóa \"file\").")
@translate_errors
def classify(inputs, db_path, as_of, top, as_json):
    """Đề xuất mục danh mục bí mật nhà nước, độ mật và căn cứ cho dự thảo.

    INPUTS là tệp .txt, .docx, .pdf, .html, hoặc '-' để đọc từ đầu vào chuẩn.
    Nội dung dự thảo chỉ được xử lý trong bộ nhớ, không lưu lại.

    Ví dụ:

        cancu classify du-thao.docx

        cancu classify --as-of 2024-09-10 --json bao-cao.txt
    """
    import json

    from cancu.classifier import classify as classify_text, load_kb
    from cancu.render import format_classification

    kb = load_kb(open_kb(db_path))
    failures = 0
    for index, source in enumerate(inputs):
        try:
            name, text = _read_input(source)
        except IngestError as error:
            click.echo(f"Lỗi: {error}", err=True)
            failures += 1
            continue
        result = classify_text(text, kb, as_of=as_of, top=top)
        if as_json:
            payload = result.to_dict()
            if len(inputs) > 1:
                payload = {"file": name, **payload}
            click.echo(json.dumps(payload, ensure_ascii=False, indent=None if len(inputs) > 1 else 2))
        else:
            if index:
                click.echo()
            click.echo(format_classification(result, name if len(inputs) > 1 or name != "-" else None))
    if failures:
        sys.exit(1)


# --------------------------------------------------------------------------- check (issue 4)


class CheckCouldNotRun(CancuError):
    """`cancu check` itself could not run (no drafts, knowledge base or report file): exit 2."""

    exit_code = 2


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
@rules_option
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv", "md"]), default="table",
              show_default=True, help="Định dạng báo cáo.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Ghi báo cáo ra tệp thay vì màn hình.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Số tiến trình kiểm tra song song.")
@click.option("--recursive", "-r", is_flag=True, help="Kiểm tra cả các thư mục con.")
@click.option("--silent", is_flag=True, help="Không hiện thanh tiến trình.")
def check(paths, db_path, as_of, output_format, output, workers, recursive, silent):
    """Kiểm tra dự thảo trước khi phát hành: dấu độ mật, căn cứ và danh mục.

    PATHS là tệp .txt, .docx, .pdf, .html hoặc thư mục chứa chúng. Với mỗi dự thảo:
    căn cứ nêu trong dự thảo có tồn tại, còn hiệu lực vào ngày của dự thảo, có khớp
    dấu độ mật không, và công cụ đề xuất mục nào. Nội dung dự thảo không được lưu lại.
    Mã thoát: 0 khi không dự thảo nào có phát hiện, 1 khi có, 2 khi lệnh không chạy được.

    Ví dụ:

        cancu check thu-muc-du-thao/ --recursive

        cancu check bao-cao.docx --as-of 2024-06-03 --format json

        cancu check thu-muc-du-thao/ --format md --output bao-cao-kiem-tra.md --workers 2
    """
    from cancu.checker.check import check_files, collect_drafts
    from cancu.reports import render, summary

    drafts = collect_drafts(paths, recursive=recursive)
    if not drafts:
        raise CheckCouldNotRun("không tìm thấy dự thảo nào (.txt, .docx, .pdf, .html) trong các đường dẫn đã cho"
                               + ("" if recursive else "; thêm --recursive để tìm trong thư mục con"))
    try:
        kb_path = open_kb(db_path)
        results = check_files(drafts, kb_path, as_of=as_of, workers=workers)
        show_bar = not silent and len(drafts) > 1 and sys.stderr.isatty()
        if show_bar:
            with click.progressbar(results, length=len(drafts), label="Đang kiểm tra", file=sys.stderr) as bar:
                results = list(bar)
        else:
            results = list(results)
    except IngestError as error:
        raise CheckCouldNotRun(str(error)) from error
    report = render(results, output_format)
    if output:
        try:
            output.write_text(report, encoding="utf-8-sig" if output_format == "csv" else "utf-8")
        except OSError as error:
            raise CheckCouldNotRun(f"không ghi được báo cáo {output}: {error.strerror or error}") from error
        click.echo(summary(results), err=True)
    else:
        click.echo(report, nl=False)
    sys.exit(1 if any(r.findings for r in results) else 0)
