"""``report.md``: the report as Markdown, for a wiki, a ticket or a council document.

The content follows ``index.html``: summary figures, policy findings, scenarios, single points of failure, the
migration roadmap, the application table and data quality, then where the figures come from. Figures and
sentences come from the report's view (``view.build_report_view``) and the exports' translation files; the
roadmap is read from ``AuditResult.plan``.

Safety: every text we did not write ourselves (names from the inventory and the catalog, but also translated
sentences with such names filled in) goes through ``escape_markdown``, which backslash-escapes every character
Markdown, its GitHub extensions or inline HTML could act on, and folds line breaks into spaces. So no inventory
text becomes a heading, a link, a table cell border, an image or an HTML tag, and the file never holds raw HTML.
Only this module's own syntax (``#``, ``|``, ``-``, ``**``) is live. Deterministic; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sovereign.model import AuditResult
from sovereign.report._exports import (
    alternative_name,
    country_codes,
    high_seal_share,
    load_export_messages,
    path_text,
    plan_steps,
    seal_text,
    step_name,
    word,
)
from sovereign.report._roadmap import index_plan
from sovereign.report.translation import Messages
from sovereign.report.view import AXES, FULL_TABLE_LIMIT, TOP_ROWS, ReportView, _Builder, build_report_parts

__all__ = ["escape_markdown", "render_report_markdown"]

#: Characters escaped wherever they stand. CommonMark lets any ASCII punctuation be backslash-escaped (spec 2.4);
#: these are the ones CommonMark, GitHub's extensions (tables, strikethrough, autolinks, math, emoji) or HTML
#: could read as syntax: \ ` * _ { } [ ] < > ( ) # + - . ! | plus & (entities), ~ (strikethrough),
#: : and @ (bare autolinks and emoji), $ (math) and = (setext headings, highlights in some dialects).
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|&~:@$=])")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as written, on one line.

    >>> escape_markdown("<b>R&D</b> [x](javascript:alert(1))")
    '\\\\<b\\\\>R\\\\&D\\\\</b\\\\> \\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\)'
    >>> escape_markdown("# Kop\\n- punt")
    '\\\\# Kop \\\\- punt'
    """
    return _SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", text))


def render_report_markdown(result: AuditResult, messages: Messages) -> str:
    """The report in ``messages.lang`` as Markdown text, ending in one newline."""
    messages = load_export_messages(messages)
    view, parts = build_report_parts(result, messages, limit=FULL_TABLE_LIMIT)
    writer = _Writer(result, view, messages, parts)
    for part in (
        writer.summary,
        writer.organisations,
        writer.policy,
        writer.scenarios,
        writer.single_points,
        writer.roadmap,
        writer.applications,
        writer.quality,
        writer.about,
    ):
        part()
    return writer.text()


