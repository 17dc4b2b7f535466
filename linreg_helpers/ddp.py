"""Linear regression on one or several processes with ``torch.distributed`` (notebook 09).

One process::

    python -m linreg_helpers.ddp --data diabetes --epochs 200 --lr 0.02 --batch-size 32 \\
        --val-fraction 0.2 --seed 0 --out result.json

N processes on this machine (``torchrun`` is ``python -m torch.distributed.run``)::

    torchrun --standalone --nproc_per_node=2 -m linreg_helpers.ddp --data diabetes ...

``--batch-size`` is the *global* batch: each of the N processes takes batch-size / N of its rows.
When the training rows and the batch size are divisible by N, 1 and N processes train on the
same global batches (``DistributedSampler`` deals out one shared permutation per epoch) and
agree to float rounding. Bad arguments are refused before the process group starts: one
``error: ...`` line on stderr and exit status 2 (:func:`refusal` reads it from a launch).
Its help, logs and errors are in the language ``LINREG_LANG`` names (``LINREG_LANG=zh``);
:func:`launch` passes the notebook's language on.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Optional

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import BatchSampler, DataLoader, DistributedSampler, TensorDataset

from linreg_helpers.i18n import ENVIRONMENT, get_language, text, use_environment_language
from linreg_helpers.realdata import Standardizer, diabetes, split, synthetic, validation_rows
from linreg_helpers.training import train_batches

DATA_SETS = ("diabetes", "synthetic")
DIABETES_ROWS = 442
LOG_PREFIX = "[rank "
ERROR_PREFIX = "error: "
#: How much of the launcher's output :func:`refusal` gives when no worker refused.
LAUNCHER_TAIL = 15


class UsageError(Exception):
    """A bad command-line argument: reported as one ``error: ...`` line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print the usage and exit; we report once
        raise UsageError(text("error.ddp.usage", message=message))


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line, parsed; UsageError for anything argparse refuses."""
    parser = _Parser(prog="python -m linreg_helpers.ddp", description=text("ddp.help"))
    parser.add_argument("--data", default="diabetes", help=text(
        "ddp.help.data", choices=text("error.ddp.data.or").join(DATA_SETS)))
    parser.add_argument("--epochs", type=int, default=20, help=text("ddp.help.epochs"))
    parser.add_argument("--lr", type=float, default=0.02, help=text("ddp.help.lr"))
    parser.add_argument("--batch-size", type=int, default=32, help=text("ddp.help.batch_size"))
    parser.add_argument("--val-fraction", type=float, default=0.2,
                        help=text("ddp.help.val_fraction"))
    parser.add_argument("--seed", type=int, default=0, help=text("ddp.help.seed"))
    parser.add_argument("--reduction", default="mean", choices=("mean", "sum"),
                        help=text("ddp.help.reduction"))
    parser.add_argument("--rows", type=int, default=1000, help=text("ddp.help.rows"))
    parser.add_argument("--features", type=int, default=3, help=text("ddp.help.features"))
    parser.add_argument("--out", default=None, help=text("ddp.help.out"))
    return parser.parse_args(argv)


def validate_args(args: argparse.Namespace, world_size: int) -> int:
    """Refuse unusable settings with a UsageError saying what to do; return the training rows."""
    if args.data not in DATA_SETS:
        raise UsageError(text("error.ddp.data", data=args.data,
                              choices=text("error.ddp.data.or").join(DATA_SETS)))
    if not (math.isfinite(args.lr) and args.lr > 0):
        raise UsageError(text("error.ddp.lr", lr=args.lr))
    if args.epochs < 1:
        raise UsageError(text("error.ddp.epochs", epochs=args.epochs))
    if args.batch_size < 1 or args.batch_size % world_size:
        raise UsageError(text("error.ddp.batch_size", batch_size=args.batch_size,
                              world_size=world_size))
    if args.data == "synthetic" and (args.rows < 1 or args.features < 1):
        raise UsageError(text("error.ddp.rows", rows=args.rows, features=args.features))
    rows = DIABETES_ROWS if args.data == "diabetes" else args.rows
    try:
        train_rows = rows - validation_rows(rows, args.val_fraction)
    except ValueError as exc:
        raise UsageError(text("error.ddp.val_fraction", error=exc)) from None
    if world_size > train_rows:
        raise UsageError(text("error.ddp.world_size", world_size=world_size,
                              train_rows=train_rows))
    return train_rows


def load(args: argparse.Namespace) -> tuple[torch.Tensor, torch.Tensor]:
    """The data set named by ``--data`` as x (N, D), y (N, 1)."""
    if args.data == "diabetes":
        x, y, _ = diabetes()
        return x, y
    x, y, _, _ = synthetic(args.rows, args.features, seed=args.seed)
    return x, y


def log(rank: int, world_size: int, message: str) -> None:
    """One line of this worker's log, tagged with its rank, e.g. ``[rank 1/2] ...``.

    Written in one call, newline included: ``print`` writes the text and its newline
    separately, and with unbuffered output (``PYTHONUNBUFFERED``) two workers sharing the pipe
    then interleave mid-line ("[rank 0/2] gloo on cpu[rank 1/2] gloo on cpu").
    """
    sys.stdout.write(f"{LOG_PREFIX}{rank}/{world_size}] {message}\n")
    sys.stdout.flush()


def train_rank(args: argparse.Namespace, rank: int, world_size: int, device: torch.device) -> dict:
    """Train on this process's shard of every global batch; return the result as a dict."""
    x, y = load(args)
    x_train, y_train, x_val, y_val = split(x, y, args.val_fraction, seed=args.seed)
    scaler = Standardizer.fit(x_train)
    dataset = TensorDataset(scaler.transform(x_train), y_train)
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, seed=args.seed)
    # One fancy-indexing per batch instead of one dataset[i] per row (same batches; notebook 08)
    batches = BatchSampler(sampler, args.batch_size // world_size, drop_last=False)
    loader = DataLoader(dataset, sampler=batches, batch_size=None)
    log(rank, world_size, text("ddp.log.shard", local=len(sampler), total=len(dataset),
                               batch=args.batch_size // world_size,
                               global_batch=args.batch_size))
    if len(dataset) % world_size:
        log(rank, world_size, text("ddp.log.uneven", rows=len(dataset), world_size=world_size,
                                   repeated=len(sampler) * world_size - len(dataset)))

    torch.manual_seed(args.seed + rank)  # different on purpose: DDP copies rank 0's weights
    layer = torch.nn.Linear(x.shape[1], 1).to(device)
    model: torch.nn.Module = layer
    if dist.is_initialized():
        own = layer.bias.item()
        model = DistributedDataParallel(layer, device_ids=[device] if device.type == "cuda"
                                        else None)
        log(rank, world_size, text("ddp.log.broadcast", own=own, now=layer.bias.item()))
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    validation = (scaler.transform(x_val), y_val) if len(x_val) else None
    history = train_batches(model, loader, optimizer, epochs=args.epochs, device=device,
                            criterion=torch.nn.MSELoss(reduction=args.reduction),
                            validation=validation, on_epoch=sampler.set_epoch)
    coef, intercept = scaler.to_original(layer.weight, layer.bias.item())
    result = {"coef": coef.tolist(), "intercept": intercept, "world_size": world_size,
              "train_loss": history.train_loss}
    if validation is not None:
        result["val_loss"] = history.val_loss
    return result


def _device(local_rank: int) -> torch.device:
    """This process's GPU where CUDA exists (one per process), else the CPU."""
    if torch.cuda.is_available():
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    return torch.device("cpu")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command; 0 on success, 2 (after one ``error:`` line) on bad arguments."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local_rank = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    try:
        use_environment_language()
        args = parse_args(argv)
        validate_args(args, world_size)
    except (UsageError, ValueError) as exc:  # ValueError: LINREG_LANG names no language
        # One write, newline included, as in log(): under torchrun every worker refuses at
        # the same moment into the same pipe.
        sys.stderr.write(f"{ERROR_PREFIX}{exc}\n")
        sys.stderr.flush()
        return 2
    device = _device(local_rank)
    distributed = "WORLD_SIZE" in os.environ  # started by torchrun
    if distributed:  # torchrun set MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    log(rank, world_size, text("ddp.log.backend", device=device.type, backend=(
        dist.get_backend() if distributed else text("ddp.log.no_group"))))
    start = time.perf_counter()
    try:
        result = train_rank(args, rank, world_size, device)
    finally:
        if distributed:
            dist.destroy_process_group()
    result["seconds"] = time.perf_counter() - start
    if rank == 0:
        losses = text("ddp.log.train_loss", loss=result["train_loss"][-1]) + (
            text("ddp.log.val_loss", loss=result["val_loss"][-1]) if "val_loss" in result else "")
        log(rank, world_size, text("ddp.log.done", epochs=args.epochs, losses=losses))
        if args.out:
            with open(args.out, "w", encoding="utf-8") as file:
                json.dump(result, file, indent=1)
            log(rank, world_size, text("ddp.log.wrote", name=os.path.basename(args.out)))
    return 0


