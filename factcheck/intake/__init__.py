"""Intake: articles and pages that arrive from links (fetching, extraction, feeds).

`fetch` is the one way the tracker reads the web: every outgoing request goes
through its checks (see fetch.py), so a URL typed into a form cannot reach the
newsroom's own network.
"""
