"""Packaging: the data ships inside the wheel, import stays cheap, metadata is complete."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from targetex.export import documents_dataframe, tasks_dataframe, to_dataframe, to_xlsx
from targetex.io import html_to_text

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = sorted(p.name for p in (ROOT / "models").iterdir() if p.suffix in (".tsv", ".txt", ".toml"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
    )
    return next(out.glob("targetex-*.whl"))


def test_wheel_contains_the_models_and_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in DATA_FILES:
        assert f"targetex/models/{data}" in names, data
    assert "targetex/py.typed" in names
    assert any(n.endswith("LICENSE") for n in names)


def test_wheel_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = zf.read(meta_name).decode()
    assert "License-Expression: Apache-2.0" in meta or "License: Apache-2.0" in meta
    assert "Requires-Dist: jieba" in meta and "Requires-Dist: pint" in meta
    assert "Requires-Python: >=3.11" in meta


def test_import_is_cheap() -> None:
    code = (
        "import sys, targetex; heavy = [m for m in ('jieba', 'pint', 'pandas', 'spacy') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_model_file_parses() -> None:
    from targetex.resources import load

    lexicon = load()
    assert "个百分点" in lexicon.units and lexicon.units["斤"][0] == "kg"
    assert "家" in lexicon.classifiers
    assert lexicon.verbs["增长"].kind == "change"


def test_public_api_is_documented() -> None:
    import targetex

    for name in targetex.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(targetex, name)
        assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_bad_model_file_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from targetex import resources
    from targetex.errors import ResourceError

    bad = tmp_path / "units.toml"
    bad.write_text('[[unit]]\nname = "mu"\nwords = ["亩"]\n', encoding="utf-8")  # no pint expression
    monkeypatch.setattr(resources, "model_path", lambda name: tmp_path / name if name == "units.toml"
                        else resources.resources.files("targetex.models").joinpath(name))
    resources.load.cache_clear()
    try:
        with pytest.raises(ResourceError, match=r"models/units.toml: unit 1"):
            resources.load()
    finally:
        monkeypatch.undo()
        resources.load.cache_clear()


def _extras() -> set[str]:
    import tomllib

    return set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"])


# What the Python API reaches beyond the base install: (missing module, extra, call).
OPTIONAL_CALLS = {
    "to_dataframe": ("pandas", "pandas", lambda doc, tmp: to_dataframe([doc])),
    "tasks_dataframe": ("pandas", "pandas", lambda doc, tmp: tasks_dataframe(doc)),
    "documents_dataframe": ("pandas", "pandas", lambda doc, tmp: documents_dataframe([doc])),
    "to_xlsx": ("openpyxl", "xlsx", lambda doc, tmp: to_xlsx([doc], tmp / "a.xlsx")),
    "html_to_text": ("lxml.etree", "html", lambda doc, tmp: html_to_text("<p>新建3所</p>", parser="lxml")),
}


@pytest.mark.parametrize("name", sorted(OPTIONAL_CALLS))
def test_a_missing_optional_package_names_its_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                    name: str) -> None:
    """After a base install, the Python API says which extra to install (as the CLI does)."""
    import targetex
    from targetex.errors import MissingDependencyError

    missing, extra, call = OPTIONAL_CALLS[name]
    doc = targetex.extract("（一）新建公园3个。", doc_id="d")
    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed
    with pytest.raises(MissingDependencyError, match=rf"needs an optional package: pip install "
                       rf"'targetex\[{extra}\]'") as error:
        call(doc, tmp_path)
    assert isinstance(error.value, ImportError) and isinstance(error.value, targetex.TargetexError)
    assert extra in _extras()


def test_spacy_component_without_spacy_names_its_extra() -> None:
    # In a fresh interpreter: this one has spaCy's modules loaded and the component registered.
    code = ("import sys; sys.modules['spacy'] = None\n"
            "try:\n    import targetex.spacy_ext\n"
            "except ImportError as exc:\n    print(type(exc).__name__, exc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("MissingDependencyError targetex.spacy_ext needs an optional package: "
                          "pip install 'targetex[spacy]'"), out
    assert "spacy" in _extras()
