"""The safety and support text HR writes (Markdown), rendered safely."""

from __future__ import annotations

from markupsafe import Markup

from portal.common.markdown import render_markdown

DEFAULT_SIGNPOSTING = """\
**Call 999** if anyone's life is at risk or they are in immediate danger.

If a caller has told you they may harm themselves, follow your call-handling procedure and tell your team leader now.
Samaritans are there for anyone, any time, on **116 123**.

**Employee Assistance Programme**: free, confidential support 24 hours a day (example details until HR adds
yours: **0800 000 0000**).

You can also talk to your line manager, or contact Occupational Health.
"""

def render_signposting(text: str) -> Markup:
    """HR's text (or the default), through the one Markdown renderer (portal/common/markdown.py)."""
    return render_markdown(text or DEFAULT_SIGNPOSTING)
