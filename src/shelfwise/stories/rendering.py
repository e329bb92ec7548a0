"""A story's Markdown as safe HTML: CommonMark by markdown-it-py with raw HTML off, then
sanitised by Ammonia (nh3) to an allow-list, so an editor's text can never put script,
styles, frames or event handlers on a page; links get rel="noopener noreferrer"."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
    "code", "pre", "hr",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}}


def markdown_html(text: str) -> str:
    """Sanitised HTML for a Markdown text (headings start at h2: the story title is h1)."""
    html = _PARSER.render(text).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
