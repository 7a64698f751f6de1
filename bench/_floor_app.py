"""The floor for bench/queue_page.py: a minimal Flask app that does a real page's SQL and nothing else.

For each page in the plan (written by bench/queue_page.py from one real request,
see ``capture``), a request here:

- reads the signed session cookie with Flask's own session (same secret key and
  cookie name as the app), takes the user id from it and loads that user with
  the statement the app used, answering 403 when the user is gone (a public
  page, planned with no user statement, reads no cookie);
- replays every other statement the real page sent, with the same parameters,
  on one pooled connection made like the app's (factcheck.db.make_engine:
  its ping of idle connections, one transaction, rolled back at the end, or
  autocommit for a public page as the app's public pages run; a statement the
  app sends prepared, db.fetch_prepared, prepared here too), so the round trips
  and the server's work match;
- renders every row it fetched in plain HTML tables with one Jinja loop.

So it pays for what any Flask page on this data must (WSGI, session cookie,
the round trips, psycopg2, escaping the values) and none of the app's own
layers (ORM objects, forms, macros, the layout). Environment:
FLOOR_PLAN (the pickled plan), DATABASE_URL, SECRET_KEY.
"""

from __future__ import annotations

import os
import pickle

from flask import Flask, abort, session

from factcheck.db import fetch_prepared, make_engine

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ name }}</title></head>
<body><main>
{% for result in results %}<table>
<thead><tr>{% for column in result.columns %}<th>{{ column }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in result.rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>{% endfor %}</tbody>
</table>
{% endfor %}</main></body></html>
"""

with open(os.environ["FLOOR_PLAN"], "rb") as handle:
    PLAN: dict = pickle.load(handle)

app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ["SECRET_KEY"],
    SESSION_COOKIE_NAME=PLAN["cookie_name"],
    SESSION_REFRESH_EACH_REQUEST=False,  # the floor only reads the cookie
)
engine = make_engine(os.environ["DATABASE_URL"])
autocommit_engine = make_engine(os.environ["DATABASE_URL"], isolation_level="AUTOCOMMIT")
TEMPLATE = app.jinja_env.from_string(PAGE)  # compiled once, as Flask caches a file template


class Result:
    __slots__ = ("columns", "rows")

    def __init__(self, columns, rows):
        self.columns = columns
        self.rows = rows


@app.get("/floor/<name>")
def floor(name: str):
    page = PLAN["pages"].get(name)
    if page is None:
        abort(404)
    user_id = None
    if page["user_statement"] is not None:  # a page for a logged-in user; None: a public page
        try:
            user_id = int(str(session["_user_id"]).split(":")[0])
        except (KeyError, ValueError):
            abort(403)
    results = []
    prepared = page.get("prepared", ())
    # A public page counts its client's request and reads on a pool made in autocommit, as the app does.
    with (autocommit_engine if page.get("autocommit") else engine).connect() as conn:
        for index, (statement, parameters) in enumerate(page["statements"]):
            if index == page["user_statement"]:
                parameters = {**parameters, page["user_parameter"]: user_id}
            if index in prepared:  # sent prepared by the app (db.fetch_prepared): the same here
                row = fetch_prepared(conn.connection, statement, parameters)
                results.append(Result([str(n) for n in range(len(row or ()))], [row] if row else []))
                continue
            cursor = conn.exec_driver_sql(statement, parameters)
            if cursor.returns_rows:
                rows = cursor.fetchall()
                if index == page["user_statement"] and not rows:
                    abort(403)
                results.append(Result(list(cursor.keys()), rows))
    return TEMPLATE.render(name=name, results=results)
