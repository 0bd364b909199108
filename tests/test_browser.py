"""End to end in Debian's headless Chromium: `cancu serve`, paste a draft, read the proposed basis.

Skipped only when /usr/bin/chromium is missing (.ci/run installs it). Playwright
drives the system browser; `playwright install` is never needed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DRAFT = Path(__file__).parent / "data" / "drafts" / "d-008.txt"
EXAM_CITATION = "khoản 1 Điều 1 Quyết định số 531/QĐ-TTg ngày 19/5/2023 của Thủ tướng Chính phủ"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium của Debian (/usr/bin/chromium) chưa được cài"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"cancu serve exited with {server.returncode}: {log.read_text(encoding='utf-8')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class Server:
    base_url: str
    log: Path  # everything the server wrote to stdout and stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory, kb_path):
    """`cancu serve` on a free localhost port, over a copy of the session's knowledge base (real ingest)."""
    folder = tmp_path_factory.mktemp("browser")
    db_path = folder / "cancu.db"
    shutil.copyfile(kb_path, db_path)
    port = free_port()
    command = [sys.executable, "-c", "from cancu.cli import cli; cli()",
               "serve", "--db", str(db_path), "--host", "127.0.0.1", "--port", str(port)]
    log = folder / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                  env={**os.environ, "CANCU_DB": str(db_path)})
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/-/phan-loai", server, log)
        yield Server(base_url, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_classify_page_in_chromium(served, tmp_path):
    from playwright.sync_api import sync_playwright

    draft_text = DRAFT.read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, locale="vi-VN", viewport={"width": 1200, "height": 900},
        )
        try:
            page = context.new_page()
            page.goto(served.base_url + "/")
            page.click("details.nav-menu summary")
            page.click("text=Phân loại dự thảo")
            page.wait_for_url(served.base_url + "/-/phan-loai")
            page.fill("#draft_text", draft_text)
            page.fill("#as_of", "12/12/2024")
            page.click("input[type=submit]")
            page.wait_for_selector("#ket-qua")
            citations = page.locator(".cancu-citation").all_inner_texts()
            level = page.locator(".cancu-answer .cancu-level").inner_text()
            assert page.url == served.base_url + "/-/phan-loai"  # the draft never goes into the URL
            page.screenshot(path=str(tmp_path / "phan-loai.png"), full_page=True)
        finally:
            context.close()
            # The profile may hold form data (the draft); keep only the screenshot.
            shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)
    assert EXAM_CITATION in citations
    assert level == "Tối mật"
    assert (tmp_path / "phan-loai.png").stat().st_size > 10_000
    server_output = served.log.read_text(encoding="utf-8")
    assert "Tổ ra đề môn Hóa học" not in server_output and "/-/phan-loai" not in server_output  # no access log


def test_search_without_diacritics_in_chromium(served, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1200, "height": 900},
        )
        try:
            page = context.new_page()
            page.goto(served.base_url + "/cancu/dieu_khoan_ap_dung")
            page.fill("input[name=tu_khoa]", "de thi")
            page.click("input[type=submit]")
            page.wait_for_selector("table.rows-and-columns mark")
            first_row = page.locator("table.rows-and-columns tbody tr").first.inner_text()
            marks = page.locator("table.rows-and-columns tbody tr").first.locator("mark").all_inner_texts()
            page.screenshot(path=str(tmp_path / "tim-kiem.png"), full_page=True)
            page.goto(served.base_url + "/cancu/items?_search=dat+dai")
            found = page.locator("td.col-text").all_inner_texts()
            folded_column_visible = page.locator("td.col-text_folded").first.is_visible()
            page.locator("th.col-level svg.dropdown-menu-icon").click()  # Datasette's column menu
            column_menu = page.locator("body > .dropdown-menu").inner_text()
        finally:
            context.close()
            # The profile may hold form data (the draft); keep only the screenshot.
            shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)
    assert EXAM_CITATION in first_row
    assert marks[0] == "Đề thi"
    assert any("đất" in text for text in found)
    assert not folded_column_visible  # the search-only copy is hidden by /-/cancu.css
    assert "Sắp xếp tăng dần" in column_menu and "Ẩn cột này" in column_menu
    assert "Sort ascending" not in column_menu and "Type:" not in column_menu


def test_upload_docx_read_proposal_and_download_it_in_chromium(served, tmp_path):
    """A drafter who never opens a terminal: upload the .docx, read the proposal, take away the .docx."""
    import io

    import docx
    from playwright.sync_api import sync_playwright

    document = docx.Document()
    for line in DRAFT.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    upload = tmp_path / "bao-cao.docx"
    document.save(upload)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, locale="vi-VN", viewport={"width": 1200, "height": 900}, accept_downloads=True,
        )
        try:
            page = context.new_page()
            page.goto(served.base_url + "/-/phan-loai")
            file_button = page.locator("label.cancu-file-button").inner_text()
            native_button_shown = page.locator("#draft_file").bounding_box()["width"] > 2
            page.set_input_files("#draft_file", str(upload))
            chosen = page.locator("#draft_file_name").inner_text()
            page.fill("#as_of", "12/12/2024")
            page.click("input[type=submit]")
            page.wait_for_selector("#de-xuat")
            proposal = page.locator("#de-xuat").inner_text()
            with page.expect_download() as waiting:
                page.click("#tai-de-xuat")
            download = waiting.value
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            page.screenshot(path=str(tmp_path / "de-xuat.png"), full_page=True)
        finally:
            context.close()
            shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)
    assert file_button == "Chọn tệp…" and not native_button_shown  # not the browser's "Choose File"
    assert chosen == "Đã chọn: bao-cao.docx"
    assert EXAM_CITATION in proposal and "Nơi nhận" in proposal
    assert saved.name == "de-xuat-do-mat-2024-12-12.docx"
    paragraphs = [p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs]
    assert any(p.startswith(EXAM_CITATION) for p in paragraphs)
    assert (tmp_path / "de-xuat.png").stat().st_size > 10_000
    assert "Tổ ra đề môn Hóa học" not in served.log.read_text(encoding="utf-8")
