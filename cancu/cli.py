"""The `cancu` command: a thin click layer over the library packages (ingest, kb, classifier, checker).

Every command parses its options, opens the knowledge base, calls one library
function and formats the result. Library errors become messages here and only here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import sqlite3
import sys
from pathlib import Path

import click

from cancu import clivi

clivi.install()  # before any decorator runs: click builds some of its words (Path's "file") at definition time

from cancu.ingest.errors import IngestError, system_reason  # noqa: E402

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

    Passed on through $CANCU_RULES, so the classifier and every `check --workers`
    process read the same files. The file is checked by ``open_kb(..., rules=True)``.
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


def user_message(error: BaseException) -> str | None:
    """The one-line Vietnamese message for an error of the user's input or environment; None for a bug.

    Named library errors (ingest, knowledge base, rules) carry their own message;
    SQLite and file-system errors (disk full, read-only disk, no permission, damaged
    database) get one saying what to do. Anything else is a bug and keeps its traceback.
    """
    rules = sys.modules.get("cancu.classifier.rules")  # not imported: its errors cannot have happened
    if isinstance(error, IngestError) or (rules and isinstance(error, rules.RulesError)):
        return str(error)
    if isinstance(error, sqlite3.Error):
        return _sqlite_message(error)
    if isinstance(error, OSError):
        return _os_message(error)
    return None


def _sqlite_message(error: sqlite3.Error) -> str:
    text = str(error).lower()
    if "full" in text:
        return "ổ đĩa đã đầy khi ghi cơ sở dữ liệu; giải phóng chỗ trống rồi chạy lại (bản cũ vẫn giữ nguyên)"
    if "readonly" in text or "read-only" in text:
        return "không ghi được cơ sở dữ liệu (thư mục hoặc ổ đĩa chỉ đọc); chọn tệp ở nơi ghi được bằng --db"
    if "locked" in text or "busy" in text:
        return "cơ sở dữ liệu đang bị tiến trình khác khóa; chờ lệnh kia xong rồi chạy lại"
    if "unable to open" in text:
        return "không mở được tệp cơ sở dữ liệu; kiểm tra đường dẫn --db và quyền truy cập"
    return (f"cơ sở dữ liệu hỏng hoặc không đọc được ({error}); chạy lại `cancu ingest` "
            "(với --db nếu dùng tệp riêng) để dựng lại")


def _os_message(error: OSError) -> str:
    import errno

    where = f" ({error.filename})" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"ổ đĩa đã đầy{where}; giải phóng chỗ trống rồi chạy lại (bản cũ vẫn giữ nguyên)"
    if error.errno == errno.EROFS:
        return f"ổ đĩa chỉ đọc{where}; chọn nơi ghi được bằng --db hoặc --output"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"không có quyền truy cập{where}; chọn tệp khác hoặc cấp quyền rồi chạy lại"
    if error.errno == errno.ENOENT:
        return f"không tìm thấy tệp hoặc thư mục{where}"
    return f"{system_reason(error, writing=True)}{where}"


def translate_errors(command):
    """Turn user and environment errors into 'Lỗi: …' and exit 1; bugs keep their traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            # `cancu stats | head`: the reader left, nothing went wrong for the user. Point stdout at
            # /dev/null so Python's own flush at exit does not print a second error (Python docs, SIGPIPE).
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except Exception as error:
            message = user_message(error)
            if message is None:
                raise
            raise CancuError(message) from error

    return wrapper


def warn(message: str) -> None:
    click.echo(f"Cảnh báo: {message}", err=True)


def open_kb(db_path: Path | None, *, rules: bool = False) -> Path:
    """The knowledge base to read, built from the shipped data if missing or stale (and the user told so);
    when that rebuild fails, the existing one with a warning.

    ``rules``: the command classifies, so the officer's rules files ($CANCU_RULES, --rules) are
    checked first: a mistake in them stops the command with its one-line message before any
    rebuild starts. (What needs the KB, an item a rule names, is checked when the rules load.)
    """
    from cancu.ingest.build import default_db_path, ensure_kb, kb_is_current

    if rules:
        check_officer_rules()
    path = db_path or default_db_path()
    if not kb_is_current(path):
        click.echo(f"Đang dựng kho danh mục từ dữ liệu đi kèm vào {path} (chỉ lần đầu hoặc khi dữ liệu đổi)…",
                   err=True)
    return ensure_kb(path, warn=warn)


