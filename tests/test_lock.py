"""Reproducible builds (issue 16, item 1; ADR 0019): the lock files pin what pyproject.toml asks
for, the image installs the runtime lock and `make` the runtime + dev lock, with their hashes.
After changing a dependency in pyproject.toml, `make lock` writes both files anew."""

import re
import shutil
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
STALE = "is not current with pyproject.toml: run `make lock`"


class Pin:
    def __init__(self, line: str):
        spec, *options = re.split(r"\s+(?=--)", line.strip())
        self.requirement = Requirement(spec)
        self.name = canonicalize_name(self.requirement.name)
        (specifier,) = self.requirement.specifier
        assert specifier.operator == "==", f"{spec}: a lock pins one version"
        self.version = specifier.version
        self.hashes = [option for option in options if option.startswith("--hash=sha256:")]

    def applies(self, extras=("",)) -> bool:
        marker = self.requirement.marker
        return marker is None or any(marker.evaluate({"extra": extra}) for extra in extras)


def read_lock(path: Path) -> dict[str, Pin]:
    """The pins of a requirements file as `uv pip compile --generate-hashes` writes it: one
    requirement per entry, continued over lines ending in a backslash, comments after #."""
    pins, entry = {}, ""
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0]
        entry += line.rstrip().removesuffix("\\")
        if line.rstrip().endswith("\\"):
            continue
        if entry.strip():
            pin = Pin(entry)
            assert pin.name not in pins, f"{path.name} pins {pin.name} twice"
            pins[pin.name] = pin
        entry = ""
    return pins


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def runtime_requirements() -> list[Requirement]:
    return [Requirement(spec) for spec in project()["dependencies"]]


def dev_requirements() -> list[Requirement]:
    return [Requirement(spec) for spec in project()["optional-dependencies"]["dev"]]


def assert_pinned_within_range(requirements, pins, lock):
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in {lock.name}, which {STALE}"
        version = pins[name].version
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {name}=={version}, outside {requirement}: it {STALE}"
        )


def test_the_runtime_lock_pins_every_dependency_within_its_range():
    assert_pinned_within_range(runtime_requirements(), read_lock(RUNTIME_LOCK), RUNTIME_LOCK)


def test_the_dev_lock_pins_every_runtime_and_dev_dependency_within_its_range():
    pins = read_lock(DEV_LOCK)
    assert_pinned_within_range(runtime_requirements() + dev_requirements(), pins, DEV_LOCK)


def test_make_and_the_image_run_on_the_same_pins():
    runtime, dev = read_lock(RUNTIME_LOCK), read_lock(DEV_LOCK)
    for name, pin in runtime.items():
        assert name in dev, f"{name} is in {RUNTIME_LOCK.name} and not in {DEV_LOCK.name}"
        assert dev[name].version == pin.version, name
        assert dev[name].requirement.marker == pin.requirement.marker, name


def test_every_pin_has_a_hash():
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        for name, pin in read_lock(lock).items():
            assert pin.hashes, f"{lock.name}: {name} has no --hash (pip --require-hashes needs it)"


def closure(requirements) -> set[str]:
    """Every distribution the given requirements need on this interpreter, read from the metadata
    of what is installed (the dev lock, as `make` installs it)."""
    needed, seen = set(), set()
    todo = [(requirement, ("",)) for requirement in requirements]
    while todo:
        requirement, extras = todo.pop()
        marker = requirement.marker
        if marker and not any(marker.evaluate({"extra": extra}) for extra in extras):
            continue
        name = canonicalize_name(requirement.name)
        if (name, frozenset(requirement.extras)) in seen:
            continue
        seen.add((name, frozenset(requirement.extras)))
        needed.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # not installed: not in the dev lock either, which the test says
        wanted = ("", *sorted(requirement.extras))
        for spec in requires:
            todo.append((Requirement(spec), wanted))
    return needed


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        (RUNTIME_LOCK, runtime_requirements),
        (DEV_LOCK, lambda: runtime_requirements() + dev_requirements()),
    ],
    ids=["runtime", "dev"],
)
def test_the_lock_holds_what_the_dependencies_need_and_nothing_else(lock, requirements):
    """Closed under dependencies (extras such as celery[redis] included) and nothing left over
    from a dependency removed since; both as this interpreter reads the pins' markers."""
    pins = {name: pin for name, pin in read_lock(lock).items() if pin.applies()}
    needed = closure(requirements())
    assert needed - set(pins) == set(), f"needed but not in {lock.name}, which {STALE}"
    assert set(pins) - needed == set(), f"in {lock.name} but needed by nothing: {STALE}"


