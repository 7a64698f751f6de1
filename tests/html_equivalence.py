"""HTML compared as a browser reads it: for tests of markup written in Python instead of a template.

Two fragments are equivalent when they hold the same elements in the same order, with the
same attributes (in any order, after entity decoding) and the same text, where a run of
whitespace counts as one space and whitespace beside a block element (a row, a cell, a list
item, a paragraph, a form) does not count: the indentation a template leaves there is not
shown. Whitespace between inline elements ("</a> <q>") does count.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK = frozenset(
    "html head body section div p ul ol li dl dt dd table thead tbody tfoot tr td th form details summary "
    "br h1 h2 h3 h4 option select textarea label meter".split()
)


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(sorted((k, v if v is not None else "") for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data)
        if self.tokens and self.tokens[-1][0] == "text":
            text = re.sub(r"\s+", " ", self.tokens.pop()[1] + text)
        self.tokens.append(("text", text))


def html_tokens(markup: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(str(markup))
    parser.close()
    tokens = parser.tokens
    out: list[tuple] = []
    for i, token in enumerate(tokens):
        if token[0] != "text":
            out.append(token)
            continue
        text = token[1]
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if before is None or before[1] in BLOCK:
            text = text.lstrip()
        if after is None or after[1] in BLOCK:
            text = text.rstrip()
        if text:
            out.append(("text", text))
    return out


def assert_same_html(expected: str, actual: str) -> None:
    want, got = html_tokens(expected), html_tokens(actual)
    if want != got:
        for index, (a, b) in enumerate(zip(want, got)):
            if a != b:
                raise AssertionError(f"differs at token {index}: expected {a!r}, got {b!r}\n{want[max(0, index - 3):index + 3]}")
        raise AssertionError(f"expected {len(want)} tokens, got {len(got)}: {want[len(got):] or got[len(want):]}")
