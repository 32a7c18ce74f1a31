"""Independent correct solutions of A6 (the MNIST search quest), written from the student copy alone."""

from __future__ import annotations

from tests.alternatives import Alternative

# ---------------------------------------------------------------------------------------------------------------
# 1. A quest model class of my own (two hidden layers), AdamW, plain Python loops, train + val for the quest.
# ---------------------------------------------------------------------------------------------------------------

CLASS_NORMALISE = '''\
def normalise(X):
    """Pixels 0..16 -> float32 in [0, 1], same shape."""
    return np.asarray(X, dtype=np.float32) / np.float32(16)
'''

CLASS_ACCURACY = '''\
def _as_numpy(a):
    return a.detach().cpu().numpy() if torch.is_tensor(a) else np.asarray(a)


def accuracy(pred, y):
    """Fraction of equal labels, as a float in [0, 1]."""
    pred, y = _as_numpy(pred).ravel().tolist(), _as_numpy(y).ravel().tolist()
    hits = 0
    for p, t in zip(pred, y):
        if p == t:
            hits += 1
    return hits / len(y)
'''

CLASS_EXTRA = '''\
class DigitNet(nn.Module):
    """64 pixels -> hidden -> hidden // 2 -> 10 logits, with ReLUs in between."""

    def __init__(self, hidden=64):
        super().__init__()
        second = max(hidden // 2, 1)
        self.hidden1 = nn.Linear(64, hidden)
        self.hidden2 = nn.Linear(hidden, second)
        self.out = nn.Linear(second, 10)

    def forward(self, x):
        x = torch.relu(self.hidden1(x))
        x = torch.relu(self.hidden2(x))
        return self.out(x)
'''

CLASS_MODEL = '''\
def make_model(hidden=64):
    """A classifier 64 pixels -> 10 logits, on DEVICE."""
    layers = [nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)]
    model = nn.Sequential(*layers)
    model.to(DEVICE)  # moves the parameters in place
    return model


def count_parameters(model):
    """Number of trainable scalars (weights and biases) in MODEL."""
    total = 0
    for parameter in model.parameters():
        if parameter.requires_grad:
            total += parameter.numel()
    return total
'''

CLASS_TRAIN = '''\
def train(model, X, y, epochs=150, lr=0.01):
    """Full-batch training; returns the per-epoch losses."""
    inputs = torch.tensor(normalise(X), device=DEVICE)
    labels = torch.tensor(np.asarray(y), dtype=torch.long, device=DEVICE)
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr)  # Adam with decoupled weight decay
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    losses = []
    for _ in range(epochs):
        optimiser.zero_grad()
        loss = loss_fn(model(inputs), labels)
        loss.backward()
        optimiser.step()
        losses.append(float(loss.item()))
    return losses


def predict(X):
    """Integer labels (int64, shape (n,)) from the global MODEL for raw pixels X."""
    rows = np.atleast_2d(normalise(X))  # a single row of 64 pixels becomes a batch of one
    MODEL.eval()
    with torch.no_grad():
        logits = MODEL(torch.tensor(rows, device=DEVICE))
    return np.array(logits.argmax(dim=1).tolist(), dtype=np.int64)
'''

CLASS_ENERGY = '''\
def measure_energy(fn):
    """Run fn() under CodeCarbon; return (fn's result, energy in joules)."""
    tracker = OfflineEmissionsTracker(
        country_iso_code="DEU", measure_power_secs=1, save_to_file=False, log_level="error", tracking_mode="process"
    )
    tracker.start()
    try:
        result = fn()
    finally:
        tracker.stop()  # may return None; the energy is read below
    data = tracker.final_emissions_data
    kwh = None if data is None else data.energy_consumed
    joules = 0.0 if kwh is None else float(kwh) * 3.6e6
    return result, joules
'''

CLASS_QUEST = '''\
def quest_train():
    """Build and train the quest model; set the global MODEL and return it."""
    global MODEL
    torch.manual_seed(1)
    MODEL = DigitNet(128).to(DEVICE)  # my own class, two hidden layers
    X_both = np.concatenate([X_train, X_val])  # both visible splits: more digits to learn from
    y_both = np.concatenate([y_train, y_val])
    train(MODEL, X_both, y_both, epochs=250, lr=0.005)
    return MODEL
'''

# ---------------------------------------------------------------------------------------------------------------
# 2. torch everywhere, mini-batches, and early stopping on the validation split for the quest.
# ---------------------------------------------------------------------------------------------------------------

