"""Sources that quote the seed documents: how a record's ``source`` is checked against the text.

A source reads ``<seed file>: <quote>`` or ``<seed file> <section>: <quote>``, elisions written
" ... "; the documents were typed in a word processor and sources quote them in plain ASCII,
so both are compared after :func:`normalise`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

__all__ = ["SEED_NAME", "SEEDS_ENV", "normalise", "quote_problem", "quoting", "seed_reader", "seeds_dir"]

SEEDS_ENV = "HAVEN_SEEDS_DIR"
# contracts/haven_contracts/plugin/sources.py → the repository root is three levels up; seeds sit beside it
_DEFAULT_SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def seeds_dir() -> Path:
    """Where the source documents are: ``HAVEN_SEEDS_DIR`` or ``../shared/seeds`` beside the checkout."""
    return Path(os.environ.get(SEEDS_ENV) or _DEFAULT_SEEDS)


#: A source naming a seed document starts with its file name (``001_2a45bb55c36fcb52.txt``).
SEED_NAME = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt)")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u00b7": " "})


def quoting(seed: str) -> Callable[[str], str]:
    """A plugin's way to write sources from its seed: ``_q = quoting(SEED)`` then
    ``source=_q("the words of the document")`` reads ``<seed file>: the words…``."""

    def quote(text: str) -> str:
        return f"{seed}: {text}"

    return quote


def normalise(text: str) -> str:
    """Typographic quotes and dashes as ASCII, runs of white space as one space.

    The seed documents were typed in a word processor; sources quote them in plain ASCII.
    """
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def quote_problem(source: str, seed_text: Callable[[str], str]) -> str | None:
    """Why ``source`` does not quote the seed it names, or ``None`` (also for a source naming none).

    A source reads ``<seed file>: <quote>`` or ``<seed file> <section>: <quote>``; the quote's
    pieces between " ... " must each appear in the normalised document ``seed_text(file)``.
    """
    named = SEED_NAME.match(source)
    if not named:
        return None
    if ": " not in source:
        return f"source {source!r} quotes nothing: expected '<seed file>: <words of the seed>'"
    text = seed_text(named.group(1))
    if not text:
        return f"seed document {named.group(1)} not found"
    for piece in normalise(source.split(": ", 1)[1]).split(" ... "):
        if piece.strip() not in text:
            return f"source quotes words not in {named.group(1)}: {piece.strip()!r}"
    return None


def seed_reader(seeds: Callable[[str], str] | str | Path | None) -> Callable[[str], str] | None:
    """A function returning a seed's normalised text by file name ("" when missing), from a
    folder; a function is returned as it is."""
    if seeds is None or callable(seeds):
        return seeds
    folder, cache = Path(seeds), {}

    def read(name: str) -> str:
        if name not in cache:
            path = folder / name
            cache[name] = normalise(path.read_text(encoding="utf-8")) if path.is_file() else ""
        return cache[name]

    return read