class _Writer:
    """Collects the lines of the document; one method per section."""

    def __init__(self, result: AuditResult, view: ReportView, messages: Messages, parts: _Builder) -> None:
        self.result = result
        self.view = view
        self.messages = messages
        # The view's builder has the names, the assessments by id and the ranking at hand already.
        self.parts = parts
        self.names = parts.names
        self.lines: list[str] = [f"# {escape_markdown(view.title)}", "", escape_markdown(view.subtitle), ""]

    def t(self, key: str, **params: object) -> str:
        """A text of the exports (``exports.markdown.<key>``), escaped, with its parameters filled in."""
        return escape_markdown(self.messages.t(f"exports.markdown.{key}", **params))

    def text(self) -> str:
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + "\n"

    # Building blocks

    def heading(self, level: int, text: str) -> None:
        self.lines += ["#" * level + " " + text, ""]

    def paragraph(self, text: str) -> None:
        self.lines += [text, ""]

    def bullets(self, items: Iterable[str]) -> None:
        items = list(items)
        if items:
            self.lines += [f"- {item}" for item in items]
            self.lines.append("")

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[int] = ()
    ) -> None:
        """A GitHub table; cells are escaped already. ``numeric`` columns are aligned right."""
        self.lines.append("| " + " | ".join(headers) + " |")
        self.lines.append(
            "|" + "|".join("---:" if index in numeric else "---" for index in range(len(headers))) + "|"
        )
        self.lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
        self.lines.append("")

    def join_names(self, names: Iterable[str]) -> str:
        """Names in one line, "; " apart (a name may hold a comma); not escaped yet."""
        return self.messages.t("exports.name_separator").join(names)

    # Sections

    def summary(self) -> None:
        self.heading(2, self.t("sections.summary"))
        items = []
        for figure in self.view.figures:
            value = figure.value + (f" ({figure.detail})" if figure.detail else "")
            bold = escape_markdown(
                self.messages.t("exports.markdown.figure", label=figure.label, value=value)
            )
            items.append(f"**{bold}**. {escape_markdown(figure.explanation)}".rstrip())
        self.bullets(items)
        if self.view.cap_note:
            self.paragraph(escape_markdown(self.view.cap_note))

    def policy(self) -> None:
        self.heading(2, self.t("sections.policy"))
        policy = self.view.policy
        if policy is None:
            self.paragraph(self.t("policy.none"))
            return
        self.paragraph(escape_markdown(policy.summary))
        self.heading(3, self.t("policy.rules"))
        self.table(
            [self.t(f"policy.col_{key}") for key in ("rule", "kind", "severity", "requirement", "applies_to")]
            + [self.t("policy.col_applications")],
            (
                [
                    escape_markdown(text)
                    for text in (r.id, r.kind, r.severity_text, r.requirement, r.applies_to)
                ]
                + [escape_markdown(r.applications_text)]
                for r in policy.rules
            ),
            numeric=(5,),
        )
        self.heading(3, self.t("policy.violations"))
        rows = []
        for rule in policy.rules:
            for finding in rule.findings:
                application = (
                    escape_markdown(finding.application.name)
                    if finding.application
                    else self.t("policy.portfolio")
                )
                message = finding.message
                if finding.applications:
                    names = self.join_names(link.name for link in finding.applications)
                    message += f" {finding.concerned} {names}"
                evidence = "; ".join(path_text(path, self.messages) for path in finding.evidence)
                rows.append(
                    [
                        escape_markdown(rule.id),
                        escape_markdown(rule.severity_text),
                        application,
                        escape_markdown(message),
                        escape_markdown(evidence),
                    ]
                )
        if rows:
            headers = [self.t(f"policy.col_{key}") for key in ("rule", "severity", "application", "message")]
            self.table([*headers, self.t("policy.col_evidence")], rows)
        else:
            self.paragraph(self.t("policy.no_violations"))

    def scenarios(self) -> None:
        self.heading(2, self.t("sections.scenarios"))
        if not self.view.scenarios:
            self.paragraph(self.t("scenarios.none"))
        for scenario in self.view.scenarios:
            self.heading(3, escape_markdown(scenario.title))
            self.paragraph(escape_markdown(scenario.description))
            self.paragraph(escape_markdown(scenario.summary))
            stopped = (*scenario.top, *scenario.rest)
            if stopped:
                indirect = self.messages.t("exports.markdown.scenarios.indirect")
                self.table(
                    [
                        self.t(f"scenarios.col_{key}")
                        for key in ("application", "department", "criticality", "path")
                    ],
                    (
                        [
                            escape_markdown(row.application.name),
                            escape_markdown(row.department or ""),
                            escape_markdown(row.criticality_text),
                            escape_markdown(
                                path_text(row.path, self.messages) + ("" if row.direct else f" {indirect}")
                            ),
                        ]
                        for row in stopped
                    ),
                    numeric=(2,),
                )
            if scenario.uncertain:
                names = self.join_names(link.name for link in scenario.uncertain)
                self.paragraph(self.t("scenarios.uncertain", names=names))

    def single_points(self) -> None:
        self.heading(2, self.t("sections.single_points"))
        self.paragraph(escape_markdown(self.view.single_points_summary))
        if self.view.single_points:
            keys = ("point", "kind", "equivalent", "applications", "share", "example")
            self.table(
                [self.t(f"single_points.col_{key}") for key in keys],
                (
                    [
                        escape_markdown(row.label),
                        escape_markdown(row.kind),
                        escape_markdown(self.join_names(row.equivalent)),
                        escape_markdown(self.messages.number(row.applications)),
                        escape_markdown(row.share_text),
                        escape_markdown(path_text(row.example, self.messages)),
                    ]
                    for row in self.view.single_points
                ),
                numeric=(3, 4),
            )

    def roadmap(self) -> None:
        self.heading(2, self.t("sections.roadmap"))
        plan, m = self.result.plan, self.messages
        if plan is None:
            self.paragraph(self.t("roadmap.none"))
            return
        moves = sum(len(wave.moves) for wave in plan.waves)
        index = index_plan(plan)
        self.paragraph(
            self.t(
                "roadmap.lead",
                below=m.number(len(plan.options)),
                total=m.number(len(self.result.assessments)),
                with_options=m.number(index.with_options),
                moves=m.number(moves),
                effort=word(m, "effort", plan.max_effort),
            )
        )
        options = index.by_app

        def shown(app_ids: Sequence[str]) -> set[str]:
            # Above FULL_TABLE_LIMIT the lists name the most important applications only, like index.html:
            # those the view's ranking knows, most important first (``parts.top`` walks the ranking once).
            if not self.view.capped or len(app_ids) <= TOP_ROWS:
                return set(app_ids)
            rank = self.parts.rank()
            return {app_id for app_id in self.parts.top(app_ids)[0] if app_id in rank}

        for number, portfolio, wave_moves in plan_steps(plan):
            self.heading(3, escape_markdown(step_name(number, m)))
            self.paragraph(
                self.t(
                    "roadmap.figures",
                    lawful_access=m.percent(portfolio.us_lawful_access_share),
                    continuity=m.percent(portfolio.us_continuity_share),
                    high=m.percent(high_seal_share(portfolio)),
                )
            )
            if number is None:
                continue
            items = []
            keep = shown([app_id for app_id, _ in wave_moves])
            if len(keep) < len(wave_moves):
                self.paragraph(
                    escape_markdown(
                        m.t("capped.moves", shown=m.number(len(keep)), total=m.number(len(wave_moves)))
                    )
                )
            for app_id, alternative_id in wave_moves:
                if app_id not in keep:
                    continue
                option = options.get(app_id)
                chosen = next(
                    (o for o in (option.options if option else ()) if o.alternative.id == alternative_id),
                    None,
                )
                items.append(
                    self.t(
                        "roadmap.move",
                        application=self.names.get(app_id, app_id),
                        alternative=alternative_name(self.result, alternative_id),
                        before=seal_text(option.before.seal if option else None, m),
                        after=seal_text(chosen.after.seal if chosen else None, m),
                        effort=word(m, "effort", chosen.alternative.effort)
                        if chosen
                        else m.t("exports.none"),
                    )
                )
            if items:
                self.bullets(items)
            else:
                self.paragraph(self.t("roadmap.no_moves"))
        if plan.exits:
            self.heading(3, self.t("roadmap.exits"))
            self.paragraph(self.t("roadmap.exits_intro"))
            keep = shown([e.app_id for e in plan.exits])
            if len(keep) < len(plan.exits):
                self.paragraph(
                    escape_markdown(
                        m.t("capped.exits", shown=m.number(len(keep)), total=m.number(len(plan.exits)))
                    )
                )
            self.bullets(
                self.t(
                    "roadmap.exit",
                    application=self.names.get(e.app_id, e.app_id),
                    target=alternative_name(self.result, e.target)
                    or m.t("exports.markdown.roadmap.no_target"),
                    dependants=m.number(len(e.dependants)),
                    stops=m.number(len(e.stops_if_cut)),
                    clauses=self.join_names(word(m, "clauses", clause) for clause in e.secure_now),
                )
                for e in plan.exits
                if e.app_id in keep
            )

    def organisations(self) -> None:
        organisations = self.view.organisations
        if organisations is None:
            return
        m = self.messages
        self.heading(2, escape_markdown(m.t("organisations.title")))
        self.paragraph(escape_markdown(organisations.summary))
        keys = (
            "name",
            "applications",
            "matched",
            "us_lawful_access",
            "us_lawful_access_weighted",
            "us_continuity",
            "low_seal",
            "errors",
            "warnings",
            "largest",
        )
        self.table(
            [escape_markdown(m.t(f"organisations.col_{key}")) for key in keys],
            (
                [
                    escape_markdown(text)
                    for text in (
                        row.name,
                        row.applications_text,
                        row.matched_text,
                        row.us_lawful_access_text,
                        row.us_lawful_access_weighted_text,
                        row.us_continuity_text,
                        row.low_seal_text,
                        m.number(row.errors),
                        m.number(row.warnings),
                        row.largest or m.t("exports.none"),
                    )
                ]
                for row in organisations.rows
            ),
            numeric=tuple(range(1, 9)),
        )

    def applications(self) -> None:
        self.heading(2, self.t("sections.applications"))
        if self.view.applications_shown:
            self.paragraph(escape_markdown(self.view.applications_shown))
        none = self.messages.t("exports.none")
        keys = ("name", "department", "product", "controller", *AXES, "seal", "criticality", "weighted_score")
        self.table(
            [self.t(f"applications.col_{key}") for key in keys],
            (
                [
                    escape_markdown(row.name),
                    escape_markdown(row.department or ""),
                    escape_markdown(row.product or none),
                    escape_markdown(row.controller or none),
                    *(escape_markdown(country_codes(row.axis(key), self.messages)) for key in AXES),
                    escape_markdown(row.seal.name),
                    escape_markdown(row.criticality_text),
                    escape_markdown(row.weighted_score_text),
                ]
                for row in self.view.applications
            ),
            numeric=(8, 9),
        )

    def quality(self) -> None:
        view = self.view
        self.heading(2, self.t("sections.quality"))
        self.heading(3, self.t("quality.unmatched"))
        if view.unmatched:
            self.table(
                [self.t(f"quality.col_{key}") for key in ("name", "source", "vendor", "suggestions")],
                (
                    [
                        escape_markdown(row.name),
                        escape_markdown(row.source),
                        escape_markdown(row.vendor or ""),
                        escape_markdown(self.join_names(row.suggestions)),
                    ]
                    for row in view.unmatched
                ),
            )
        else:
            self.paragraph(self.t("quality.unmatched_none"))
        for key, rows, second in (("rejected", view.rejected, "reason"), ("merged", view.merged, "into")):
            self.heading(3, self.t(f"quality.{key}"))
            if rows:
                self.table(
                    [self.t("quality.col_source"), self.t(f"quality.col_{second}")],
                    ([escape_markdown(a), escape_markdown(b)] for a, b in rows),
                )
            else:
                self.paragraph(self.t(f"quality.{key}_none"))
        self.heading(3, self.t("quality.warnings"))
        if view.warnings:
            self.bullets(escape_markdown(warning) for warning in view.warnings)
        else:
            self.paragraph(self.t("quality.warnings_none"))
        self.heading(3, self.t("quality.local"))
        if view.local_knowledge:
            change = {True: "exports.xlsx.local.overrides", False: "exports.xlsx.local.adds"}
            self.table(
                [self.t(f"quality.col_{key}") for key in ("record", "change", "reason", "applications")],
                (
                    [
                        escape_markdown(f"{row.name} ({row.kind})"),
                        escape_markdown(self.messages.t(change[row.overrides])),
                        escape_markdown(row.reason),
                        escape_markdown(self.join_names(row.applications)),
                    ]
                    for row in view.local_knowledge
                ),
            )
        else:
            self.paragraph(self.t("quality.local_none"))

    def about(self) -> None:
        view, result = self.view, self.result
        self.heading(2, self.t("sections.about"))
        lines = [
            self.t("about.tool", version=result.tool_version, method=result.method_version),
            self.t("about.catalog", digest=result.catalog_digest),
            self.t("about.date", date=view.date),
        ]
        policy = result.policy
        lines.append(
            self.t("about.policy", name=policy.name, file=policy.file or policy.id)
            if policy
            else self.t("about.no_policy")
        )
        self.bullets(lines)
        self.paragraph(self.t("about.inputs"))
        self.bullets(escape_markdown(line) for line in view.inputs)
