"""train_batches: the lesson's loop once per mini-batch, against train() and NumPy."""

import numpy as np
import pytest
import torch

from linreg_helpers.batches import ShuffledBatches, index_batches
from linreg_helpers.data import lesson_data
from linreg_helpers.model import LinearModel
from linreg_helpers.training import evaluate, train, train_batches


def test_one_full_batch_per_epoch_is_train():
    """With the whole data set as its one batch, train_batches takes train()'s steps."""
    x, y = lesson_data()
    torch.manual_seed(0)
    model = LinearModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    history = train_batches(model, [(x, y)], optimizer, epochs=51,
                            criterion=torch.nn.MSELoss(reduction="sum"))
    reference = train()
    assert history.batch_loss == reference.loss == history.train_loss
    assert model.linear.weight.item() == reference.weight[-1]
    assert model.linear.bias.item() == reference.bias[-1]


def test_mini_batch_sgd_matches_a_numpy_recurrence():
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(37, 3, generator=gen), torch.randn(37, 1, generator=gen)
    torch.manual_seed(1)
    model = torch.nn.Linear(3, 1)
    w, b = model.weight.detach().double().numpy()[0].copy(), model.bias.item()
    batches = ShuffledBatches(x, y, 8, seed=4)
    history = train_batches(model, batches, torch.optim.SGD(model.parameters(), lr=0.1),
                            epochs=3, validation=(x[:5], y[:5]))

    gen = torch.Generator().manual_seed(4)
    losses, epoch_means = [], []
    for _ in range(3):
        order, total = torch.randperm(37, generator=gen).numpy(), 0.0
        for idx in np.array_split(order, range(8, 37, 8)):
            xb, yb = x.double().numpy()[idx], y.double().numpy()[idx, 0]
            residual = xb @ w + b - yb
            losses.append(np.mean(residual ** 2))
            total += losses[-1] * len(idx)
            w = w - 0.1 * 2 * xb.T @ residual / len(idx)
            b = b - 0.1 * 2 * residual.mean()
        epoch_means.append(total / 37)
    np.testing.assert_allclose(history.batch_loss, losses, rtol=1e-5)
    np.testing.assert_allclose(history.train_loss, epoch_means, rtol=1e-5)
    np.testing.assert_allclose(model.weight.detach().numpy()[0], w, rtol=1e-5)
    val = np.mean((x[:5].double().numpy() @ w + b - y[:5, 0].double().numpy()) ** 2)
    assert history.val_loss[-1] == pytest.approx(val, rel=1e-5)
    assert len(history.batch_loss) == 15 and len(history.val_loss) == 3


def test_a_dataloader_and_index_slices_train_identically():
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(50, 2, generator=gen), torch.randn(50, 1, generator=gen)
    order = torch.randperm(50, generator=gen)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16,
                                         sampler=order.tolist())
    results = []
    for batches in (loader, list(index_batches(x, y, order, 16))):
        torch.manual_seed(0)
        model = torch.nn.Linear(2, 1)
        train_batches(model, batches, torch.optim.SGD(model.parameters(), lr=0.1), epochs=2)
        results.append(torch.cat([model.weight.detach()[0], model.bias.detach()]))
    assert torch.equal(*results)


def test_evaluate_leaves_no_graph_and_sets_eval_mode():
    model = torch.nn.Linear(1, 1)
    x, y = lesson_data()
    loss = evaluate(model, x, y)
    assert not model.training and isinstance(loss, float)
    assert model.weight.grad is None
    with torch.no_grad():
        assert loss == torch.nn.MSELoss()(model(x), y).item()


def test_on_epoch_runs_before_every_epoch_and_the_bar_counts_the_epochs(capsys):
    x, y = lesson_data()
    model, seen = torch.nn.Linear(1, 1), []
    train_batches(model, [(x, y)], torch.optim.SGD(model.parameters(), lr=0.01), epochs=4,
                  on_epoch=seen.append, progress=True)
    assert seen == [0, 1, 2, 3]
    drawn = [part.strip() for part in capsys.readouterr().err.split("\r") if part.strip()]
    assert drawn[0].startswith("epochs:   0%") and drawn[0].endswith("| 0/4 [00:00<?, ?it/s]")
    assert drawn[-1].startswith("epochs: 100%") and "| 4/4 [" in drawn[-1]
    train_batches(model, [(x, y)], torch.optim.SGD(model.parameters(), lr=0.01), epochs=4)
    assert capsys.readouterr().err == ""  # progress=False (the default) draws nothing


def test_bad_settings_are_refused_with_trains_messages():
    x, y = lesson_data()
    model = torch.nn.Linear(1, 1)
    with pytest.raises(ValueError, match="epochs must be a whole number"):
        train_batches(model, [(x, y)], torch.optim.SGD(model.parameters(), lr=0.1), epochs=0)
    with pytest.raises(ValueError, match="lr"):
        train_batches(model, [(x, y)], torch.optim.SGD(model.parameters(), lr=0.0), epochs=1)
