"""Markdown cell and paragraph text into reStructuredText inline markup.

The catalogue holds reStructuredText; the chapters of 2019-2022 are Markdown.
Converting keeps upstream's wording and emphasis (code, bold, links,
superscript footnote marks), so an item reads the same whichever form it
was imported from.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from ra2docs.documents.markdown import inline_tokens

_SPECIAL = re.compile(r"([\\`*|])")
_UNDERSCORE = re.compile(r"(\w)_(?=\W|$)")  # 'word_' would be a reference
# What would start a list in reStructuredText: a bullet, or an enumerator (a number, one letter, a roman numeral).
_ROMAN = r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ENUMERATOR = rf"(?:\d+|[a-zA-Z]|(?=[IVXLCDM]){_ROMAN}|(?=[ivxlcdm]){_ROMAN.lower()})"
_LEADING = re.compile(rf"^([-+#=.•‣⁃]|{_ENUMERATOR}[.)](\s|$)|\({_ENUMERATOR}\)(\s|$))")
_TAG = re.compile(r"^<\s*(/?)\s*([a-zA-Z]+)[^>]*>$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Tags that separate what they hold ('For Networking: <ul><li>ra2.ntw.001<li>ra2.ntw.008</ul>'): a blank, or the
# IDs of a list in a cell would run together and no longer be read as IDs.
_BREAKING = frozenset({"br", "p", "div", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "td", "th", "hr"})


def _escape(text: str) -> str:
    """Text that reStructuredText reads as text: escapes only where a character could start markup."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _UNDERSCORE.sub(r"\1\\_", text)


def _literal(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    if "``" in text or text.startswith("`") or text.endswith("`"):
        return ":literal:`" + text.replace("\\", "\\\\").replace("`", "\\`") + "`"
    return f"``{text}``"


def _wrap(mark: str, inner: str) -> str:
    """Strong or emphasis, only where reStructuredText can show it (around words, not inside one)."""
    stripped = inner.strip()
    if not stripped:
        return inner
    return f"{mark}{stripped}{mark}"


def _render(tokens: list[Token]) -> str:
    out: list[str] = []
    stack: list[tuple[str, int, str]] = []  # (kind, position in out, href)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "text":
            out.append(_escape(token.content))
        elif kind == "code_inline":
            out.append(_literal(token.content))
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind in ("strong_open", "em_open"):
            stack.append((kind, len(out), ""))
        elif kind in ("strong_close", "em_close"):
            if stack and stack[-1][0] == kind.replace("_close", "_open"):
                _, start, _ = stack.pop()
                inner = "".join(out[start:])
                del out[start:]
                if "**" in inner or ("*" in inner.replace("\\*", "")):
                    out.append(inner)  # nested emphasis cannot be written in reStructuredText
                else:
                    out.append(_wrap("**" if kind == "strong_close" else "*", inner))
        elif kind == "link_open":
            stack.append(("link", len(out), str(token.attrs.get("href", ""))))
        elif kind == "link_close":
            if stack and stack[-1][0] == "link":
                _, start, href = stack.pop()
                label = "".join(out[start:]).strip()
                del out[start:]
                out.append(_link(label, href))
        elif kind == "image":
            out.append(_escape(token.content or ""))
        elif kind == "html_inline":
            out.append(_html(token.content, tokens, index))
        index += 1
    return "".join(out)


def _link(label: str, href: str) -> str:
    if not href or href.startswith("#") or not re.match(r"^(https?|mailto):", href):
        return label  # links into the Markdown chapters (chapter04.md#...) do not survive the move to RST
    if not label:
        return f"`<{href}>`__"
    plain = label.replace("\\", "")
    return f"`{plain.replace('`', '')} <{href}>`__"


def _html(tag: str, tokens: list[Token], index: int) -> str:
    """Inline HTML: line breaks become spaces, <sup>/<sub> footnote marks stay marks, other tags go."""
    if tag.startswith("<!--"):
        return ""
    match = _TAG.match(tag.strip())
    if not match:
        return ""
    closing, name = match.group(1), match.group(2).lower()
    if name in _BREAKING:
        return " "
    if name in ("sup", "sub") and not closing:
        # Take the text up to the closing tag (upstream sometimes closes <sub> with <sub>).
        inner = []
        for token in tokens[index + 1 :]:
            if token.type == "html_inline":
                break
            inner.append(token.content)
        text = "".join(inner).strip()
        token_text = " ".join(text.split())
        for token in tokens[index + 1 : index + 1 + len(inner)]:
            token.content = ""
            token.type = "skip"
        return f" :sup:`{_escape(token_text)}`" if token_text else ""
    return ""


def md_to_rst(text: str) -> str:
    """reStructuredText inline markup for a Markdown cell or paragraph."""
    text = _COMMENT.sub("", text)
    if not text.strip():
        return ""
    rendered = _render(inline_tokens(text))
    rendered = " ".join(rendered.split()).replace(" :sup:", "\\ :sup:")
    if _LEADING.match(rendered):
        rendered = "\\" + rendered
    return rendered
