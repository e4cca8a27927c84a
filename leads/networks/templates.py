"""Page templates: two leads whose page texts are near-duplicates were written from one template.

A seller running several sites fills one page template with each site's brand; the wording,
its order and its promises stay. Texts are compared as sets of *shingles*: every run of
``SHINGLE_CHARS`` (5) consecutive characters of the folded text (``leads.judge.normalize.fold``:
simplified, lower case, full-width folded) with spaces and punctuation dropped and each run of
digits written as one ``0`` — so another phone number, price or date does not make another
template. Five characters is about a Chinese phrase: two- or three-character shingles are the
trade's common words (特种 作业 免考 包过), shared by every seller; five-character ones are the
template's own sentences.

The similarity of two texts is the Jaccard index of their shingle sets, estimated by MinHash
(``datasketch``, ``NUM_PERM`` 128 permutations: ±0.04 at the threshold); candidate pairs come
from ``MinHashLSH`` and each is checked against its estimate. Two pages are one template at
``TEMPLATE_THRESHOLD`` 0.8 or more: re-branded copies of one page measure 0.85–1.0, two sellers
writing the same trade's phrases on their own measure well under 0.5 (tests/test_networks.py).
Pages with fewer than ``MIN_SHINGLES`` shingles are not compared: a two-line classified ad is
stock phrases, not a template. A page that is a near-duplicate of an official page copies the
government's template, not a seller's, and links nobody.

``leads.networks.grouping`` keeps a spanning forest of these pairs (strongest first, Kruskal):
every lead is joined by its most similar page, without all n² pairs of a cluster of copies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from leads.judge.normalize import fold

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

SHINGLE_CHARS = 5
NUM_PERM = 128
TEMPLATE_THRESHOLD = 0.8
MIN_SHINGLES = 100
MAX_TEMPLATE_CHARS = 20_000  # the first characters of a page: a template is not a novel
NOT_WORD = re.compile(r"[\W_]+")
DIGITS = re.compile(r"\d+")


def shingles(text: str) -> set[str]:
    """The text's five-character shingles, folded, punctuation dropped, digit runs as ``0``."""
    compact = DIGITS.sub("0", NOT_WORD.sub("", fold(text[:MAX_TEMPLATE_CHARS])))
    return {compact[i: i + SHINGLE_CHARS] for i in range(len(compact) - SHINGLE_CHARS + 1)}


def _signatures(texts: Sequence[str]) -> list[MinHash | None]:
    """A MinHash of each text, None for a text too short to compare."""
    # Imported here: datasketch brings scipy (a second or more), and every command that opens
    # the store imports this module; only a rebuild needs it.
    from datasketch import MinHash
    sets = [shingles(text) for text in texts]
    hashes = MinHash.bulk([[s.encode() for s in shingle_set] for shingle_set in sets],
                          num_perm=NUM_PERM)
    return [signature if len(sets[i]) >= MIN_SHINGLES else None
            for i, signature in enumerate(hashes)]


def _copies_official(signature: MinHash, lsh: MinHashLSH, official: list[MinHash | None]) -> bool:
    return any(isinstance(key, str) and signature.jaccard(official[int(key.split(":")[1])])
               >= TEMPLATE_THRESHOLD for key in lsh.query(signature))  # type: ignore[arg-type]


def similar_pairs(texts: Sequence[str], official: Iterable[str] = ()) -> list[
        tuple[int, int, float]]:
    """(i, j, similarity) for texts ``i < j`` of one template, strongest first; a text that is a
    near-duplicate of one of ``official`` takes part in no pair. Texts with the very same
    shingles pair with the first of them only (a thousand copies are not a million pairs)."""
    from datasketch import MinHashLSH  # imported here: see _signatures

    official = list(official)
    signatures = _signatures([*texts, *official])
    own, theirs = signatures[: len(texts)], signatures[len(texts):]
    lsh = MinHashLSH(threshold=TEMPLATE_THRESHOLD, num_perm=NUM_PERM)
    for index, signature in enumerate(theirs):
        if signature is not None:
            lsh.insert(f"official:{index}", signature)
    pairs: list[tuple[int, int, float]] = []
    first_of: dict[bytes, int] = {}  # a signature → the first text that has it
    for index, signature in enumerate(own):
        if signature is None or _copies_official(signature, lsh, theirs):
            continue
        digest = signature.hashvalues.tobytes()
        if digest in first_of:
            pairs.append((first_of[digest], index, 1.0))
            continue
        first_of[digest] = index
        lsh.insert(index, signature)
    for index in first_of.values():
        for other in lsh.query(own[index]):
            if isinstance(other, int) and other > index:
                similarity = round(own[index].jaccard(own[other]), 2)  # type: ignore[union-attr,arg-type]
                if similarity >= TEMPLATE_THRESHOLD:
                    pairs.append((index, other, similarity))
    return sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))
