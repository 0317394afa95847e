"""``targetex report``: one self-contained page, checked as HTML and in a real browser.

The browser tests drive headless Chromium from the system packages (``chromium`` and
``chromium-driver``, which ``.ci/run`` installs when they are missing) through selenium.
They are skipped, with the reason printed, only where Chromium cannot be found.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import targetex
from targetex.cli import main
from targetex.report import _groups, render_report

ROOT = Path(__file__).resolve().parent.parent
CIXI = ROOT / "corpora" / "cixi-2021.txt"


@pytest.fixture(scope="module")
def cixi() -> tuple[targetex.Document, str]:
    source = targetex.io.read_source(CIXI)
    document = dataclasses.replace(targetex.extract(source.text, doc_id="cixi-2021"), meta=source.meta)
    return document, source.text


@pytest.fixture(scope="module")
def report_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "cixi.html"
    assert main(["report", str(CIXI), "-o", str(path)]) == 0
    return path


def test_page_is_self_contained(report_path: Path) -> None:
    page = report_path.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page and "<script src" not in page and "@import" not in page
    assert page.count("<style>") == 1 and page.count("<script>") == 1


def test_every_target_is_marked_on_its_text(cixi: tuple[targetex.Document, str]) -> None:
    document, text = cixi
    page = render_report(document, text)
    marks = re.findall(r'<mark class="target kind-(\w+)" id="t(\d+)" data-task="([^"]*)" '
                       r'data-targets="([\d ]+)" title="[^"]*">([^<]*)</mark>', page)
    groups = _groups(document.targets)
    assert len(marks) == len(groups)
    marked = sorted(int(i) for *_, members, _ in marks for i in members.split())
    assert marked == list(range(len(document.targets)))
    for kind, _, task, members, shown in marks:
        first = document.targets[int(members.split()[0])]
        assert (kind, task) == (first.kind.value, first.task_id)
        assert shown == text[first.start:first.end]  # (the Cixi spans hold no markup characters)
    for task in document.tasks:
        assert f'id="task-{task.task_id}"' in page


def test_shared_spans_are_one_mark() -> None:
    text = "（一）小集镇式中心村和乡村振兴示范带各1个。"
    document = targetex.extract(text)
    assert len(document.targets) == 2 and document.targets[0].start == document.targets[1].start
    page = render_report(document, text)
    assert page.count('<mark class="target') == 1 and 'data-targets="0 1"' in page


def test_report_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(CIXI), "-o", str(tmp_path / "cixi.txt")]) == 2
    assert main(["report", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.html")]) == 1
    err = capsys.readouterr().err
    assert "give a .html file" in err and "missing.txt: no such file" in err
    assert not (tmp_path / "x.html").exists()


def _table_cells(page: str) -> list[dict[str, str]]:
    """The rows of the page's target table as {column: cell text}."""
    table = page[page.index("<table>"):page.index("</table>")]
    columns = re.findall(r"<th>([^<]*)</th>", table)
    rows = re.findall(r"<tr data-mark=[^>]*>(.*?)</tr>", table)
    return [dict(zip(columns, re.findall(r"<td[^>]*>([^<]*)</td>", row), strict=True)) for row in rows]


def test_booleans_and_nulls_are_spelt_as_in_json() -> None:
    """per_year reads true/false as in the JSON (not Python's True/False), a null year is blank,
    in the table and in the marks' tooltips alike."""
    text = "（一）每年新增就业岗位500个。\n（二）2025年完成植树造林1000亩。\n（三）建成口袋公园3个。\n"
    document = targetex.extract(text)
    assert [(t.year, t.per_year) for t in document.targets] == [(None, True), (2025, False), (None, False)]
    page = render_report(document, text)
    rows = _table_cells(page)
    assert [(r["year"], r["per_year"]) for r in rows] == [("", "true"), ("2025", "false"), ("", "false")]
    assert "True" not in page.split("<script")[0] and "False" not in page.split("<script")[0]
    assert "None" not in page.split("<script")[0]
    tooltips = re.findall(r'<mark [^>]*title="([^"]*)"', page)
    assert ["per_year: true" in t and "\nyear: \n" in t for t in tooltips] == [True, False, False]
    assert "per_year: false" in tooltips[1] and "year: 2025" in tooltips[1]


