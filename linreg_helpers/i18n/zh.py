"""The helpers' messages in simplified Chinese (``set_language("zh")``); keys as in :mod:`.en`.

Terms as in Liu Er's course: 张量, 样本, 特征, 损失, 梯度, 学习率, 优化器, 偏置, 轮次（epoch）.
"""

MESSAGES: dict[str, str] = {
    # ---- exercise checkers (exercises.py) -------------------------------------------------
    "check.line": "{verdict}：{message}",
    "check.pass": "✅ 正确",
    "check.hint": "💡 还不对",
    "check.todo": "⏳ 尚未作答",
    "check.todo.message": "把 ... 换成{what}，然后再运行这个单元格。",
    "check.not_number": "请给出一个数；你给的是 {answer!r}",
    # check_column_tensor
    "check.column.your_tensor": "你的张量",
    "check.column.todo": "张量 {name}（形状为 (N, 1) 的浮点张量）",
    "check.column.not_tensor": "{name} 应当是 torch 张量，却是 {type}——用 torch.tensor(...) "
                               "把数据包起来",
    "check.column.shape": "{name} 的形状是 {shape}，应当是 ({n}, 1){hint}",
    "check.column.reshape": "——每行一个样本，只有一列：是矩阵，不是一维列表",
    "check.column.dtype": "{name} 的数据类型是 {dtype}，应当是 torch.float32——torch.tensor "
                          "会根据你写出的数推断数据类型",
    "check.column.values": "{name} 的形状对了，数值却不同：应依次为 {expected}",
    "check.column.pass": "{name} 是 ({n}, 1) 的 float32 列：每行一个样本。",
    # check_dtype_answer
    "check.dtype.todo": "你预期的数据类型（写成 torch.… 的形式）",
    "check.dtype.not_dtype": "请给出 torch 的数据类型，写成 torch.…（不是字符串）；"
                             "你给的是 {answer!r}",
    "check.dtype.wrong": "{expression} 的数据类型不是 {answer}——torch.tensor 会看每一个数："
                         "运行它，看看 .dtype",
    "check.dtype.pass": "{expression} 的数据类型是 {expected}。",
    # check_linear_shapes
    "check.linear.todo": "一个把 {in_features} 个输入特征映射为 {out_features} 个输出的层",
    "check.linear.not_linear": "应当是 torch.nn.Linear，却是 {type}",
    "check.linear.features": "这一层把 {got_in} 个特征映射为 {got_out} 个，应当是 "
                             "{in_features} → {out_features}（nn.Linear(in_features, "
                             "out_features)）",
    "check.linear.no_bias": "这一层没有偏置：保留默认的 bias=True",
    "check.linear.pass": "权重 {weight} = (out, in)，偏置 {bias} = (out,)。",
    # check_manual_linear
    "check.manual.todo": "你的函数 manual_linear(x, layer)",
    "check.manual.not_callable": "manual_linear 应当是参数为 (x, layer) 的函数",
    "check.manual.transpose": "——权重按 (out, in) 存储：它该以哪个方向与 x 相乘？",
    "check.manual.raised": "manual_linear(x, layer) 抛出了 {error}: {message}{hint}",
    "check.manual.shape": "x 的形状为 (4, 3)、层为 nn.Linear(3, 2) 时，结果的形状应当是 "
                          "(4, 2)，却是 {shape}{hint}",
    "check.manual.numbers": "形状对了，数值不对——再看看 nn.Linear 算的是什么："
                            "加上偏置了吗？权重的方向用对了吗？",
    "check.manual.no_bias": "有偏置的层算对了，但 nn.Linear(3, 2, bias=False) 没有算对"
                            "（{problem}）：它的 layer.bias 是 None，只有层带偏置时才加上偏置",
    "check.manual.no_bias_wrong": "结果不对",
    "check.manual.pass": "你的公式与 nn.Linear 一致，有没有偏置都对：y = x·Wᵀ + b，或 x·Wᵀ。",
    # check_sum_loss
    "check.sum.todo": "你的函数 my_sum_loss(y_pred, y)",
    "check.sum.not_callable": "my_sum_loss 应当是参数为 (y_pred, y) 的函数",
    "check.sum.raised": "调用 my_sum_loss 时抛出了 {error}: {message}",
    "check.sum.item": "返回损失张量本身，不要 .item()：backward() 需要张量",
    "check.sum.not_scalar": "损失必须是标量张量（0 维）：整个批量一个数，而不是每个样本一个",
    "check.sum.mean": "这是平均值；本课把误差的平方求和",
    "check.sum.wrong": "这不是误差的平方和——把预测值与目标值之差逐个平方，再全部加起来",
    "check.sum.pass": "你的损失等于 MSELoss(reduction='sum')。",
    # check_equivalent_lr
    "check.lr.todo": "一个学习率（一个数）",
    "check.lr.pass": "求均值把梯度除以 N = {n}，所以学习率要大 {n} 倍：{expected:g}。",
    "check.lr.reversed": "不是这个：比较求和与求均值时 SGD 的一步 lr × 梯度——哪一个梯度更小？",
    "check.lr.wrong": "求均值的损失是总和除以 N = {n}，它的梯度也是",
    # check_losses_match
    "check.losses.todo": "你的函数 my_losses(lr, reduction)",
    "check.losses.calls": "my_losses 调用了包里现成的 {original}()：请自己写这个循环"
                          "（前馈、损失、zero_grad()、backward()、step()），再和 train() 比较",
    "check.losses.nothing": "{call} 什么也没有返回：请返回它记录下的损失列表",
    "check.losses.not_floats": "记录普通的浮点数：losses.append(loss.item())",
    "check.losses.length": "{call} 记录了 {got} 个损失，应当是 {expected} 个（每个轮次一个）",
    "check.losses.numbers": "{call} 的数值不同——是否在构建模型之前调用了 torch.manual_seed(0)，"
                            "用了传进来的缩减方式和学习率，并在 step() 之前记录损失？",
    "check.losses.pass": "my_losses 在 {cases} 组设置下与 train() 的每个轮次都一致。",
    # check_same_steps_reason
    "check.why.todo": "一个字母：\"a\"、\"b\" 或 \"c\"",
    "check.why.not_a_choice": "请用字母 \"a\"、\"b\" 或 \"c\" 之一作答；你给的是 {answer!r}",
    "check.why.smaller_loss": "损失变小本身并不会移动 w 和 b：每一步都是 lr × 梯度。"
                              "比较一下两种损失的梯度",
    "check.why.faster": "两次训练不只是都收敛得快：它们每个轮次走的步子完全相同。"
                        "比较一下两次训练里的 lr × 梯度",
    "check.why.pass": "均值把梯度除以 N = 3，lr = 3 × 0.05 又把它乘了回来："
                      "每一步都和课程的一步相同。",
    # check_int_answer and the checkers built on it
    "check.int.todo": "一个整数",
    "check.int.not_whole": "请给出一个整数；你给的是 {answer!r}",
    "check.int.wrong": "{answer} 不对——{hint}",
    "check.int.pass": "{question}：{expected}。",
    "check.count.question": "nn.Linear({in_features}, {out_features}) 需要学习的参数个数",
    "check.count.hint": "数一数权重（形状为 (out, in)）和偏置（形状为 (out,)）各有多少个元素",
    "check.prediction.question": "对 {x:g} 的预测与 {target:g} 相差不到 {within:g} 所需的"
                                 "轮次数",
    "check.prediction.hint": "长时间训练，在每个轮次之后计算 w·4 + b；下标 e 表示 e + 1 "
                             "个轮次",
    "check.settle.question": "lr 为 {lr:g} 时，从第几轮（游标的编号，从 0 开始）起 |w − 2| "
                             "一直保持在 {within:g} 以下",
    "check.settle.hint": ("用游标回看，或用 step(1) 每次前进一轮并读 history.weight：找到 |w − 2| "
                          "最后一次不小于容差的轮次，再加一"),
    # check_steered_run
    "check.steered.todo": "调整后那次训练的 History（dashboard.history）",
    "check.steered.not_history": "请给出 History 本身（dashboard.history）；你给的是 {type}",
    "check.steered.length": "你的训练有 {got} 个轮次；一共要训练 {epochs} 个轮次（先 step(20)，再 "
                            "step(31)）",
    "check.steered.not_steered": ("这是始终用 lr {lr:g} 的训练：在两次 step() 之间把学习率滑块"
                                  "调到 {new_lr:g}"),
    "check.steered.restarted": ("这是从一开始就用 lr {new_lr:g} 的训练：step(20) 之后只改学习率"
                                "（不要重新开始），再继续 step"),
    "check.steered.wrong": "和“训练 {switch_at} 轮后把 lr 换成 {new_lr:g}”的循环对不上：请从课程"
                           "默认值出发，在同一次训练中途改学习率，不要重新开始",
    "check.steered.pass": ("你的训练与手写的循环一致：它在第 {switch_at} 轮把 "
                           "param_groups[0]['lr'] 从 {lr:g} 改成 {new_lr:g}，优化器保持不变。"),
    "check.flat.question": "平坦方向上的距离降到起点的 {share:.0%} 以下所需的轮次数",
    "check.flat.hint": "用对数解出 factor ** n < 0.01 中的 n，再向上取整",
    "check.iterations.question": "每个轮次的迭代次数（{rows} 个样本，每个小批量 {batch_size} 个）",
    "check.iterations.hint": "一次迭代处理一个小批量；一个轮次把每个样本用一次，"
                             "最后一个小批量装下剩下的样本",
    "check.local_batch.question": "每个进程每一步处理的样本数（全局批量 {global_batch} 个样本，"
                                  "{world_size} 个进程）",
    "check.local_batch.hint": "DDP 的一步处理一个全局批量，由所有进程平均分担",
    # check_epoch_order
    "check.order.todo": "一个把 {steps} 排好顺序的列表",
    "check.order.each_once": "{steps} 每个恰好用一次",
    "check.order.forward_loss": "损失需要预测值：forward 在 loss 之前",
    "check.order.loss_backward": "backward() 从损失开始",
    "check.order.backward_step": "step() 要用 backward() 算出的梯度",
    "check.order.zero_grad": "在 backward() 和 step() 之间调用 zero_grad() 会清掉 step() 需要的"
                             "梯度；请在 backward() 之前（或 step() 之后）清零",
    "check.order.lesson": "这正是上面那段程序的顺序。哪些调用的位置是固定的？哪一个还能放在别处？",
    "check.order.pass": "{order}。",
    # check_glossary
    "check.glossary.todo": "一个装着你的翻译的字典",
    "check.glossary.not_dict": "请给出一个字典，例如 {{'张量': 'tensor', ...}}",
    "check.glossary.wrong": "{total} 个中还有 {wrong} 个不对：再看看 {terms}",
    "check.glossary.pass": "{total} 个术语全部正确。",
    # check_function and the checkers built on it
    "check.function.todo": "你的函数 {name}",
    "check.function.not_callable": "{name} 应当是一个函数",
    "check.function.raised": "{call} 抛出了 {error}: {message}",
    "check.function.nothing": "空值（请加上 return）",
    "check.function.not_number": "{call} 应当返回一个数，却返回了 {what}",
    "check.function.wrong": "{call} 得到 {got:.4f}，这个值不对：请手算这个用例再比较",
    "check.function.borrowed": "{name} 就是包里现成的 {original}：请自己写这个函数，"
                               "再拿你的结果和 {original} 比较",
    "check.function.calls": "{name} 调用了 {original}：请自己算出来，"
                            "再拿你的结果和 {original} 比较",
    "check.function.pass": "{name} 在 {cases} 个用例上都与参考答案一致。",
    # check_optimizer_swap
    "check.swap.todo_model": "你训练好的模型",
    "check.swap.todo_optimizer": "你的优化器",
    "check.swap.not_optimizer": "optimizer 应当是 torch.optim 中的优化器，却是 {type}",
    "check.swap.sgd": "这还是 SGD：换成 torch.optim 中的另一个优化器",
    "check.swap.not_lesson_model": "model 应当是本课的 LinearModel（model.linear）",
    "check.swap.not_held": "这个优化器没有拿到模型的参数——用 model.parameters() 构建它",
    "check.swap.epochs": "epochs 应当是 1 到 {max_epochs} 之间的整数；你给的是 {epochs!r}",
    "check.swap.steps": "优化器走了 {steps} 步，但 epochs = {n}：请给出你的循环运行的轮次数"
                        "（每个轮次一步）",
    "check.swap.far": "{name} 用学习率 {lr:g} 训练 {n} 个轮次后停在 w = {w:.4f}、b = {b:.4f}，"
                      "与最小二乘解相差超过 {tol:g}：换一个学习率试试（按对数刻度：0.01、0.1、1）",
    "check.swap.pass": "{name} 用学习率 {lr:g} 在 {n} 个轮次内到达 w = {w:.4f}、"
                       "b = {b:.4f}，与最小二乘解相差不到 {tol:g}。",
    "check.swap.pass_one": "{name} 用学习率 {lr:g} 在 {n} 个轮次内到达 w = {w:.4f}、"
                           "b = {b:.4f}，与最小二乘解相差不到 {tol:g}。",
    # check_reduction_sensitive
    "check.sensitive.todo": "优化器名称（字符串，拼写与 torch.optim 一致）组成的列表",
    "check.sensitive.not_list": "请给出名称（字符串）的列表，只有一个名称也要放进列表；"
                                "你给的是 {answer!r}",
    "check.sensitive.unknown": "未知的优化器 {name!r}；请从 {names} 中选择",
    "check.sensitive.wrong": "不是这个列表——分别用 reduction='sum' 和 'mean' 训练八个优化器，"
                             "留下最终 w 或 b 变化超过 {tol:g} 的那些",
    "check.sensitive.and": " 和 ",
    "check.sensitive.pass": ("只有 {names} 会变：它们的更新量是“学习率 × 梯度”，"
                             "而求均值把梯度除以 N。"),
    # ---- 学习者会遇到的错误：error.<模块>.<情形> ----------------------------------------------
    # settings.py 和 data.py（ValueError）
    "error.settings.lr.not_number": "lr 必须是正数，例如 {example}；你给的是 {lr!r}",
    "error.settings.lr.not_positive": "lr（学习率）必须 > 0，例如 {example}；你给的是 {lr}",
    "error.settings.epochs": "epochs 必须是 ≥ 1 的整数，例如 {example}；你给的是 {epochs!r}",
    "error.settings.reduction": "未知的 reduction {reduction!r}{hint}；请从 {choices} 中选择",
    "error.settings.reduction.none": "（'none' 给出每个样本各自的损失，而 backward() 需要标量）",
    "error.settings.optimizer": "未知的优化器 {optimizer!r}{hint}；请从 {choices} 中选择",
    "error.settings.optimizer.did_you_mean": "——你是想写 {name!r} 吗？",
    "error.data.column.unreadable": "{name} 必须是由数字行组成的列表，例如 [[1.0], [2.0], [3.0]]；"
                                    "无法把它读成数组（{error}）",
    "error.data.column.not_numbers": "{name} 只能包含数字；这里的值的类型是 {dtype}——先用"
                                     " float(...) 转换",
    "error.data.column.not_real": "{name} 必须是实数；这里的数据类型是 {dtype}",
    "error.data.column.flat": "{name} 必须是形状为 (N, 1) 的列矩阵；这里的形状是 {shape}——用"
                              " {name}.reshape(-1, 1)，或把数据写成 [[1.0], [2.0], ...]",
    "error.data.column.shape": "{name} 必须是形状为 (N, 1) 的列矩阵（每行一个特征）；这里的形状是"
                               " {shape}",
    "error.data.column.empty": "{name} 是空的：至少给出一个样本（一行）",
    "error.data.column.not_finite": "{name} 含有 NaN 或无穷大（第一个在第 {row} 行）；"
                                    "删掉或修正这些行",
    "error.data.xy.rows": "x 和 y 的行数（样本数）必须相同；x 有 {x_rows} 行，y 有 {y_rows} 行",
    "error.data.xy.one_missing": "x 和 y 要么都给，要么都不给（都不给时使用本课的数据）",
    "error.data.noisy.n": "n 必须是正整数（样本数）；你给的是 {n!r}",
    "error.data.noisy.not_finite": "{label} 必须是有限的数；你给的是 {value!r}",
    "error.data.noisy.noise": "noise 是标准差，不能为负；你给的是 {noise}",
    "error.data.noisy.range": "high 必须大于 low；这里 low={low}，high={high}",
    # realdata.py
    "error.realdata.whole": "{name} 必须是正整数；你给的是 {value!r}",
    "error.realdata.noise": "noise 是标准差：必须是 ≥ 0 的数；你给的是 {noise!r}",
    "error.realdata.val_fraction": "val_fraction 必须是 [0, 1) 中的数，例如 0.2；你给的是"
                                   " {val_fraction!r}",
    "error.realdata.no_training_rows": "val_fraction 为 {val_fraction} 时，{rows} 个样本里没有留下"
                                       "一个训练样本",
    "error.realdata.constant_feature": "特征 {column} 在训练样本中是常数：无法标准化"
                                       "（删掉这个特征）",
    "error.realdata.r2_lengths": "y_true 和 y_pred 的值的个数必须相同；这里分别是 {true} 个和"
                                 " {pred} 个",
    # sweep.py
    "error.sweep.one_number": "lrs 必须是学习率的列表，例如 [0.01, 0.05]；你给的是单个数 {lr!r}——"
                              "写成 [{lr!r}]，或者用 train(lr=...)",
    "error.sweep.unreadable": "lrs 必须是数的列表，例如 [0.01, 0.05]；无法把它读成数组（{error}）",
    "error.sweep.not_real": "lrs 只能包含实数，例如 0.05；这里的值的类型是 {dtype}",
    "error.sweep.not_flat": "lrs 必须是一维（1-D）的学习率列表；这里的形状是 {shape}——如果你要的是"
                            "其中全部的学习率，用 np.ravel(lrs)",
    "error.sweep.empty": "lrs 是空的：至少给出一个学习率，例如 [0.05]",
    "error.sweep.not_positive": "每个学习率都必须是 > 0 的有限数，例如 0.05；lrs[{index}] 却是"
                                " {lr!r}",
    # batches.py
    "error.batches.batch_size": "batch_size（批量大小）必须是正整数，例如 32；你给的是"
                                " {batch_size!r}",
    "error.batches.not_2d": "{name} 必须是二维张量（每行一个样本）；这里是 {got}",
    "error.batches.rows": "x 和 y 的行数（样本数）必须相同，而且不能为 0；x 有 {x_rows} 行，y 有"
                          " {y_rows} 行",
    # training.py
    "error.training.options": "{name} 不接受这些选项 {options}：{error}",
    "error.training.start": "start 必须是一对数 (w0, b0)，例如 (0.5, 1.0)；你给的是 {start!r}",
    # widgets/live_curves.py（LiveLossCurves）
    "error.curves.epochs": "epochs 必须是不小于 1 的整数（曲线要显示的轮次数）；"
                           "你给的是 {epochs!r}",
    "error.curves.validation": "这些曲线要显示验证损失：请一并给出，add(train_loss, val_loss)",
    "error.curves.no_validation": "这些曲线不显示验证损失（validation=False）：只给训练损失，"
                                  "add(train_loss)",
    "error.curves.full": "这些曲线只容纳 {epochs} 个轮次，已经全部记录：另一次训练请新建一组曲线",
    "error.training.not_finite": "{name} 必须是有限的数，例如 0.5；你给的是 {value!r}",
    # stepping.py
    "error.stepping.k": "k（要前进的轮次）必须是整数，例如 1 或 10；你给的是 {k!r}",
    # analysis.py
    "error.analysis.momentum": "momentum（动量）必须在 [0, 1) 中；你给的是 {momentum}",
    "error.analysis.weight_decay": "weight_decay（权重衰减）不能为负；你给的是 {weight_decay}",
    "error.analysis.grid": "w_values 和 b_values 必须是一维的数列表；这里的形状分别是 {w_shape} 和"
                           " {b_shape}——用 np.linspace(...)",
    # race.py
    "error.race.lrs": "lrs 必须是非空的字典，例如 {{'SGD': 0.05, 'Adam': 0.3}}；你给的是 {lrs!r}",
    # i18n（set_language、text(lang=...)）
    "error.i18n.language": "未知的语言 {language!r}；请从 {choices} 中选择",
    "error.exercises.local_batch": "global_batch {global_batch} 必须是 world_size {world_size} "
        "的倍数：DDP 给每个进程分配同样多的样本",
    # ddp.py 的命令行（UsageError，打印为 "error: ..."）
    "error.ddp.data": "未知的 --data {data!r}；请从 {choices} 中选择",
    "error.ddp.data.or": "、",
    "error.ddp.lr": "--lr 必须是 > 0 的数，例如 0.02；你给的是 {lr}",
    "error.ddp.epochs": "--epochs 必须是 ≥ 1 的整数；你给的是 {epochs}",
    "error.ddp.batch_size": "--batch-size {batch_size} 必须是能被进程总数（{world_size}）整除的"
                            "正整数：它是全局批量，要平均分给各个进程",
    "error.ddp.rows": "--rows 和 --features 必须 ≥ 1；你给的是 {rows} 和 {features}",
    "error.ddp.val_fraction": "--val-fraction：{error}",
    "error.ddp.world_size": "{world_size} 个进程，却只有 {train_rows} 个训练样本：最多启动"
                            " {train_rows} 个进程",
    "error.ddp.usage": "命令行参数有误：{message}"
                       "（python -m linreg_helpers.ddp --help 列出所有选项）",
    "error.i18n.environment": "LINREG_LANG={language!r} 不是可用的语言：请设为 {choices} 之一"
                              "（不设则为英文）",
    # ddp.py 的 --help 和各进程的日志行（"[rank 0/2] ..."）
    "ddp.help": "在一个或多个进程上训练线性回归（torchrun）。",
    "ddp.help.data": "数据集：{choices}（默认 diabetes）",
    "ddp.help.epochs": "轮次：遍历训练样本的次数",
    "ddp.help.lr": "SGD 的学习率",
    "ddp.help.batch_size": "全局批量：每一步所有进程合起来用的样本数",
    "ddp.help.val_fraction": "留作验证集的样本比例（0：全部样本用于训练）",
    "ddp.help.seed": "划分、数据和打乱顺序所用的随机种子",
    "ddp.help.reduction": "MSELoss 的缩减方式（默认 mean）",
    "ddp.help.rows": "合成数据：样本数",
    "ddp.help.features": "合成数据：特征数",
    "ddp.help.out": "把结果以 JSON 写入这个文件",
    "ddp.log.backend": "{backend}，设备 {device}",
    "ddp.log.no_group": "没有进程组",
    "ddp.log.shard": "每个轮次用 {total} 个训练样本中的 {local} 个，本地批量 {batch}"
                     "（全局 {global_batch}）",
    "ddp.log.uneven": "{rows} 个样本不能平均分给 {world_size} 个进程：采样器每个轮次重复 "
                      "{repeated} 个样本",
    "ddp.log.broadcast": "本进程抽到的偏置为 {own:.4f}，DDP 广播之后为 {now:.4f}",
    "ddp.log.done": "{epochs} 个轮次之后：{losses}",
    "ddp.log.train_loss": "训练损失 {loss:.1f}",
    "ddp.log.val_loss": "，验证损失 {loss:.1f}",
    "ddp.log.wrote": "已写入 {name}",
    # ---- make doctor（doctor.py）：检查项的名称、结果和用文字说明的修复方法 ------------------
    "doctor.line": "{status} {name}：{detail}",
    "doctor.fix": "    修复：{fix}",
    "doctor.failed": "{count} 项检查失败：{names}；README 的“故障排除”说明了每项的修复方法",
    "doctor.separator": "、",
    "doctor.passed": "所有必需的检查都已通过",
    "doctor.python": "Python",
    "doctor.python.pass": "{found}（位于 {prefix}）",
    "doctor.python.old": "{found}；这些笔记本需要 {needed} 或更新的版本",
    "doctor.torch": "torch",
    "doctor.torch.missing": "这个环境里没有安装",
    "doctor.torch.pin": "安装的是 {version}；requirements.txt 固定的版本是 {pinned}",
    "doctor.torch.cuda": "CUDA {cuda} 版",
    "doctor.torch.cpu": "CPU 版",
    "doctor.torch.mps": "支持 MPS（Apple GPU）的版本",
    "doctor.torch.cpu_only": "仅 CPU 版",
    "doctor.torch.pass": "{version}，{build}",
    "doctor.gpu": "GPU",
    "doctor.gpu.cuda": "可以使用 CUDA GPU：{device}",
    "doctor.gpu.mps": "可以通过 MPS 使用 Apple GPU",
    "doctor.gpu.none": "没有可用的 GPU；这些笔记本在 CPU 上运行，不需要 GPU",
    "doctor.gpu.smaller": "（这个 torch 是 CUDA 版，可以换成更小的仅 CPU 版："
                          "make setup TORCH=cpu）",
    "doctor.kernel": "Jupyter 内核",
    "doctor.kernel.no_jupyter": "这里无法运行 `jupyter kernelspec list`",
    "doctor.kernel.missing": "没有名为 {name!r} 的内核；这些笔记本要用它",
    "doctor.kernel.pass": "{name!r} 运行的是这个环境的 Python（{python}）",
    "doctor.kernel.other": "{name!r}（{folder}）启动的是 {command}，不是这个环境的 Python"
                           "（{python}）：笔记本会找不到这个环境的包",
    "doctor.extension": "JupyterLab 扩展 {extension}",
    "doctor.extension.not_installed": "没有安装 {package}（或者它不带 {extension}）",
    "doctor.extension.unseen": "JupyterLab 看不到它（{package} 带的是 {shipped}）",
    "doctor.extension.shadowed": "JupyterLab 从 {folder} 加载 v{version}，而 {package} "
                                 "带的是 v{shipped}",
    "doctor.extension.disabled": "v{version} 已被禁用",
    "doctor.extension.incompatible": "v{version} 与这个 JupyterLab 不匹配",
    "doctor.extension.pass": "v{version}，已启用，与 {package} 带的一致",
    "doctor.extension.fix": "删除提示中提到的文件夹，然后重启 JupyterLab",
    "doctor.live": "实时图",
    "doctor.live.pass": "Agg 能画出图，ipywidgets.Image 能把它显示为 PNG",
    "doctor.live.fail": "无法绘制：{error}",
    "doctor.helpers": "辅助包",
    "doctor.helpers.fails": "在 notebooks/ 里 `import linreg_helpers` 失败：{error}",
    "doctor.helpers.elsewhere": "notebooks/ 从 {found} 导入 linreg_helpers，而不是从 {root}",
    "doctor.helpers.pass": "在 notebooks/ 里能导入 linreg_helpers（{folder}）",
    "doctor.cjk": "中文字体",
    "doctor.cjk.pass": "matplotlib 有 {font}",
    "doctor.cjk.none": "matplotlib 没有中文字体，图中的中文会显示为方框",
    "doctor.disk": "磁盘",
    "doctor.disk.detail": "{where} 上有 {free_gb:.1f} GB 可用空间（笔记本需要 {needed} MB）",
    "doctor.disk.fix": "清理那个磁盘上的空间",
    "doctor.memory": "内存",
    "doctor.memory.unknown": "无法测量这个系统的可用内存",
    "doctor.memory.detail": "可用内存 {available_gb:.1f} GB（一个笔记本连同 JupyterLab 约需 "
                            "{needed} MB）",
    "doctor.memory.fix": "关闭其他程序，以及不用的笔记本的内核",
    # i18n/fonts.py
    "fonts.missing": "没有安装含中文字符的字体，图中的中文会显示为方框；请安装一个：{fix}",
    # ---- the race table (race.py) ---------------------------------------------------------
    "race.optimizer": "优化器",
    "race.lr": "学习率",
    "race.epochs_to": "损失首次 < {tol:g} 的轮次",
    "race.final_loss": "最终损失",
    "race.not_reached": "未达到",
    "race.diverged": "发散（第 {epoch} 轮）",
    "check.real.not_function": "{name} 应当是一个函数",
    "check.real.raised": "{name} 抛出了 {error}：{detail}",
    "check.r2.todo": "你的函数 my_r2(y_true, y_pred)",
    "check.r2.not_number": "my_r2 应当返回一个数；得到的是 {got}",
    "check.r2.unexplained": "这是未被解释的方差所占的比例；R² 是 1 减去它",
    "check.r2.wrong": "得到 {got:.4f}，这不是 R²——总平方和是围绕 y_true 的均值计算的",
    "check.r2.pass": "my_r2 与 r2_score 一致（测试数据上为 {expected:.4f}）。",
    "check.standardized.todo": "你的函数 my_standardize(x_all, x_train, x_val)",
    "check.standardized.shape": "my_standardize 应当返回形状为 {expected} 的张量，和 x_all 一样；"
                                "得到的是 {got}",
    "check.standardized.pass": "每个样本都用训练集的统计量缩放：模型看到它们的方式"
                               "和看到训练样本完全一样。",
    "check.standardized.validation": "你用了验证集的统计量。模型是从哪些样本学到的？"
                                     "它期望的是哪些样本的统计量？",
    "check.standardized.all_rows": "你用了全部样本的统计量，其中也有验证集。验证集代表还没见过的"
                                   "病人：训练时你能知道的是哪些样本的统计量？",
    "check.standardized.wrong": "这不是用模型训练时的统计量缩放的——每一列都需要自己的均值和"
                                "标准差",
    "check.shard.todo": "你的函数 my_shard(indices, rank, world_size)",
    "check.shard.pad": "——先从开头重复若干个样本来补齐，让每个进程分到同样多的样本",
    "check.shard.deal": "——采样器像发牌一样分发索引：进程 r 从哪个位置开始？"
                        "它相邻的两个索引相隔多远？",
    "check.shard.wrong": "my_shard（{rows} 个索引，rank={rank}，world_size={world_size}）得到 "
                         "{got}，与 DistributedSampler 分给这个进程的不同{hint}",
    "check.shard.pass": "my_shard 与 DistributedSampler 一致，补齐也一样。",
    "check.ddp_lr.todo": "一个学习率（一个数）",
    "check.ddp_lr.not_number": "请给出一个数；得到的是 {got}",
    "check.ddp_lr.pass": "DDP 对 {world_size} 个进程的梯度求均值，所以每个求和的梯度只算 "
                         "1/{world_size}：lr × {world_size} = {expected:g} 恢复了原来的步长。",
    "check.ddp_lr.inverted": "不是这个：比较单个进程与多个进程求均值后的一步 lr × 梯度——"
                             "哪一个梯度更小？",
    "check.ddp_lr.wrong": "每个进程只对自己的样本求和，DDP 再对这 {world_size} 个梯度求均值"
                          "（不是相加）",
    "train.progress": "轮次",
    # ---- 训练面板的状态行 (status.py) ------------------------------------------------------
    "dashboard.run": "{name}，lr = {lr:.4f}，{reduction}",
    "dashboard.momentum": "，动量 {momentum:.2f}",
    "dashboard.grew_then_exploded": ("损失从第 {onset} 轮起不断增大，在第 {epoch} 轮爆炸，"
                                     "训练就此停止（{run}）。"),
    "dashboard.exploded_at": "损失在第 {epoch} 轮爆炸，训练就此停止（{run}）。",
    "dashboard.grew_from": "损失从第 {epoch} 轮起不断增大，一直高于起始值（{run}）。",
    "dashboard.sgd_bound": ("在这组数据上，reduction='{reduction}' 的普通 SGD 只有在 lr 小于 "
                            "{bound:.4f} 时才稳定（损失黑塞矩阵的 2/λmax{times}）：请调小 lr。"),
    "dashboard.times_momentum": "，再乘以 1 + 动量",
    "dashboard.no_bound": "{name} 没有简单的稳定性上界：请调小 lr。",
    "dashboard.converged": "已收敛到最小二乘解",
    "dashboard.converging": "仍在收敛：试试更多轮次或换一个 lr",
    "dashboard.not_improving": "没有改进：试试换一个 lr 或优化器",
    "dashboard.finished": ("{epochs} 个轮次之后：w = {w}，b = {b}，损失 {loss}，ŷ(4) = {y4}——"
                           "{verdict}（{run}；最小二乘：w = {w_star}，b = {b_star}）。"),
    "dashboard.scale_invariant": ("{name} 按梯度的大小缩放步长，所以在求和与求均值之间切换，"
                                  "训练过程几乎不变。"),
    # ---- 交互控件的标签 (widget_parts.py, dashboard.py, landscape.py) ---------------------
    "widget.lr": "学习率",
    "widget.epochs": "轮次",
    "widget.reduction": "缩减方式",
    "widget.optimizer": "优化器",
    "widget.momentum": "动量",
    "widget.lesson_defaults": "课程默认值",
    "widget.error": "⚠️ 更新时出错：{error}: {message}{where}。图中显示的是上一次成功的训练。",
    "widget.error_where": "（在 {function} 第 {line} 行）",
    "landscape.start_w0": "起点 w0",
    "landscape.start_b0": "起点 b0",
    # ---- 损失曲面浏览器的状态行和图 (landscape.py) ------------------------------------------
    "landscape.no_run": "还没有训练",
    "landscape.run": "{optimizer}，lr = {lr:.4f}，reduction = '{reduction}'，起点 ({w0:.2f}, "
                     "{b0:.2f})",
    "landscape.exploded": "{run}：发散——损失在第 {epoch} 轮爆炸到 {loss:.3g}；请调小 lr",
    "landscape.diverging": "{run}：正在发散——损失从第 {epoch} 轮起不断增大，第 {last} 轮达到 "
                           "{loss:.4g}；请调小 lr",
    "landscape.finished": "{run}：第 {last} 轮的损失为 {loss:.4g}；最后一步之后 w = {w:.4f}，"
                          "b = {b:.4f}（最小二乘：{w_star:.4f}, {b_star:.4f}）",
    "landscape.least_squares": "最小二乘 ({w:.2f}, {b:.2f})",
    "landscape.path": "路径",
    "landscape.start": "起点",
    "landscape.loss_before_step": "损失(更新之前)",
    # ---- 播放模式 (player.py) --------------------------------------------------------------
    "play.play": "播放",
    "play.pause": "暂停",
    "play.step": "单步",
    "play.big_step": "+10",
    "play.restart": "重新开始",
    "play.speed": "轮次/秒",
    "play.cursor": "游标",
    "play.readout": "<b>第 {epoch} 轮</b>，共 {epochs} 个轮次——{state}",
    "play.state.instant": "一次算完整个训练；点“播放”或“单步”逐轮训练",
    "play.state.playing": "正在播放",
    "play.state.paused": "已暂停",
    "play.state.finished": "已结束：调大轮次即可继续",
    "play.state.exploded": "损失爆炸了：请点“重新开始”",
    "play.cursor_at": ("游标在第 {epoch} 轮：这一步之前的损失为 {loss:.4g}，之后 w = {w:.4f}，"
                       "b = {b:.4f}，ŷ(4) = {y4:.4f}。“播放”和“单步”从训练的末尾（第 {end} 轮）"
                       "继续。"),
    "play.at_start": ("第 0 轮：模型还在起点，w = {w:.4f}，b = {b:.4f}，ŷ(4) = {y4:.4f}。"
                      "点“播放”或“单步”开始训练。"),
    "play.changes": "训练中的改动：{changes}。",
    "play.change": "从第 {epoch} 轮起 {setting} {old} → {new}",
    "play.change.optimizer": "从第 {epoch} 轮起换成新的 {new}（它的状态从空开始）",
    # ---- 控件的数据面板 (data_panel.py) ------------------------------------------------
    "panel.title": "数据空间中的模型",
    "panel.data": "数据",
    "panel.formula": "ŷ = w·x + b",
    "panel.readout": "w = {w:.4g}, b = {b:.4g}\nŷ({x:g}) = {y4:.4g}",
    "panel.no_line": "没有直线：w 或 b 不是有限的数",
    # ---- 图中的文字 (plotting.py, landscape.py) ---------------------------------------------
    "plot.loss": "损失",
    "plot.weight": "权重 w",
    "plot.bias": "偏置 b",
    "plot.epoch": "轮次",
    "plot.curves.train": "训练 (这一轮各批量损失的均值)",
    "plot.curves.validation": "验证 (这一轮之后)",
    "plot.curves.loss": "均方误差",
    "plot.least_squares": "- - 最小二乘：{value:g}",
}
