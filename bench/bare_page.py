"""The baseline for the learner bench: a bare Flask app rendering one Jinja page.

The page is the lesson page's own HTML, saved by the bench into the template file named by
BARE_TEMPLATE, so that both servers send the same number of bytes.

    BARE_TEMPLATE=/path/page.html gunicorn --workers 2 bench.bare_page:app
"""

import os
from pathlib import Path

from flask import Flask, render_template

template = Path(os.environ["BARE_TEMPLATE"])
app = Flask(__name__, template_folder=str(template.parent))


@app.get("/page")
def page():
    return render_template(template.name, title="Bài học")