def check_officer_rules() -> None:
    """Read each of the officer's rules files on its own (shape, patterns, examples); raises RulesError."""
    from cancu.ingest.datafiles import officer_rules_paths

    paths = officer_rules_paths()
    if paths:
        from cancu.classifier.rules import load_rules

        for path in paths:
            load_rules(None, path)


def output_options(formats: tuple[str, ...], default: str):
    """--format and --output, the same pair on every command that writes a result."""
    def decorate(command):
        command = click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                               callback=lambda ctx, param, value: None if str(value) == "-" else value,
                               help="Ghi kết quả ra tệp thay vì màn hình ('-': màn hình).")(command)
        return click.option("--format", "output_format", type=click.Choice(formats), default=default,
                            show_default=True, help="Định dạng kết quả.")(command)
    return decorate


class OutputNotWritten(CancuError):
    """The result could not be written to --output: the command could not finish (exit 2)."""

    exit_code = 2


def write_output(content: str | bytes, output: Path | None, encoding: str = "utf-8", what: str = "kết quả") -> None:
    """The result to --output (text or bytes), else to standard output."""
    if isinstance(content, str):  # a report may name a file whose name is not UTF-8
        from cancu.ingest.text import without_surrogates

        content = without_surrogates(content)
    if output is None:
        if isinstance(content, bytes):
            click.get_binary_stream("stdout").write(content)
        else:
            click.echo(content, nl=False)
        return
    try:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding=encoding)
    except OSError as error:
        raise OutputNotWritten(f"không ghi được {what} {output}: {system_reason(error, writing=True)}") from error


def check_output(output: Path | None, inputs=(), what: str = "kết quả") -> None:
    """Refuse, before any work, an --output that names an input draft or cannot be written (exit 2).

    Found only when the result is written, it would cost the whole run (a batch of
    hundreds of drafts) or replace a draft by its own report.
    """
    if output is None:
        return
    for source in inputs:
        if str(source) != "-" and _same_file(output, Path(source)):
            raise OutputNotWritten(f"--output {output} là chính dự thảo {source}; ghi {what} vào đó sẽ xóa mất "
                                   "dự thảo: chọn tệp khác")
    import errno

    folder = output.parent
    refused = (errno.ENOENT if not folder.is_dir() else errno.EACCES
               if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)) else None)
    if refused:  # in the words write_output would use at the end
        reason = system_reason(OSError(refused, os.strerror(refused)), writing=True)
        raise OutputNotWritten(f"không ghi được {what} {output}: {reason}")


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


