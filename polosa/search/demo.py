"""Demo content needs no data of its own here: the index is built from the demo articles."""

from . import indexing


def load(stdout) -> None:
    count = indexing.rebuild()
    stdout.write(f"search: indexed {count} articles\n")
