"""LiveLossCurves (widgets/live_curves.py): 08's loss curves, drawn by the training loop."""

import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from linreg_helpers import i18n
from linreg_helpers.i18n import text
from linreg_helpers.widgets import LiveLossCurves, live_curves


def curves_with_clock(epochs, **options):
    now = [0.0]
    curves = LiveLossCurves(epochs, clock=lambda: now[0], **options)
    return curves, now


def test_frames_are_throttled_and_the_last_epoch_is_always_drawn():
    curves, now = curves_with_clock(10)
    for epoch in range(10):  # the clock stands still: only the first and the last epoch draw
        curves.add(100.0 / (epoch + 1), 90.0 / (epoch + 1))
    assert curves.frames == 2
    curves, now = curves_with_clock(10)
    for epoch in range(10):
        now[0] += 1.01 * live_curves.FRAME_INTERVAL  # an interval per epoch: each draws
        curves.add(100.0 / (epoch + 1), 90.0 / (epoch + 1))
    assert curves.frames == 10


def test_the_last_frame_shows_every_epoch_inside_the_axes():
    curves, _ = curves_with_clock(5)
    train, val = [4000.0, 900.0, 40.0, 3.0, 2.5], [3900.0, 1000.0, 50.0, 3.5, 2.0]
    for t, v in zip(train, val):
        curves.add(t, v)
    (train_line, val_line) = curves.ax.get_lines()
    assert list(train_line.get_ydata()) == train and list(val_line.get_ydata()) == val
    low, high = curves.ax.get_ylim()
    assert low < min(train + val) and high > max(train + val)
    assert curves.ax.get_yscale() == "log" and curves.ax.get_xlim() == (0.0, 4.0)
    with Image.open(io.BytesIO(curves.image.value)) as picture:
        pixels = np.asarray(picture.convert("RGB"))
    blue = (np.abs(pixels.astype(int) - (31, 119, 180)).sum(axis=2) < 60).sum()
    assert blue > 100, "the training curve (C0) is not in the picture"


def test_training_loss_alone():
    curves, _ = curves_with_clock(2, validation=False)
    curves.add(2.0)
    curves.add(1.0)
    assert len(curves.ax.get_lines()) == 1 and curves.frames == 2


@pytest.mark.parametrize("epochs", [0, -3, 2.5, "ten", None])
def test_epochs_must_be_a_whole_number_of_at_least_one(epochs):
    with pytest.raises(ValueError, match="whole number"):
        LiveLossCurves(epochs)


def test_a_wrong_add_says_what_to_give():
    with pytest.raises(ValueError, match=r"add\(train_loss, val_loss\)"):
        LiveLossCurves(3).add(1.0)
    with pytest.raises(ValueError, match=r"validation=False"):
        LiveLossCurves(3, validation=False).add(1.0, 2.0)
    curves = LiveLossCurves(1)
    curves.add(1.0, 1.0)
    with pytest.raises(ValueError, match="all recorded already"):
        curves.add(1.0, 1.0)


def test_the_saved_output_is_updated_with_the_finished_picture(monkeypatch):
    shown = []

    class Handle:
        def update(self, obj):
            shown.append(("update", obj._repr_mimebundle_()))

    def display(obj, display_id=False):
        shown.append(("display", obj._repr_mimebundle_()))
        return Handle()

    monkeypatch.setattr("IPython.display.display", display)
    curves, now = curves_with_clock(3)
    curves.display()
    for epoch in range(3):
        now[0] += 1.0
        curves.add(3.0 - epoch, 3.5 - epoch)
    assert [kind for kind, _ in shown] == ["display", "update"]  # once shown, once finished
    before, after = shown[0][1], shown[1][1]
    assert "image/png" not in before  # nothing drawn yet when it is first shown
    assert "image/png" in after and "application/vnd.jupyter.widget-view+json" in after


def test_labels_follow_the_language():
    with matplotlib.rc_context():
        i18n.set_language("zh")  # as the Chinese notebooks do first: also a font with CJK glyphs
        try:
            curves = LiveLossCurves(2)
        finally:
            i18n.set_language("en")
    assert curves.ax.get_xlabel() == text("plot.epoch", lang="zh")
    assert [t.get_text() for t in curves.ax.get_legend().get_texts()] == [
        text("plot.curves.train", lang="zh"), text("plot.curves.validation", lang="zh")]
    curves.close()
