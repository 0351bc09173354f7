"""Render a report document as self-contained HTML and as Markdown.

:mod:`planner.report.build` assembles a :class:`Document` of sections and
blocks (paragraphs, tables, images, lists); the two renderers here only turn
it into text, so the HTML and Markdown reports always say the same thing.
The HTML embeds images as base64 PNG and needs no network; a content
security policy forbids any other source. The Markdown links the images as
relative files.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Markdown has no cell colours: a symbol per cell class carries the status instead.
_MD_MARK = {"ready": "🟢", "not-ready": "🔴", "unknown": "⚪", "waived": "🟡", "held": "", "na": ""}

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1600px;
       padding: 0 1rem; color: #212529; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
       border-bottom: 1px solid #dee2e6; padding-bottom: .2rem; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .85rem; }
th, td { border: 1px solid #dee2e6; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
.scroll { overflow-x: auto; max-width: 100%; }
td.ready { background: #b2f2bb; } td.not-ready { background: #ffa8a8; } td.unknown { background: #ced4da; } td.waived { background: #ffec99; }
td.held { background: #e7f5ff; color: #495057; } td.na { background: #fff; color: #adb5bd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.u0 { background: #fff; } td.u1 { background: #e7f5ff; } td.u2 { background: #a5d8ff; }
td.u3 { background: #4dabf7; } td.u4 { background: #1c7ed6; color: #fff; }
.verdict { display: inline-block; padding: .2rem .7rem; border-radius: .3rem; font-weight: 700; }
.verdict.ready { background: #2f9e44; color: #fff; } .verdict.not-ready { background: #e03131; color: #fff; } .verdict.waived { background: #f59f00; color: #fff; }
.verdict.unknown { background: #868e96; color: #fff; }
img.chart { max-width: 100%; height: auto; border: 1px solid #dee2e6; }
figure { margin: 1rem 0; } figcaption { font-size: .85rem; color: #495057; }
pre { background: #f8f9fa; padding: .5rem; overflow-x: auto; }
td:first-child, th:first-child { white-space: nowrap; }
table[id^="gates"] td:nth-child(3), table[id^="gates"] td:nth-child(4) { white-space: nowrap; }
@page { size: A4; margin: 14mm; }
@media print { body { max-width: none; margin: 0; font-size: 10pt; } table { font-size: 8.5pt; }
  tr { break-inside: avoid; } h2 { break-after: avoid; } #days p { break-before: page; } }
""".strip()

# Shows in the DOM that the page's script ran (the browser test checks for it).
_SCRIPT = 'document.body.setAttribute("data-ok", "1");'
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


@dataclass(frozen=True)
class Cell:
    """A table cell with an optional CSS class (status colour) and tooltip."""

    text: str
    css: str = ""
    title: str = ""


@dataclass(frozen=True)
class Para:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table; ``id`` names it in the HTML, ``rows`` hold strings or cells.

    With ``row_headers`` the first cell of each row is a header cell.
    """

    columns: Sequence[str]
    rows: Sequence[Sequence[str | Cell]]
    id: str = ""
    row_headers: bool = False


@dataclass(frozen=True)
class Image:
    """A chart: embedded from ``path`` in HTML, linked by file name in Markdown."""

    path: Path
    caption: str


@dataclass(frozen=True)
class Bullets:
    """A list of plain-text items; ``links`` pairs text with a relative target."""

    items: Sequence[str] = ()
    links: Sequence[tuple[str, str]] = ()


Block = Para | Table | Image | Bullets


@dataclass(frozen=True)
class Section:
    """A titled section of blocks."""

    title: str
    blocks: Sequence[Block]
    id: str = ""


@dataclass(frozen=True)
class Document:
    """A whole report: title, the overall verdict (text and CSS class), sections."""

    title: str
    verdict: str
    verdict_css: str
    sections: Sequence[Section] = field(default_factory=tuple)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _cell_html(cell: str | Cell, header: bool = False) -> str:
    tag = "th" if header else "td"
    if isinstance(cell, str):
        return f"<{tag}>{_esc(cell)}</{tag}>"
    attrs = f' class="{_esc(cell.css)}"' if cell.css else ""
    attrs += f' title="{_esc(cell.title)}"' if cell.title else ""
    return f"<{tag}{attrs}>{_esc(cell.text)}</{tag}>"


def _block_html(block: Block) -> str:
    if isinstance(block, Para):
        return f"<p>{_esc(block.text)}</p>"
    if isinstance(block, Table):
        ident = f' id="{_esc(block.id)}"' if block.id else ""
        head = "".join(_cell_html(c, header=True) for c in block.columns)
        body = "\n".join(
            "<tr>" + "".join(_cell_html(c, header=block.row_headers and i == 0) for i, c in enumerate(row)) + "</tr>"
            for row in block.rows
        )
        return f'<div class="scroll"><table{ident}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>'
    if isinstance(block, Image):
        data = base64.b64encode(block.path.read_bytes()).decode("ascii")
        return (
            f'<figure><img class="chart" id="{_esc(block.path.stem)}" alt="{_esc(block.caption)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{_esc(block.caption)} '
            f'(<a href="{_esc(block.path.with_suffix(".svg").name)}">SVG</a>)</figcaption></figure>'
        )
    items = [f"<li>{_esc(t)}</li>" for t in block.items]
    items += [f'<li><a href="{_esc(target)}">{_esc(text)}</a></li>' for text, target in block.links]
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def render_html(doc: Document) -> str:
    """The document as one self-contained HTML page."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(doc.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_esc(doc.title)}</h1>",
        f'<p>Overall readiness: <span id="verdict" class="verdict {_esc(doc.verdict_css)}">{_esc(doc.verdict)}</span></p>',
    ]
    for sec in doc.sections:
        ident = f' id="{_esc(sec.id)}"' if sec.id else ""
        parts.append(f"<section{ident}>\n<h2>{_esc(sec.title)}</h2>")
        parts.extend(_block_html(b) for b in sec.blocks)
        parts.append("</section>")
    parts += [f"<script>{_SCRIPT}</script>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _md_text(text: str) -> str:
    """Escape what would break a Markdown table row or start markup (raw HTML and code spans included)."""
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("*", "\\*").replace("_", "\\_")
            .replace("`", "\\`").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _md_cell(cell: str | Cell) -> str:
    if isinstance(cell, str):
        return _md_text(cell)
    mark = _MD_MARK.get(cell.css, "")
    return f"{mark} {_md_text(cell.text)}".strip()


def _block_md(block: Block) -> str:
    if isinstance(block, Para):
        return _md_text(block.text)
    if isinstance(block, Table):
        lines = ["| " + " | ".join(_md_text(c) for c in block.columns) + " |"]
        lines.append("|" + "|".join("---" for _ in block.columns) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
        return "\n".join(lines)
    if isinstance(block, Image):
        return f"![{_md_text(block.caption)}]({block.path.name})\n\n[SVG]({block.path.with_suffix('.svg').name})"
    items = [f"- {_md_text(t)}" for t in block.items]
    items += [f"- [{_md_text(text)}]({target})" for text, target in block.links]
    return "\n".join(items)


def render_markdown(doc: Document) -> str:
    """The document as Markdown (GitHub flavour), images as relative links."""
    parts = [f"# {_md_text(doc.title)}", f"Overall readiness: **{doc.verdict}**"]
    for sec in doc.sections:
        parts.append(f"## {_md_text(sec.title)}")
        parts.extend(_block_md(b) for b in sec.blocks)
    return "\n\n".join(parts) + "\n"
