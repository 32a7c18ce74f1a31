"""Independent correct solutions of A1 (neurons), written from the student copy alone."""

from __future__ import annotations

from tests.alternatives import Alternative

# The given helper of Part 5's answer cell, kept as the student copy has it: the test cell calls it.
ALL_INPUTS = '''\
def all_inputs(n):
    """All 2**n binary inputs as rows, in truth-table order (most significant bit first)."""
    return np.array([[(k >> (n - 1 - i)) & 1 for i in range(n)] for k in range(2**n)], dtype=float)
'''

# ---------------------------------------------------------------------------------------------------------------
# 1. Plain Python: loops over elements, the math module, lists for weights, a Python int for a single output.
# ---------------------------------------------------------------------------------------------------------------

LOOPS_NEURON = '''\
import math


def potential(x, w, b):
    """Weighted sum xi = w.x + b for one input (d,) or a batch (n, d)."""
    x = np.asarray(x, dtype=float)
    weights = [float(v) for v in np.ravel(w)]

    def one(row):
        total = float(b)
        for wi, xi in zip(weights, row):
            total += wi * float(xi)
        return total

    if x.ndim == 1:
        return one(x)
    return np.array([one(row) for row in x])


def formal_neuron(x, w, b):
    """Unit-step neuron: 1 where potential >= 0, else 0 (integers)."""
    xi = potential(x, w, b)
    if np.ndim(xi) == 0:
        return 1 if xi >= 0 else 0
    return np.array([1 if v >= 0 else 0 for v in xi], dtype=int)
'''

LOOPS_ACTIVATIONS = '''\
def _each(f, xi):
    """Apply the scalar function f to every element; the result has the shape of xi."""
    a = np.asarray(xi, dtype=float)
    return np.array([f(v) for v in a.ravel().tolist()], dtype=float).reshape(a.shape)


def step(xi):
    return _each(lambda v: 1.0 if v >= 0 else 0.0, xi)


def sigmoid(xi, lam=1.0):
    def one(v):
        z = lam * v
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)

    return _each(one, xi)


def tanh(xi):
    def one(v):
        e = math.exp(-2.0 * abs(v))  # never overflows
        return math.copysign((1.0 - e) / (1.0 + e), v)

    return _each(one, xi)


def relu(xi):
    return _each(lambda v: v if v > 0 else 0.0, xi)
'''

LOOPS_PERCEPTRON = """\
def perceptron_train(X, t, eta=1.0, epochs=100):
    rows = np.asarray(X, dtype=float).tolist()
    targets = [float(v) for v in np.ravel(t)]
    w = [0.0] * len(rows[0])
    b = 0.0
    for _ in range(epochs):
        mistakes = 0
        for x, target in zip(rows, targets):
            xi = sum(wi * xv for wi, xv in zip(w, x)) + b
            y = 1 if xi >= 0 else 0
            if y != target:
                mistakes += 1
                w = [wi + eta * (target - y) * xv for wi, xv in zip(w, x)]
                b += eta * (target - y)
        if mistakes == 0:
            break
    return w, b
"""

LOOPS_XOR = """\
# Hidden layer: OR and NAND; output: AND of the two. Plain lists: two_layer turns them into arrays.
W1 = [[1.0, 1.0], [-1.0, -1.0]]
b1 = [-0.5, 1.5]
w2 = [1.0, 1.0]
b2 = -1.5
"""

LOOPS_BOOLEAN = (
    ALL_INPUTS
    + """

def boolean_network(truth_table):
    table = [int(v) for v in np.ravel(truth_table)]
    n = len(table).bit_length() - 1  # len(table) == 2**n
    W1, b1 = [], []
    for k, value in enumerate(table):
        if value == 1:
            bits = [(k >> (n - 1 - i)) & 1 for i in range(n)]
            W1.append([1.0 if bit else -1.0 for bit in bits])
            b1.append(-float(sum(bits)))
    if not W1:  # F is never 1: one hidden neuron that never fires
        W1.append([0.0] * n)
        b1.append(-1.0)
    w2 = [1.0] * len(W1)
    b2 = -1.0  # OR: fires when at least one hidden neuron does
    return W1, b1, w2, b2
"""
)

# ---------------------------------------------------------------------------------------------------------------
# 2. Vectorised NumPy with other formulas: einsum, int32 outputs, sigmoid via logaddexp, tanh via expm1.
# ---------------------------------------------------------------------------------------------------------------

EINSUM_NEURON = '''\
def potential(x, w, b):
    """Weighted sum xi = w.x + b for one input (d,) or a batch (n, d)."""
    return np.einsum("...d,d->...", np.asarray(x, dtype=float), np.asarray(w, dtype=float)) + b


def formal_neuron(x, w, b):
    """Unit-step neuron: 1 where potential >= 0, else 0 (integers)."""
    return np.where(potential(x, w, b) >= 0, 1, 0).astype(np.int32)
'''

