"""Network numbers that stay put across rebuilds, so 网络 7 in a packet, a note or a bookmark of the
review page still means the same seller tomorrow.

Rule: a network found now takes the number of the stored network it shares the most leads with;
pairs are settled largest overlap first (ties: the older, lower number), and each number goes to
one network at most. So a network that grew keeps its number; two that merged keep the number of
the one contributing more leads (the other number is retired); a network that split keeps its
number on the part holding more of its leads. A network sharing no lead with a stored one gets a
new number, and a retired number is never given again (the table counts up, AUTOINCREMENT).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def carried_numbers(stored: Mapping[int, frozenset[int]],
                    found: Sequence[frozenset[int]]) -> list[int | None]:
    """For each of ``found`` (lead ids), the stored network number it keeps, or None (a new one).
    ``stored``: number → the lead ids it held at the last rebuild."""
    overlaps = sorted(
        ((len(members & held), number, index)
         for index, members in enumerate(found)
         for number, held in stored.items() if members & held),
        key=lambda item: (-item[0], item[1], item[2]))
    numbers: list[int | None] = [None] * len(found)
    taken: set[int] = set()
    for _, number, index in overlaps:
        if numbers[index] is None and number not in taken:
            numbers[index] = number
            taken.add(number)
    return numbers
