"""Regenerate docs/report-cixi.png, the screenshot of the Cixi report shown in the README.

Needs Chromium and chromedriver (Debian: apt-get install chromium chromium-driver
fonts-noto-cjk) and selenium:

    python docs/make_screenshot.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    work = Path(tempfile.mkdtemp(prefix="targetex-shot-"))
    report = work / "cixi.html"
    subprocess.run([sys.executable, "-m", "targetex", "report", "corpora/cixi-2021.txt", "-o", str(report)],
                   check=True, cwd=ROOT)
    options = Options()
    options.binary_location = shutil.which("chromium") or "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1400,900", "--hide-scrollbars", f"--user-data-dir={work / 'profile'}"):
        options.add_argument(argument)
    service = Service(shutil.which("chromedriver") or "chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.get(report.as_uri())
        mark = driver.find_elements(By.CSS_SELECTOR, "mark.target")[3]  # a target of task 2.1
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
        mark.click()
        driver.save_screenshot(str(ROOT / "docs" / "report-cixi.png"))
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    print(ROOT / "docs" / "report-cixi.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