# --------------------------------------------------------------------------- in a real browser


def _find(*names: str) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary = _find("chromium", "chromium-browser", "google-chrome")
    driver_path = _find("chromedriver")
    if binary is None or driver_path is None:
        pytest.skip("Chromium or chromedriver not found: .ci/run installs them "
                    "(apt-get install chromium chromium-driver)")
    options = Options()
    options.binary_location = binary
    profile = tempfile.mkdtemp(prefix="targetex-chromium-")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _visible_in(browser: Any, element: Any, container_id: str) -> bool:
    return bool(browser.execute_script(
        "var c = document.getElementById(arguments[1]).getBoundingClientRect();"
        "var r = arguments[0].getBoundingClientRect();"
        "return r.height > 0 && r.top >= c.top && r.bottom <= c.bottom;", element, container_id))


def test_report_renders_in_chromium(browser: Any, report_path: Path,
                                    cixi: tuple[targetex.Document, str]) -> None:
    from selenium.webdriver.common.by import By

    document, _ = cixi
    browser.get(report_path.as_uri())
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.target")
    assert len(marks) == len(_groups(document.targets))
    colours = {m.get_attribute("class").split()[1]: m.value_of_css_property("border-bottom-color")
               for m in marks}
    assert set(colours) == {"kind-change", "kind-level", "kind-amount"} and len(set(colours.values())) == 3
    assert all(m.size["height"] > 0 and m.size["width"] > 0 for m in marks[:10])
    assert "indicator: 地区生产总值" in marks[0].get_attribute("title")  # hover shows the record
    tree_items = browser.find_elements(By.CSS_SELECTOR, "#tree li > div")
    assert len(tree_items) == len(document.tasks) and tree_items[0].is_displayed()
    assert "牵头：市发改局" in browser.find_element(By.ID, "task-1.1").text
    rows = browser.find_elements(By.CSS_SELECTOR, "section.table tbody tr")
    assert len(rows) == len(document.targets) and rows[0].is_displayed()
    assert "国务院" not in browser.title and "慈溪" in browser.find_element(By.TAG_NAME, "h1").text


def test_clicking_a_target_scrolls_to_its_task(browser: Any, report_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report_path.as_uri())
    mark = browser.find_elements(By.CSS_SELECTOR, "mark.target")[-1]
    task = browser.find_element(By.ID, "task-" + mark.get_attribute("data-task"))
    assert not _visible_in(browser, task, "tree")  # far down the tree before the click
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
    mark.click()
    assert _visible_in(browser, task, "tree")
    assert "active" in task.get_attribute("class") and "active" in mark.get_attribute("class")


def test_table_sorts_and_leads_to_the_text(browser: Any, report_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report_path.as_uri())
    headers = browser.find_elements(By.CSS_SELECTOR, "section.table th")
    names = [h.text for h in headers]
    value = names.index("value")

    def column() -> list[float]:
        return [float(r.find_elements(By.TAG_NAME, "td")[value].get_attribute("data-sort"))
                for r in browser.find_elements(By.CSS_SELECTOR, "section.table tbody tr")]

    browser.execute_script("arguments[0].click();", headers[value])
    assert column() == sorted(column())
    browser.execute_script("arguments[0].click();", headers[value])
    assert column() == sorted(column(), reverse=True)
    row = browser.find_elements(By.CSS_SELECTOR, "section.table tbody tr")[0]
    browser.execute_script("arguments[0].click();", row)
    mark = browser.find_element(By.ID, row.get_attribute("data-mark"))
    assert _visible_in(browser, mark, "text") and "active" in mark.get_attribute("class")
