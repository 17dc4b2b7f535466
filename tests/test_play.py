"""Play mode of the dashboard and the explorer (widgets/player.py), driven from Python: the
state table of issue 20, ticks paced by the clock, steering, the cursor, closing."""

import asyncio
import threading

import numpy as np
import pytest

from linreg_helpers.stepping import SteppedRun
from linreg_helpers.training import train
from linreg_helpers.widgets import LandscapeExplorer, TrainingDashboard
from linreg_helpers.widgets import player as player_module
from linreg_helpers.widgets.player import BIG_STEP, SPEED, epochs_due, tick_interval


@pytest.fixture(params=["dashboard", "explorer"])
def widget(request):
    w = TrainingDashboard() if request.param == "dashboard" else LandscapeExplorer()
    w.now = [100.0]
    w.clock = lambda: w.now[0]  # a clock the test moves
    yield w
    w.close()


def start_of(w):
    return (w.w0.value, w.b0.value) if isinstance(w, LandscapeExplorer) else None


def lesson_run(w, **settings):
    return train(start=start_of(w), **settings)


def tick(w, seconds=0.0):
    """One tick of the browser's ipywidgets.Play, ``seconds`` after the clock's last time."""
    w.now[0] += seconds
    w.player.value += 1


def test_epochs_due_keep_the_pace_and_the_interval_is_bounded():
    assert epochs_due(0.0, 10, 0) == 1  # the first epoch at once
    assert [epochs_due(t, 10, 1) for t in (0.05, 0.1, 0.35)] == [0, 1, 3]
    assert epochs_due(2.0, 10, 3) == 18  # a slow frame: the next one takes more epochs
    assert tick_interval(10) == 100 and tick_interval(1000) == player_module.MIN_INTERVAL_MS


def test_instant_state_after_construction(widget):
    assert (widget.epoch, widget.playing, widget.run) == (0, False, None)
    assert widget.history == lesson_run(widget)
    assert widget.cursor.max == 50 and widget.cursor.value == 50
    assert "epoch 0" in widget.controls_player.readout.value
    assert widget.player.interval == tick_interval(SPEED)


def test_step_starts_a_played_run_from_the_seeded_start(widget):
    widget.step(7)
    assert widget.epoch == 7 and len(widget.history) == 7 and not widget.playing
    whole = lesson_run(widget)
    assert widget.history.loss == whole.loss[:7] and widget.history.weight == whole.weight[:7]
    widget.step()
    assert widget.epoch == 8
    widget.controls_player.big_step_button.click()
    assert widget.epoch == 8 + BIG_STEP
    assert "paused" in widget.controls_player.readout.value


def test_play_pause_and_step_in_any_split_give_one_uninterrupted_run(widget):
    widget.step(3)
    widget.play()
    assert widget.playing and widget.player.playing
    tick(widget)  # the first epoch at once
    assert widget.epoch == 4
    tick(widget, 0.45)  # 4.5 epochs' time at 10 per second
    assert widget.epoch == 8
    tick(widget, 0.01)  # too early for the next epoch: nothing
    assert widget.epoch == 8
    tick(widget, 1.0)  # a slow frame: the run keeps its pace, no queue of ticks
    assert widget.epoch == 18
    widget.pause()
    assert not widget.playing and not widget.player.playing
    for _ in range(3):
        tick(widget, 5.0)
    assert widget.epoch == 18  # after Pause nothing more is trained
    widget.step(10)
    widget.play()
    while widget.playing:
        tick(widget, 0.7)
    assert widget.epoch == 51 and widget.run.finished
    assert widget.history == lesson_run(widget)  # every number, the divergence marks too
    assert "finished" in widget.controls_player.readout.value


def test_play_from_the_instant_state_draws_one_frame(widget, monkeypatch):
    drawn, draw = [], widget._draw
    monkeypatch.setattr(widget, "_draw", lambda hist: drawn.append(len(hist)) or draw(hist))
    widget.play()
    assert widget.playing and drawn == [0], drawn  # the played run at epoch 0, drawn once
    assert "playing" in widget.controls_player.readout.value
    tick(widget)
    assert drawn == [0, 1] and widget.epoch == 1


