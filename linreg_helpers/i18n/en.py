"""The helpers' messages in English (the default). Templates for ``str.format``."""

MESSAGES: dict[str, str] = {
    # ---- exercise checkers (exercises.py): one line, verdict first -------------------------
    "check.line": "{verdict}: {message}",
    "check.pass": "✅ Correct",
    "check.hint": "💡 Not yet",
    "check.todo": "⏳ Not attempted yet",
    "check.todo.message": "replace the ... with {what}, then run this cell again.",
    "check.not_number": "give a number; got {answer!r}",
    # check_column_tensor
    "check.column.your_tensor": "your tensor",
    "check.column.todo": "{name} as a (N, 1) float tensor",
    "check.column.not_tensor": "{name} should be a torch tensor; got {type} — wrap the data in "
                               "torch.tensor(...)",
    "check.column.shape": "{name} has shape {shape}; it should be ({n}, 1){hint}",
    "check.column.reshape": " — one row per sample and one column: a matrix, not a flat list",
    "check.column.dtype": "{name} has dtype {dtype}; it should be torch.float32 — torch.tensor "
                          "infers the dtype from the numbers as you write them",
    "check.column.values": "{name} has the right shape but different values; expected "
                           "{expected} in order",
    "check.column.pass": "{name} is a ({n}, 1) float32 column: one sample per row.",
    # check_dtype_answer
    "check.dtype.todo": "the dtype you expect, written as a torch dtype (torch.…)",
    "check.dtype.not_dtype": "give a torch dtype, written torch.… (not a string); got {answer!r}",
    "check.dtype.wrong": "{expression} does not have dtype {answer} — torch.tensor looks at "
                         "every number: run it and look at .dtype",
    "check.dtype.pass": "{expression} has dtype {expected}.",
    # check_linear_shapes
    "check.linear.todo": "a layer that maps {in_features} features to {out_features}",
    "check.linear.not_linear": "expected a torch.nn.Linear; got {type}",
    "check.linear.features": "the layer maps {got_in} → {got_out} features; it should map "
                             "{in_features} → {out_features} (nn.Linear(in_features, "
                             "out_features))",
    "check.linear.no_bias": "the layer has no bias; keep the default bias=True",
    "check.linear.pass": "weight {weight} = (out, in), bias {bias} = (out,).",
    # check_manual_linear
    "check.manual.todo": "your function manual_linear(x, layer)",
    "check.manual.not_callable": "manual_linear should be a function of (x, layer)",
    "check.manual.transpose": " — the weight is stored as (out, in): which way round must it "
                              "meet x?",
    "check.manual.raised": "manual_linear(x, layer) raised {error}: {message}{hint}",
    "check.manual.shape": "for x of shape (4, 3) and nn.Linear(3, 2) the result should have "
                          "shape (4, 2); got {shape}{hint}",
    "check.manual.numbers": "right shape, wrong numbers — look again at what nn.Linear computes: "
                            "is the bias added, and is the weight used the right way round?",
    "check.manual.no_bias": "right for a layer with a bias, but not for nn.Linear(3, 2, "
                            "bias=False), whose layer.bias is None ({problem}): add the bias "
                            "only when the layer has one",
    "check.manual.no_bias_wrong": "wrong result",
    "check.manual.pass": "your formula matches nn.Linear, with and without a bias: "
                         "y = x·Wᵀ + b, or x·Wᵀ.",
    # check_sum_loss
    "check.sum.todo": "your function my_sum_loss(y_pred, y)",
    "check.sum.not_callable": "my_sum_loss should be a function of (y_pred, y)",
    "check.sum.raised": "calling my_sum_loss raised {error}: {message}",
    "check.sum.item": "return the loss tensor itself, without .item(): backward() needs a "
                      "tensor",
    "check.sum.not_scalar": "the loss must be a scalar tensor (0-dim): one number for the whole "
                            "batch, not one per sample",
    "check.sum.mean": "that is the mean; the lesson sums the squared errors",
    "check.sum.wrong": "not the sum of squared errors — square each difference between "
                       "prediction and target, then add them all up",
    "check.sum.pass": "your loss equals MSELoss(reduction='sum').",
    # check_equivalent_lr
    "check.lr.todo": "a learning rate (a number)",
    "check.lr.pass": "the mean divides the gradient by N = {n}, so lr must be {n}× larger: "
                     "{expected:g}.",
    "check.lr.reversed": "not this one: compare one SGD step, lr × gradient, with the sum and "
                         "with the mean — which gradient is smaller?",
    "check.lr.wrong": "the mean loss is the sum divided by N = {n}; so is its gradient",
    # check_losses_match
    "check.losses.todo": "your function my_losses(lr, reduction)",
    "check.losses.calls": "my_losses calls the package's {original}(): write the loop yourself "
                          "(forward, loss, zero_grad(), backward(), step()), then compare "
                          "with train()",
    "check.losses.nothing": "{call} returned nothing: return the list of losses it recorded",
    "check.losses.not_floats": "record plain floats: losses.append(loss.item())",
    "check.losses.length": "{call} recorded {got} losses; expected {expected} (one per epoch)",
    "check.losses.numbers": "{call}: the numbers differ — did you call torch.manual_seed(0) "
                            "right before building the model, use the reduction and lr it is "
                            "given, and record the loss before step()?",
    "check.losses.pass": "my_losses matches train() epoch for epoch, for {cases} settings.",
    # check_same_steps_reason (04's Exercise 1: why the mean with lr = 0.15 ends at the same w, b)
    "check.why.todo": 'a letter: "a", "b" or "c"',
    "check.why.not_a_choice": 'answer with one of the letters "a", "b" or "c"; got {answer!r}',
    "check.why.smaller_loss": "a smaller loss alone does not move w and b: each step is lr × the "
                              "gradient. Compare the gradients of the two losses",
    "check.why.faster": "the two runs are not merely both fast: they take the same steps, epoch "
                        "for epoch. Compare lr × the gradient in the two runs",
    "check.why.pass": "the mean divides the gradient by N = 3, and lr = 3 × 0.05 multiplies it "
                      "back: every step is the lesson's step.",
    # check_int_answer and the checkers built on it
    "check.int.todo": "a whole number",
    "check.int.not_whole": "give a whole number; got {answer!r}",
    "check.int.wrong": "{answer} is not it — {hint}",
    "check.int.pass": "{question}: {expected}.",
    "check.count.question": "numbers learned by nn.Linear({in_features}, {out_features})",
    "check.count.hint": "count the entries of the weight (shape (out, in)) and of the bias "
                        "(shape (out,))",
    "check.prediction.question": "epochs until the prediction for {x:g} is within {within:g} "
                                 "of {target:g}",
    "check.prediction.hint": "compute w·4 + b after every epoch of a long run; index e means "
                             "e + 1 epochs",
    "check.settle.question": "the epoch (the cursor's, from 0) at lr {lr:g} from which on "
                             "|w − 2| stays below {within:g}",
    "check.settle.hint": ("play with the cursor, or step(1) and read history.weight after every "
                          "epoch: the last epoch where |w − 2| was still ≥ the tolerance, "
                          "plus one"),
    # check_steered_run
    "check.steered.todo": "the History of your steered run (dashboard.history)",
    "check.steered.not_history": "give the History itself (dashboard.history); got {type}",
    "check.steered.length": "your run has {got} epochs; train {epochs} in all (step(20), then "
                            "step(31))",
    "check.steered.not_steered": ("this is the run at lr {lr:g} throughout: set the lr slider to "
                                  "{new_lr:g} between the two step() calls"),
    "check.steered.restarted": ("this is a run at lr {new_lr:g} from the start: after step(20), "
                                "change only the lr (no restart), then step on"),
    "check.steered.wrong": "not the loop that switches to lr {new_lr:g} after {switch_at} "
                           "epochs: start from the lesson's settings, and change the lr while "
                           "the same run goes on",
    "check.steered.pass": ("your run equals a hand-written loop that sets "
                           "param_groups[0]['lr'] from {lr:g} to {new_lr:g} at epoch "
                           "{switch_at}, the optimizer kept."),
    "check.flat.question": "epochs until the flat direction is below {share:.0%} of its start",
    "check.flat.hint": "solve factor ** n < 0.01 for n with logarithms, then round up",
    "check.iterations.question": "iterations per epoch ({rows} rows, batches of {batch_size})",
    "check.iterations.hint": "one iteration is one batch; an epoch uses every row once, and the "
                             "last batch holds the rows that are left",
    "check.local_batch.question": "rows per process and step (global batch {global_batch}, "
                                  "{world_size} processes)",
    "check.local_batch.hint": "one step of DDP covers one global batch, shared equally by all "
                              "the processes",
    # check_epoch_order
    "check.order.todo": "a list ordering {steps}",
    "check.order.each_once": "use each of {steps} exactly once",
    "check.order.forward_loss": "the loss needs the prediction: forward comes before loss",
    "check.order.loss_backward": "backward() starts from the loss",
    "check.order.backward_step": "step() uses the gradients that backward() computed",
    "check.order.zero_grad": "zero_grad() between backward() and step() erases the gradients "
                             "step() needs; clear them before backward() (or after step())",
    "check.order.lesson": "that is the order of the program above. Which calls keep their "
                          "places, and which one can sit elsewhere?",
    "check.order.pass": "{order}.",
    # check_glossary
    "check.glossary.todo": "a dict of your translations",
    "check.glossary.not_dict": "give a dict such as {{'张量': 'tensor', ...}}",
    "check.glossary.wrong": "{wrong} of {total} not right yet: look again at {terms}",
    "check.glossary.pass": "all {total} terms right.",
    # check_function and the checkers built on it
    "check.function.todo": "your function {name}",
    "check.function.not_callable": "{name} should be a function",
    "check.function.raised": "{call} raised {error}: {message}",
    "check.function.nothing": "nothing (add a return)",
    "check.function.not_number": "{call} should return one number; it returned {what}",
    "check.function.wrong": "{call} gave {got:.4f}, which is not the right value: work this "
                            "case out by hand and compare",
    "check.function.borrowed": "{name} is the package's own {original}: write the function "
                               "yourself, then compare your results with {original}",
    "check.function.calls": "{name} calls {original}: compute it yourself, then compare your "
                            "results with {original}",
    "check.function.pass": "{name} agrees with the reference on {cases} cases.",
    # check_optimizer_swap
    "check.swap.todo_model": "your trained model",
    "check.swap.todo_optimizer": "your optimizer",
    "check.swap.not_optimizer": "optimizer should be a torch.optim optimizer; got {type}",
    "check.swap.sgd": "that is still SGD: swap it for another torch.optim optimizer",
    "check.swap.not_lesson_model": "model should be the lesson's LinearModel (model.linear)",
    "check.swap.not_held": "this optimizer does not hold the model's parameters — build it "
                           "with model.parameters()",
    "check.swap.epochs": "epochs should be a whole number from 1 to {max_epochs}; got "
                         "{epochs!r}",
    "check.swap.steps": "the optimizer took {steps} steps, but epochs = {n}: give the number "
                        "of epochs your loop ran (one step each)",
    "check.swap.far": "{name} with lr {lr:g} ends at w = {w:.4f}, b = {b:.4f} after {n} "
                      "epochs, not within {tol:g} of least squares: try another lr (a log "
                      "scale: 0.01, 0.1, 1)",
    "check.swap.pass": "{name} with lr {lr:g} reaches w = {w:.4f}, b = {b:.4f} in {n} epochs, "
                       "within {tol:g} of least squares.",
    "check.swap.pass_one": "{name} with lr {lr:g} reaches w = {w:.4f}, b = {b:.4f} in {n} "
                           "epoch, within {tol:g} of least squares.",
    # check_reduction_sensitive
    "check.sensitive.todo": "a list of optimizer names, as strings spelled as in torch.optim",
    "check.sensitive.not_list": "give a list of names (strings), even for one name; got "
                                "{answer!r}",
    "check.sensitive.unknown": "unknown optimizer {name!r}; choose from {names}",
    "check.sensitive.wrong": "not that list — train each of the eight with reduction='sum' and "
                             "with 'mean', and keep those whose final w or b moves by more "
                             "than {tol:g}",
    "check.sensitive.and": " and ",
    "check.sensitive.pass": "only {names} change: they step by lr × gradient, and the mean "
                            "divides the gradient by N.",
    # ---- learner-facing errors: error.<module>.<what> ---------------------------------------
    # settings.py and data.py (ValueError)
    "error.settings.lr.not_number": "lr must be a positive number such as {example}; got {lr!r}",
    "error.settings.lr.not_positive": "lr (the learning rate, 学习率) must be > 0, such as "
                                      "{example}; got {lr}",
    "error.settings.epochs": "epochs must be a whole number ≥ 1, such as {example}; got {epochs!r}",
    "error.settings.reduction": "unknown reduction {reduction!r}{hint}; choose one of {choices}",
    "error.settings.reduction.none": " ('none' gives one loss per sample; backward() needs a "
                                     "scalar)",
    "error.settings.optimizer": "unknown optimizer {optimizer!r}{hint}; choose one of {choices}",
    "error.settings.optimizer.did_you_mean": " — did you mean {name!r}?",
    "error.data.column.unreadable": "{name} must be a list of rows of numbers, like [[1.0], "
                                    "[2.0], [3.0]]; could not read it as an array ({error})",
    "error.data.column.not_numbers": "{name} must contain numbers only; got values of type {dtype}"
                                     " — convert them with float(...) first",
    "error.data.column.not_real": "{name} must contain real numbers; got dtype {dtype}",
    "error.data.column.flat": "{name} must be a column matrix of shape (N, 1); got shape {shape} —"
                              " use {name}.reshape(-1, 1), or write the data as [[1.0], [2.0], "
                              "...]",
    "error.data.column.shape": "{name} must be a column matrix of shape (N, 1) (one feature per "
                               "row); got shape {shape}",
    "error.data.column.empty": "{name} is empty: give at least one sample (one row)",
    "error.data.column.not_finite": "{name} contains NaN or infinite values (first at row {row}); "
                                    "remove or fix those rows",
    "error.data.xy.rows": "x and y must have the same number of rows (samples); got {x_rows} rows "
                          "in x and {y_rows} in y",
    "error.data.xy.one_missing": "give both x and y, or neither (to use the lesson's data)",
    "error.data.noisy.n": "n must be a positive whole number of samples; got {n!r}",
    "error.data.noisy.not_finite": "{label} must be a finite number; got {value!r}",
    "error.data.noisy.noise": "noise is a standard deviation and cannot be negative; got {noise}",
    "error.data.noisy.range": "high must be greater than low; got low={low}, high={high}",
    # realdata.py
    "error.realdata.whole": "{name} must be a positive whole number; got {value!r}",
    "error.realdata.noise": "noise is a standard deviation: a number ≥ 0; got {noise!r}",
    "error.realdata.val_fraction": "val_fraction must be a number in [0, 1), such as 0.2; got "
                                   "{val_fraction!r}",
    "error.realdata.no_training_rows": "val_fraction {val_fraction} leaves no training rows out "
                                       "of {rows}",
    "error.realdata.constant_feature": "feature {column} is constant in the training rows: it "
                                       "cannot be standardised (drop it)",
    "error.realdata.r2_lengths": "y_true and y_pred must have the same number of values; got "
                                 "{true} and {pred}",
    # sweep.py
    "error.sweep.one_number": "lrs must be a list of learning rates such as [0.01, 0.05]; got the "
                              "single number {lr!r} — write [{lr!r}], or use train(lr=...)",
    "error.sweep.unreadable": "lrs must be a list of numbers such as [0.01, 0.05]; could not read "
                              "it as an array ({error})",
    "error.sweep.not_real": "lrs must contain real numbers such as 0.05; got values of type "
                            "{dtype}",
    "error.sweep.not_flat": "lrs must be a flat list (1-D) of learning rates; got shape {shape} —"
                            " use np.ravel(lrs) if you meant all of them",
    "error.sweep.empty": "lrs is empty: give at least one learning rate, such as [0.05]",
    "error.sweep.not_positive": "every learning rate (学习率) must be a finite number > 0, such "
                                "as 0.05; lrs[{index}] is {lr!r}",
    # batches.py
    "error.batches.batch_size": "batch_size must be a positive whole number such as 32; got "
                                "{batch_size!r}",
    "error.batches.not_2d": "{name} must be a 2-D tensor (rows are samples); got {got}",
    "error.batches.rows": "x and y must have the same, non-zero number of rows; got {x_rows} and "
                          "{y_rows}",
    # training.py
    "error.training.options": "{name} does not accept these options {options}: {error}",
    "error.training.start": "start must be a pair (w0, b0) such as (0.5, 1.0); got {start!r}",
    # widgets/live_curves.py (LiveLossCurves)
    "error.curves.epochs": "epochs must be a whole number ≥ 1 (the epochs the curves will "
                           "show); got {epochs!r}",
    "error.curves.validation": "these curves show a validation loss: give it too, "
                               "add(train_loss, val_loss)",
    "error.curves.no_validation": "these curves show no validation loss (validation=False): "
                                  "give the training loss alone, add(train_loss)",
    "error.curves.full": "the curves hold {epochs} epoch(s), all recorded already: make new "
                         "curves for another run",
    "error.training.not_finite": "{name} must be a finite number such as 0.5; got {value!r}",
    # stepping.py
    "error.stepping.k": "k (the epochs to step) must be a whole number such as 1 or 10; got {k!r}",
    # analysis.py
    "error.analysis.momentum": "momentum must be in [0, 1); got {momentum}",
    "error.analysis.weight_decay": "weight_decay cannot be negative; got {weight_decay}",
    "error.analysis.grid": "w_values and b_values must be 1-D lists of numbers; got shapes "
                           "{w_shape} and {b_shape} — use np.linspace(...)",
    # race.py
    "error.race.lrs": "lrs must be a non-empty dict such as {{'SGD': 0.05, 'Adam': 0.3}}; got "
                      "{lrs!r}",
    # i18n (set_language, text(lang=...))
    "error.i18n.language": "unknown language {language!r}; choose one of {choices}",
    "error.exercises.local_batch": "global_batch {global_batch} must be a multiple of world_size "
        "{world_size}: DDP gives every process an equal share",
    # ddp.py's command line (UsageError, printed as "error: ...")
    "error.ddp.data": "unknown --data {data!r}; choose {choices}",
    "error.ddp.data.or": " or ",
    "error.ddp.lr": "--lr must be a number > 0, such as 0.02; got {lr}",
    "error.ddp.epochs": "--epochs must be a whole number >= 1; got {epochs}",
    "error.ddp.batch_size": "--batch-size {batch_size} must be a positive whole number divisible "
                            "by the number of processes ({world_size}): it is the global batch, "
                            "split evenly between them",
    "error.ddp.rows": "--rows and --features must be >= 1; got {rows} and {features}",
    "error.ddp.val_fraction": "--val-fraction: {error}",
    "error.ddp.world_size": "{world_size} processes but only {train_rows} training rows: start at "
                            "most {train_rows} processes",
    "error.ddp.usage": "{message}",
    "error.i18n.environment": "LINREG_LANG={language!r} names no language; set it to one of "
                              "{choices} (or leave it unset for English)",
    # ddp.py's --help and its workers' log lines ("[rank 0/2] ...")
    "ddp.help": "Linear regression on one or several processes (torchrun).",
    "ddp.help.data": "which data set: {choices} (default diabetes)",
    "ddp.help.epochs": "passes over the training rows",
    "ddp.help.lr": "SGD's learning rate",
    "ddp.help.batch_size": "the global batch: rows per step, over all processes together",
    "ddp.help.val_fraction": "share of the rows kept for validation (0: train on every row)",
    "ddp.help.seed": "seeds the split, data and shuffling",
    "ddp.help.reduction": "MSELoss's reduction (default mean)",
    "ddp.help.rows": "synthetic data: rows",
    "ddp.help.features": "synthetic data: features",
    "ddp.help.out": "write the result as JSON to this file",
    "ddp.log.backend": "{backend} on {device}",
    "ddp.log.no_group": "no process group",
    "ddp.log.shard": "{local} of {total} training rows per epoch, local batches of {batch} "
                     "(global {global_batch})",
    "ddp.log.uneven": "{rows} rows do not split evenly into {world_size}: the sampler repeats "
                      "{repeated} row(s) every epoch",
    "ddp.log.broadcast": "bias drawn here {own:.4f}, after DDP's broadcast {now:.4f}",
    "ddp.log.done": "after {epochs} epochs: {losses}",
    "ddp.log.train_loss": "train loss {loss:.1f}",
    "ddp.log.val_loss": ", val loss {loss:.1f}",
    "ddp.log.wrote": "wrote {name}",
    # ---- make doctor (doctor.py): check names, what each found, the fixes in words ---------
    "doctor.line": "{status} {name}: {detail}",
    "doctor.fix": "    fix: {fix}",
    "doctor.failed": "{count} check(s) failed: {names}; the README's Troubleshooting explains "
                     "each fix",
    "doctor.separator": ", ",
    "doctor.passed": "all required checks passed",
    "doctor.python": "Python",
    "doctor.python.pass": "{found} ({prefix})",
    "doctor.python.old": "{found}; the notebooks need {needed} or newer",
    "doctor.torch": "torch",
    "doctor.torch.missing": "not installed in this environment",
    "doctor.torch.pin": "{version} installed; requirements.txt pins {pinned}",
    "doctor.torch.cuda": "CUDA {cuda} build",
    "doctor.torch.cpu": "CPU build",
    "doctor.torch.mps": "build with MPS (Apple GPU)",
    "doctor.torch.cpu_only": "CPU-only build",
    "doctor.torch.pass": "{version}, {build}",
    "doctor.gpu": "GPU",
    "doctor.gpu.cuda": "CUDA GPU usable: {device}",
    "doctor.gpu.mps": "Apple GPU usable through MPS",
    "doctor.gpu.none": "none usable; the notebooks run on the CPU and need none",
    "doctor.gpu.smaller": " (this CUDA build of torch could be the smaller CPU-only one: "
                          "make setup TORCH=cpu)",
    "doctor.kernel": "Jupyter kernel",
    "doctor.kernel.no_jupyter": "`jupyter kernelspec list` does not run here",
    "doctor.kernel.missing": "no kernel named {name!r}; the notebooks ask for it",
    "doctor.kernel.pass": "{name!r} runs this environment's Python ({python})",
    "doctor.kernel.other": "{name!r} ({folder}) starts {command}, not this environment's Python "
                           "({python}): the notebooks would not find its packages",
    "doctor.extension": "JupyterLab extension {extension}",
    "doctor.extension.not_installed": "{package} is not installed (or ships no {extension})",
    "doctor.extension.unseen": "JupyterLab does not see it ({package} ships {shipped})",
    "doctor.extension.shadowed": "JupyterLab loads v{version} from {folder}, but {package} "
                                 "ships v{shipped}",
    "doctor.extension.disabled": "v{version} is disabled",
    "doctor.extension.incompatible": "v{version} does not fit this JupyterLab",
    "doctor.extension.pass": "v{version}, enabled, as {package} ships it",
    "doctor.extension.fix": "delete the folder named in the message, then restart JupyterLab",
    "doctor.live": "live figure",
    "doctor.live.pass": "Agg draws a figure and an ipywidgets.Image shows it as PNG",
    "doctor.live.fail": "cannot be drawn: {error}",
    "doctor.helpers": "helper package",
    "doctor.helpers.fails": "`import linreg_helpers` fails in notebooks/: {error}",
    "doctor.helpers.elsewhere": "notebooks/ imports linreg_helpers from {found}, not from {root}",
    "doctor.helpers.pass": "linreg_helpers imports in notebooks/ ({folder})",
    "doctor.cjk": "CJK font",
    "doctor.cjk.pass": "matplotlib has {font}",
    "doctor.cjk.none": "matplotlib has none, so Chinese text in figures shows as boxes",
    "doctor.disk": "disk",
    "doctor.disk.detail": "{free_gb:.1f} GB free on {where} (the notebooks need {needed} MB)",
    "doctor.disk.fix": "free disk space on that drive",
    "doctor.memory": "memory",
    "doctor.memory.unknown": "cannot measure the available memory on this system",
    "doctor.memory.detail": "{available_gb:.1f} GB available (a notebook needs about {needed} MB "
                            "with JupyterLab)",
    "doctor.memory.fix": "close other programs and the kernels of notebooks you are not using",
    # i18n/fonts.py
    "fonts.missing": "no font with Chinese characters is installed, so Chinese text in figures "
                     "shows as boxes; install one: {fix}",
    # ---- the race table (race.py) ---------------------------------------------------------
    "race.optimizer": "optimizer",
    "race.lr": "lr",
    "race.epochs_to": "epochs to loss < {tol:g}",
    "race.final_loss": "final loss",
    "race.not_reached": "not reached",
    "race.diverged": "diverged ({epoch})",
    "check.real.not_function": "{name} should be a function",
    "check.real.raised": "{name} raised {error}: {detail}",
    "check.r2.todo": "your function my_r2(y_true, y_pred)",
    "check.r2.not_number": "my_r2 should return one number; got {got}",
    "check.r2.unexplained": "that is the fraction of the variance left unexplained; R² is 1 "
                            "minus it",
    "check.r2.wrong": "got {got:.4f}, not R² — the total sum of squares is taken around the "
                      "mean of y_true",
    "check.r2.pass": "my_r2 agrees with r2_score ({expected:.4f} on the test data).",
    "check.standardized.todo": "your function my_standardize(x_all, x_train, x_val)",
    "check.standardized.shape": "my_standardize should return a tensor of shape {expected}, "
                                "like x_all; got {got}",
    "check.standardized.pass": "every row scaled with the training statistics: the model sees "
                               "them exactly as it saw the training rows.",
    "check.standardized.validation": "you used the validation rows' statistics. Which rows did "
                                     "the model learn from, and so which statistics does it "
                                     "expect?",
    "check.standardized.all_rows": "you used the statistics of every row, the validation rows "
                                   "among them. The validation rows stand for patients not seen "
                                   "yet: whose statistics can you know when you train?",
    "check.standardized.wrong": "not scaled with the statistics the model was trained with — "
                                "each column needs its own mean and std",
    "check.shard.todo": "your function my_shard(indices, rank, world_size)",
    "check.shard.pad": " — pad first by repeating rows from the start, so that every rank gets "
                       "the same number",
    "check.shard.deal": " — the sampler deals indices out like cards: at which position does "
                        "rank r start, and how far apart are its indices?",
    "check.shard.wrong": "my_shard({rows} indices, rank={rank}, world_size={world_size}) gave "
                         "{got}, not what DistributedSampler gives this rank{hint}",
    "check.shard.pass": "my_shard matches DistributedSampler, padding included.",
    "check.ddp_lr.todo": "a learning rate (a number)",
    "check.ddp_lr.not_number": "give a number; got {got}",
    "check.ddp_lr.pass": "DDP averages the {world_size} processes' gradients, so each summed "
                         "gradient counts 1/{world_size}: lr × {world_size} = {expected:g} "
                         "restores the step.",
    "check.ddp_lr.inverted": "not this one: compare one step, lr × gradient, of one process and "
                             "of the averaged processes — which gradient is smaller?",
    "check.ddp_lr.wrong": "each process sums over its own rows, and DDP averages the {world_size} "
                          "gradients instead of adding them",
    "train.progress": "epochs",
    # ---- the training dashboard's status line (status.py) ----------------------------------
    "dashboard.run": "{name}, lr = {lr:.4f}, {reduction}",
    "dashboard.momentum": ", momentum {momentum:.2f}",
    "dashboard.grew_then_exploded": ("The loss grew from epoch {onset} on and exploded at epoch "
                                     "{epoch}, where training stopped ({run}). "),
    "dashboard.exploded_at": "The loss exploded at epoch {epoch}, where training stopped ({run}). ",
    "dashboard.grew_from": "The loss grew from epoch {epoch} on, above its start ({run}). ",
    "dashboard.sgd_bound": ("Plain SGD on this data with reduction='{reduction}' is stable only "
                            "for lr below {bound:.4f} (2/λmax of the loss Hessian{times}): lower "
                            "the lr."),
    "dashboard.times_momentum": ", times 1 + momentum",
    "dashboard.no_bound": "{name} has no simple stability bound: lower the lr.",
    "dashboard.converged": "converged to the least-squares answer",
    "dashboard.converging": "still converging: try more epochs or another lr",
    "dashboard.not_improving": "not improving: try another lr or optimizer",
    "dashboard.finished": ("After {epochs} epochs: w = {w}, b = {b}, loss {loss}, ŷ(4) = {y4} — "
                           "{verdict} ({run}; least squares: w = {w_star}, b = {b_star})."),
    "dashboard.scale_invariant": (" {name} scales its steps by the gradient's size, so "
                                  "switching sum ↔ mean barely changes the run."),
    # ---- the live widgets' controls (widget_parts.py, dashboard.py, landscape.py) ----------
    "widget.lr": "lr",
    "widget.epochs": "epochs",
    "widget.reduction": "reduction",
    "widget.optimizer": "optimizer",
    "widget.momentum": "momentum",
    "widget.lesson_defaults": "lesson defaults",
    "widget.error": ("⚠️ Error while updating: {error}: {message}{where}. The plot shows the "
                     "last good run."),
    "widget.error_where": " (in {function}, line {line})",
    "landscape.start_w0": "start w0",
    "landscape.start_b0": "start b0",
    # ---- the landscape explorer's status line and figure (landscape.py) ------------------
    "landscape.no_run": "no run yet",
    "landscape.run": "{optimizer}, lr = {lr:.4f}, reduction = '{reduction}', start ({w0:.2f}, "
                     "{b0:.2f})",
    "landscape.exploded": "{run}: diverged — the loss exploded to {loss:.3g} at epoch {epoch}; "
                          "lower lr",
    "landscape.diverging": "{run}: diverging — the loss grew from epoch {epoch} on, to "
                           "{loss:.4g} at epoch {last}; lower lr",
    "landscape.finished": "{run}: loss {loss:.4g} at epoch {last}; after the last step "
                          "w = {w:.4f}, b = {b:.4f} (least squares: {w_star:.4f}, {b_star:.4f})",
    "landscape.least_squares": "least squares ({w:.2f}, {b:.2f})",
    "landscape.path": "path",
    "landscape.start": "start",
    "landscape.loss_before_step": "loss (before the step)",
    # ---- the figures' texts (plotting.py, landscape.py) ----------------------------------
    # ---- play mode (player.py) ------------------------------------------------------------
    "play.play": "Play",
    "play.pause": "Pause",
    "play.step": "Step",
    "play.big_step": "+10",
    "play.restart": "Restart",
    "play.speed": "epochs/s",
    "play.cursor": "cursor",
    "play.readout": "<b>epoch {epoch}</b> of {epochs} — {state}",
    "play.state.instant": "the whole run at once; Play or Step trains it epoch by epoch",
    "play.state.playing": "playing",
    "play.state.paused": "paused",
    "play.state.finished": "finished: raise epochs to go on",
    "play.state.exploded": "the loss exploded: Restart",
    "play.cursor_at": ("Cursor at epoch {epoch}: loss {loss:.4g} before its step, then "
                       "w = {w:.4f}, b = {b:.4f}, ŷ(4) = {y4:.4f}. Play and Step go on from "
                       "the run's end (epoch {end}). "),
    "play.at_start": ("Epoch 0: the model is at its start, w = {w:.4f}, b = {b:.4f}, "
                      "ŷ(4) = {y4:.4f}. Play or Step trains it."),
    "play.changes": " Changed during the run: {changes}.",
    "play.change": "{setting} {old} → {new} from epoch {epoch}",
    "play.change.optimizer": "a new {new} from epoch {epoch} (its state starts empty)",
    # ---- the live widgets' data panel (data_panel.py) ---------------------------------
    "panel.title": "the model in data space",
    "panel.data": "data",
    "panel.formula": "ŷ = w·x + b",
    "panel.readout": "w = {w:.4g}, b = {b:.4g}\nŷ({x:g}) = {y4:.4g}",
    "panel.no_line": "no line: w or b is not a finite number",
    "plot.loss": "loss",
    "plot.weight": "weight w",
    "plot.bias": "bias b",
    "plot.epoch": "epoch",
    "plot.curves.train": "training (mean of the epoch's batch losses)",
    "plot.curves.validation": "validation (after the epoch)",
    "plot.curves.loss": "mean squared error",
    "plot.least_squares": "- - least squares: {value:g}",
}