EINSUM_ACTIVATIONS = """\
def step(xi):
    return (np.asarray(xi, dtype=float) >= 0).astype(np.float64)


def sigmoid(xi, lam=1.0):
    # 1 / (1 + exp(-z)) = exp(-log(1 + exp(-z))), and logaddexp(0, -z) = log(1 + exp(-z)) never overflows
    z = lam * np.asarray(xi, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def tanh(xi):
    # tanh|x| = (1 - e^(-2|x|)) / (1 + e^(-2|x|)) = -m / (2 + m) with m = expm1(-2|x|), accurate near 0 too
    x = np.asarray(xi, dtype=float)
    m = np.expm1(-2.0 * np.abs(x))
    return np.sign(x) * (-m / (2.0 + m))


def relu(xi):
    return np.clip(np.asarray(xi, dtype=float), 0.0, None)
"""

EINSUM_PERCEPTRON = """\
def perceptron_train(X, t, eta=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t).astype(np.int32)
    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(epochs):
        errors = 0
        for x_i, t_i in zip(X, t):
            y_i = formal_neuron(x_i, w, b)  # Part 1's neuron
            if y_i != t_i:
                errors += 1
                w = w + eta * (t_i - y_i) * x_i
                b = b + eta * (t_i - y_i)
        if errors == 0:
            break
    return w, float(b)
"""

EINSUM_XOR = """\
# Hidden layer: x1 AND NOT x2, and NOT x1 AND x2; output: their OR.
W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])
b1 = np.array([-0.5, -0.5])
w2 = np.array([1.0, 1.0])
b2 = -0.5
"""

EINSUM_BOOLEAN = (
    ALL_INPUTS
    + """

def boolean_network(truth_table):
    table = np.asarray(truth_table).astype(int).ravel()
    n = int(round(np.log2(table.size)))
    V = all_inputs(n)[table == 1]  # the inputs where F is 1; possibly none (shape (0, n))
    W1 = (2 * V - 1).astype(np.int32)  # +1 where v_i = 1, -1 where v_i = 0
    b1 = -V.sum(axis=1).astype(np.int32)
    w2 = np.ones(len(V), dtype=np.int32)
    b2 = -0.5  # OR of the hidden neurons; with none, the output is always 0
    return W1, b1, w2, b2
"""
)

# ---------------------------------------------------------------------------------------------------------------
# 3. PyTorch in float64 behind helpers of the student's own (an extra cell), tanh through the sigmoid.
# ---------------------------------------------------------------------------------------------------------------

TORCH_HELPERS = """\
# My helpers: do the arithmetic in float64 torch tensors, hand numpy arrays back.
def as_tensor(a):
    return torch.as_tensor(np.asarray(a, dtype=float), dtype=torch.float64)


def as_numpy(t):
    return t.detach().cpu().numpy()
"""

TORCH_NEURON = '''\
def potential(x, w, b):
    """Weighted sum xi = w.x + b for one input (d,) or a batch (n, d)."""
    return as_numpy(torch.matmul(as_tensor(x), as_tensor(w)) + float(b))


def formal_neuron(x, w, b):
    """Unit-step neuron: 1 where potential >= 0, else 0 (integers)."""
    return as_numpy((as_tensor(potential(x, w, b)) >= 0).to(torch.int64))
'''

TORCH_ACTIVATIONS = """\
def step(xi):
    return as_numpy((as_tensor(xi) >= 0).to(torch.float64))


def sigmoid(xi, lam=1.0):
    z = lam * as_tensor(xi)
    e = torch.exp(-torch.abs(z))  # at most 1: no overflow for any z
    return as_numpy(torch.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)))


def tanh(xi):
    # tanh(x) = 2 sigmoid(2x) - 1, and my sigmoid is safe for any x
    return 2.0 * sigmoid(xi, lam=2.0) - 1.0


def relu(xi):
    return as_numpy(torch.clamp(as_tensor(xi), min=0.0))
"""

TORCH_PERCEPTRON = """\
def perceptron_train(X, t, eta=1.0, epochs=100):
    Xt, tt = as_tensor(X), as_tensor(t)
    w = torch.zeros(Xt.shape[1], dtype=torch.float64)
    b = 0.0
    for _ in range(epochs):
        changed = False
        for i in range(Xt.shape[0]):
            y = 1.0 if float(Xt[i] @ w) + b >= 0 else 0.0
            error = float(tt[i]) - y
            if error != 0:
                w = w + eta * error * Xt[i]
                b = b + eta * error
                changed = True
        if not changed:
            break
    return as_numpy(w), float(b)
"""

TORCH_XOR = """\
# Hidden layer: OR (x1 + x2 >= 0.5) and NAND (x1 + x2 <= 1.5), scaled by 2; output: AND (h1 + h2 >= 2).
W1 = np.array([[2, 2], [-2, -2]], dtype=np.int64)
b1 = np.array([-1, 3], dtype=np.int64)
w2 = np.array([1, 1], dtype=np.int64)
b2 = -2.0
"""

