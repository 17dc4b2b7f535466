"""linreg_helpers.ddp: argument checks, one process against NumPy, 2 processes against 1."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from linreg_helpers import ddp, i18n
from linreg_helpers.realdata import Standardizer, split, synthetic

BAD = [
    (["--data", "iris"], "unknown --data 'iris'"),
    (["--lr", "0"], "--lr must be a number > 0"),
    (["--lr", "-1"], "--lr must be a number > 0"),
    (["--lr", "nan"], "--lr must be a number > 0"),
    (["--epochs", "0"], "--epochs must be a whole number >= 1"),
    (["--batch-size", "0"], "--batch-size 0 must be a positive whole number"),
    (["--batch-size", "2.5"], "argument --batch-size: invalid int value: '2.5'"),
    (["--val-fraction", "1"], "--val-fraction: val_fraction must be a number in [0, 1)"),
    (["--data", "synthetic", "--rows", "0"], "--rows and --features must be >= 1"),
    (["--bogus"], "unrecognized arguments: --bogus"),
]


@pytest.mark.parametrize(("argv", "message"), BAD)
def test_bad_arguments_give_one_error_line_and_status_2(argv, message, capsys):
    assert ddp.main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("error: ")
    assert message in err


def test_world_size_is_checked_before_any_process_group(monkeypatch, capsys):
    monkeypatch.setenv("WORLD_SIZE", "2")  # as torchrun sets it; no process group is started
    assert ddp.main(["--batch-size", "33"]) == 2
    assert "divisible by the number of processes (2)" in capsys.readouterr().err
    monkeypatch.setenv("WORLD_SIZE", "5")
    assert ddp.main(["--data", "synthetic", "--rows", "5", "--val-fraction", "0.2",
                     "--batch-size", "5"]) == 2
    assert "5 processes but only 4 training rows" in capsys.readouterr().err


def test_one_process_full_batch_is_gradient_descent(tmp_path, capsys):
    """Batch = all training rows: plain gradient descent on the standardised data (NumPy)."""
    out = tmp_path / "one.json"
    args = ["--data", "synthetic", "--rows", "60", "--features", "2", "--val-fraction", "0.25",
            "--batch-size", "45", "--epochs", "30", "--lr", "0.1", "--seed", "3", "--out",
            str(out)]
    assert ddp.main(args) == 0
    result = json.loads(out.read_text())
    assert result["world_size"] == 1 and len(result["train_loss"]) == 30
    assert len(result["val_loss"]) == 30
    assert "[rank 0/1] after 30 epochs" in capsys.readouterr().out

    x, y, _, _ = synthetic(60, 2, seed=3)
    x_tr, y_tr, x_val, y_val = split(x, y, 0.25, seed=3)
    scaler = Standardizer.fit(x_tr)
    z, t = scaler.transform(x_tr).double().numpy(), y_tr.double().numpy()[:, 0]
    torch.manual_seed(3)
    layer = torch.nn.Linear(2, 1)
    w, b = layer.weight.detach().double().numpy()[0], layer.bias.item()
    losses = []
    for _ in range(30):
        residual = z @ w + b - t
        losses.append(np.mean(residual ** 2))
        w, b = w - 0.1 * 2 * z.T @ residual / len(t), b - 0.1 * 2 * residual.mean()
    np.testing.assert_allclose(result["train_loss"], losses, rtol=1e-4)
    coef, intercept = scaler.to_original(torch.tensor(w), b)
    np.testing.assert_allclose(result["coef"], coef.numpy(), rtol=1e-4)
    assert result["intercept"] == pytest.approx(intercept, rel=1e-4)
    val = np.mean((x_val.double().numpy() @ coef.numpy() + intercept - y_val.numpy()[:, 0]) ** 2)
    assert result["val_loss"][-1] == pytest.approx(val, rel=1e-4)


def test_worker_lines_keep_the_workers_lines_by_rank():
    output = ("[rank 1/2] b1\nW1128 01:02:03 123 torch/distributed/run.py] Setting ...\n"
              "[rank 0/2] a1\n[rank 1/2] b2\n[rank 0/2] a2\n")
    assert ddp.worker_lines(output) == ["[rank 0/2] a1", "[rank 0/2] a2", "[rank 1/2] b1",
                                        "[rank 1/2] b2"]


def test_log_writes_each_line_whole_so_workers_cannot_interleave_mid_line(monkeypatch):
    writes = []

    class Unbuffered:  # what PYTHONUNBUFFERED gives: every write() reaches the shared pipe
        def write(self, text):
            writes.append(text)
            return len(text)

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", Unbuffered())
    ddp.log(1, 2, "gloo on cpu")
    assert writes == ["[rank 1/2] gloo on cpu\n"]


def test_the_error_line_is_written_whole_so_refusing_workers_cannot_interleave(monkeypatch):
    """Under torchrun both workers refuse at once into one pipe; with PYTHONUNBUFFERED,
    print() would write the text and its newline separately ("error: …error: …")."""
    writes = []

    class Unbuffered:
        def write(self, text):
            writes.append(text)
            return len(text)

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stderr", Unbuffered())
    assert ddp.main(["--epochs", "0"]) == 2
    assert writes == ["error: --epochs must be a whole number >= 1; got 0\n"]


REFUSED = "error: --batch-size 33 must be a positive whole number divisible by ..."
LAUNCHER = ("W1202 19:29:41.521000 16122 torch/distributed/elastic/multiprocessing/api.py:1028] "
            "Sending process 16165 closing signal SIGTERM")


def _done(stderr: str, returncode: int = 1, stdout: str = "") -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess([], returncode, stdout, stderr)


def test_refusal_is_the_first_error_line_of_one_or_all_workers():
    assert ddp.refusal(_done(f"{REFUSED}\n{LAUNCHER}\n{REFUSED}\n")) == REFUSED
    assert ddp.refusal(_done(f"{REFUSED}\n{LAUNCHER}\n")) == REFUSED  # the other was stopped
    assert ddp.error_lines(f"{LAUNCHER}\nsocket.gaierror: [Errno -3] x\n{REFUSED}") == [REFUSED]


def test_without_an_error_line_refusal_shows_what_the_launcher_printed():
    lines = [f"line {k}" for k in range(30)]
    said = ddp.refusal(_done("\n".join(lines) + "\n", stdout="out\n"))
    assert said == "\n".join(lines[-ddp.LAUNCHER_TAIL:])
    assert ddp.refusal(_done("", stdout="[rank 0/2] only this\n")) == "[rank 0/2] only this"


def test_launch_starts_torchrun_again_only_when_no_worker_refused(monkeypatch):
    results = []

    def fake_run(command, **kwargs):
        return results.pop(0)

    monkeypatch.setattr(subprocess, "run", fake_run)
    failed = _done(f"{LAUNCHER}\ntorch...DistNetworkError: socket error: timed out\n")
    results[:] = [failed, _done(f"{REFUSED}\n")]
    assert ddp.launch(["--batch-size", "33"], nproc=2).stderr == f"{REFUSED}\n"
    results[:] = [_done(f"{REFUSED}\n"), failed]
    assert ddp.launch(["--batch-size", "33"], nproc=2).stderr == f"{REFUSED}\n"
    assert results == [failed]  # the refusal was kept: not started again
    results[:] = [failed, failed]
    assert ddp.launch(["--epochs", "0"]).stderr == failed.stderr and results == [failed]


def test_run_alone_with_bad_input_exits_2_without_traceback():
    done = ddp.launch(["--epochs", "0"])
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "error: --epochs must be a whole number >= 1; got 0\n"


SYNTHETIC = ["--data", "synthetic", "--rows", "200", "--features", "3", "--val-fraction", "0.2",
             "--batch-size", "16", "--epochs", "3", "--lr", "0.05", "--seed", "1"]


@pytest.mark.slow
@pytest.mark.serial  # torchrun's two processes take both cores
def test_two_processes_under_torchrun_equal_one(tmp_path):
    assert ddp.main([*SYNTHETIC, "--out", str(tmp_path / "one.json")]) == 0  # this process
    pair = ddp.launch([*SYNTHETIC, "--out", str(tmp_path / "two.json")], nproc=2)
    assert pair.returncode == 0, pair.stderr
    one, two = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("one", "two"))
    assert (one["world_size"], two["world_size"]) == (1, 2)
    for key in ("coef", "train_loss", "val_loss"):
        np.testing.assert_allclose(two[key], one[key], rtol=1e-5, err_msg=key)
    assert two["intercept"] == pytest.approx(one["intercept"], rel=1e-5)
    lines = ddp.worker_lines(pair.stdout)
    assert [line.split("]")[0] for line in lines].count("[rank 1/2") >= 2
    assert any("after DDP's broadcast" in line for line in lines)


@pytest.mark.slow
@pytest.mark.serial  # torchrun's two processes take both cores
def test_bad_input_under_torchrun_fails_with_the_error_line():
    done = ddp.launch(["--batch-size", "15"], nproc=2)
    assert done.returncode != 0
    assert ddp.refusal(done).startswith(
        "error: --batch-size 15 must be a positive whole number divisible by the number "
        "of processes (2)")
    assert "[rank" not in done.stdout  # refused before any training started


def test_launch_uses_this_python_and_torchrun(monkeypatch):
    seen = {}

    def fake_run(command, **kwargs):
        seen["command"], seen["env"] = command, kwargs["env"]
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.delenv("GLOO_SOCKET_IFNAME", raising=False)
    ddp.launch(["--epochs", "2"], nproc=3)
    assert seen["command"] == [sys.executable, "-m", "torch.distributed.run", "--standalone",
                               "--nproc_per_node=3", "-m", "linreg_helpers.ddp", "--epochs", "2"]
    assert seen["env"]["GLOO_SOCKET_IFNAME"] == ddp.loopback_interface(sys.platform)
    assert seen["env"]["LINREG_LANG"] == "en"  # the notebook's language, passed on
    monkeypatch.setitem(i18n._state, "language", "zh")
    ddp.launch(["--epochs", "2"])
    assert seen["env"]["LINREG_LANG"] == "zh"


def test_the_command_speaks_the_language_linreg_lang_names(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(i18n._state, "language", "en")
    monkeypatch.setenv("LINREG_LANG", "zh")
    assert ddp.main(["--lr", "0"]) == 2
    assert capsys.readouterr().err == "error: --lr 必须是 > 0 的数，例如 0.02；你给的是 0.0\n"
    assert ddp.main(["--data", "synthetic", "--rows", "20", "--epochs", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "[rank 0/1] 1 个轮次之后：训练损失 4.5，验证损失 2.3")
    monkeypatch.setenv("LINREG_LANG", "fr")
    assert ddp.main(["--epochs", "1"]) == 2
    assert capsys.readouterr().err.startswith("error: LINREG_LANG='fr' 不是可用的语言")


@pytest.mark.parametrize(("platform", "interface"), [
    ("linux", "lo"), ("darwin", "lo0"), ("freebsd14", "lo0"), ("openbsd7", "lo0"),
    ("win32", None), ("cygwin", None)])
def test_the_loopback_interface_is_named_per_platform(platform, interface):
    assert ddp.loopback_interface(platform) == interface


def _launch_env(monkeypatch) -> dict:
    seen = {}

    def fake_run(command, **kwargs):
        seen["env"] = kwargs["env"]
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_run)
    ddp.launch(["--epochs", "2"], nproc=2)
    return seen["env"]


def test_launch_uses_the_platforms_loopback_and_keeps_the_users_choice(monkeypatch):
    monkeypatch.delenv("GLOO_SOCKET_IFNAME", raising=False)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert _launch_env(monkeypatch)["GLOO_SOCKET_IFNAME"] == "lo0"
    monkeypatch.setattr(sys, "platform", "win32")  # gloo's default interface is left alone
    assert "GLOO_SOCKET_IFNAME" not in _launch_env(monkeypatch)
    monkeypatch.setenv("GLOO_SOCKET_IFNAME", "eth1")  # set by the user: kept everywhere
    assert _launch_env(monkeypatch)["GLOO_SOCKET_IFNAME"] == "eth1"
    monkeypatch.setattr(sys, "platform", "linux")
    assert _launch_env(monkeypatch)["GLOO_SOCKET_IFNAME"] == "eth1"


def test_val_fraction_zero_trains_on_every_row(tmp_path, capsys):
    out = tmp_path / "all.json"
    assert ddp.main(["--data", "synthetic", "--rows", "50", "--val-fraction", "0", "--epochs",
                     "2", "--batch-size", "10", "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert "val_loss" not in result and len(result["train_loss"]) == 2
    assert len(result["coef"]) == 3 and isinstance(result["intercept"], float)
    assert "50 of 50 training rows per epoch" in capsys.readouterr().out