class VnCommand(click.Command):
    """A click command whose usage line says "[TÙY CHỌN]" instead of "[OPTIONS]"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)


class VnGroup(click.Group):
    command_class = VnCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [ĐỐI SỐ]...")
        super().__init__(*args, **kwargs)

    def main(self, *args, **kwargs):
        use_utf8_streams()
        return super().main(*args, **kwargs)


def use_utf8_streams() -> None:
    """Write standard output and error in UTF-8 when they would use a code page without Vietnamese letters.

    On Windows, output redirected to a file (`cancu check … > bao-cao.txt`) goes through the ANSI
    code page (cp1252): every report and message raised UnicodeEncodeError at its first "ệ".
    """
    import codecs

    for stream in (sys.stdout, sys.stderr):
        try:
            current = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
        except LookupError:
            current = None
        if current != "utf-8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


@click.group(cls=VnGroup)
@click.version_option(package_name="cancu", message="cancu %(version)s")
def cli():
    """cancu (căn cứ): tra cứu danh mục bí mật nhà nước và đề xuất căn cứ xác định độ mật.

    Ví dụ:

    \b
        cancu ingest
        cancu classify du-thao.docx
        cancu de-xuat du-thao.docx --format docx --output de-xuat.docx
        cancu tra-cuu "đề thi tốt nghiệp THPT có phải bí mật nhà nước không?"
        cancu check thu-muc-du-thao/ --format md --output bao-cao.md
    """


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[NGUỒN]...")
@db_option
@click.option("--keep-going", is_flag=True, help="Bỏ qua tệp lỗi, nhập các tệp còn lại và liệt kê tệp bị bỏ qua "
              "(vẫn ghi kho; mã thoát 1 khi có tệp bị bỏ qua).")
@click.option("--no-shipped", is_flag=True, help="Chỉ nhập NGUỒN, không kèm dữ liệu đi cùng gói.")
@translate_errors
def ingest(sources, db_path, keep_going, no_shipped):
    """Dựng cơ sở dữ liệu danh mục bí mật nhà nước từ các văn bản.

    Không có NGUỒN: dựng từ dữ liệu đi kèm (data/). NGUỒN là tệp .txt (có
    phần đầu YAML), .docx, .html, .pdf, sổ đăng ký .csv, hoặc thư mục chứa chúng;
    chúng được nhập cùng dữ liệu đi kèm. Cơ sở dữ liệu được ghi ra tệp tạm rồi mới
    thay thế, nên lần chạy lỗi không làm hỏng bản cũ.

    Ví dụ:

    \b
        cancu ingest
        cancu ingest quyet-dinh-moi.docx --db kho.db
    """
    from cancu.ingest.build import BuildFailed, build_kb, collect_sources, default_db_path
    from cancu.ingest.readers import SUPPORTED_SUFFIXES

    if no_shipped and not sources:
        raise click.UsageError("--no-shipped cần ít nhất một NGUỒN")
    for folder in (source for source in sources if source.is_dir()):
        if not collect_sources([folder]):  # the user named it: an empty folder is a mistake, not a no-op
            kinds = ", ".join(sorted(SUPPORTED_SUFFIXES | {".csv"}))
            raise CancuError(f"thư mục {folder} không có văn bản nào nhập được ({kinds}); không ghi gì")
    target = db_path or default_db_path()
    if target.is_file() and target.stat().st_size and not _is_knowledge_base(target):
        raise CancuError(f"{target} đã có và không phải cơ sở dữ liệu của cancu; không ghi đè. Chọn tệp khác bằng "
                         "--db (hoặc tự xóa tệp này nếu đúng là muốn thay)")
    before = _decision_sources(target)
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
    now = _decision_sources(target)
    for number, source in sorted(before.items()):
        if number not in now:  # each ingest rebuilds from what it is given: say what the last one had
            click.echo(f"Lưu ý: kho trước có Quyết định số {number} (từ {source}), kho mới không còn; "
                       "muốn giữ, chạy lại với cả tệp đó.", err=True)
    for error in report.skipped:
        click.echo(f"Bỏ qua: {error}", err=True)
    click.echo(f"Đã dựng {report.db_path}: {report.decisions} quyết định có văn bản, "
               f"{report.items} mục danh mục, {report.laws} văn bản luật.")
    if report.skipped:  # as make -k: the rest is built, the exit status still says a file needs the user
        click.echo(f"{len(report.skipped)} tệp bị bỏ qua.")
        sys.exit(1)


def _is_knowledge_base(path: Path) -> bool:
    """A SQLite file with cancu's tables (of any schema version: ingest rebuilds an old one)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {name for (name,) in connection.execute("select name from sqlite_master where type = 'table'")}
        finally:
            connection.close()
    except sqlite3.Error:  # a damaged SQLite file may be an old knowledge base: rebuilding it is the fix
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    return {"meta", "decisions"} <= tables


def _decision_sources(db_path: Path) -> dict[str, str]:
    """The decisions with text in an existing knowledge base and the file each came from ({} if none)."""
    if not db_path.is_file():
        return {}
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return dict(connection.execute("select number, source_file from decisions where has_text"))
        finally:
            connection.close()
    except sqlite3.Error:
        return {}


@cli.command()
@db_option
@translate_errors
def stats(db_path):
    """Thống kê cơ sở dữ liệu: quyết định theo tình trạng và độ đầy đủ, mục theo độ mật.

    Ví dụ:

        cancu stats
    """
    from cancu.ingest.labels import completeness_label, vn_label
    from cancu.ingest.model import Level
    from cancu.ingest.stats import kb_stats

    summary = kb_stats(open_kb(db_path))
    click.echo("Quyết định theo tình trạng hiệu lực:")
    for status, count in summary.by_status:
        click.echo(f"  {vn_label(status):<28} {count:>4}")
    click.echo("Quyết định theo độ đầy đủ của văn bản:")
    for completeness, count in summary.by_completeness:
        click.echo(f"  {completeness_label(completeness):<28} {count:>4}")
    click.echo("Mục danh mục theo độ mật:")
    for level, count in summary.by_level:
        click.echo(f"  {level:<28} {count:>4}")
    click.echo(f"Mục danh mục theo quyết định ({' / '.join(level.value for level in Level)}):")
    for row in summary.per_decision:
        counts = " ".join(f"{row[level.value]:>3}" for level in Level)
        click.echo(f"  {row['number']:<16} {counts}  {completeness_label(row['text_completeness'])}, "
                   f"{vn_label(row['status'])}")


