"""Words inside what a holder reports that are no holders of their own: the company a
speaker reports on ("Jane Roe said the company expects…") and the people a quotation
speaks of ('"…, but investors wanted more," said X')."""

from __future__ import annotations

import re

from kg.extract.holders import Bound
from kg.extract.view import SentenceView


def reported_subjects_dropped(view: SentenceView, found: list[Bound]) -> list[Bound]:
    """A word for a company right after another holder's cue, or after a "that" of what it
    reports, is the subject of what that holder reports ("Acme's CFO Jane Roe said the
    company expects…", "… said on the call that demand held and that the company preferred
    …"), not a holder of its own."""
    if len(found) < 2:
        return found
    named_at = [b.at for b in found if b.holders[0].type in ("Person", "Institution") and (
        b.holders[0].how in ("explicit", "quote") or b.holders[0].entity_type != "Company")]  # (or "该行", "the firm")
    if not named_at:
        return found
    reported = {cue.end for cue in view.cues if cue.tag == "before" and any(at < cue.start for at in named_at)}

    def reports(bound: Bound) -> bool:
        holder = bound.holders[0]
        if holder.entity_type != "Company":
            return False
        if holder.how == "explicit":  # "瑞银认为，英伟达料将受益": UBS's forecast of Nvidia, not Nvidia's own
            return any(0 <= bound.at - end <= 2 for end in reported) and _forecast_cue(view, holder.end)
        return (holder.how == "implicit"
                and any(0 <= bound.at - end <= 2 or _TOLD.match(view.text, end, bound.at)
                        or end < bound.at and view.text.endswith("that ", 0, bound.at) for end in reported))

    return [b for b in found if not reports(b)]


# Cues that forecast rather than speak: a company bound by one inside another's words is what is forecast.
_FORECASTS = frozenset({"料", "预计", "预期", "预估", "预料", "预测", "估计", "expects", "expect", "forecasts", "projects", "sees"})


def _forecast_cue(view: SentenceView, end: int) -> bool:
    return any(cue.end == end and cue.phrase in _FORECASTS for cue in view.cues)


def quoted_words_dropped(text: str, found: list[Bound]) -> list[Bound]:
    """A speaker named after their quotation ('"…, but investors wanted more," said X') owns
    the words in it: "investors" quoted there are what X says of them, not a holder."""
    if text[:1] not in _OPENING:
        return found
    speaker = next((b for b in found if b.after and b.holders[0].type != "Unattributed"), None)
    if speaker is None:
        return found
    return [b for b in found if b is speaker or b.at > speaker.at or b.holders[0].type not in ("Unattributed", "Group")]


_OPENING = frozenset('"“「『')
# Who a speaker told what the company expects: "told analysts (that) the company expects"
_TOLD = re.compile(r"\s*(?:analysts|investors|reporters|clients|shareholders)(?:\son\sa\s[\w\s-]{0,20}?call)?,?\s(?:that\s)?$")
