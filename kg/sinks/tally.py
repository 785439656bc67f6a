"""What a graph holds, counted as it streams by: articles, claims, dates, and per entity and
per holder→target link the claims and their stances.

It is all a big build keeps in memory for its summary and its page: a few numbers per
entity (and per link, unless they are counted on disk), however many claims there are (:mod:`kg.sinks.html.overview` draws the
most-discussed part of it).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from kg.views import date_span, shown_path


@dataclass
class Tally:
    articles: int = 0
    claims: int = 0
    relationships: int = 0
    first_day: str | None = None
    last_day: str | None = None
    folders: set[str] = field(default_factory=set)
    made: Counter = field(default_factory=Counter)  # entity node → claims it holds
    about: Counter = field(default_factory=Counter)  # entity node → claims about it
    # (holder, target) → stance → claims; None when the links are counted elsewhere (on disk: a
    # corpus with thousands of entities has hundreds of thousands of links)
    links: dict[tuple[str, str], Counter] | None = field(default_factory=dict)

    def add_article(self, date: str | None, file: str | None) -> None:
        self.articles += 1
        if date:
            day = str(date)[:10]
            self.first_day = min(self.first_day or day, day)
            self.last_day = max(self.last_day or day, day)
        folder = os.path.dirname(str(file or ""))
        if folder:
            self.folders.add(folder)

    def add_claim(self, holder: str, target: str, stance: str) -> None:
        self.claims += 1
        self.made[holder] += 1
        self.about[target] += 1
        if self.links is None:
            return
        link = self.links.get((holder, target))
        if link is None:
            link = self.links[holder, target] = Counter()
        link[stance] += 1

    def add_claims(self, holders: list[str], targets: list[str]) -> None:
        """Claims by ``holders[i]`` about ``targets[i]``, their stances counted elsewhere
        (the tally has no links): as :meth:`add_claim` of each, at C speed."""
        assert self.links is None
        self.claims += len(holders)
        self.made.update(holders)
        self.about.update(targets)

    def add_link(self, holder: str, target: str, mix: Counter) -> None:
        """All the claims of one link at once, ``mix`` counting them per stance."""
        count = sum(mix.values())
        self.claims += count
        self.made[holder] += count
        self.about[target] += count
        if self.links is not None:
            self.links[holder, target] = Counter(mix)

    @property
    def entities(self) -> set[str]:
        """The holders and targets of the claims."""
        return set(self.made) | set(self.about)

    def span(self) -> str:
        """'2025-01-06 to 2025-06-13', or 'undated'."""
        return date_span([self.first_day, self.last_day]) if self.first_day and self.last_day else "undated"

    def corpus(self) -> str:
        """What the graph was built from, as :func:`kg.views.corpus_summary` says it.

        >>> Tally().corpus()
        'no articles, 0 claims'
        """
        claims = f"{self.claims} claim{'s' * (self.claims != 1)}"
        if not self.articles:
            return f"no articles, {claims}"
        folders = sorted(self.folders)
        where = f" in {shown_path(_common_folder(folders))}" if folders else ""
        return f"{self.articles} article{'s' * (self.articles != 1)}{where}, {self.span()}, {claims}"


def _common_folder(folders: list[str]) -> str:
    try:
        return os.path.commonpath(folders) or folders[0]
    except ValueError:  # absolute and relative mixed
        return folders[0]