TORCH_NORMALISE = '''\
def normalise(X):
    """Pixels 0..16 -> float32 in [0, 1], same shape."""
    return torch.as_tensor(np.asarray(X)).to(torch.float32).div(16).numpy()
'''

TORCH_ACCURACY = '''\
def _as_numpy(a):
    return a.detach().cpu().numpy() if torch.is_tensor(a) else np.asarray(a)


def accuracy(pred, y):
    """Fraction of equal labels, as a float in [0, 1]."""
    p = torch.as_tensor(_as_numpy(pred)).reshape(-1)
    t = torch.as_tensor(_as_numpy(y)).reshape(-1)
    return (p == t).double().mean().item()
'''

TORCH_MODEL = '''\
def make_model(hidden=64):
    """A classifier 64 pixels -> 10 logits, on DEVICE."""
    # built directly on DEVICE, no copy afterwards
    return nn.Sequential(nn.Linear(64, hidden, device=DEVICE), nn.ReLU(), nn.Linear(hidden, 10, device=DEVICE))


def count_parameters(model):
    """Number of trainable scalars (weights and biases) in MODEL."""
    return int(sum(torch.numel(p) for p in model.parameters() if p.requires_grad))
'''

TORCH_TRAIN = '''\
BATCH = 64


def train(model, X, y, epochs=150, lr=0.01):
    """Mini-batch Adam; returns the per-epoch losses (the mean loss over each epoch's samples)."""
    inputs = torch.from_numpy(normalise(X)).to(DEVICE)
    labels = torch.from_numpy(np.asarray(y, dtype=np.int64)).to(DEVICE)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    shuffle = torch.Generator().manual_seed(0)
    model.train()
    losses = []
    for _ in range(epochs):
        total = 0.0
        for idx in torch.randperm(len(labels), generator=shuffle).split(BATCH):
            idx = idx.to(DEVICE)
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(inputs[idx]), labels[idx])
            loss.backward()
            optimiser.step()
            total += loss.item() * len(idx)
        losses.append(total / len(labels))
    return losses


def predict(X):
    """Integer labels (int64, shape (n,)) from the global MODEL for raw pixels X."""
    MODEL.eval()
    with torch.no_grad():
        scores = MODEL(torch.from_numpy(normalise(X)).to(DEVICE))
    return scores.argmax(dim=1).cpu().numpy().astype(np.int64)
'''

TORCH_ENERGY = '''\
def measure_energy(fn):
    """Run fn() under CodeCarbon; return (fn's result, energy in joules)."""
    tracker = codecarbon.OfflineEmissionsTracker(  # the class the setup cell imports, read from its module
        country_iso_code="DEU", measure_power_secs=1, save_to_file=False, log_level="error", tracking_mode="process"
    )
    try:
        tracker.start()
        result = fn()
    finally:
        tracker.stop()
    kwh = getattr(tracker.final_emissions_data, "energy_consumed", None)
    return result, float((kwh or 0.0) * 1000.0 * 3600.0)  # kWh -> kW·s = kJ -> J
'''

TORCH_QUEST = '''\
def quest_train():
    """Build and train the quest model; set the global MODEL and return it."""
    global MODEL
    torch.manual_seed(2)
    MODEL = make_model(96)
    inputs = torch.from_numpy(normalise(X_train)).to(DEVICE)
    labels = torch.from_numpy(y_train.astype(np.int64)).to(DEVICE)
    optimiser = torch.optim.SGD(MODEL.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    order = torch.Generator().manual_seed(2)
    best_acc, best_state, patience = -1.0, None, 0
    for _ in range(60):
        MODEL.train()
        for idx in torch.randperm(len(labels), generator=order).split(32):
            idx = idx.to(DEVICE)
            optimiser.zero_grad()
            nn.functional.cross_entropy(MODEL(inputs[idx]), labels[idx]).backward()
            optimiser.step()
        val_acc = accuracy(predict(X_val), y_val)  # early stopping on the validation split
        if val_acc > best_acc:
            best_acc, patience = val_acc, 0
            best_state = {k: v.detach().clone() for k, v in MODEL.state_dict().items()}
        else:
            patience += 1
            if patience == 8:
                break
    MODEL.load_state_dict(best_state)
    return MODEL
'''

# ---------------------------------------------------------------------------------------------------------------
# 3. Frugal: a small model fitted by full-batch L-BFGS for the quest; log-softmax + NLL; a `with` tracker.
# ---------------------------------------------------------------------------------------------------------------

LBFGS_NORMALISE = '''\
def normalise(X):
    """Pixels 0..16 -> float32 in [0, 1], same shape."""
    return (np.asarray(X) / 16).astype(np.float32)
'''

