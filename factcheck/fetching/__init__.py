"""Safe HTTP fetch and main-text extraction, no database (DESIGN.md: factcheck/fetching/).

The services that store what arrives (link imports, feeds, evidence details)
live in factcheck/services/ and call this package.

`fetch` is the one way the tracker reads the web: every outgoing request goes
through its checks (see fetch.py), so a URL typed into a form cannot reach the
newsroom's own network.
"""
