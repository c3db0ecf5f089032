"""index.html in a real browser, opened from disk: no request leaves file://, no console errors, charts drawn.

Uses the system's Chromium through Playwright and never downloads a browser; skipped when it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sovereign.model import AuditResult
from sovereign.report import render_report, write_report

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser test needs the system Chromium at /usr/bin/chromium (apt-get install chromium)",
)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_page_renders_offline(result: AuditResult, tmp_path: Path, lang: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    write_report(render_report(result, lang=lang), tmp_path)

    remote: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()

            def route(request_route: Any) -> None:
                url = request_route.request.url
                if url.startswith("file://"):
                    request_route.continue_()
                else:
                    remote.append(url)
                    request_route.abort()

            page.route("**/*", route)
            page.on(
                "console", lambda message: errors.append(message.text) if message.type == "error" else None
            )
            page.on("pageerror", lambda error: errors.append(str(error)))

            def on_dialog(dialog: Any) -> None:
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto((tmp_path / "index.html").as_uri())
            page.wait_for_selector("#chart-seal .main-svg", timeout=15_000)

            assert remote == []
            assert errors == []
            for chart in ("jurisdiction", "concentration", "seal", "single-points", "roadmap"):
                assert page.locator(f"#chart-{chart}.js-plotly-plot .main-svg").count() >= 1, chart
            # The hostile name is shown as text, and never ran.
            assert dialogs == []
            for section in ("applications", "single_points", "roadmap"):
                assert page.locator(f"#{section}").get_by_text("<script>alert(1)</script>").first.is_visible()
            # Sorting the table by SEAL puts unknown first, then 0, 2, 4.
            page.locator("#applications th button.sort").nth(7).click()
            seals = page.locator("#applications tbody tr td:nth-of-type(7) .seal").all_inner_texts()
            assert [s.split()[-1] for s in seals][1:] == ["0", "2", "4"]
            # Sorting by weighted score puts the application without one first.
            page.locator("#applications th button.sort").nth(9).click()
            scores = page.locator("#applications tbody tr td:nth-of-type(9)").all_inner_texts()
            assert scores == ["—", "7,5", "47,5", "92,5"] if lang == "nl" else ["—", "7.5", "47.5", "92.5"]
            # A rule in the policy overview opens its violations.
            page.locator('#policy a[href="#rule-2"]').click()
            # The page opens the target in a hashchange handler: wait for it (a loaded machine is slow).
            sync_api.expect(page.locator("#rule-2")).to_have_attribute("open", "")
            assert page.locator("#rule-2 table caption").is_visible()
            # A wave's alternative opens that application's options, with the chosen one marked.
            page.locator('#roadmap-wave-0 ~ div a[href="#roadmap-option-2"]').first.click()
            sync_api.expect(page.locator("#roadmap-option-2")).to_have_attribute("open", "")
            assert page.locator("#roadmap-option-2 tr.chosen").is_visible()
        finally:
            browser.close()