def test_this_environment_is_what_the_dev_lock_pins():
    """`make` installs the dev lock: the suite runs on exactly those versions."""
    env = default_environment()
    for name, pin in read_lock(DEV_LOCK).items():
        if pin.requirement.marker is None or pin.requirement.marker.evaluate(env):
            assert metadata.version(name) == pin.version, name


def dockerfile_instructions() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    joined = re.sub(r"\\\n", " ", text)
    return [line.strip() for line in joined.splitlines() if line.strip() and line[0] != "#"]


def test_the_image_installs_the_runtime_lock_with_hashes_then_the_project_alone():
    instructions = dockerfile_instructions()
    installs = [line for line in instructions if "pip install" in line]
    assert len(installs) == 2, installs
    dependencies, the_project = installs
    assert "COPY requirements/runtime.txt requirements/runtime.txt" in instructions
    assert instructions.index("COPY requirements/runtime.txt requirements/runtime.txt") < (
        instructions.index(dependencies)
    )
    assert "--require-hashes -r requirements/runtime.txt" in dependencies
    assert "--no-deps ." in the_project


def make(*args, cwd=ROOT) -> str:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_builds_the_venv_from_the_dev_lock_with_hashes_then_the_project_alone(tmp_path):
    commands = make("--dry-run", "--always-make", f"VENV={tmp_path}/venv", "lint").splitlines()
    pip = f"{tmp_path}/venv/bin/python -m pip install --quiet"
    lock_install = commands.index(f"{pip} --require-hashes -r requirements/dev.txt")
    assert commands[lock_install + 1] == f"{pip} --no-deps -e ."
    assert not [line for line in commands if "[dev]" in line], "nothing installed past the lock"


STAMP = ["--eval", "print-stamp: ; @echo $(STAMP)", "print-stamp"]


def test_a_new_lock_makes_a_new_stamp_so_make_reinstalls(tmp_path):
    for name in ("Makefile", "pyproject.toml", "requirements/dev.txt", "requirements/runtime.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    before = make(*STAMP, cwd=tmp_path)
    with (tmp_path / "requirements" / "dev.txt").open("a") as lock:
        lock.write("# a pin moved\n")
    after = make(*STAMP, cwd=tmp_path)
    assert after != before
    rules = make("--print-data-base", "--dry-run", *STAMP, cwd=tmp_path)
    assert re.search(rf"^{re.escape(after.strip())}: requirements/dev\.txt", rules, re.M)


def test_make_lock_writes_both_locks_from_pyproject_with_hashes_for_python_3_11(tmp_path):
    commands = make("--dry-run", "--always-make", f"VENV={tmp_path}/venv", "lock")
    compiles = [line for line in commands.replace("\\\n", " ").splitlines() if " compile " in line]
    assert len(compiles) == 2, commands
    runtime, dev = compiles
    for command in compiles:
        assert command.startswith(f"{tmp_path}/venv/bin/uv pip compile pyproject.toml ")
        for flag in ("--universal", "--python-version 3.11", "--generate-hashes"):
            assert flag in command
    assert runtime.split()[-2:] == ["-o", "requirements/runtime.txt"]
    assert "--extra dev -c requirements/runtime.txt" in dev
    assert dev.split()[-2:] == ["-o", "requirements/dev.txt"]
    assert "pip install --quiet 'uv==" in commands, "uv comes into the venv, pinned"


def test_make_lock_takes_a_lock_file_in_a_merge_conflict(tmp_path):
    """At a merge both sides may have moved the locks: `make lock` keeps this side's pins as uv's
    starting point (uv cannot read conflict markers) and resolves again. uv and pip are stand-ins
    that do nothing here (the real ones would need the package index)."""
    for name in ("Makefile", "pyproject.toml", "requirements/dev.txt", "requirements/runtime.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    lock = tmp_path / "requirements" / "runtime.txt"
    ours = lock.read_text()
    django = next(line for line in ours.splitlines() if line.startswith("django=="))
    lock.write_text(
        ours.replace(django, f"<<<<<<< HEAD\n{django}\n=======\ndjango==5.2.0 \\\n>>>>>>> theirs")
    )
    venv = tmp_path / "venv" / "bin"
    venv.mkdir(parents=True)
    for stand_in in ("python", "uv"):
        (venv / stand_in).write_text("#!/bin/sh\nexit 0\n")
        (venv / stand_in).chmod(0o755)
    make(f"VENV={tmp_path}/venv", "lock", cwd=tmp_path)
    assert lock.read_text() == ours
