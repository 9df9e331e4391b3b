"""The layout of ARCHITECTURE.md and ADR 0014, held against the code: partners never imports
cases, layers point one way, no import cycle, a function-level import only where the list
below says why, and no flat prefixed modules left in cases."""

import ast
import re
from collections import defaultdict
from pathlib import Path

from cases.workflow import ReferralStatus
from partners.kinds import REFERRAL_STATUS_TEXT
from partners.models import Membership, Organisation

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cases", "partners", "inclusie")

# Function-level imports of project code, each with the reason it is not at the top. A new one
# fails test_function_level_imports_are_the_known_ones until it is added here with its reason.
FUNCTION_LEVEL = {
    # Celery: a task calls a service when it runs; the service queues the task after its
    # commit. The task module imports the services at the top, so the service imports the task
    # when it queues it.
    ("cases.services.imports", "cases.tasks"),
    ("cases.services.links", "cases.tasks"),
    ("partners.services.notifications", "partners.tasks"),
    ("partners.services.events", "partners.tasks"),
    ("partners.services.memberships", "partners.tasks"),
    ("partners.services.installation", "partners.tasks"),
    # The session engine is loaded by Django before the app registry may be ready, so it reads
    # its model when asked (as django.contrib.sessions does); the model names the engine.
    ("partners.models", "partners.sessions"),
    ("partners.sessions", "partners.models"),
    # Django's system checks are registered in AppConfig.ready(), after the apps load.
    ("inclusie.apps", "inclusie.checks"),
    # The grants after migrate read the cases models, loaded only when the apps are ready.
    ("inclusie.apps", "inclusie.database_roles"),
}

