"""Replay the hostile probes of issue 10 and print, per probe, outcome, exit code, time and peak memory.

Every probe runs `cancu` (or `cancu serve`) in a child process with an address-space
limit and a timeout, so a regression shows up as a failed probe, not as a stalled or
exhausted machine. The server listens on 127.0.0.1 only; nothing else is contacted.
Hostile files are built in a temporary folder by tests/hostile_files.py and removed.

    .venv/bin/python bench/hostile.py            # all probes
    .venv/bin/python bench/hostile.py --only files,kb

Timings are wall-clock on a shared machine: noisy, compare orders of magnitude.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import hostile_files  # noqa: E402
from common import free_port, stop_server  # noqa: E402

CANCU = str(Path(sys.executable).with_name("cancu"))
SECRET_DRAFT = (ROOT / "tests" / "data" / "drafts" / "d-008.txt").read_text(encoding="utf-8")
PLAIN_DRAFT = (ROOT / "tests" / "data" / "drafts" / "thong-bao-nghi-tet.txt").read_text(encoding="utf-8")
MEMORY_LIMIT = 3 << 30  # address space of a child; the target is 500 MB resident
TIME_LIMIT = 60.0


@dataclass
class Run:
    exit_code: int | None  # None: killed at the timeout
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str


@dataclass
class Outcome:
    probe: str
    clean: bool
    what: str
    run: Run
    lost: bool = False


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.setsid()


def run_limited(args: list[str], *, stdin: bytes | None = None, timeout: float = TIME_LIMIT,
                env: dict | None = None) -> Run:
    """Run a child under the limits; its exit status and its own peak resident memory come from wait4()."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=_limits, env={**os.environ, **(env or {})})
    output: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        output[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(name, stream), daemon=True)
               for name, stream in (("out", child.stdout), ("err", child.stderr))]
    for reader in readers:
        reader.start()
    try:
        child.stdin.write(stdin or b"")
        child.stdin.close()
    except BrokenPipeError:
        pass
    deadline = started + timeout
    killed = False
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            killed = True
            pid, status, usage = os.wait4(child.pid, 0)
            break
        time.sleep(0.01)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    for reader in readers:
        reader.join()
    return Run(None if killed else child.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024,
               output.get("out", b"").decode("utf-8", "replace"), output.get("err", b"").decode("utf-8", "replace"))


def traceback_free(run: Run) -> bool:
    return "Traceback" not in run.stderr and "Traceback" not in run.stdout


# --------------------------------------------------------------------------- file probes