def loopback_interface(platform: str) -> Optional[str]:
    """The name of the loopback network interface on ``platform`` (a ``sys.platform`` value):
    ``"lo"`` on Linux, ``"lo0"`` on macOS and the BSDs; None elsewhere (Windows), where gloo's
    own choice of interface is left alone."""
    if platform.startswith("linux"):
        return "lo"
    if platform == "darwin" or platform.startswith(("freebsd", "openbsd", "netbsd", "dragonfly")):
        return "lo0"
    return None


def launch(args: Sequence[str], nproc: Optional[int] = None, *,
           timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the command in a subprocess: alone (``nproc=None``) or under torchrun on ``nproc``.

    torchrun's workers cannot be started from inside a notebook's own process (they must
    import ``__main__``), so the notebook starts ``sys.executable -m torch.distributed.run``.
    Gloo talks over the loopback interface (:func:`loopback_interface`; a
    ``GLOO_SOCKET_IFNAME`` already set in the environment is kept). The processes speak the
    notebook's language (``LINREG_LANG``). Returns the finished process, text captured.
    """
    command = [sys.executable, "-m", "linreg_helpers.ddp", *args]
    if nproc is not None:
        command[1:3] = ["-m", "torch.distributed.run", "--standalone",
                        f"--nproc_per_node={nproc}", "-m", "linreg_helpers.ddp"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", ENVIRONMENT: get_language()}
    interface = loopback_interface(sys.platform)
    if interface is not None:
        env.setdefault("GLOO_SOCKET_IFNAME", interface)
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    if nproc is not None and done.returncode != 0 and not error_lines(done.stderr):
        # The launcher failed, not our command (which reports "error: ..."): seen once in
        # about fifty launches on a loaded 2-core machine. Start it once more.
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=env)
    return done


def error_lines(output: str) -> list[str]:
    """The command's own ``error: ...`` lines in ``output`` (a launch's stderr), in order."""
    return [line for line in output.splitlines() if line.startswith(ERROR_PREFIX)]


def refusal(done: subprocess.CompletedProcess) -> str:
    """What a launch that refused its arguments says: its ``error: ...`` line.

    Under torchrun each worker checks the arguments and refuses with the same line; torchrun
    stops the other workers when the first one fails, so one or all of them print it: the
    first is the answer. Where no line came (a worker died before it could check, or the
    launcher itself failed), the last lines the launch printed instead, to show why.
    """
    lines = error_lines(done.stderr)
    if lines:
        return lines[0]
    return "\n".join((done.stdout + done.stderr).strip().splitlines()[-LAUNCHER_TAIL:])


def worker_lines(output: str) -> list[str]:
    """The workers' own log lines from ``output``, rank 0's first (each rank's in its order).

    Leaves out the launcher's messages (stamped with times and process ids) and interleaving:
    the workers print concurrently, so their lines arrive in an order that varies from run to run.
    """
    lines = [line for line in output.splitlines() if line.startswith(LOG_PREFIX)]
    return sorted(lines, key=lambda line: int(line[len(LOG_PREFIX):].split("/", 1)[0]))


if __name__ == "__main__":
    sys.exit(main())
