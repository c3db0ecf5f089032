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
from sovereign.report._residency import (
    build_facts_view,
    build_residency_figure,
    build_residency_view,
    build_sources,
    walk_assessments,
)
from sovereign.report.charts import (
    build_concentration_figure,
    build_jurisdiction_figure,
    build_organisations_figure,
    build_roadmap_figure,
    build_seal_figure,
    build_single_points_figure,
    render_chart,
)
from sovereign.report.dependencies import DIV_ID as DEPENDENCIES_DIV_ID
from sovereign.report.dependencies import build_dependency_figure, build_dependency_view
from sovereign.report.translation import Messages
from sovereign.report.view import FULL_TABLE_LIMIT, ORGANISATION_BARS, build_report_parts

__all__ = ["SECTIONS", "render_index_html"]

#: Section ids of index.html, in page order; also the keys of their titles under ``sections.`` in i18n.
#: A page whose inventory holds two or more organisations adds "organisations" after "summary".
SECTIONS: tuple[str, ...] = (
    "summary",
    "policy",
    "scenarios",
    "single_points",
    "dependencies",
    "roadmap",
    "jurisdiction",
    "residency",
    "concentration",
    "seal",
    "applications",
    "evidence",
    "quality",
    "method",
    "sources",
)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """jinja2's own cache of compiled templates (in the user's temp folder, checked against each template's
    source), so that a repeated audit does not compile the templates again (~0.25 s of a 500-row audit).
    Without a usable temp folder the templates are compiled each time."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sovereign.report", "templates"),
        bytecode_cache=_bytecode_cache(),
        # Not select_autoescape(): our templates end in .j2, and escaping must never depend on a file name.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_index_html(result: AuditResult, messages: Messages) -> str:
    """The full report page in ``messages.lang``."""
    view, builder = build_report_parts(result, messages, limit=FULL_TABLE_LIMIT)
    t = messages.t
    walk = walk_assessments(result)
    used = walk.used
    residency = build_residency_view(result, messages, builder, walk)
    charts = {
        "organisations": render_chart(
            build_organisations_figure(view, messages), "chart-organisations", t("organisations.chart_label")
        )
        if view.organisations
        else None,
        "jurisdiction": render_chart(
            build_jurisdiction_figure(view, messages), "chart-jurisdiction", t("charts.jurisdiction.label")
        )
        if view.jurisdiction_rows
        else None,
        "residency": render_chart(
            build_residency_figure(residency, messages), "chart-residency", t("residency.label")
        )
        if residency.rows
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
    dependencies = build_dependency_view(result, messages)
    if dependencies.nodes:
        charts["dependencies"] = render_chart(
            build_dependency_figure(dependencies, messages), DEPENDENCIES_DIV_ID, t("dependencies.label")
        )
    else:
        charts["dependencies"] = None
    seal_styles = [(key, (colour, text_colour(colour))) for key, colour in SEAL_COLOURS.items()]
    template = _environment().get_template("index.html.j2")
    # A section's nav title lives under ``sections.``, or under the section's own key as ``title``.
    # The per-organisation section exists only for an inventory of two or more organisations.
    sections = (SECTIONS[0], "organisations", *SECTIONS[1:]) if view.organisations else SECTIONS
    titles = {k: t(f"sections.{k}") if messages.has(f"sections.{k}") else t(f"{k}.title") for k in sections}
    organisations_intro = ""
    if view.organisations:
        few = len(view.organisations.rows) <= ORGANISATION_BARS
        organisations_intro = t(
            "organisations.chart_intro_bars" if few else "organisations.chart_intro_distribution"
        )
    return template.render(
        view=view,
        t=t,
        n=messages.number,  # counts as the language writes them: 11.029, not 11029
        charts=charts,
        sections=sections,
        organisations_chart_intro=organisations_intro,
        section_titles=titles,
        seal_styles=seal_styles,
        residency=residency,
        dependencies=dependencies,
        facts=build_facts_view(result, messages, builder, used),
        sources=build_sources(result, messages, builder, used),
    )
