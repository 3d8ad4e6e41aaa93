"""deploy/Dockerfile runs each service as a non-root user, checked without a Docker engine.

The instructions are read statically (line continuations joined, comments
dropped): the last `USER` names a non-root user the file creates, and it comes
after every instruction that installs something, so nothing installed at run
time can be written by the service's own process.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parents[3] / "deploy" / "Dockerfile"
INSTALLS = re.compile(r"\b(pip install|uv sync|apt-get install|useradd)\b")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined."""
    logical, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        current += " " + stripped.removesuffix("\\").strip()
        if not stripped.endswith("\\"):
            logical.append(current.strip())
            current = ""
    return [(item.split(None, 1)[0].upper(), item.split(None, 1)[1]) for item in logical]


STEPS = instructions(DOCKERFILE.read_text(encoding="utf-8"))


def test_the_image_switches_to_a_non_root_user_after_every_install() -> None:
    users = [i for i, (name, _) in enumerate(STEPS) if name == "USER"]
    assert users, "no USER instruction: the service would run as root"
    last_user = users[-1]
    user = STEPS[last_user][1].split(":")[0]
    assert user not in ("root", "0")
    installs = [
        i for i, (name, args) in enumerate(STEPS) if name == "RUN" and INSTALLS.search(args)
    ]
    assert installs and max(installs) < last_user
    commands = [i for i, (name, _) in enumerate(STEPS) if name in ("CMD", "ENTRYPOINT")]
    assert commands and min(commands) > last_user


def test_the_user_is_created_with_a_fixed_non_zero_uid() -> None:
    runs = " ".join(args for name, args in STEPS if name == "RUN")
    user = next(args for name, args in reversed(STEPS) if name == "USER").split(":")[0]
    created = re.search(rf"useradd [^&;]*--uid (\d+)[^&;]* {re.escape(user)}\b", runs)
    assert created is not None, f"the Dockerfile does not create user {user}"
    assert int(created.group(1)) >= 1000


def test_the_reader_sees_a_user_switch_hidden_by_a_continuation_line() -> None:
    steps = instructions('FROM x\nRUN pip install a \\\n    && useradd b\nUSER b\nCMD ["run"]\n')
    assert [name for name, _ in steps] == ["FROM", "RUN", "USER", "CMD"]
    assert "useradd b" in steps[1][1]
