"""Start-up: each command imports what it uses, underthesea without its other pipelines, libyaml, warm serve.

Speed itself is measured by bench/startup.py; these tests check the properties
that make it fast and that the fast paths give the same answers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cancu.cli import cli
from cancu.ingest.build import shipped_sources
from cancu.ingest.datafiles import SAFE_LOADER
from cancu.ingest.parse import split_front_matter

DRAFT = Path(__file__).parent / "data" / "drafts" / "d-008.txt"
EVAL = Path(__file__).parent / "data" / "eval" / "dev.jsonl"


def _in_child(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_classify_json_imports_only_what_it_uses(kb_path):
    """On a current knowledge base: no sqlite-utils, no Datasette, no underthesea pipelines it does not use."""
    modules = _in_child(
        "import io, json, sys, contextlib\nfrom cancu.cli import cli\nout = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    cli(['classify', {str(DRAFT)!r}, '--json', '--db', {str(kb_path)!r}], standalone_mode=False)\n"
        "assert json.loads(out.getvalue())['as_of_source'] == 'today'\n"
        "print(json.dumps(sorted(sys.modules)))")
    loaded = set(modules)
    for unused in ("sqlite_utils", "datasette", "requests", "underthesea.pipeline.pos_tag",
                   "underthesea.pipeline.ner", "underthesea.pipeline.classification", "underthesea.pipeline.chunking",
                   "docx", "pypdf", "joblib", "multiprocessing", "asyncio"):
        assert unused not in loaded, unused
    assert {"underthesea.pipeline.word_tokenize", "underthesea.pipeline.text_normalize", "rapidfuzz"} <= loaded


def test_the_slim_underthesea_segments_as_the_whole_package_does():
    sentences = [line for draft in map(json.loads, EVAL.read_text(encoding="utf-8").splitlines()[:12])
                 for line in draft["text"].splitlines() if line.strip()]
    probe = ("import json, sys\nsentences = json.loads(sys.stdin.read())\n{load}\n"
             "print(json.dumps([word_tokenize(text_normalize(s)) for s in sentences], ensure_ascii=False))")

    def run(load: str) -> list:
        done = subprocess.run([sys.executable, "-c", probe.format(load=load)], input=json.dumps(sentences),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    slim = run("from cancu.classifier.slim_underthesea import load\ntext_normalize, word_tokenize = load()")
    whole = run("from underthesea import text_normalize, word_tokenize")
    assert len(slim) == len(sentences) > 50 and slim == whole


def test_the_whole_underthesea_still_imports_after_a_slim_load():
    found = _in_child(
        "import json, sys\nfrom cancu.classifier.slim_underthesea import load\ntext_normalize, word_tokenize = load()\n"
        "before = 'underthesea.pipeline.pos_tag' in sys.modules\n"
        "from underthesea import pos_tag, word_tokenize as whole\nimport underthesea\n"
        "print(json.dumps([before, whole is word_tokenize, bool(pos_tag('Hôm nay trời đẹp')), underthesea.__version__]))")
    assert found[:3] == [False, True, True] and found[3]


@pytest.mark.parametrize("path", shipped_sources(), ids=lambda p: p.name)
def test_libyaml_reads_every_front_matter_as_the_python_parser_does(path):
    assert SAFE_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = path.read_text(encoding="utf-8")
    meta, _ = split_front_matter(text, path)
    if meta is None:
        return
    front = text.split("\n---", 1)[0].removeprefix("---\n")
    assert meta == yaml.load(front, Loader=yaml.SafeLoader)


def test_serve_warms_up_before_serving_and_stops_on_broken_rules(kb_path, tmp_path, monkeypatch):
    import cancu.serve
    from cancu.classifier.classify import _CACHE
    from cancu.plugin import shared_kb

    cancu.serve.warm_up(kb_path)
    assert shared_kb(kb_path) in _CACHE  # the first request finds the classifier built
    monkeypatch.setenv("CANCU_RULES", "")  # restored after the test, whatever --rules writes
    broken = tmp_path / "quy-tac.yml"
    broken.write_text("conditions:\n  - name: x\n", encoding="utf-8")
    started = []
    monkeypatch.setattr(cancu.serve, "make_datasette", lambda path: started.append(path))
    own_kb = tmp_path / "kb.db"  # not the shared one: nothing --rules does may touch it
    own_kb.write_bytes(kb_path.read_bytes())
    outcome = CliRunner().invoke(cli, ["serve", "--db", str(own_kb), "--rules", str(broken)])
    assert outcome.exit_code == 1 and started == []
    assert outcome.stderr.strip().endswith("quy tắc không hợp lệ: thiếu hoặc rỗng: defeaters, item_pattern, message")


def test_the_joblib_stand_in_reads_plain_pickles_and_leaves_the_rest_to_joblib(tmp_path):
    import fractions

    import joblib

    from cancu.classifier.slim_underthesea import _JoblibStandIn

    plain, compressed, other = tmp_path / "plain.bin", tmp_path / "z.bin", tmp_path / "other.bin"
    joblib.dump({"token": {"hoà": "hòa"}, "character": ["a"]}, plain)
    joblib.dump({"token": {"hoà": "hòa"}}, compressed, compress=3)
    joblib.dump([fractions.Fraction(1, 3)], other)
    stand_in = _JoblibStandIn()
    assert stand_in.load(str(plain)) == {"token": {"hoà": "hòa"}, "character": ["a"]}
    assert stand_in.load(str(compressed)) == {"token": {"hoà": "hòa"}}
    assert stand_in.load(str(other)) == [fractions.Fraction(1, 3)]
    assert stand_in.dump is joblib.dump  # any other name is the real joblib's


def test_a_slim_load_does_not_import_joblib_and_joblib_still_works_after():
    found = _in_child(
        "import json, sys\nfrom cancu.classifier.slim_underthesea import load\ntext_normalize, word_tokenize = load()\n"
        "words = word_tokenize(text_normalize('Đề thi chính thức kỳ thi tốt nghiệp'))\n"
        "before = 'joblib' in sys.modules\nimport joblib\n"
        "print(json.dumps([before, type(joblib).__name__, hasattr(joblib, 'Parallel'), words], ensure_ascii=False))")
    assert found[:3] == [False, "module", True] and "đề thi" in [w.lower() for w in found[3]]
