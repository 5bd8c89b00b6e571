"""axe-core in the browser tests: a page passes with no critical or serious accessibility violation
(and, on the shop's pages, none of the two rules in ALWAYS_BLOCKING).

axe-core comes bundled in the `axe-playwright-python` package (requirements-dev.txt), so it is
injected from disk: no CDN, works offline like everything else here.
"""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = {"critical", "serious"}
# Checked whatever axe rates them: a link whose name differs from its visible text (an experimental rule,
# off by default) and headings that skip a level (rated moderate) were the shop's reported faults.
ALWAYS_BLOCKING = {"label-content-name-mismatch", "heading-order"}
OPTIONS = {"rules": {"label-content-name-mismatch": {"enabled": True}}, "resultTypes": ["violations"]}

_axe = Axe()


def axe_blocking_violations(page, *, always_blocking=ALWAYS_BLOCKING) -> list[str]:
    """The page's blocking violations, one line each: rule, impact, help and the elements. The admin's
    pages pass `always_blocking=()`: their headings are Django's markup, not ours."""
    violations = _axe.run(page, options=OPTIONS).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS or violation["id"] in always_blocking
    ]


def assert_accessible(page) -> None:
    problems = axe_blocking_violations(page)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)