TORCH_BOOLEAN = (
    ALL_INPUTS
    + """

def boolean_network(truth_table):
    table = as_tensor(truth_table).reshape(-1)
    n = int(table.numel()).bit_length() - 1
    rows = [all_inputs(n)[k] for k in torch.nonzero(table == 1).reshape(-1).tolist()]
    V = np.array(rows, dtype=float).reshape(len(rows), n)
    W1 = np.where(V == 1, 1.0, -1.0)
    b1 = -V.sum(axis=1)
    w2 = np.ones(len(rows))
    b2 = -1.0
    return W1, b1, w2, b2
"""
)

# ---------------------------------------------------------------------------------------------------------------
# 4. np.dot and int8, a perceptron that stops once all points are right, and the cheaper of DNF and its complement.
# ---------------------------------------------------------------------------------------------------------------

DOT_NEURON = '''\
def potential(x, w, b):
    """Weighted sum xi = w.x + b for one input (d,) or a batch (n, d)."""
    return np.dot(np.asarray(x, dtype=float), np.asarray(w, dtype=float)) + b


def formal_neuron(x, w, b):
    """Unit-step neuron: 1 where potential >= 0, else 0 (integers)."""
    return (potential(x, w, b) >= 0).astype(np.int8)
'''

DOT_ACTIVATIONS = """\
def step(xi):
    return np.greater_equal(np.asarray(xi, dtype=float), 0.0).astype(float)


def sigmoid(xi, lam=1.0):
    z = lam * np.asarray(xi, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def tanh(xi):
    # (e^2x - 1) / (e^2x + 1); beyond |x| = 20 tanh is 1.0 to double precision, so clipping there changes nothing
    x = np.clip(np.asarray(xi, dtype=float), -20.0, 20.0)
    e2 = np.exp(2.0 * x)
    return (e2 - 1.0) / (e2 + 1.0)


def relu(xi):
    x = np.asarray(xi, dtype=float)
    return np.where(x < 0, 0.0, x)
"""

DOT_PERCEPTRON = """\
def perceptron_train(X, t, eta=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    t = np.asarray(t, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for i in range(len(X)):
            y = 1.0 if np.dot(w, X[i]) + b >= 0 else 0.0
            w = w + eta * (t[i] - y) * X[i]
            b = b + eta * (t[i] - y)
        # Every point right after this epoch means the next epoch makes no mistake and changes nothing: stop.
        if np.all((X @ w + b >= 0) == (t == 1)):
            break
    return w, float(b)
"""

DOT_XOR = """\
# Hidden layer: OR and AND; output: OR and not AND. w2 as a tuple.
W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
b1 = np.array([-0.5, -1.5])
w2 = (1.0, -1.0)
b2 = -0.5
"""

DOT_BOOLEAN = (
    ALL_INPUTS
    + """

def boolean_network(truth_table):
    table = np.asarray(truth_table, dtype=float).ravel()
    n = table.size.bit_length() - 1
    inputs = all_inputs(n)
    ones = table == 1
    if ones.sum() <= (~ones).sum():
        # the construction of the text: one neuron per input with F = 1, output OR (never fires with none)
        V = inputs[ones]
        w2, b2 = np.ones(len(V)), -1.0
    else:
        # fewer zeros: one neuron per input with F = 0, and the output fires when none of them does
        V = inputs[~ones]
        w2, b2 = -np.ones(len(V)), 0.0
    W1 = np.where(V == 1, 1.0, -1.0)
    b1 = -V.sum(axis=1)
    return W1, b1, w2, b2
"""
)

ALTERNATIVES = [
    Alternative(
        name="loops_lists",
        style="plain Python loops and math.exp, lists for the weights, a Python int for a single neuron output",
        answers={
            "formal_neuron": LOOPS_NEURON,
            "activations": LOOPS_ACTIVATIONS,
            "perceptron": LOOPS_PERCEPTRON,
            "xor_weights": LOOPS_XOR,
            "boolean_network": LOOPS_BOOLEAN,
        },
    ),
    Alternative(
        name="einsum_int32",
        style="einsum and int32, sigmoid via logaddexp, tanh via expm1, perceptron reusing formal_neuron",
        answers={
            "formal_neuron": EINSUM_NEURON,
            "activations": EINSUM_ACTIVATIONS,
            "perceptron": EINSUM_PERCEPTRON,
            "xor_weights": EINSUM_XOR,
            "boolean_network": EINSUM_BOOLEAN,
        },
    ),
    Alternative(
        name="torch_helpers",
        style="float64 torch behind a helper cell of the student's own, tanh = 2 sigmoid(2x) - 1, int64 weights",
        answers={
            "formal_neuron": TORCH_NEURON,
            "activations": TORCH_ACTIVATIONS,
            "perceptron": TORCH_PERCEPTRON,
            "xor_weights": TORCH_XOR,
            "boolean_network": TORCH_BOOLEAN,
        },
        extra_cells={"part1_task": [TORCH_HELPERS]},
    ),
    Alternative(
        name="dot_int8_complement",
        style="np.dot and int8, clipped exp tanh, stop once all points are right, DNF or its complement",
        answers={
            "formal_neuron": DOT_NEURON,
            "activations": DOT_ACTIVATIONS,
            "perceptron": DOT_PERCEPTRON,
            "xor_weights": DOT_XOR,
            "boolean_network": DOT_BOOLEAN,
        },
    ),
]
