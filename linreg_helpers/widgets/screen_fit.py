"""Live widgets that fit the screen: each figure is shown at the size the browser has room for.

The kernel cannot know how big the learner's screen is. So each live widget renders its figure
as a picture (:mod:`.frame`) and carries a little CSS (a ``<style>`` in a hidden HTML widget)
with which the browser scales that picture to the room there is: no wider than its place in
the widget, and no taller than the notebook's view leaves once JupyterLab's own bars and the
widget's controls are taken (``100vh`` minus a reserve). On a desktop it is shown at full size
(``figsize`` × :data:`CSS_DPI` CSS pixels).

Only the browser is involved: when the window changes size nothing is rendered or sent again,
so a resize never shows an empty figure. The CSS is scoped to one class per widget
(``linreg-dashboard``, ...), so it cannot restyle anything else on the page.
"""

from __future__ import annotations

from typing import Optional

import ipywidgets as widgets
from matplotlib.figure import Figure

#: JupyterLab's bars above and below the notebook's view (menu, tabs, notebook toolbar,
#: status bar): the view is this much shorter than the browser's viewport (measured in
#: Chromium at 1366×640, 1280×690 and 1920×1080 with JupyterLab 4.6).
JUPYTERLAB_BARS_PX = 121
#: The class the browser finds a widget's figure (an ``<img>``) by (see :func:`figure_css`).
FIGURE_CLASS = "linreg-figure"
#: The class of a widget's status line.
STATUS_CLASS = "linreg-status"
#: CSS pixels per inch of figure size: a figure of 6.4 × 5.6 inches is shown 640 × 560.
CSS_DPI = 100


def figure_pixels(figure: Figure) -> tuple[int, int]:
    """The figure's full size in CSS pixels (``figsize`` × :data:`CSS_DPI`)."""
    width, height = figure.get_size_inches() * CSS_DPI
    return round(width), round(height)


def figure_css(scope: str, figure: Figure, *, reserved_px: int,
               flex_basis_px: Optional[int] = None) -> str:
    """CSS that shows ``figure`` (in the widget of class ``scope``) scaled to the room there is.

    Its width is the smallest of: the figure's own width, its place in the widget (100 %;
    with ``flex_basis_px``, it shares a row with the controls and takes what they leave),
    and the width at which its height fills the browser's viewport less ``reserved_px``
    (JupyterLab's bars plus whatever the widget shows above or below the figure). The
    height follows from the picture's aspect ratio (``height: auto``; ``max-height`` and
    ``object-fit: contain`` keep it whole where a browser rounds differently).
    """
    width, height = figure_pixels(figure)
    by_height = f"calc((100vh - {reserved_px}px) * {width / height:.5f})"
    item = f".{scope} img.{FIGURE_CLASS}"
    if flex_basis_px is None:
        sizing = (f"width: min(100%, {width}px, {by_height}); max-width: {width}px; "
                  f"flex: 0 0 auto;")
    else:
        sizing = (f"flex: 1 1 {flex_basis_px}px; min-width: 0; width: 100%; "
                  f"max-width: min({width}px, {by_height});")
    return (f"{item} {{ {sizing} height: auto; max-height: calc(100vh - {reserved_px}px); "
            f"object-fit: contain; aspect-ratio: {width} / {height}; margin: 0; }}")


def controls_css(scope: str) -> str:
    """CSS that keeps the controls of the widget of class ``scope`` compact.

    ipywidgets puts a ToggleButtons' label on a line of its own, above the buttons; here it
    sits beside them, right-aligned like the sliders' labels. The status line gets a
    paragraph's line height, not a form row's (28 px per line).
    """
    toggle = f".{scope} .widget-toggle-buttons"
    return "\n".join([
        f"{toggle} {{ display: flex; align-items: center; }}",
        f"{toggle} > .widget-label {{ display: block; flex: 0 0 auto; text-align: right; "
        f"padding-right: 8px; box-sizing: border-box; overflow: hidden; "
        f"text-overflow: ellipsis; white-space: nowrap; }}",
        f".{scope} .{STATUS_CLASS} .widget-html-content {{ line-height: 1.4; }}",
    ])


def fit_style(scope: str, figure: Figure, *, reserved_px: int,
              flex_basis_px: Optional[int] = None) -> widgets.HTML:
    """The hidden style widget of a live widget of class ``scope``: its compact controls
    (:func:`controls_css`) and its figure scaled to the screen (:func:`figure_css`)."""
    return style_widget(controls_css(scope), figure_css(
        scope, figure, reserved_px=reserved_px, flex_basis_px=flex_basis_px))


def style_widget(*css: str) -> widgets.HTML:
    """A hidden widget whose ``<style>`` applies ``css`` while the widget is on the page."""
    rules = "\n".join(css)
    return widgets.HTML(f"<style>\n{rules}\n</style>", layout=widgets.Layout(display="none"))


__all__ = ["CSS_DPI", "FIGURE_CLASS", "JUPYTERLAB_BARS_PX", "STATUS_CLASS", "controls_css",
           "figure_css", "figure_pixels", "fit_style", "style_widget"]