LBFGS_ACCURACY = '''\
def _as_numpy(a):
    return a.detach().cpu().numpy() if torch.is_tensor(a) else np.asarray(a)


def accuracy(pred, y):
    """Fraction of equal labels, as a float in [0, 1]."""
    p, t = _as_numpy(pred), _as_numpy(y)
    return float(np.count_nonzero(p == t) / t.size)
'''

LBFGS_MODEL = '''\
import math
from collections import OrderedDict


def make_model(hidden=64):
    """A classifier 64 pixels -> 10 logits, on DEVICE."""
    layers = OrderedDict([("0", nn.Linear(64, hidden)), ("1", nn.ReLU()), ("2", nn.Linear(hidden, 10))])
    return nn.Sequential(layers).to(device=DEVICE)


def count_parameters(model):
    """Number of trainable scalars (weights and biases) in MODEL."""
    sizes = [math.prod(p.shape) for _, p in model.named_parameters() if p.requires_grad]
    return int(sum(sizes))
'''

LBFGS_TRAIN = '''\
def _tensors(X, y=None):
    """Normalised pixels (and labels) as tensors on DEVICE; one row of 64 pixels becomes a batch of one."""
    x = torch.as_tensor(normalise(X), device=DEVICE).reshape(-1, 64)
    return x if y is None else (x, torch.as_tensor(np.asarray(y), dtype=torch.int64, device=DEVICE))


def train(model, X, y, epochs=150, lr=0.01):
    """Full-batch training; returns the per-epoch losses."""
    x, labels = _tensors(X, y)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    history = []
    for epoch in range(epochs):
        log_probs = torch.log_softmax(model(x), dim=1)
        loss = nn.functional.nll_loss(log_probs, labels)  # = cross-entropy of the logits
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        history.append(loss.item())
    return history


def predict(X):
    """Integer labels (int64, shape (n,)) from the global MODEL for raw pixels X."""
    MODEL.eval()
    with torch.no_grad():
        best = torch.max(MODEL(_tensors(X)), dim=1).indices
    return best.to("cpu").numpy().astype(np.int64, copy=False)
'''

LBFGS_ENERGY = '''\
def measure_energy(fn):
    """Run fn() under CodeCarbon; return (fn's result, energy in joules)."""
    settings = dict(country_iso_code="DEU", measure_power_secs=1, save_to_file=False, log_level="error")
    with OfflineEmissionsTracker(tracking_mode="process", **settings) as tracker:  # stop() on exit, even on errors
        result = fn()
    emissions = tracker.final_emissions_data
    if emissions is None or emissions.energy_consumed is None:
        return result, 0.0
    return result, float(emissions.energy_consumed * 3_600_000)
'''

LBFGS_QUEST = '''\
def quest_train():
    """Build and train the quest model; set the global MODEL and return it."""
    global MODEL
    torch.manual_seed(3)
    MODEL = make_model(32)  # small: the efficiency leaderboard divides by the energy
    x, labels = _tensors(np.vstack([X_train, X_val]), np.hstack([y_train, y_val]))
    optimiser = torch.optim.LBFGS(MODEL.parameters(), lr=1.0, max_iter=150, history_size=20, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(MODEL(x), labels) + 1e-4 * sum(p.pow(2).sum() for p in MODEL.parameters())
        loss.backward()
        return loss

    MODEL.train()
    optimiser.step(closure)  # one call runs up to max_iter L-BFGS iterations
    return MODEL
'''

# ---------------------------------------------------------------------------------------------------------------
# 4. A regularised quest model (LayerNorm + dropout: predict's model.eval() matters), NAdam, multiplication by 1/16.
# ---------------------------------------------------------------------------------------------------------------

NORM_NORMALISE = '''\
def normalise(X):
    """Pixels 0..16 -> float32 in [0, 1], same shape."""
    return np.multiply(np.asarray(X, dtype=np.float32), np.float32(0.0625))  # 1/16 is exact in binary
'''

NORM_ACCURACY = '''\
def _as_numpy(a):
    return a.detach().cpu().numpy() if torch.is_tensor(a) else np.asarray(a)


def accuracy(pred, y):
    """Fraction of equal labels, as a float in [0, 1]."""
    matches = np.equal(_as_numpy(pred).reshape(-1), _as_numpy(y).reshape(-1))
    return float(matches.sum()) / float(matches.size)
'''