@cli.command()
@db_option
@rules_option
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ĐỊA_CHỈ",
              help="Địa chỉ lắng nghe; mặc định chỉ máy này truy cập được.")
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(0, 65535), metavar="CỔNG",
              help="Cổng lắng nghe.")
@translate_errors
def serve(db_path, host, port):
    """Mở trang tra cứu danh mục và trang phân loại dự thảo trên trình duyệt (Datasette).

    Cơ sở dữ liệu được mở ở chế độ chỉ đọc; nếu chưa có thì được dựng từ dữ liệu
    đi kèm. Nội dung dự thảo dán vào trang Phân loại dự thảo không được lưu.

    Ví dụ:

    \b
        cancu serve
        cancu serve --port 8080 --db kho.db
    """
    from cancu.serve import MetadataMissing, PortUnavailable, check_port, serve as run_server

    try:
        check_port(host, port)
    except PortUnavailable as unavailable:
        raise CancuError(str(unavailable)) from unavailable
    kb = open_kb(db_path, rules=True)
    click.echo(f"Đang phục vụ {kb} tại http://{host}:{port}/ (Ctrl+C để dừng)", err=True)
    try:
        run_server(kb, host=host, port=port)
    except MetadataMissing as missing:
        raise CancuError(str(missing)) from missing


# --------------------------------------------------------------------------- classify (issue 3)


def _read_input(source: str):
    """The Document of a file argument, or of standard input for '-', through the reading boundary.

    Standard input is read up to the size limit plus one byte, so an endless stream
    (``cat /dev/zero |``) is refused instead of filling memory.
    """
    from cancu.ingest.errors import SourceUnreadable
    from cancu.ingest.readers import max_bytes, read_bytes, read_file

    if source == "-":
        try:
            return read_bytes(sys.stdin.buffer.read(max_bytes() + 1), "-", guess_encoding=True)
        except SourceUnreadable as error:  # "-: không đọc được tệp" names no file the user knows
            raise IngestError(f"không đọc được dự thảo từ đầu vào chuẩn (-): {error.reason}") from error
    return read_file(Path(source), guess_encoding=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="TỆP...")
@db_option
@rules_option
@as_of_option
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 50), metavar="SỐ",
              help="Số đề xuất tối đa.")
@output_options(("text", "json", "md"), "text")
@click.option("--json", "as_json", is_flag=True, help="Như --format json (giữ cho tương thích).")
@translate_errors
def classify(inputs, db_path, as_of, top, output_format, output, as_json):
    """Đề xuất mục danh mục bí mật nhà nước, độ mật và căn cứ cho dự thảo.

    TỆP là tệp .txt, .docx, .pdf, .html, hoặc '-' để đọc từ đầu vào chuẩn.
    Nội dung dự thảo chỉ được xử lý trong bộ nhớ, không lưu lại. JSON với nhiều
    tệp: mỗi dòng một đối tượng có khóa "file".

    Ví dụ:

    \b
        cancu classify du-thao.docx
        cancu classify --as-of 2024-09-10 --format json bao-cao.txt
        cancu classify du-thao.docx --format md --output ket-qua.md
    """
    import json

    from cancu.classifier import classify as classify_text, load_kb
    from cancu.render import format_classification, format_classification_md

    output_format = "json" if as_json else output_format
    check_output(output, inputs)
    kb = load_kb(open_kb(db_path, rules=True))
    failures, parts = 0, []
    for source in inputs:
        try:
            document = _read_input(source)
        except IngestError as error:
            click.echo(f"Lỗi: {error}", err=True)
            failures += 1
            continue
        name = document.name
        result = classify_text(document.text, kb, as_of=as_of, top=top)
        if document.warnings:
            result = dataclasses.replace(result, warnings=(*(f"Tệp {name}: {w}." for w in document.warnings),
                                                           *result.warnings))
        shown_name = name if len(inputs) > 1 or name != "-" else None
        if output_format == "json":
            payload = result.to_dict()
            if len(inputs) > 1:
                payload = {"file": name, **payload}
            parts.append(json.dumps(payload, ensure_ascii=False, indent=None if len(inputs) > 1 else 2) + "\n")
        elif output_format == "md":
            parts.append(format_classification_md(result, shown_name) + "\n")
        else:
            parts.append(("\n" if parts else "") + format_classification(result, shown_name) + "\n")
    if parts:  # nothing read: an earlier result in --output stays as it was
        write_output("".join(parts), output)
    if failures:
        sys.exit(1)