def test_a_run_that_cannot_start_says_why_in_the_status(widget, monkeypatch):
    def broken():
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(widget, "_new_run", broken)
    widget.controls_player.play_button.click()  # in a button's callback: nothing may vanish
    assert isinstance(widget.error, RuntimeError) and not widget.playing
    assert "RuntimeError: simulated failure" in widget.status.value
    assert widget.run is None and widget.controls_player.play_button.description == "Play"
    monkeypatch.undo()
    widget.play()
    assert widget.error is None and widget.playing and widget.run is not None


def test_the_buttons_do_what_the_methods_do(widget):
    buttons = widget.controls_player
    buttons.play_button.click()
    assert widget.playing and buttons.play_button.description == "Pause"
    assert buttons.play_button.tooltip == "Pause"  # an icon-only button is named by it
    buttons.play_button.click()
    assert not widget.playing and buttons.play_button.description == "Play"
    assert buttons.play_button.tooltip == "Play"
    buttons.step_button.click()
    assert widget.epoch == 1  # no tick came: Play alone trains nothing
    buttons.restart_button.click()
    assert widget.run is None and widget.epoch == 0


def test_lr_moved_while_playing_steers_the_run_from_the_next_epoch(widget):
    widget.play()
    tick(widget)
    tick(widget, 0.5)
    at = widget.epoch
    widget.lr.value = 0.02  # as the slider does
    assert widget.playing and widget.epoch == at  # no restart
    tick(widget, 0.5)
    assert widget.epoch > at
    oracle = SteppedRun(start=start_of(widget))
    oracle.step(at)
    oracle.steer(lr=widget.lr.value, epochs=51, reduction="sum", optimizer="SGD")
    oracle.step(widget.epoch - at)
    assert widget.history == oracle.history
    assert [(c.epoch, c.setting) for c in widget.run.changes] == [(at, "lr")]
    assert list(widget.marks.changes[0].get_xdata()[:2]) == [at, at]  # marked at its epoch
    assert f"lr 0.0500 → {widget.lr.value:.4f} from epoch {at}" in widget.status.value


def test_a_new_optimizer_starts_empty_and_the_status_says_so(widget):
    widget.step(10)
    widget.optimizer.value = "Adam"
    widget.step(5)
    assert "a new Adam from epoch 10 (its state starts empty)" in widget.status.value
    oracle = SteppedRun(start=start_of(widget))
    oracle.step(10)
    oracle.steer(lr=0.05, epochs=51, reduction="sum", optimizer="Adam")
    oracle.step(5)
    assert widget.history == oracle.history


def test_finished_does_nothing_until_epochs_is_raised(widget):
    widget.epochs.value = 20
    widget.step(100)
    assert widget.epoch == 20
    widget.play()
    assert not widget.playing
    widget.step()
    assert widget.epoch == 20
    widget.epochs.value = 30
    widget.play()
    assert widget.playing
    while widget.playing:
        tick(widget, 1.0)
    assert widget.epoch == 30 and widget.history == lesson_run(widget, epochs=30)


def test_exploded_does_nothing_until_restart(widget):
    widget.lr.value = 0.9
    widget.play()
    while widget.playing:
        tick(widget, 2.0)
    assert widget.run.exploded and not widget.player.playing
    expected = lesson_run(widget, lr=widget.lr.value)
    assert widget.history == expected and widget.epoch == len(expected)
    widget.step(5)
    widget.play()
    assert widget.epoch == len(expected) and not widget.playing
    assert "exploded" in widget.controls_player.readout.value
    widget.restart()
    assert widget.run is None and widget.epoch == 0 and widget.history == expected


def test_restart_goes_back_to_the_instant_run_of_the_current_settings(widget):
    widget.step(5)
    widget.reduction.value = "mean"
    widget.restart()
    assert widget.run is None and widget.history == lesson_run(widget, reduction="mean")
    widget.epochs.value = 60  # instant again: the whole run at once
    assert widget.history == lesson_run(widget, reduction="mean", epochs=60)


