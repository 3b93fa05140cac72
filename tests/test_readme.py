"""The README is what a newcomer reads first: short, opening with the two set-up commands and
a picture, every command valid for the command line, every link and picture present.

The commands that name a pretrained model (`keras-gans sample dcgan_mnist ...`,
`keras-gans evaluate dcgan_mnist`) are run from a fresh install by tests/test_install.py; the
others by the CLI tests (tests/test_cli*.py); here each is checked against the parser.
"""

import re
import shlex
from pathlib import Path

import pytest

from keras_gans import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
QUICKSTART = ["pip install . && keras-gans train dcgan", 'pip install -e ".[test]" && python -m pytest -q -n 2']


def bash_blocks():
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def cli_lines():
    """Every `keras-gans ...` line of the README's bash blocks, comments dropped, with the
    continuation lines of a synopsis joined to it."""
    lines = []
    for block in bash_blocks():
        for line in block.splitlines():
            code = line.split("  #", 1)[0].strip()
            if code.startswith("keras-gans "):
                lines.append(code)
            elif code.startswith("[") and lines:
                lines[-1] += " " + code
    return lines


def test_the_readme_is_short_and_opens_with_the_two_commands_and_a_picture():
    assert len(README.splitlines()) < 200
    blocks = [block.strip() for block in bash_blocks()]
    assert blocks[:2] == QUICKSTART
    first_picture = README.index("![")
    assert README.index(QUICKSTART[1]) < first_picture < README.index("\n## ", README.index("## Quickstart") + 5)


def test_every_readme_command_is_valid_for_the_command_line():
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    lines = cli_lines()
    assert len(lines) >= 10
    for line in lines:
        words = shlex.split(line)[1:]
        if "[" in line or "|" in line or "MODEL" in words:  # a synopsis: each option must exist
            command = subparsers[words[0]]
            known = {option for action in command._actions for option in action.option_strings}
            named = set(re.findall(r"(--[a-z][a-z-]*)", line)) - {"--no-jit-compile"}
            assert named <= known, f"{line}: unknown options {sorted(named - known)}"
        else:
            parser.parse_args(words)  # exits (SystemExit) on anything the CLI does not accept


@pytest.mark.parametrize("target", sorted(set(re.findall(r"\]\(([^)#\s]+)", README))))
def test_every_link_and_picture_is_in_the_repository(target):
    assert not re.match(r"[a-z]+://", target) and not target.startswith(".."), f"{target} leaves the repository"
    assert (ROOT / target).exists(), f"README links {target}, which does not exist"


def test_pictures_in_html_cells_exist():
    for target in re.findall(r'<img src="([^"]+)"', README):
        assert (ROOT / target).is_file(), target
