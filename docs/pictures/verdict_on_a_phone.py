"""Draws docs/verdict-phone.png: the bot's verdict as a Telegram chat shows it on a 360-px phone.

The text and buttons are the real ones (interview.flow for a sample person); only the chat's frame
is drawn here. Needs Playwright and a Chromium (`CHROMIUM`, default /usr/bin/chromium):

    python docs/pictures/verdict_on_a_phone.py [--lang ru|en] [-o docs/verdict-phone.png]
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import os
from pathlib import Path

import rules
from interview import flow
from interview.views import Screen

# A conscript-age student, as a newcomer most often is; answers complete.
SAMPLE = {"sex": "male", "citizen": True, "military_status": "not_in_reserve", "age": 19,
          "fitness": "A", "conviction": "none", "student": "full_time",
          "student_programme": "accredited", "student_first_time": True, "higher_education": False,
          "children_under_16": 0, "sector": "none", "abroad": "no", "conscientious_objector": False,
          "academic_degree": False, "relative_died_in_service": False,
          "cares_for_relative": False, "guardian_of_sibling": False,
          "mother_alone_with_4_under_8": False, "parliament_member": False}

FRAME = """<!doctype html><meta charset="utf-8"><style>
body{{margin:0;background:#7e9cb4;font:15px/1.35 -apple-system,Roboto,"Segoe UI",sans-serif}}
.bubble{{background:#fff;margin:8px 8px 2px;padding:7px 10px;border-radius:12px;white-space:pre-wrap}}
.kb{{margin:0 8px 8px}} .row{{display:flex;gap:2px;margin-top:2px}}
.btn{{flex:1;background:rgba(0,0,0,.25);color:#fff;text-align:center;padding:9px 4px;border-radius:8px;
font-weight:500;font-size:14px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}}
a{{color:#168acd;text-decoration:none}}
</style><div class="bubble">{text}</div><div class="kb">{rows}</div>"""


def sample_facts(rs: rules.RuleSet) -> dict[str, object]:
    """The sample without the facts this rule base does not know or does not accept."""
    known = {k: v for k, v in SAMPLE.items() if k in rules.FACTS}
    for key in list(known):
        try:
            rules.validate_facts({key: known[key]})
        except rules.FactsError:
            del known[key]
    return known


def verdict_html(lang: str) -> str:
    rs = rules.load(run_tests=False)
    env = flow.Env(rules=rs, version="0.1.0")
    state = flow.new_state(rs, lang, rules.today_in_moscow(), first_message_id=1)
    facts = sample_facts(rs)
    state = dataclasses.replace(state, facts=facts, screen=int(Screen.VERDICT))
    view = flow.press(env, state)
    rows = "".join(
        '<div class="row">' + "".join(f'<div class="btn">{html.escape(b.label)}</div>' for b in row)
        + "</div>" for row in view.buttons)
    return FRAME.format(text=view.texts[0], rows=rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("ru", "en"), default="ru")
    parser.add_argument("-o", default=str(Path(__file__).resolve().parents[1] / "verdict-phone.png"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    page_html = verdict_html(args.lang)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2)
        page.set_content(page_html)
        page.screenshot(path=args.o, full_page=True)
        browser.close()
    print(args.o)


if __name__ == "__main__":
    main()
