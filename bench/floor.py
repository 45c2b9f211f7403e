"""The floor: the fastest a Flask view can answer on the same gunicorn settings (a constant string, no database,
no templates, no session). Every scenario in bench/run.py is reported as a ratio to it, measured in the same run."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def floor() -> str:
    return "ok"
