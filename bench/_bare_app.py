"""The smallest Flask app, for comparing the claim queue against a bare route served the same way."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "ok"