# --------------------------------------------------------------------------- check (issue 4)


class CheckCouldNotRun(CancuError):
    """`cancu check` itself could not run (no drafts, knowledge base or report file): exit 2."""

    exit_code = 2


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path),
                metavar="ĐƯỜNG_DẪN...")
@db_option
@rules_option
@as_of_option
@output_options(("table", "json", "csv", "md"), "table")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, metavar="SỐ",
              help="Số tiến trình kiểm tra song song.")
@click.option("--recursive", "-r", is_flag=True, help="Kiểm tra cả các thư mục con.")
@click.option("--silent", is_flag=True, help="Không hiện thanh tiến trình.")
def check(paths, db_path, as_of, output_format, output, workers, recursive, silent):
    """Kiểm tra dự thảo trước khi phát hành: dấu độ mật, căn cứ và danh mục.

    ĐƯỜNG_DẪN là tệp .txt, .docx, .pdf, .html hoặc thư mục chứa chúng. Với mỗi dự thảo:
    căn cứ nêu trong dự thảo có tồn tại, còn hiệu lực vào ngày của dự thảo, có khớp
    dấu độ mật không, và công cụ đề xuất mục nào. Nội dung dự thảo không được lưu lại.
    Mã thoát: 0 khi không dự thảo nào có phát hiện, 1 khi có, 2 khi lệnh không chạy được,
    130 khi bị dừng giữa chừng (Ctrl+C): báo cáo vẫn gồm các dự thảo đã kiểm tra.

    Ví dụ:

    \b
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
    if not recursive:
        _note_sub_folders_left_out(paths)
    check_output(output, drafts, what="báo cáo")
    results = []
    try:
        kb_path = open_kb(db_path, rules=True)
        checked = check_files(drafts, kb_path, as_of=as_of, workers=workers)
        show_bar = not silent and len(drafts) > 1 and sys.stderr.isatty()
        if show_bar:
            with click.progressbar(checked, length=len(drafts), label="Đang kiểm tra", file=sys.stderr) as bar:
                results.extend(bar)
        else:
            results.extend(checked)
    except KeyboardInterrupt:
        # Ctrl+C in a long batch: what is checked is reported, said to be partial, never thrown away
        if not results:
            raise
        partial = (f"Báo cáo chưa đủ: đã dừng sau {len(results)}/{len(drafts)} dự thảo; các dự thảo chưa kiểm tra "
                   "không có trong báo cáo.")
        report = render(results, output_format)
        if output_format in ("table", "md"):
            report = partial + "\n\n" + report
        write_output(report, output, encoding="utf-8-sig" if output_format == "csv" else "utf-8", what="báo cáo")
        click.echo(partial + (f" Báo cáo ghi ở {output}." if output else ""), err=True)
        sys.exit(130)
    except Exception as error:
        message = user_message(error)
        if message is None:
            raise
        raise CheckCouldNotRun(message) from error
    report = render(results, output_format)
    write_output(report, output, encoding="utf-8-sig" if output_format == "csv" else "utf-8", what="báo cáo")
    if output:
        click.echo(summary(results), err=True)
    sys.exit(1 if any(r.findings for r in results) else 0)


def _note_sub_folders_left_out(paths) -> None:
    """Say which sub-folders a check without --recursive did not enter: their drafts are not in the report."""
    left_out = []
    for folder in (path for path in paths if path.is_dir()):
        try:
            left_out += sorted(child for child in folder.iterdir()
                               if child.is_dir() and not child.name.startswith((".", "~$")))
        except OSError:
            continue  # an unreadable folder is reported by the check itself
    if left_out:
        names = ", ".join(str(child) for child in left_out[:5]) + (", …" if len(left_out) > 5 else "")
        warn(f"không kiểm tra {len(left_out)} thư mục con ({names}); thêm --recursive để kiểm tra cả dự thảo "
             "trong đó")


# --------------------------------------------------------------------------- de-xuat (issue 13)


@cli.command("de-xuat")
@click.argument("draft", metavar="DỰ_THẢO")
@db_option
@rules_option
@as_of_option
@output_options(("text", "md", "docx", "json"), "text")
@translate_errors
def de_xuat(draft, db_path, as_of, output_format, output):
    """Lập phần đề xuất độ mật cho Tờ trình, Phiếu trình duyệt ký văn bản.

    DỰ_THẢO là tệp .txt, .docx, .pdf, .html, hoặc '-' để đọc từ đầu vào chuẩn. Kết
    quả gồm độ mật đề xuất, căn cứ (điểm, khoản, Điều của quyết định ban hành danh
    mục), thời hạn bảo vệ, hiệu lực của quyết định vào ngày của dự thảo và các mục
    người soạn thảo điền hoặc xác nhận (nơi nhận, số lượng bản phát hành, sao, chụp,
    người soạn thảo), theo khoản 1 Điều 2 Nghị định 26/2020/NĐ-CP. Đề xuất hỗ trợ,
    không thay thế quyết định của người đứng đầu cơ quan, tổ chức.

    Ví dụ:

    \b
        cancu de-xuat du-thao.docx
        cancu de-xuat du-thao.docx --format docx --output de-xuat.docx
        cancu de-xuat bao-cao.txt --as-of 2024-12-12 --format md
    """
    import json

    from cancu.classifier import classify as classify_text, load_kb
    from cancu.kb.laws import load_laws
    from cancu.proposal import build_proposal, draft_title, to_docx, to_markdown, to_text

    if output_format == "docx" and output is None and sys.stdout.isatty():
        raise click.UsageError("--format docx cần --output TỆP.docx (không in tệp .docx ra màn hình)")
    check_output(output, [draft], what="đề xuất")
    kb_path = open_kb(db_path, rules=True)
    kb = load_kb(kb_path)
    text = _read_input(draft).text
    result = classify_text(text, kb, as_of=as_of)
    document = build_proposal(result, kb, load_laws(kb_path), title=draft_title(text))
    if output_format == "docx":
        write_output(to_docx(document), output)
    elif output_format == "json":
        write_output(json.dumps(document.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    else:
        write_output((to_markdown if output_format == "md" else to_text)(document), output)
    if output:
        click.echo(f"Đã ghi đề xuất ra {output}.", err=True)


# --------------------------------------------------------------------------- tra-cuu (issue 13)


@cli.command("tra-cuu")
@click.argument("question", metavar="CÂU_HỎI")
@db_option
@as_of_option
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 50), metavar="SỐ",
              help="Số mục tối đa của mỗi nhóm: mục còn hiệu lực, rồi mục của quyết định chưa rõ tình trạng.")
@output_options(("text", "json", "md"), "text")
@translate_errors
def tra_cuu(question, db_path, as_of, top, output_format, output):
    """Trả lời một câu hỏi bằng các mục danh mục còn hiệu lực, khớp nhất trước.

    Mỗi mục: chuỗi căn cứ, độ mật, nguyên văn và điều kiện áp dụng (nếu kho có).
    Mục của quyết định chưa rõ tình trạng hiệu lực được đánh dấu và xếp sau. Câu
    hỏi "danh mục … lĩnh vực … gồm những gì" được trả lời bằng quyết định đó.

    Ví dụ:

    \b
        cancu tra-cuu "Đề thi tốt nghiệp THPT có phải là bí mật nhà nước độ Tối mật không?"
        cancu tra-cuu "Danh mục bí mật nhà nước độ Mật lĩnh vực y tế gồm những gì?" --format md
        cancu tra-cuu "quy hoạch sử dụng đất quốc phòng" --as-of 2024-06-01 --format json
    """
    import json

    from cancu.questions import ask, format_answer, has_topic

    if not has_topic(question):
        raise click.BadParameter("câu hỏi rỗng hoặc chỉ có từ để hỏi; gõ nội dung cần tra, ví dụ "
                                 "\"đề thi tốt nghiệp THPT có phải bí mật nhà nước không?\"", param_hint="CÂU_HỎI")
    answer = ask(question, open_kb(db_path), as_of=as_of, limit=top)
    if output_format == "json":
        write_output(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    else:
        write_output(format_answer(answer, markdown=output_format == "md"), output)