def probe_files(folder: Path, db: Path) -> list[Outcome]:
    outcomes = []
    good = folder / "tot.txt"
    good.write_text(SECRET_DRAFT, encoding="utf-8")

    def check(name: str, path: Path, expect: str, *, code: int = 1, extra: list[str] = ()) -> None:
        run = run_limited([CANCU, "check", str(path), "--db", str(db), "--format", "json", *extra])
        try:
            results = json.loads(run.stdout)
        except ValueError:
            results = []
        text = json.dumps(results, ensure_ascii=False)
        clean = run.exit_code == code and expect in text and traceback_free(run)
        outcomes.append(Outcome(name, clean, expect if clean else (run.stderr.strip()[-160:] or text[:160]), run))

    hostile_files.damage_docx(folder / "hong.docx", SECRET_DRAFT)
    check("docx hỏng (luồng nén)", folder / "hong.docx", "không phải tệp .docx hợp lệ")
    hostile_files.pdf_unknown_filter(folder / "hong.pdf")
    check("pdf bộ lọc lạ", folder / "hong.pdf", "kiểu nén chưa được hỗ trợ")
    hostile_files.pdf_bomb(folder / "bom.pdf", 300 << 20)
    check("pdf bom nén 300 MB", folder / "bom.pdf", "PDF hỏng hoặc không hợp lệ")
    hostile_files.declare_size(folder / "khai-1gib.docx", SECRET_DRAFT, 1 << 30)
    check("docx khai báo 1 GiB", folder / "khai-1gib.docx", "nghi là bom nén")
    hostile_files.make_paragraph_bomb(folder / "bom-256mib.docx", 256 << 20)
    check("docx bom 256 MiB đoạn rỗng", folder / "bom-256mib.docx", "nghi là bom nén")
    hostile_files.make_paragraph_bomb(folder / "doan.docx", 2 << 20)
    check("docx 350.000 đoạn", folder / "doan.docx", "đoạn, quá giới hạn")

    batch = folder / "lo"
    batch.mkdir()
    (batch / "tot.txt").write_text(SECRET_DRAFT, encoding="utf-8")
    hostile_files.damage_docx(batch / "hong.docx", SECRET_DRAFT)
    hostile_files.pdf_unknown_filter(batch / "hong.pdf")
    for workers in ("1", "2"):
        run = run_limited([CANCU, "check", str(batch), "--db", str(db), "--format", "json", "--workers", workers])
        results = json.loads(run.stdout) if run.stdout.startswith("[") else []
        levels = {Path(r["file"]).name: (r["level"], [f["code"] for f in r["findings"]]) for r in results}
        clean = (run.exit_code == 1 and levels.get("tot.txt", (None,))[0] == "Tối mật"
                 and levels.get("hong.docx", (0, []))[1] == ["unreadable"] and traceback_free(run))
        outcomes.append(Outcome(f"lô có tệp hỏng, --workers {workers}", clean,
                                "tệp tốt được kiểm tra, tệp hỏng là phát hiện" if clean else run.stderr[-160:], run,
                                lost="tot.txt" not in levels))

    stray = folder / "byte-la.txt"
    stray.write_bytes(hostile_files.with_stray_byte(SECRET_DRAFT))
    run = run_limited([CANCU, "classify", str(stray), "--db", str(db), "--json"])
    answer = json.loads(run.stdout) if run.stdout.startswith("{") else {}
    clean = answer.get("level") == "Tối mật" and any("UTF-8" in w for w in answer.get("warnings", []))
    outcomes.append(Outcome("một byte lạ trong dự thảo Tối mật", clean,
                            "giữ Tối mật, có cảnh báo" if clean else f"độ mật {answer.get('level')}", run,
                            lost=answer.get("level") != "Tối mật"))

    mixed = folder / "tron-ma.txt"
    mixed.write_bytes(hostile_files.mixed_encoding(PLAIN_DRAFT, SECRET_DRAFT))
    run = run_limited([CANCU, "classify", str(mixed), "--db", str(db), "--json"])
    answer = json.loads(run.stdout) if run.stdout.startswith("{") else {}
    clean = answer.get("level") == "Tối mật" and any("trộn hai bảng mã" in w for w in answer.get("warnings", []))
    outcomes.append(Outcome("UTF-8 trộn Windows-1258", clean,
                            "đọc từng dòng, giữ Tối mật, có cảnh báo" if clean else f"độ mật {answer.get('level')}",
                            run, lost=answer.get("level") != "Tối mật"))

    fifo = folder / "ong.txt"
    os.mkfifo(fifo)
    check("FIFO nêu trên dòng lệnh", fifo, "ống dẫn (FIFO)")
    zero = folder / "zero.txt"
    zero.symlink_to("/dev/zero")
    check("liên kết tới /dev/zero", zero, "thiết bị")

    locked_parent = folder / "co-khoa"
    (locked_parent / "khoa").mkdir(parents=True)
    (locked_parent / "khoa" / "mat.txt").write_text(SECRET_DRAFT, encoding="utf-8")
    (locked_parent / "tot.txt").write_text(PLAIN_DRAFT, encoding="utf-8")
    (locked_parent / "khoa").chmod(0)
    try:
        if os.geteuid() == 0:
            # root reads a chmod 000 folder: run the check as "nobody", who cannot.
            for parent in (folder.parent, folder, locked_parent):
                os.chmod(parent, 0o755)
            (locked_parent / "tot.txt").chmod(0o644)
            copy = folder / "kho-nobody" / "cancu.db"
            copy.parent.mkdir(mode=0o755)
            copy.write_bytes(db.read_bytes())
            os.chmod(copy, 0o644)
            nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            run = run_limited([*nobody, CANCU, "check", str(locked_parent), "-r", "--db", str(copy), "--format", "json"],
                              env={"HOME": "/tmp"})
        else:
            run = run_limited([CANCU, "check", str(locked_parent), "-r", "--db", str(db), "--format", "json"])
    finally:
        (locked_parent / "khoa").chmod(0o755)
    text = run.stdout
    clean = run.exit_code == 1 and "thư mục không liệt kê được" in text and traceback_free(run)
    outcomes.append(Outcome("thư mục con bị khóa", clean, "được liệt kê là không đọc được" if clean
                            else (run.stderr.strip()[-160:] or text[:160]), run, lost=not clean))

    header = folder / "bi-danh.txt"
    header.write_text(hostile_files.alias_bomb_header(), encoding="utf-8")
    run = run_limited([CANCU, "ingest", str(header), "--no-shipped", "--db", str(folder / "bi-danh.db")])
    clean = run.exit_code == 1 and "neo/bí danh" in run.stderr and traceback_free(run)
    outcomes.append(Outcome("YAML bom bí danh", clean, "từ chối, nêu tệp và dòng" if clean else run.stderr[-160:], run))

    marks = folder / "dau-chong.txt"
    marks.write_text(("a" + "\u0301" * 199 + " ") * 2000, encoding="utf-8")  # 400 KB of combining marks
    run = run_limited([CANCU, "classify", str(marks), "--db", str(db), "--json"])
    clean = run.exit_code == 0 and "dấu phụ chồng" in run.stdout and traceback_free(run)
    outcomes.append(Outcome("400 KB dấu phụ chồng", clean, "bỏ dấu thừa, có cảnh báo" if clean else run.stderr[-160:], run))

    huge = folder / "20mb.txt"
    with huge.open("w", encoding="utf-8") as handle:
        for _ in range(20 * 1024 // len(SECRET_DRAFT.encode()) * 1024 + 1):
            handle.write(SECRET_DRAFT)
    check("văn bản 20 MB", huge, "quá giới hạn")

    run = run_limited([CANCU, "classify", "-", "--db", str(db)], stdin=b"")
    clean = run.exit_code == 1 and "tệp rỗng" in run.stderr and traceback_free(run)
    outcomes.append(Outcome("đầu vào chuẩn rỗng", clean, "báo lỗi" if clean else run.stderr[-160:], run))
    run = run_limited([CANCU, "classify", "-", "--db", str(db)], stdin=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    clean = run.exit_code == 1 and "Lỗi:" in run.stderr and traceback_free(run)
    outcomes.append(Outcome("đầu vào chuẩn nhị phân", clean, "báo lỗi" if clean else run.stderr[-160:], run))
    return outcomes


def fuzz_child(count: int, folder: Path) -> None:
    """In a limited child: flip bytes of a good .docx and .pdf ``count`` times each, read every copy."""
    import collections
    import random

    from cancu.ingest.errors import SourceUnreadable
    from cancu.ingest.readers import read_bytes
    from test_check import make_text_pdf

    bases = {"f.docx": hostile_files.make_docx(folder / "f.docx", SECRET_DRAFT).read_bytes(),
             "f.pdf": make_text_pdf(folder / "f.pdf", SECRET_DRAFT.splitlines()).read_bytes()}
    rng = random.Random(7)
    counts: collections.Counter = collections.Counter()
    for name, base in bases.items():
        for _ in range(count):
            data = bytearray(base)
            for _ in range(rng.choice([1, 2, 5, 20])):
                data[rng.randrange(len(data))] = rng.randrange(256)
            try:
                read_bytes(bytes(data), name)
                counts["read"] += 1
            except SourceUnreadable:
                counts["unreadable"] += 1
            except Exception as error:  # the probe counts what escapes the boundary
                counts[f"escaped {type(error).__name__}"] += 1
    print(json.dumps(counts))


def probe_fuzz(folder: Path, count: int = 600) -> list[Outcome]:
    run = run_limited([sys.executable, __file__, "--fuzz-child", str(count), str(folder)], timeout=300)
    counts = json.loads(run.stdout) if run.stdout.startswith("{") else {}
    escaped = sum(v for k, v in counts.items() if k.startswith("escaped"))
    clean = run.exit_code == 0 and escaped == 0 and sum(counts.values()) == 2 * count and not run.stderr.strip()
    return [Outcome(f"lật byte {2 * count} tệp .docx/.pdf", clean,
                    f"đọc được {counts.get('read', 0)}, unreadable {counts.get('unreadable', 0)}, thoát ra {escaped}"
                    + ("" if not run.stderr.strip() else "; có in ra stderr"), run)]


# --------------------------------------------------------------------------- knowledge base probes


def probe_kb(folder: Path, db: Path) -> list[Outcome]:
    outcomes = []
    own = folder / "rieng.db"
    run = run_limited([CANCU, "ingest", str(ROOT / "data" / "decisions" / "531-qd-ttg-2023.txt"), "--no-shipped",
                       "--db", str(own)])
    draft = folder / "du-thao.txt"
    draft.write_text(SECRET_DRAFT, encoding="utf-8")
    after = run_limited([CANCU, "classify", str(draft), "--db", str(own)])
    clean = run.exit_code == 0 and after.exit_code == 0 and traceback_free(after)
    outcomes.append(Outcome("ingest --no-shipped rồi classify", clean, "chạy được" if clean else
                            (run.stderr + after.stderr)[-160:], run))

    shared = folder / "chung.db"
    shared.write_bytes(db.read_bytes())
    stop = threading.Event()
    ingests = []

    def keep_ingesting() -> None:
        while not stop.is_set():
            ingests.append(run_limited([CANCU, "ingest", "--db", str(shared)], timeout=120))
            # a rebuild from the same data is skipped when current: force it by touching the fingerprint
            with sqlite3.connect(shared) as conn:
                conn.execute("update meta set value = 'cu' where key = 'data_fingerprint'")

    with sqlite3.connect(shared) as conn:
        conn.execute("update meta set value = 'cu' where key = 'data_fingerprint'")
    worker = threading.Thread(target=keep_ingesting)
    worker.start()
    levels, runs = [], []
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < 20:
            runs.append(run_limited([CANCU, "classify", str(draft), "--db", str(shared), "--json"]))
            levels.append(json.loads(runs[-1].stdout).get("level") if runs[-1].stdout.startswith("{") else None)
    finally:
        stop.set()
        worker.join()
    crashes = sum(1 for r in runs if r.exit_code != 0 or not traceback_free(r))
    clean = crashes == 0 and set(levels) == {"Tối mật"} and all(r.exit_code == 0 for r in ingests)
    worst = max(runs, key=lambda r: r.seconds)
    outcomes.append(Outcome(f"classify trong lúc ingest thay kho ({len(runs)} lần, {len(ingests)} lần dựng)", clean,
                            "cùng một câu trả lời" if clean else f"{crashes} lỗi, độ mật {sorted(set(map(str, levels)))}",
                            worst, lost=set(levels) != {"Tối mật"}))

    leftovers = list(folder.glob(".chung.db.*.tmp"))
    stale = folder / f".chung.db.{2**22 + 7}.tmp"
    stale.write_bytes(b"half")
    run = run_limited([CANCU, "ingest", "--db", str(shared)])
    clean = not stale.exists() and not leftovers and run.exit_code == 0
    outcomes.append(Outcome("tệp tạm của lần dựng bị giết", clean, "được dọn" if clean else "còn sót", run))

    damaged = folder / "hong.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    run = run_limited([CANCU, "check", str(draft), "--db", str(damaged)])
    clean = run.exit_code == 2 and run.stderr.startswith("Lỗi:") and traceback_free(run)
    outcomes.append(Outcome("cơ sở dữ liệu hỏng (check)", clean, "một dòng, mã 2" if clean else run.stderr[-160:], run))
    return outcomes


# --------------------------------------------------------------------------- server probes


def _request(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None,
             timeout: float = 120) -> tuple[int, bytes, dict, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data, {k.lower(): v for k, v in response.getheaders()}, time.perf_counter() - started


def _vm_hwm(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match[1]) / 1024 if match else 0.0


def probe_server(folder: Path, db: Path) -> list[Outcome]:
    port = free_port()
    log = (folder / "serve.log").open("wb")
    server = subprocess.Popen([CANCU, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, preexec_fn=_limits)
    outcomes = []
    try:
        for _ in range(100):
            try:
                _request(port, "GET", "/-/phan-loai", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        status, page, headers, _ = _request(port, "GET", "/-/phan-loai")
        token = re.search(rb'name="csrftoken" value="([^"]+)"', page).group(1).decode()
        cookie = headers["set-cookie"].split(";")[0]
        form = "application/x-www-form-urlencoded"

        def served(name: str, method: str, path: str, expect: set[int], body: bytes = b"", headers: dict | None = None,
                   why: str = "") -> tuple[int, bytes]:
            status, data, _, seconds = _request(port, method, path, body, {**(headers or {})})
            clean = status in expect
            outcomes.append(Outcome(name, clean, f"{status} {why}" if clean else f"{status} (mong đợi {expect})",
                                    Run(status, seconds, _vm_hwm(server.pid), "", "")))
            return status, data

        draft = urllib.parse.urlencode({"draft_text": SECRET_DRAFT}).encode()
        served("POST không cookie, không mã", "POST", "/-/phan-loai", {403}, draft, {"content-type": form},
               "từ chối")
        signed = urllib.parse.urlencode({"csrftoken": token, "draft_text": SECRET_DRAFT}).encode()
        served("POST từ trang khác (có mã)", "POST", "/-/phan-loai", {403}, signed,
               {"content-type": form, "cookie": cookie, "sec-fetch-site": "cross-site"}, "từ chối")
        served("POST hợp lệ", "POST", "/-/phan-loai", {200}, signed,
               {"content-type": form, "cookie": cookie, "sec-fetch-site": "same-origin"}, "phân loại")
        served("multipart hỏng", "POST", "/-/phan-loai", {400, 403, 415}, b"--x\r\n\r\n--x--\r\n",
               {"content-type": "multipart/form-data; boundary=x", "cookie": cookie}, "từ chối")
        served("form không phải UTF-8", "POST", "/-/phan-loai", {200, 400}, b"csrftoken=" + token.encode()
               + b"&draft_text=\xff\xfe", {"content-type": form, "cookie": cookie}, "không lỗi 500")
        bomb = hostile_files.declare_size(folder / "tai-len.docx", SECRET_DRAFT, 1 << 30).read_bytes()
        boundary = "cancu-bench-boundary"
        upload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrftoken\"\r\n\r\n{token}\r\n"
                  f"--{boundary}\r\nContent-Disposition: form-data; name=\"draft_file\"; filename=\"bom.docx\"\r\n"
                  f"Content-Type: application/octet-stream\r\n\r\n").encode() + bomb + f"\r\n--{boundary}--\r\n".encode()
        status, data = served("tải lên .docx khai báo 1 GiB", "POST", "/-/phan-loai", {400}, upload,
                              {"content-type": f"multipart/form-data; boundary={boundary}", "cookie": cookie},
                              "từ chối trước khi giải nén")
        if "nghi là bom nén".encode() not in data:
            outcomes[-1].clean, outcomes[-1].what = False, "không nêu lý do"
        served("POST vào truy vấn soạn sẵn", "POST", f"/{db.stem}/dieu_khoan_ap_dung", {405}, b"a=b",
               {"content-type": form, "cookie": cookie}, "từ chối")
        served("_timelimit=abc", "GET", f"/{db.stem}/items?_timelimit=abc", {400}, why="từ chối")
        served("zeroblob 1 GB", "GET", f"/{db.stem}.json?sql=" + urllib.parse.quote("select zeroblob(1000000000)"),
               {400}, why="quá giới hạn độ dài")
        status, data = served("tìm kiếm lỗi cú pháp", "GET", f"/{db.stem}/items?_search=" +
                              urllib.parse.quote('"de thi mat') + "&_searchmode=raw", {200, 400}, why="trả lời")
        oversize = urllib.parse.urlencode({"csrftoken": token, "draft_text": "đề thi " * 40_000}).encode()
        status, data = served("dán 280.000 ký tự", "POST", "/-/phan-loai", {400}, oversize,
                              {"content-type": form, "cookie": cookie}, "từ chối, không gửi lại")
        if len(data) > 100_000:
            outcomes[-1].clean, outcomes[-1].what = False, f"trang trả lời {len(data)} byte (gửi lại dự thảo)"

        marks = urllib.parse.urlencode({"csrftoken": token, "draft_text": ("a" + "\u0301" * 199 + " ") * 900}).encode()
        status, data = served("dán 180.000 dấu phụ chồng", "POST", "/-/phan-loai", {200}, marks,
                              {"content-type": form, "cookie": cookie}, "bỏ dấu thừa")
        if "dấu phụ chồng".encode() not in data:
            outcomes[-1].clean, outcomes[-1].what = False, "không có cảnh báo"
        # Long pastes within the limit (no sentence ends) while other pages are asked for.
        for chars in (60_000, 199_000):
            words = SECRET_DRAFT.replace(".", " ").replace("\n", " ")
            paste = (words * (chars // len(words) + 1))[:chars]
            body = urllib.parse.urlencode({"csrftoken": token, "draft_text": paste}).encode()
            other_times: list[float] = []
            result: dict = {}

            def post_long() -> None:
                result["status"], _, _, result["seconds"] = _request(port, "POST", "/-/phan-loai", body,
                                                                     {"content-type": form, "cookie": cookie})

            poster = threading.Thread(target=post_long)
            poster.start()
            while poster.is_alive() and len(other_times) < 2000:
                other_times.append(_request(port, "GET", f"/{db.stem}/decisions")[3])
            poster.join()
            slowest = max(other_times) if other_times else 0.0
            clean = result.get("status") == 200 and slowest < 2.0
            outcomes.append(Outcome(f"trang khác trong lúc phân loại {chars:,} ký tự".replace(",", "."), clean,
                                    f"phân loại {result.get('seconds', 0):.1f} s; trang khác chậm nhất "
                                    f"{slowest * 1000:.0f} ms ({len(other_times)} lần)",
                                    Run(result.get("status"), result.get("seconds", 0), _vm_hwm(server.pid), "", "")))
    finally:
        stop_server(server)
        log.close()
    server_output = (folder / "serve.log").read_text(encoding="utf-8", errors="replace")
    quiet = "de thi mat" not in server_output and "Tổ ra đề" not in server_output and "Traceback" not in server_output
    outcomes.append(Outcome("nhật ký máy chủ", quiet, "không có nội dung dự thảo, từ tìm kiếm hay traceback" if quiet
                            else server_output[-200:], Run(0, 0, 0, "", "")))
    return outcomes


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="files,fuzz,kb,server (default: all)")
    parser.add_argument("--fuzz-child", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.fuzz_child:
        return fuzz_child(int(options.fuzz_child[0]), Path(options.fuzz_child[1]))
    groups = [g for g in options.only.split(",") if g] or ["files", "fuzz", "kb", "server"]
    with tempfile.TemporaryDirectory(prefix="cancu-hostile-") as temporary:
        folder = Path(temporary)
        db = folder / "cancu.db"
        subprocess.run([CANCU, "ingest", "--db", str(db)], check=True, capture_output=True)
        before = db.read_bytes()
        outcomes: list[Outcome] = []
        for group, probe in (("files", probe_files), ("fuzz", lambda f, _: probe_fuzz(f)), ("kb", probe_kb),
                             ("server", probe_server)):
            if group in groups:
                (folder / group).mkdir()
                outcomes.extend(probe(folder / group, db))
        kb_intact = db.read_bytes() == before
    print(f"{'phép thử':<52} {'kết quả':<8} {'mã':>4} {'giây':>7} {'MB':>7}  ghi chú")
    for outcome in outcomes:
        run = outcome.run
        code = "kill" if run.exit_code is None else str(run.exit_code)
        print(f"{outcome.probe[:52]:<52} {'sạch' if outcome.clean else 'LỖI':<8} {code:>4} {run.seconds:>7.2f} "
              f"{run.peak_mb:>7.0f}  {outcome.what[:110]}")
    clean = sum(o.clean for o in outcomes)
    lost = sum(o.lost for o in outcomes) + (0 if kb_intact else 1)
    over = [o.probe for o in outcomes if o.run.seconds > 2 or o.run.peak_mb > 500]
    print(f"\nđã thử {len(outcomes)} đầu vào xấu; xử lý sạch {clean}; lỗi {len(outcomes) - clean}; "
          f"kho dữ liệu nguyên vẹn: {'có' if kb_intact else 'KHÔNG'}; mất mát: {lost}")
    print("trên 2 s hoặc 500 MB: " + (", ".join(over) if over else "không có"))
    print("MB: đỉnh bộ nhớ thường trú của lệnh con (wait4), với máy chủ là VmHWM của tiến trình máy chủ tới lúc đó. "
          "Thời gian đo trên máy dùng chung: chỉ so bậc độ lớn.")
    sys.exit(0 if clean == len(outcomes) and not lost else 1)


if __name__ == "__main__":
    main()
