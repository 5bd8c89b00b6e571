"""axe-core (bundled by axe-playwright-python) run in the test's page: the violations a person using a
screen reader or a keyboard would hit, of the impacts a page must not have."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING_IMPACTS = ("critical", "serious")

_axe = Axe()


def accessibility_violations(page, *, impacts=BLOCKING_IMPACTS) -> list[str]:
    """One line per violated rule of these impacts (empty when the page passes), naming a few elements."""
    results = _axe.run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in impacts
    ]
