"""Repository layout rules that pytest itself would only report as a confusing error."""

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).parent


def test_test_module_names_are_unique() -> None:
    # tests/sim and tests/trainer are not packages, so pytest imports test modules by
    # basename: two files with one name make the second fail to collect.
    names = Counter(p.name for p in TESTS.rglob("test_*.py"))
    assert [name for name, count in names.items() if count > 1] == []