# What each layer of cases may import from cases (prefixes). Models import only models and the
# rules they apply; selectors never import services, forms or views; services never import
# forms or views; nothing below views imports views or urls.
ALLOWED = {
    "cases.models": ("cases.models", "cases.workflow", "cases.validators", "cases.access.rules"),
    "cases.access.rules": ("cases.workflow",),
    "cases.access": ("cases.access", "cases.models", "cases.workflow"),
    "cases.selectors": (
        "cases.selectors",
        "cases.access",
        "cases.models",
        "cases.workflow",
        "cases.labels",
        "cases.workdays",
        "cases.validators",
        # VERA's code lists and how signals become signaleringen (ADR 0027), pure vocabulary.
        "cases.vera",
        # The import's pure reading of a file (no database): the preview compares with it.
        "cases.services.imports.parsing",
        "cases.services.imports.residents",
    ),
    "cases.services": (
        "cases.services",
        "cases.selectors",
        "cases.access",
        "cases.models",
        "cases.workflow",
        "cases.workdays",
        "cases.validators",
        "cases.vera",
        "cases.tasks",
    ),
    "cases.forms": ("cases.forms", "cases.models", "cases.workflow", "cases.validators"),
    # The API is a view of its own (ADR 0025): it parses, calls selectors and services, and
    # serialises; it reads no model itself and writes nothing.
    "cases.api": (
        "cases.api",
        "cases.selectors",
        "cases.services",
        "cases.workflow",
        "cases.validators",
        "cases.vera",  # VERA's code lists, pure vocabulary (ADR 0027)
    ),
}
# A form reads no data: what it takes from a service or selector is a value, a limit or a pure
# check that both sides share, listed here with what it is.
FORM_VALUES = {
    ("cases.forms.visits", "cases.services.visits"),  # SignalInput, what home_visit_log takes
    ("cases.forms.avg", "cases.services.avg"),  # ResidentCorrection, what household_rectify takes
    ("cases.forms.emergency", "cases.services.emergency"),  # the length limits of a reason
    ("cases.forms.imports", "cases.services.imports.parsing"),  # the CSV read, no database
    ("cases.forms.ledger", "cases.services.ledger"),  # hour limits and rounding, quarters
    ("cases.forms.support", "cases.services.support"),  # amount_problem, one check of an amount
    ("cases.forms.dashboards", "cases.selectors.dashboards.filters"),  # the filters' value type
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports():
    """(importer, imported module, at function level) for every import of project code."""
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = _module(path)
            tree = ast.parse(path.read_text())

            def visit(node, nested, module=module):
                for child in ast.iter_child_nodes(node):
                    inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
                    if isinstance(child, ast.Import):
                        for alias in child.names:
                            found.append((module, alias.name, inner))
                    elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                        for alias in child.names:
                            # `from cases.services import referrals` imports the submodule.
                            sub = f"{child.module}.{alias.name}"
                            target = sub if _exists(sub) else child.module
                            found.append((module, target, inner))
                    visit(child, inner)

            visit(tree, False)
    return [(a, b, nested) for a, b, nested in found if b.split(".")[0] in PACKAGES]


def _exists(module: str) -> bool:
    path = ROOT / module.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_partners_never_imports_cases():
    offenders = [
        (a, b) for a, b, _ in _imports() if a.startswith("partners") and b.startswith("cases")
    ]
    assert offenders == []


def test_function_level_imports_are_the_known_ones():
    nested = {(a, b) for a, b, inner in _imports() if inner}
    assert nested - FUNCTION_LEVEL == set()


def test_no_import_cycle_at_module_level():
    graph = defaultdict(set)
    for a, b, inner in _imports():
        if not inner and a != b:
            graph[a].add(b)
    cycles = []
    state = {}

    def walk(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                walk(nxt, stack)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            walk(node, [])
    # A package's __init__ importing its own submodules is no cycle unless they import it back.
    assert cycles == []


def test_layers_point_one_way():
    offenders = []
    for importer, imported, _inner in _imports():
        if not imported.startswith("cases") or (importer, imported) in FORM_VALUES:
            continue
        layer = max(
            (k for k in ALLOWED if importer == k or importer.startswith(k + ".")),
            key=len,
            default=None,
        )
        if layer is None:
            continue
        if not any(imported == p or imported.startswith(p + ".") for p in ALLOWED[layer]):
            offenders.append(f"{importer} -> {imported}")
    assert offenders == []


def test_one_layout_by_layer_then_subject():
    """No flat prefixed modules (views_*.py, urls_*.py ...): each layer is a package."""
    for app, layers in (
        ("cases", ("models", "services", "selectors", "forms", "views", "urls", "api")),
        ("partners", ("services", "views", "urls")),
    ):
        flat = [
            p.name
            for p in (ROOT / app).glob("*.py")
            if p.name.split("_")[0] in ("views", "forms", "urls", "selectors", "services")
            and p.stem not in ("forms", "selectors")
        ]
        assert flat == [], app
        for layer in layers:
            assert (ROOT / app / layer / "__init__.py").exists(), f"{app}/{layer}"


def test_the_referral_status_words_of_partners_are_the_workflows():
    """partners cannot import cases, so it repeats the words its notifications need: every
    status a referral moves to after it was sent, and no other."""
    moved_to = set(ReferralStatus.values) - {ReferralStatus.VERZONDEN}
    assert set(REFERRAL_STATUS_TEXT) == moved_to


def test_roles_are_compared_through_the_enum():
    """A role or kind of organisation spelled as a string in code or a template drifts from
    partners.models when a value changes; compare with Membership.Role / Organisation.Kind."""
    words = "|".join(list(Membership.Role.values) + list(Organisation.Kind.values))
    pattern = re.compile(rf"""\b(role|kind)\s*(==|!=)\s*["']({words})["']""")
    offenders = []
    for folder, suffix in (
        ("cases", "*.py"),
        ("partners", "*.py"),
        ("inclusie", "*.py"),
        ("templates", "*.html"),
    ):
        for path in (ROOT / folder).rglob(suffix):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


# --- the tests mirror the code ---------------------------------------------------------------

TESTS = ROOT / "tests"
# A test file is read whole; past this many lines it is split by subject or aspect.
MOST_LINES = 420


def _test_files():
    return [p for p in TESTS.rglob("*.py") if "vendor" not in p.parts]


def test_the_tests_of_a_layer_are_named_for_its_modules():
    """tests/<app>/<layer>/test_<subject>[_<aspect>].py sits beside <app>/<layer>/<subject>."""
    strays = []
    for app, layers in (
        ("cases", ("access", "models", "services", "selectors", "forms", "views", "demo", "api")),
        ("partners", ("services", "views")),
    ):
        for layer in layers:
            code = ROOT / app / layer
            modules = {p.stem for p in code.glob("*.py")} | {p.name for p in code.iterdir()}
            for path in (TESTS / app / layer).glob("test_*.py"):
                name = path.stem.removeprefix("test_")
                if not any(name == m or name.startswith(m + "_") for m in modules):
                    strays.append(str(path.relative_to(ROOT)))
    assert strays == []


def test_no_test_file_is_longer_than_a_reader_holds():
    long = {
        str(p.relative_to(ROOT)): n
        for p in _test_files()
        if (n := len(p.read_text().splitlines())) > MOST_LINES
    }
    assert long == {}


def test_no_test_module_imports_another():
    """Shared helpers live in fixtures (conftest.py) or tests/factories/."""
    offenders = []
    for path in _test_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests"):
                allowed = node.module in ("tests.factories", "tests.browser.conftest") or (
                    node.module.startswith("tests.factories.")
                    and path.is_relative_to(TESTS / "factories")
                )
                if not allowed:
                    offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert offenders == []
