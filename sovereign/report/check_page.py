"""The outputs of ``sovereign check``: JSON, terminal text (English), and the one-page HTML or Markdown
for the procurement file (Dutch or English).

Renders a ``CheckOutcome`` that the pipeline computed; computes nothing itself. Everything from the user or the
catalog is escaped in HTML (jinja2 autoescape) and Markdown; the page loads nothing from the network.
"""

from __future__ import annotations

import importlib.resources
from typing import Any

import yaml

from sovereign.model import UNKNOWN, AxisResult, CheckOutcome, Finding
from sovereign.report.html import _environment

__all__ = ["check_json", "render_check_html", "render_check_markdown", "render_check_text"]


def _messages(lang: str) -> dict[str, Any]:
    text = (importlib.resources.files("sovereign.report") / "i18n" / f"check_{lang}.yaml").read_text(
        encoding="utf-8"
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _label(outcome: CheckOutcome, node: str) -> str:
    return outcome.result.labels.get(node, node)


def _path(outcome: CheckOutcome, path: tuple[str, ...]) -> str:
    return " → ".join(_label(outcome, n) if i % 2 == 0 else n.replace("_", " ") for i, n in enumerate(path))


def _axis(outcome: CheckOutcome, axis: AxisResult) -> dict[str, Any]:
    return {
        "countries": list(axis.countries),
        "paths": [list(p) for p in axis.paths],
        "explained": [_path(outcome, p) for p in axis.paths],
    }


def _finding(outcome: CheckOutcome, f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule_id,
        "kind": f.kind,
        "severity": f.severity,
        "message": f.message,
        "evidence": [list(p) for p in f.evidence],
        "detail": dict(f.detail),
    }


def check_json(outcome: CheckOutcome) -> dict[str, Any]:
    """The ``--json`` contract: verdict, violations, seal, the three axes, portfolio_delta, alternatives."""
    c = outcome.candidate
    policy = outcome.result.policy
    catalog = outcome.result.catalog
    product = outcome.product
    return {
        "candidate": {
            "name": c.application.name,
            "product": product.id,
            "product_name": product.name,
            "vendor": product.vendor,
            "operator": product.operator,
            "controller": None
            if c.controller is None
            else {"id": c.controller.id, "name": c.controller.name, "country": c.controller.country},
            "origin": product.origin,
        },
        "policy": None if policy is None else {"id": policy.id, "name": policy.name},
        "verdict": outcome.verdict,
        "violations": [_finding(outcome, f) for f in outcome.findings],
        "seal": c.seal,
        "seal_reason": c.seal_reason,
        "weighted_score": c.weighted_score,
        "criticality": c.criticality,
        "lawful_access": _axis(outcome, c.lawful_access),
        "residency": _axis(outcome, c.residency),
        "continuity": _axis(outcome, c.continuity),
        "landscape_applications": outcome.landscape_size,
        "portfolio_delta": [
            {"figure": d.figure, "subject": d.subject, "before": d.before, "after": d.after}
            for d in outcome.deltas
        ],
        "alternatives": [
            {
                "id": o.alternative.id,
                "product": o.alternative.product,
                "name": catalog.products[o.alternative.product].name,
                "controller": None
                if o.assessment.controller is None
                else {
                    "id": o.assessment.controller.id,
                    "name": o.assessment.controller.name,
                    "country": o.assessment.controller.country,
                },
                "seal_after": o.assessment.seal,
                "lawful_access_after": list(o.assessment.lawful_access.countries),
                "maturity": o.alternative.maturity,
                "effort": o.alternative.effort,
                "hosting_options": list(o.alternative.hosting_options),
                "adopters_with_source": o.adopters_with_source,
                "open_standards": list(o.alternative.open_standards),
            }
            for o in outcome.alternatives
        ],
        "exit_questions": [{"key": k, "parameters": p} for k, p in outcome.questions],
        "date": outcome.date,
    }


def _share(figure: str, value: float, lang: str) -> str:
    if figure == "hhi":
        return f"{value:,.0f}".replace(",", "." if lang == "nl" else ",")
    text = f"{value * 100:.1f}"
    return (text.replace(".", ",") + " %") if lang == "nl" else text + "%"


def _vendor_text(vendor: str, controller: dict[str, Any] | None, unknown: str) -> str:
    """'Visma Raet B.V. → Hg (GB)', or just 'Salesforce, Inc. (US)' when the vendor is its own controller."""
    if controller is None:
        return vendor
    top = f"{controller['name']} ({controller['country'] or unknown})"
    return top if controller["name"] == vendor else f"{vendor} → {top}"


def _view(outcome: CheckOutcome, lang: str) -> dict[str, Any]:
    """Everything the templates show, as plain strings."""
    m = _messages(lang)
    data = check_json(outcome)
    unknown = m["fields"]["unknown"]

    def countries(codes: list[str]) -> str:
        return ", ".join(unknown if c == UNKNOWN else c for c in codes) or m["fields"]["none"]

    c = outcome.candidate
    controller = data["candidate"]["controller"]
    catalog = outcome.result.catalog
    product = outcome.product
    return {
        "lang": lang,
        "m": m,
        "title": m["title"].format(name=c.application.name),
        "subtitle": m["subtitle"].format(
            date=outcome.date, policy=data["policy"]["name"] if data["policy"] else "-"
        ),
        "verdict": outcome.verdict,
        "verdict_text": m["verdict"][outcome.verdict],
        "facts": [
            (m["fields"]["product"], f"{product.name} ({product.id})"),
            (
                m["fields"]["vendor"],
                _vendor_text(catalog.entities[product.vendor].name, controller, unknown),
            ),
            (
                m["fields"]["operator"],
                catalog.entities[product.operator].name if product.operator else unknown,
            ),
            (
                m["fields"]["runs_on"],
                ", ".join(
                    _label(outcome, f"product:{p}") if p in catalog.products else catalog.hosting[p].name
                    for p in product.runs_on
                )
                or m["fields"]["none"],
            ),
            (m["fields"]["seal"], f"{unknown if c.seal is None else c.seal} ({c.seal_reason})"),
        ],
        "axes": [
            (m["fields"][key], countries(data[key]["countries"]), data[key]["explained"])
            for key in ("lawful_access", "residency", "continuity")
        ],
        "findings": [
            (f.severity, f.rule_id, f.message, [_path(outcome, p) for p in f.evidence[:2]])
            for f in outcome.findings
        ],
        "landscape": m["landscape"].format(count=outcome.landscape_size)
        if outcome.landscape_size
        else m["no_landscape"],
        "deltas": [
            (
                m["delta"][d.figure].format(subject=d.subject),
                _share(d.figure, d.before, lang),
                _share(d.figure, d.after, lang),
            )
            for d in outcome.deltas
        ],
        "alternatives": [
            (
                a["name"],
                m["alternative_line"].format(
                    seal=unknown if a["seal_after"] is None else a["seal_after"],
                    maturity=a["maturity"],
                    effort=a["effort"],
                    adopters=a["adopters_with_source"],
                    hosting=", ".join(a["hosting_options"]) or m["fields"]["none"],
                ),
            )
            for a in data["alternatives"][:8]
        ],
        "questions": [
            m["questions"][k].format(**{name: value or "?" for name, value in p.items()})
            for k, p in outcome.questions
        ],
    }


def render_check_text(outcome: CheckOutcome) -> str:
    """The terminal output (English)."""
    v = _view(outcome, "en")
    m = v["m"]
    lines = [v["title"], f"Verdict: {v['verdict'].upper()}: {v['verdict_text']}", ""]
    lines += [f"  {label}: {value}" for label, value in v["facts"]]
    lines.append("")
    for label, countries, paths in v["axes"]:
        lines.append(f"{label}: {countries}")
        lines += [f"    {p}" for p in paths]
    lines += ["", m["sections"]["policy"] + ":"]
    lines += [f"  {sev.upper():<7} {rule}: {message}" for sev, rule, message, _ in v["findings"]] or [
        "  " + m["no_findings"]
    ]
    lines += ["", m["sections"]["delta"] + ":", "  " + v["landscape"]]
    lines += [f"  {label}: {before} -> {after}" for label, before, after in v["deltas"]]
    lines += ["", m["sections"]["alternatives"] + ":"]
    lines += [f"  {i}. {name}: {line}" for i, (name, line) in enumerate(v["alternatives"], 1)] or [
        "  " + m["no_alternatives"]
    ]
    lines += ["", m["sections"]["questions"] + ":"]
    lines += [f"  {i}. {q}" for i, q in enumerate(v["questions"], 1)]
    return "\n".join(lines)


def render_check_html(outcome: CheckOutcome, *, lang: str = "nl") -> bytes:
    """A self-contained one-page HTML for the procurement file."""
    return _environment().get_template("check.html.j2").render(**_view(outcome, lang)).encode("utf-8")


def _md(text: str) -> str:
    """Escape Markdown's active characters in text from the inventory or the catalog."""
    for ch in "\\`*_{}[]<>()#+-.!|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_check_markdown(outcome: CheckOutcome, *, lang: str = "nl") -> bytes:
    """The same page as Markdown, for a wiki or a document."""
    v = _view(outcome, lang)
    m = v["m"]
    out = [
        f"# {_md(v['title'])}",
        "",
        _md(v["subtitle"]),
        "",
        f"**{_md(v['verdict_text'])}**",
        "",
        f"## {m['sections']['candidate']}",
        "",
    ]
    out += [f"- **{_md(label)}**: {_md(value)}" for label, value in v["facts"]]
    out += ["", f"## {m['sections']['axes']}", ""]
    for label, countries, paths in v["axes"]:
        out.append(f"- **{_md(label)}**: {_md(countries)}")
        out += [f"  - {_md(p)}" for p in paths]
    out += ["", f"## {m['sections']['policy']}", ""]
    out += [f"- **{sev}** `{rule}`: {_md(message)}" for sev, rule, message, _ in v["findings"]] or [
        _md(m["no_findings"])
    ]
    out += ["", f"## {m['sections']['delta']}", "", _md(v["landscape"]), ""]
    out += [f"- {_md(label)}: {_md(before)} → {_md(after)}" for label, before, after in v["deltas"]]
    out += ["", f"## {m['sections']['alternatives']}", ""]
    out += [f"{i}. **{_md(name)}**: {_md(line)}" for i, (name, line) in enumerate(v["alternatives"], 1)] or [
        _md(m["no_alternatives"])
    ]
    out += ["", f"## {m['sections']['questions']}", ""]
    out += [f"{i}. {_md(q)}" for i, q in enumerate(v["questions"], 1)]
    return ("\n".join(out) + "\n").encode("utf-8")