def test_the_cursor_shows_a_recorded_epoch_and_step_goes_on_from_the_end(widget):
    widget.step(12)
    assert widget.cursor.max == 11 and widget.cursor.value == 11  # it follows the run
    widget.cursor.value = 4
    w, b = widget.history.weight[4], widget.history.bias[4]
    np.testing.assert_allclose(widget.panel.line.get_ydata(), w * widget.panel.line.get_xdata() + b)
    assert list(widget.marks.points[0].get_data()[0]) == [4]
    assert "Cursor at epoch 4" in widget.status.value and f"w = {w:.4f}" in widget.status.value
    widget.step()
    assert widget.epoch == 13 and widget.cursor.value == 4  # from the run's end
    widget.cursor.value = widget.cursor.max
    assert "Cursor" not in widget.status.value and widget.marks.points[0].get_data()[0] == []


def test_the_data_panel_shows_the_last_model_and_its_residuals(widget):
    history = widget.history
    w, b = history.weight[-1], history.bias[-1]
    xs, ys = widget.panel.residuals.get_data()
    np.testing.assert_allclose(ys.reshape(-1, 3)[:, :2],
                               [[2, w + b], [4, 2 * w + b], [6, 3 * w + b]], rtol=1e-6)
    assert list(xs.reshape(-1, 3)[:, 0]) == [1, 2, 3]
    assert widget.panel.query.get_data()[1][0] == pytest.approx(4 * w + b)


def test_two_widgets_play_independently():
    a, b = TrainingDashboard(), TrainingDashboard()
    try:
        for w in (a, b):
            w.now = [0.0]
            w.clock = lambda now=w.now: now[0]
        a.play()
        tick(a)
        tick(b, 3.0)
        assert (a.epoch, b.epoch, b.playing) == (1, 0, False)
    finally:
        a.close()
        b.close()


def test_closing_stops_the_ticks(widget):
    widget.play()
    sent = []
    widget.player.observe(lambda change: sent.append(change["new"]), names="playing")
    widget.close()
    assert not widget.playing and sent == [False]
    widget.play()  # a closed widget never plays again
    assert not widget.playing


def test_rerunning_the_cell_pauses_the_widget_it_made(monkeypatch):
    monkeypatch.setattr(player_module, "_cell_id", lambda: "cell-1")
    old = TrainingDashboard()
    old.play()
    new = TrainingDashboard()  # the same cell, run again
    try:
        assert not old.playing and not old.player.playing
        monkeypatch.setattr(player_module, "_cell_id", lambda: "cell-2")
        new.play()
        TrainingDashboard().close()  # another cell's widget leaves this one alone
        assert new.playing
    finally:
        old.close()
        new.close()


def test_a_new_start_while_playing_starts_again_there():
    explorer = LandscapeExplorer()
    try:
        explorer.step(10)
        explorer.w0.value, explorer.b0.value = 4.0, -2.0
        assert explorer.epoch == 0 and explorer.run.start == (4.0, -2.0)
        explorer.step(51)
        assert explorer.history == train(start=(4.0, -2.0))
        assert list(explorer.path_line.get_xdata()[:1]) == [4.0]
    finally:
        explorer.close()


def test_lesson_defaults_restart_the_dashboard():
    dash = TrainingDashboard(lr=0.02)
    try:
        dash.step(5)
        dash.reset.click()
        assert dash.run is None and dash.history == train()
    finally:
        dash.close()


def test_ticks_from_another_thread_train_and_draw_on_the_loops_thread():
    """Under commsOverSubshells the ticks arrive on a subshell's thread: the frames are still
    drawn on the event loop's thread, one pending at most."""
    main = threading.get_ident()

    async def from_a_subshell():
        d = TrainingDashboard()
        drawn_on = []
        d.image.observe(lambda change: drawn_on.append(threading.get_ident()), names="value")
        d.play()

        def ticks():
            for k in range(30):
                d.player.set_state({"value": k + 1})

        thread = threading.Thread(target=ticks)
        thread.start()
        while thread.is_alive():
            await asyncio.sleep(0.001)
        thread.join()
        await asyncio.sleep(0.05)
        d.pause()
        return d, drawn_on

    d, drawn_on = asyncio.run(from_a_subshell())
    try:
        assert drawn_on and set(drawn_on) == {main}
        assert 1 <= d.epoch <= 51
        assert d.history.loss == train().loss[:d.epoch]
    finally:
        d.close()
