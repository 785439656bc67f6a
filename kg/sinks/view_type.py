"""How large the HTML view writes its labels: type that reads on a projector.

Node labels are this many pixels high on screen when the page opens, whatever zoom fits
the graph (a whole corpus fits at about 0.6, which left 14-unit labels at 9 px); link
labels are 4/5 of that, written level rather than along the link, and shown by default
only where few enough to read (a whole corpus has hundreds; its side panel lists them on
a click). Apart from :mod:`kg.sinks.html` so the command line can show the defaults
without loading the page's renderer.
"""

from __future__ import annotations

FONT_SIZE = 18  # pixels on screen as the page opens
EDGE_LABELS = ("auto", "on", "off")
AUTO_EDGE_LABELS = 40  # links at most, for "auto" to write their labels
LABELLED_EDGES = 500  # above this many links, their labels wait until the view is zoomed in


def edge_labels_shown(edge_labels: str, links: int) -> bool:
    """Whether a page of ``links`` links writes their labels.

    >>> edge_labels_shown("auto", 40), edge_labels_shown("auto", 41), edge_labels_shown("on", 900)
    (True, False, True)
    """
    if edge_labels not in EDGE_LABELS:
        raise ValueError(f"edge_labels must be one of {', '.join(EDGE_LABELS)}, not {edge_labels!r}")
    return edge_labels == "on" or (edge_labels == "auto" and links <= AUTO_EDGE_LABELS)


def type_sizes(font_size: int, edge_labels: bool, links: int) -> dict[str, int]:
    """On-screen label heights in pixels as the page opens (0: not resized there). Above
    ``LABELLED_EDGES`` links, link labels keep their size in the graph and show once zoomed in.

    >>> type_sizes(18, True, 12), type_sizes(18, False, 12), type_sizes(20, True, 900)
    ({'nodes': 18, 'edges': 14}, {'nodes': 18, 'edges': 0}, {'nodes': 20, 'edges': 0})
    """
    return {"nodes": font_size, "edges": round(font_size * 0.8) if edge_labels and links <= LABELLED_EDGES else 0}
