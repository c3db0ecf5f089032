"""``index.html``: the CIO bureau's full report, rendered with jinja2 from the view model.

Autoescape is on for every template: names, departments and reasons come from the inventory and are user
input, so they must never become live markup. Texts come from the translation files, figures from
``view.build_report_view``. The page refers to nothing outside the report folder: styles and scripts are inline,
and plotly is loaded from ``plotly.min.js`` next to the page. This module renders strings; it writes nothing.
"""

from __future__ import annotations

from functools import cache

import jinja2

from sovereign.model import AuditResult
from sovereign.report._palette import SEAL_COLOURS, text_colour
from sovereign.report.charts import (
    build_concentration_figure,
    build_jurisdiction_figure,
    build_roadmap_figure,
    build_seal_figure,
    build_single_points_figure,
    render_chart,
)
from sovereign.report.translation import Messages
from sovereign.report.view import build_report_view

__all__ = ["SECTIONS", "render_index_html"]

#: Section ids of index.html, in page order; also the keys of their titles under ``sections.`` in i18n.
SECTIONS: tuple[str, ...] = (
    "summary",
    "policy",
    "scenarios",
    "single_points",
    "roadmap",
    "jurisdiction",
    "concentration",
    "seal",
    "applications",
    "evidence",
    "quality",
    "method",
)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sovereign.report", "templates"),
        # Not select_autoescape(): our templates end in .j2, and escaping must never depend on a file name.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_index_html(result: AuditResult, messages: Messages) -> str:
    """The full report page in ``messages.lang``."""
    view = build_report_view(result, messages)
    t = messages.t
    charts = {
        "jurisdiction": render_chart(
            build_jurisdiction_figure(view, messages), "chart-jurisdiction", t("charts.jurisdiction.label")
        )
        if view.jurisdiction_rows
        else None,
        "concentration": render_chart(
            build_concentration_figure(view, messages), "chart-concentration", t("charts.concentration.label")
        )
        if view.top_controllers
        else None,
        "seal": render_chart(build_seal_figure(view, messages), "chart-seal", t("charts.seal.label"))
        if view.applications
        else None,
        "single_points": render_chart(
            build_single_points_figure(view, messages), "chart-single-points", t("charts.single_points.label")
        )
        if view.single_points
        else None,
        "roadmap": render_chart(
            build_roadmap_figure(view, messages), "chart-roadmap", t("roadmap.chart.label")
        )
        if view.roadmap and view.roadmap.waves
        else None,
    }
    seal_styles = [(key, (colour, text_colour(colour))) for key, colour in SEAL_COLOURS.items()]
    template = _environment().get_template("index.html.j2")
    return template.render(view=view, t=t, charts=charts, sections=SECTIONS, seal_styles=seal_styles)