NORM_MODEL = '''\
def make_model(hidden=64):
    """A classifier 64 pixels -> 10 logits, on DEVICE."""
    model = nn.Sequential()
    model.append(nn.Linear(64, hidden))
    model.append(nn.ReLU())
    model.append(nn.Linear(hidden, 10))
    return model.to(DEVICE)


def count_parameters(model):
    """Number of trainable scalars (weights and biases) in MODEL."""
    trainable = filter(lambda p: p.requires_grad, model.parameters())
    return sum(map(lambda p: p.numel(), trainable))
'''

NORM_TRAIN = '''\
def train(model, X, y, epochs=150, lr=0.01):
    """Full-batch training; returns the per-epoch losses."""
    features = torch.from_numpy(normalise(X)).to(DEVICE)
    targets = torch.from_numpy(np.asarray(y)).long().to(DEVICE)
    optimiser = torch.optim.NAdam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    losses = []
    epoch = 0
    while epoch < epochs:
        model.train()
        optimiser.zero_grad()
        loss = criterion(model(features), targets)
        loss.backward()
        optimiser.step()
        losses.append(loss.detach().cpu().item())
        epoch += 1
    return losses


def predict(X):
    """Integer labels (int64, shape (n,)) from the global MODEL for raw pixels X."""
    MODEL.eval()  # dropout off
    with torch.no_grad():
        logits = MODEL(torch.from_numpy(normalise(X)).to(DEVICE)).cpu()
    return np.argmax(logits.numpy(), axis=1).astype(np.int64)
'''

NORM_ENERGY = '''\
import math

JOULES_PER_KWH = 3.6e6


def measure_energy(fn):
    """Run fn() under CodeCarbon; return (fn's result, energy in joules)."""
    tracker = OfflineEmissionsTracker(
        tracking_mode="process", log_level="error", save_to_file=False, measure_power_secs=1, country_iso_code="DEU"
    )
    tracker.start()
    try:
        result = fn()
    finally:
        tracker.stop()
    kwh = getattr(tracker.final_emissions_data, "energy_consumed", None)
    if kwh is None or not math.isfinite(kwh):
        return result, 0.0
    return result, float(kwh) * JOULES_PER_KWH
'''

NORM_QUEST = '''\
def quest_train():
    """Build and train the quest model; set the global MODEL and return it."""
    global MODEL
    torch.manual_seed(4)
    MODEL = nn.Sequential(  # regularised: LayerNorm and dropout, so predict's model.eval() matters
        nn.Linear(64, 96), nn.LayerNorm(96), nn.ReLU(), nn.Dropout(p=0.1), nn.Linear(96, 10)
    ).to(DEVICE)
    train(MODEL, X_train, y_train, epochs=200, lr=0.01)
    return MODEL
'''

ALTERNATIVES = [
    Alternative(
        name="class_adamw",
        style="own 2-hidden-layer nn.Module for the quest in an extra cell, AdamW, Python loops, train+val",
        answers={
            "normalise": CLASS_NORMALISE,
            "accuracy": CLASS_ACCURACY,
            "model": CLASS_MODEL,
            "train": CLASS_TRAIN,
            "energy": CLASS_ENERGY,
            "quest": CLASS_QUEST,
        },
        extra_cells={"part6_task": [CLASS_EXTRA]},
    ),
    Alternative(
        name="minibatch_torch",
        style="torch for normalise/accuracy, mini-batch Adam, SGD+Nesterov quest with early stopping on val",
        answers={
            "normalise": TORCH_NORMALISE,
            "accuracy": TORCH_ACCURACY,
            "model": TORCH_MODEL,
            "train": TORCH_TRAIN,
            "energy": TORCH_ENERGY,
            "quest": TORCH_QUEST,
        },
    ),
    Alternative(
        name="lbfgs_frugal",
        style="make_model(32) fitted by full-batch L-BFGS on train+val, log-softmax + NLL, tracker as a context manager",
        answers={
            "normalise": LBFGS_NORMALISE,
            "accuracy": LBFGS_ACCURACY,
            "model": LBFGS_MODEL,
            "train": LBFGS_TRAIN,
            "energy": LBFGS_ENERGY,
            "quest": LBFGS_QUEST,
        },
    ),
    Alternative(
        name="layernorm_dropout",
        style="LayerNorm + dropout quest model (eval() matters), NAdam in a while loop, pixels x 1/16, numpy argmax",
        answers={
            "normalise": NORM_NORMALISE,
            "accuracy": NORM_ACCURACY,
            "model": NORM_MODEL,
            "train": NORM_TRAIN,
            "energy": NORM_ENERGY,
            "quest": NORM_QUEST,
        },
    ),
]
