"""Debian 12's wapiti 3.0.4 with its URL exclusions (-x) working on Python 3.11.

wapiti 3.0.4 compiles every -x pattern as `<pattern>\\Z(?ms)`; Python 3.11
refuses global flags that are not at the start of a pattern, so any -x makes
wapiti crash before it scans. This wrapper replaces that one function and runs
wapiti unchanged otherwise. Run it with the interpreter wapiti is installed for:

    /usr/bin/python3 bench/_wapiti.py [wapiti arguments]
"""

import re
import sys

from wapitiCore.net import crawler


def wildcard_translate(pattern: str):
    """`*` matches anything, everything else literally; the whole URL must match."""
    return re.compile("(?ms)" + "".join(".*" if ch == "*" else re.escape(ch) for ch in pattern) + r"\Z")


crawler.wildcard_translate = wildcard_translate

from wapitiCore.main.wapiti import wapiti_main  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "wapiti"
    sys.exit(wapiti_main())
