"""The repository's Markdown links stay inside it and resolve (the README once linked a file
outside the repository, broken in every clone)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
DOCUMENTS = [
    ROOT / "README.md",
    ROOT / "fixtures" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(document: Path) -> None:
    for target in LINK.findall(document.read_text()):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (document.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), (document, target)
        assert path.exists(), (document, target)


def test_the_readme_links_the_contract_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "](docs/contract.md)" in readme
    assert "shared/contract.md" not in readme
    assert "shared/contract.md" not in (ROOT / "docs" / "decisions.md").read_text()
