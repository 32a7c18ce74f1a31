"""Wrong answers for A6 (the MNIST search quest)."""

from tests.mutants import Mutant

MUTANTS = [
    # Part 1: normalising
    Mutant("div_255", "normalise", "/ np.float32(16.0)", "/ np.float32(255.0)", "scaled as 8-bit images"),
    Mutant("div_15", "normalise", "/ np.float32(16.0)", "/ np.float32(15.0)", "off by one in the pixel range"),
    Mutant("float64_out", "normalise", ").astype(np.float32)", ").astype(np.float64)", "float64, not float32"),
    Mutant("no_scale", "normalise", "/ np.float32(16.0)", "* np.float32(1.0)", "pixels left at 0..16"),
    # Part 2: accuracy
    Mutant("error_rate", "accuracy", "float(np.mean(pred == y))", "float(np.mean(pred != y))", "error rate"),
    Mutant("count", "accuracy", "float(np.mean(pred == y))", "float(np.sum(pred == y))", "a count, not a fraction"),
    Mutant("percent", "accuracy", "float(np.mean(pred == y))", "float(100 * np.mean(pred == y))", "percent"),
    Mutant("off_by_one", "accuracy", "float(np.mean(pred == y))", "float(np.sum(pred == y) / (len(y) + 1))", "n + 1"),
    # Part 3: model and parameter count
    Mutant(
        "weights_only",
        "model",
        "sum(p.numel() for p in model.parameters() if p.requires_grad)",
        "sum(p.numel() for n, p in model.named_parameters() if p.requires_grad and 'weight' in n)",
        "biases not counted",
    ),
    Mutant(
        "frozen_counted",
        "model",
        "sum(p.numel() for p in model.parameters() if p.requires_grad)",
        "sum(p.numel() for p in model.parameters())",
        "frozen parameters counted",
    ),
    Mutant(
        "tensor_count",
        "model",
        "sum(p.numel() for p in model.parameters() if p.requires_grad)",
        "sum(1 for p in model.parameters() if p.requires_grad)",
        "counts tensors, not numbers",
    ),
    Mutant("nine_classes", "model", "nn.Linear(hidden, 10)", "nn.Linear(hidden, 9)", "9 outputs for 10 digits"),
    Mutant(
        "ignores_hidden",
        "model",
        "nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)",
        "nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)",
        "hidden width fixed at 64, the argument ignored",
    ),
    # Part 4: training and predict
    Mutant("no_step", "train", "        optimiser.step()\n", "", "never updates the weights"),
    Mutant(
        "raw_pixels",
        "train",
        "Xt = torch.as_tensor(normalise(X), device=DEVICE)",
        "Xt = torch.as_tensor(np.asarray(X, dtype=np.float32) * 0, device=DEVICE)",
        "trains on blank inputs",
    ),
    Mutant("losses_once", "train", "        losses.append(float(loss.item()))\n", "", "no losses recorded"),
    Mutant("argmin", "train", "logits.argmax(dim=1)", "logits.argmin(dim=1)", "the least likely digit"),
    Mutant("wrong_axis", "train", "logits.argmax(dim=1)", "logits.argmax(dim=0)", "argmax over the batch"),
    Mutant(
        "ignores_lr",
        "train",
        "torch.optim.Adam(model.parameters(), lr=lr)",
        "torch.optim.Adam(model.parameters(), lr=0.01)",
        "learning rate fixed, the argument ignored",
    ),
    Mutant(
        "default_lr",
        "train",
        "torch.optim.Adam(model.parameters(), lr=lr)",
        "torch.optim.Adam(model.parameters())",
        "Adam's default learning rate, the argument ignored",
    ),
    Mutant("float_labels", "train", ".cpu().numpy().astype(np.int64)", ".cpu().numpy().astype(np.float32)", "floats"),
    # Part 5: energy
    Mutant("kwh_not_converted", "energy", "float(kwh) * 3.6e6", "float(kwh)", "kWh, not joules"),
    Mutant("wh_not_j", "energy", "float(kwh) * 3.6e6", "float(kwh) * 3.6e3", "off by 1000: watt-hours"),
    Mutant("swapped", "energy", "return result, float(kwh) * 3.6e6", "return float(kwh) * 3.6e6, result", "order"),
    Mutant(
        "stop_value",
        "energy",
        "        tracker.stop()\n",
        "        result = tracker.stop()\n",
        "returns stop()'s value",
    ),
    Mutant("zero_joules", "energy", "return result, float(kwh) * 3.6e6", "return result, 0.0", "reports 0 J"),
    Mutant("kwh_divided", "energy", "float(kwh) * 3.6e6", "float(kwh) / 3.6e6", "divides by 3.6e6: near 0 J"),
    Mutant(
        "machine_mode",
        "energy",
        'tracking_mode="process"',
        'tracking_mode="machine"',
        "measures the whole machine, other notebooks included",
    ),
    Mutant("result_lost", "energy", "        result = fn()\n", "        result = fn\n", "returns the function itself"),
    # Part 6: the quest
    Mutant(
        "one_epoch",
        "quest",
        "epochs=200, lr=0.01)",
        "epochs=1, lr=0.01)",
        "barely trained",
    ),
    Mutant("tiny_model", "quest", "MODEL = make_model(64)", "MODEL = make_model(1)", "one hidden unit"),
    Mutant(
        "shuffled_labels",
        "quest",
        "np.concatenate([y_train, y_val])",
        "np.roll(np.concatenate([y_train, y_val]), 1)",
        "labels misaligned by one row",
    ),
]
