"""Independent correct solutions of A2 (backpropagation), written from the student copy alone."""

from __future__ import annotations

from tests.alternatives import Alternative

# ---------------------------------------------------------------------------------------------------------------
# 1. Loops: Python sums for the line, Python floats in gradient descent, loops over the hidden units in the
#    network (fast enough to train), in-place nudges over np.ndindex, norms accumulated by hand.
# ---------------------------------------------------------------------------------------------------------------

LOOPS_MSE = '''\
def _line_errors(theta, x, y):
    t0, t1 = float(theta[0]), float(theta[1])
    return [(t0 + t1 * xi - yi, xi) for xi, yi in zip(np.ravel(x).tolist(), np.ravel(y).tolist())]


def mse(theta, x, y):
    """Mean squared error of the line theta[0] + theta[1] * x against y, as a float."""
    errors = _line_errors(theta, x, y)
    total = 0.0
    for e, _ in errors:
        total += e * e
    return total / len(errors)


def mse_gradient(theta, x, y):
    """The gradient (dJ/dtheta0, dJ/dtheta1) of the MSE, shape (2,)."""
    errors = _line_errors(theta, x, y)
    s0 = s1 = 0.0
    for e, xi in errors:
        s0 += e
        s1 += e * xi
    n = len(errors)
    return np.array([2.0 * s0 / n, 2.0 * s1 / n])
'''

LOOPS_GD = '''\
def gradient_descent(x, y, theta0, lr, target_loss, max_steps=10_000):
    """Full-batch gradient descent on the MSE until it is <= target_loss; returns (theta, steps)."""
    t0, t1 = (float(v) for v in np.ravel(theta0))  # Python floats: the caller's theta0 is never touched
    steps = 0
    for _ in range(max_steps):
        if mse((t0, t1), x, y) <= target_loss:
            break
        g0, g1 = mse_gradient((t0, t1), x, y)
        t0, t1 = t0 - lr * g0, t1 - lr * g1
        steps += 1
    return np.array([t0, t1]), steps
'''

LOOPS_FORWARD = '''\
def mlp_forward(params, X, activation="sigmoid"):
    """Forward pass; returns (Y, cache) with cache = {"X": X, "Xi1": Xi1, "H": H}."""
    if activation == "sigmoid":
        f = sigmoid
    elif activation == "relu":
        f = relu
    else:
        raise ValueError(f"unknown activation {activation!r}: use 'sigmoid' or 'relu'")
    X = np.asarray(X, dtype=float)
    W1, b1 = np.asarray(params["W1"], dtype=float), np.asarray(params["b1"], dtype=float)
    W2, b2 = np.asarray(params["W2"], dtype=float), np.asarray(params["b2"], dtype=float)
    Xi1 = np.empty(X.shape[:-1] + (W1.shape[0],))
    for j in range(W1.shape[0]):  # one hidden unit at a time: row j of W1 holds its incoming weights
        Xi1[..., j] = X @ W1[j] + b1[j]
    H = f(Xi1)
    Y = np.empty(X.shape[:-1] + (W2.shape[0],))
    for j in range(W2.shape[0]):  # one output at a time
        Y[..., j] = H @ W2[j] + b2[j]
    return Y, {"X": X, "Xi1": Xi1, "H": H}
'''

LOOPS_BACKWARD = '''\
def mse_loss(Y, T):
    """Mean of (Y - T)**2 over all entries, as a float."""
    diff = (np.asarray(Y, dtype=float) - np.asarray(T, dtype=float)).ravel().tolist()
    total = 0.0
    for d in diff:
        total += d * d
    return total / len(diff)


def mlp_backward(params, cache, Y, T, activation="sigmoid"):
    """Gradients of mse_loss(Y, T) with respect to W1, b1, W2, b2, as a dict."""
    X, Xi1, H = cache["X"], cache["Xi1"], cache["H"]
    Y, T = np.asarray(Y, dtype=float), np.asarray(T, dtype=float)
    W2 = np.asarray(params["W2"], dtype=float)
    if activation == "sigmoid":
        slope = H * (1.0 - H)
    elif activation == "relu":
        slope = (Xi1 > 0).astype(float)  # ReLU'(0) = 0
    else:
        raise ValueError(f"unknown activation {activation!r}")
    delta2 = 2.0 / Y.size * (Y - T)
    n_hidden, n_in = np.shape(params["W1"])
    dW1, db1 = np.zeros((n_hidden, n_in)), np.zeros(n_hidden)
    dW2 = np.zeros(W2.shape)
    for j in range(n_hidden):  # one hidden unit at a time: column j of W2, row j of W1
        dW2[:, j] = H[:, j] @ delta2
        delta1_j = (delta2 @ W2[:, j]) * slope[:, j]
        dW1[j] = delta1_j @ X
        db1[j] = delta1_j.sum()
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": delta2.sum(axis=0)}
'''

LOOPS_GRADCHECK = '''\
import math


def numerical_gradient(f, params, eps=1e-6):
    """Central differences of f with respect to every entry of every array in params."""
    grads = {}
    for name, array in params.items():
        g = np.zeros(np.shape(array))
        for index in np.ndindex(*np.shape(array)):
            saved = array[index]
            try:
                array[index] = saved + eps
                up = f(params)
                array[index] = saved - eps
                down = f(params)
            finally:
                array[index] = saved  # the exact original value, not saved + eps - eps
            g[index] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||) over all entries of two gradient dicts; 0.0 when both are zero."""
    diff = norm_a = norm_b = 0.0
    for name in a:
        for u, v in zip(np.ravel(a[name]).tolist(), np.ravel(b[name]).tolist()):
            diff += (u - v) ** 2
            norm_a += u * u
            norm_b += v * v
    denominator = math.sqrt(norm_a) + math.sqrt(norm_b)
    return 0.0 if denominator == 0 else math.sqrt(diff) / denominator


def gradient_check(f, params, analytic, eps=1e-6):
    """Relative error between the gradient dict analytic and central differences of f at params."""
    return float(relative_error(analytic, numerical_gradient(f, params, eps)))
'''

LOOPS_TORCH = '''\
def torch_gradients(params, X, T, activation="sigmoid"):
    """The MSE loss and its gradients from torch.autograd, as float64 tensors on DEVICE."""
    leaves = {}
    for name, value in params.items():
        leaves[name] = torch.tensor(np.asarray(value, dtype=float), dtype=torch.float64, device=DEVICE, requires_grad=True)
    Xt = torch.tensor(np.asarray(X, dtype=float), dtype=torch.float64, device=DEVICE)
    Tt = torch.tensor(np.asarray(T, dtype=float), dtype=torch.float64, device=DEVICE)
    if activation == "sigmoid":
        H = torch.sigmoid(Xt @ leaves["W1"].T + leaves["b1"])
    elif activation == "relu":
        H = torch.relu(Xt @ leaves["W1"].T + leaves["b1"])
    else:
        raise ValueError(f"unknown activation {activation!r}")
    Y = H @ leaves["W2"].T + leaves["b2"]
    loss = ((Y - Tt) ** 2).mean()
    loss.backward()
    grads = {}
    for name, leaf in leaves.items():
        grads[name] = leaf.grad
    return loss.detach(), grads
'''

LOOPS_TRAIN = '''\
def train_mlp(X, t, n_hidden=16, activation="relu", lr=0.1, epochs=3000, seed=0):
    """Full-batch gradient descent on the MSE; returns the trained params."""
    X = np.asarray(X, dtype=float)
    params = init_params(X.shape[1], n_hidden, 1, np.random.default_rng(seed))
    T = np.asarray(t, dtype=float).reshape(-1, 1)
    for _ in range(epochs):
        Y, cache = mlp_forward(params, X, activation)
        grads = mlp_backward(params, cache, Y, T, activation)
        for name in params:
            params[name] = params[name] - lr * grads[name]
    return params


def predict(params, X, activation="relu"):
    """Labels 0/1 (integers, shape (B,)): 1 where the output is above 0.5."""
    Y, _ = mlp_forward(params, X, activation)
    return np.array([1 if y > 0.5 else 0 for y in Y[:, 0].tolist()], dtype=int)
'''

# ---------------------------------------------------------------------------------------------------------------
# 2. Linear algebra: a design matrix for the line, einsum in the network, central differences on copies
#    (the caller's arrays are never written), one concatenated norm, from_numpy(...).to(...) leaves, int32 labels.
# ---------------------------------------------------------------------------------------------------------------

MATRIX_MSE = '''\
def _design(x):
    x = np.asarray(x, dtype=float).ravel()
    return np.column_stack([np.ones_like(x), x])


def mse(theta, x, y):
    """Mean squared error of the line theta[0] + theta[1] * x against y, as a float."""
    e = _design(x) @ np.asarray(theta, dtype=float) - np.asarray(y, dtype=float).ravel()
    return float(e @ e) / len(e)


def mse_gradient(theta, x, y):
    """The gradient (dJ/dtheta0, dJ/dtheta1) of the MSE, shape (2,)."""
    A = _design(x)
    e = A @ np.asarray(theta, dtype=float) - np.asarray(y, dtype=float).ravel()
    return 2.0 / len(e) * (A.T @ e)
'''

MATRIX_GD = '''\
def gradient_descent(x, y, theta0, lr, target_loss, max_steps=10_000):
    """Full-batch gradient descent on the MSE until it is <= target_loss; returns (theta, steps)."""
    theta = np.array(theta0, dtype=np.float64, copy=True)
    steps = 0
    while steps < max_steps and mse(theta, x, y) > target_loss:
        theta -= lr * mse_gradient(theta, x, y)  # in place on my own copy
        steps += 1
    return theta, int(steps)
'''

MATRIX_FORWARD = '''\
def mlp_forward(params, X, activation="sigmoid"):
    """Forward pass; returns (Y, cache) with cache = {"X": X, "Xi1": Xi1, "H": H}."""
    functions = {"sigmoid": sigmoid, "relu": relu}
    if activation not in functions:
        raise ValueError(f"activation must be one of {sorted(functions)}, got {activation!r}")
    W1, b1, W2, b2 = (np.asarray(params[k], dtype=float) for k in ("W1", "b1", "W2", "b2"))
    X = np.asarray(X, dtype=float)
    Xi1 = np.einsum("...n,hn->...h", X, W1) + b1
    H = functions[activation](Xi1)
    Y = np.einsum("...h,kh->...k", H, W2) + b2
    return Y, {"X": X, "Xi1": Xi1, "H": H}
'''

MATRIX_BACKWARD = '''\
def mse_loss(Y, T):
    """Mean of (Y - T)**2 over all entries, as a float."""
    D = np.asarray(Y, dtype=float) - np.asarray(T, dtype=float)
    return float(np.sum(D * D) / D.size)


def mlp_backward(params, cache, Y, T, activation="sigmoid"):
    """Gradients of mse_loss(Y, T) with respect to W1, b1, W2, b2, as a dict."""
    Y, T = np.asarray(Y, dtype=float), np.asarray(T, dtype=float)
    X, H = cache["X"], cache["H"]
    if activation == "sigmoid":
        f_prime = H - H * H
    elif activation == "relu":
        f_prime = np.where(H > 0, 1.0, 0.0)  # relu(xi) > 0 exactly where xi > 0
    else:
        raise ValueError(f"unknown activation {activation!r}")
    d2 = (Y - T) * (2.0 / Y.size)
    d1 = np.einsum("bk,kh->bh", d2, np.asarray(params["W2"], dtype=float)) * f_prime
    return {
        "W1": np.einsum("bh,bn->hn", d1, X),
        "b1": np.einsum("bh->h", d1),
        "W2": np.einsum("bk,bh->kh", d2, H),
        "b2": np.einsum("bk->k", d2),
    }
'''

MATRIX_GRADCHECK = '''\
def numerical_gradient(f, params, eps=1e-6):
    """Central differences of f with respect to every entry of every array in params."""
    grads = {}
    for name, value in params.items():
        base = np.array(value, dtype=float)
        g = np.empty(base.shape)
        for i in range(base.size):
            plus, minus = base.copy(), base.copy()
            plus.flat[i] += eps
            minus.flat[i] -= eps
            # f sees a new dict that shares every other array; params itself is never written
            g.flat[i] = (f({**params, name: plus}) - f({**params, name: minus})) / (2 * eps)
        grads[name] = g
    return grads


def _flatten(grads, keys):
    return np.concatenate([np.ravel(np.asarray(grads[k], dtype=float)) for k in keys])


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||) over all entries of two gradient dicts; 0.0 when both are zero."""
    keys = sorted(a)
    va, vb = _flatten(a, keys), _flatten(b, keys)
    denominator = np.linalg.norm(va) + np.linalg.norm(vb)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(va - vb) / denominator)


def gradient_check(f, params, analytic, eps=1e-6):
    """Relative error between the gradient dict analytic and central differences of f at params."""
    numeric = numerical_gradient(f, params, eps=eps)
    return relative_error(numeric, analytic)
'''

MATRIX_TORCH = '''\
import torch.nn.functional as F


def torch_gradients(params, X, T, activation="sigmoid"):
    """The MSE loss and its gradients from torch.autograd, as float64 tensors on DEVICE."""
    acts = {"sigmoid": torch.sigmoid, "relu": torch.relu}
    if activation not in acts:
        raise ValueError(f"unknown activation {activation!r}")
    # .to() of a tensor that does not require grad gives a plain tensor; requires_grad_() then makes it a leaf
    p = {k: torch.from_numpy(np.array(v, dtype=np.float64)).to(DEVICE).requires_grad_() for k, v in params.items()}
    X_t = torch.from_numpy(np.array(X, dtype=np.float64)).to(DEVICE)
    T_t = torch.from_numpy(np.array(T, dtype=np.float64)).to(DEVICE)
    H = acts[activation](torch.addmm(p["b1"], X_t, p["W1"].t()))
    Y = torch.addmm(p["b2"], H, p["W2"].t())
    loss = F.mse_loss(Y, T_t)
    loss.backward()
    return loss.detach(), {k: v.grad for k, v in p.items()}
'''

MATRIX_TRAIN = '''\
def train_mlp(X, t, n_hidden=16, activation="relu", lr=0.1, epochs=3000, seed=0):
    """Full-batch gradient descent on the MSE; returns the trained params."""
    X = np.asarray(X, dtype=float)
    params = init_params(X.shape[1], n_hidden, 1, np.random.default_rng(seed))
    T = np.asarray(t).reshape(-1, 1).astype(float)
    for _ in range(epochs):
        Y, cache = mlp_forward(params, X, activation)
        for name, g in mlp_backward(params, cache, Y, T, activation).items():
            params[name] -= lr * g
    return params


def predict(params, X, activation="relu"):
    """Labels 0/1 (integers, shape (B,)): 1 where the output is above 0.5."""
    Y = mlp_forward(params, X, activation)[0]
    return np.where(Y[:, 0] > 0.5, 1, 0).astype(np.int32)
'''

# ---------------------------------------------------------------------------------------------------------------
# 3. A helper cell of the student's own (activations with their derivatives, an array converter), np.polyval
#    for the line, the layers as W x + b on columns, one loop over range(max_steps + 1), nditer nudges, a torch
#    loss written out, other training defaults.
# ---------------------------------------------------------------------------------------------------------------

HELPERS_CELL = """\
# My helpers for Parts 3-4: each activation with its derivative, written in terms of the pre-activation Xi.
def as_float_array(a):
    return np.asarray(a, dtype=np.float64)


def _sigmoid_prime(xi):
    s = sigmoid(xi)
    return s * (1.0 - s)


def _relu_prime(xi):
    return (as_float_array(xi) > 0).astype(np.float64)  # 0 at xi = 0, like PyTorch


ACTIVATIONS = {"sigmoid": (sigmoid, _sigmoid_prime), "relu": (relu, _relu_prime)}


def activation_pair(name):
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown activation {name!r}; choose from {list(ACTIVATIONS)}") from None
"""

HELPERS_MSE = '''\
def mse(theta, x, y):
    """Mean squared error of the line theta[0] + theta[1] * x against y, as a float."""
    e = np.polyval([theta[1], theta[0]], np.asarray(x, dtype=float)) - np.asarray(y, dtype=float)
    return float(np.mean(np.square(e)))


def mse_gradient(theta, x, y):
    """The gradient (dJ/dtheta0, dJ/dtheta1) of the MSE, shape (2,)."""
    x = np.asarray(x, dtype=float)
    e = np.polyval([theta[1], theta[0]], x) - np.asarray(y, dtype=float)
    return np.array([2 * np.mean(e), 2 * np.mean(e * x)], dtype=np.float64)
'''

HELPERS_GD = '''\
def gradient_descent(x, y, theta0, lr, target_loss, max_steps=10_000):
    """Full-batch gradient descent on the MSE until it is <= target_loss; returns (theta, steps)."""
    theta = np.asarray(theta0, dtype=float).copy()
    for steps in range(max_steps + 1):
        if steps == max_steps or mse(theta, x, y) <= target_loss:
            break
        theta = theta - lr * mse_gradient(theta, x, y)
    return theta, steps
'''

HELPERS_FORWARD = '''\
def mlp_forward(params, X, activation="sigmoid"):
    """Forward pass; returns (Y, cache) with cache = {"X": X, "Xi1": Xi1, "H": H}."""
    f, _ = activation_pair(activation)
    X = as_float_array(X)
    # the book's one-example form xi = W x + b, with the examples as the columns of X^T
    Xi1 = (np.matmul(as_float_array(params["W1"]), X.T) + as_float_array(params["b1"])[:, None]).T
    H = f(Xi1)
    Y = (np.matmul(as_float_array(params["W2"]), H.T) + as_float_array(params["b2"])[:, None]).T
    return Y, dict(X=X, Xi1=Xi1, H=H)
'''

HELPERS_BACKWARD = '''\
def mse_loss(Y, T):
    """Mean of (Y - T)**2 over all entries, as a float."""
    return float(np.mean((as_float_array(Y) - as_float_array(T)) ** 2))


def mlp_backward(params, cache, Y, T, activation="sigmoid"):
    """Gradients of mse_loss(Y, T) with respect to W1, b1, W2, b2, as a dict."""
    _, f_prime = activation_pair(activation)
    Y, T = as_float_array(Y), as_float_array(T)
    B, k = Y.shape
    delta2 = (2.0 / (B * k)) * (Y - T)
    delta1 = np.matmul(delta2, as_float_array(params["W2"])) * f_prime(cache["Xi1"])
    return {
        "W1": np.matmul(delta1.T, cache["X"]),
        "b1": delta1.sum(axis=0),
        "W2": np.matmul(delta2.T, cache["H"]),
        "b2": delta2.sum(axis=0),
    }
'''

HELPERS_GRADCHECK = '''\
def numerical_gradient(f, params, eps=1e-6):
    """Central differences of f with respect to every entry of every array in params."""
    out = {}
    for name in params:
        array = params[name]
        grad = np.zeros_like(array, dtype=np.float64)
        with np.nditer(array, flags=["multi_index"], op_flags=[["readwrite"]]) as it:
            for entry in it:
                original = entry.copy()
                entry[...] = original + eps
                f_plus = f(params)
                entry[...] = original - eps
                f_minus = f(params)
                entry[...] = original
                grad[it.multi_index] = (f_plus - f_minus) / (2.0 * eps)
        out[name] = grad
    return out


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||) over all entries of two gradient dicts; 0.0 when both are zero."""
    sq_diff = sum(float(np.sum((as_float_array(a[n]) - as_float_array(b[n])) ** 2)) for n in a)
    sq_a = sum(float(np.sum(as_float_array(a[n]) ** 2)) for n in a)
    sq_b = sum(float(np.sum(as_float_array(b[n]) ** 2)) for n in a)
    if sq_a == 0.0 and sq_b == 0.0:
        return 0.0
    return sq_diff**0.5 / (sq_a**0.5 + sq_b**0.5)


def gradient_check(f, params, analytic, eps=1e-6):
    """Relative error between the gradient dict analytic and central differences of f at params."""
    return relative_error(analytic, numerical_gradient(f, params, eps))
'''

HELPERS_TORCH = '''\
def torch_gradients(params, X, T, activation="sigmoid"):
    """The MSE loss and its gradients from torch.autograd, as float64 tensors on DEVICE."""
    if activation not in ("sigmoid", "relu"):
        raise ValueError(f"unknown activation {activation!r}")
    f = torch.sigmoid if activation == "sigmoid" else torch.relu

    def as_t(a):
        return torch.as_tensor(np.asarray(a, dtype=np.float64), device=DEVICE)

    W1, b1, W2, b2 = (
        torch.tensor(np.asarray(params[k], dtype=np.float64), dtype=torch.float64, device=DEVICE).requires_grad_(True)
        for k in ("W1", "b1", "W2", "b2")
    )
    Y = f(as_t(X).matmul(W1.mT).add(b1)).matmul(W2.mT).add(b2)
    diff = Y - as_t(T)
    loss = (diff * diff).sum() / diff.numel()
    loss.backward()
    grads = {"W1": W1.grad, "b1": b1.grad, "W2": W2.grad, "b2": b2.grad}
    return loss.detach(), {k: grads[k] for k in params}
'''

HELPERS_TRAIN = '''\
# Default changed (the text allows it): a wider hidden layer, 32 units.
def train_mlp(X, t, n_hidden=32, activation="relu", lr=0.1, epochs=3000, seed=0):
    """Full-batch gradient descent on the MSE; returns the trained params."""
    X = as_float_array(X)
    params = init_params(X.shape[1], n_hidden, 1, np.random.default_rng(seed))
    T = as_float_array(t).reshape(-1, 1)
    for _epoch in range(epochs):
        Y, cache = mlp_forward(params, X, activation)
        grads = mlp_backward(params, cache, Y, T, activation)
        params = {name: value - lr * grads[name] for name, value in params.items()}
    return params


def predict(params, X, activation="relu"):
    """Labels 0/1 (integers, shape (B,)): 1 where the output is above 0.5."""
    Y, _ = mlp_forward(params, X, activation)
    return (Y.reshape(-1) > 0.5).astype(np.int64)
'''

# ---------------------------------------------------------------------------------------------------------------
# 4. NumPy scalars: np.float64 results (a subclass of float), np.dot, recomputed sigmoid and np.heaviside for the
#    derivatives, itertools.product nudges, F.linear + nn.MSELoss, 24 hidden units and 4000 epochs, uint8 labels.
# ---------------------------------------------------------------------------------------------------------------

SCALARS_MSE = '''\
def mse(theta, x, y):
    """Mean squared error of the line theta[0] + theta[1] * x against y, as a float."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return np.mean((theta[0] + theta[1] * x - y) ** 2)  # np.float64 is a Python float


def mse_gradient(theta, x, y):
    """The gradient (dJ/dtheta0, dJ/dtheta1) of the MSE, shape (2,)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    e = theta[0] + theta[1] * x - y
    n = x.size
    return np.array([np.dot(e, np.ones(n)), np.dot(e, x)]) * (2.0 / n)
'''

SCALARS_GD = '''\
def gradient_descent(x, y, theta0, lr, target_loss, max_steps=10_000):
    """Full-batch gradient descent on the MSE until it is <= target_loss; returns (theta, steps)."""
    theta = np.copy(np.asarray(theta0, dtype=float))
    steps = 0
    while True:
        if mse(theta, x, y) <= target_loss or steps >= max_steps:
            return theta, steps
        theta = theta - lr * mse_gradient(theta, x, y)
        steps = steps + 1
'''

SCALARS_FORWARD = '''\
def mlp_forward(params, X, activation="sigmoid"):
    """Forward pass; returns (Y, cache) with cache = {"X": X, "Xi1": Xi1, "H": H}."""
    if activation not in ("sigmoid", "relu"):
        raise ValueError("activation must be 'sigmoid' or 'relu'")
    X = np.array(X, dtype=float)
    W1, W2 = np.asarray(params["W1"], dtype=float), np.asarray(params["W2"], dtype=float)
    Xi1 = np.dot(X, np.transpose(W1)) + np.asarray(params["b1"], dtype=float)[None, :]
    H = sigmoid(Xi1) if activation == "sigmoid" else relu(Xi1)
    Y = np.dot(H, np.transpose(W2)) + np.asarray(params["b2"], dtype=float)[None, :]
    cache = {"X": X, "Xi1": Xi1, "H": H}
    return Y, cache
'''

SCALARS_BACKWARD = '''\
def mse_loss(Y, T):
    """Mean of (Y - T)**2 over all entries, as a float."""
    return np.square(np.subtract(Y, T, dtype=float)).mean()  # an np.float64


def mlp_backward(params, cache, Y, T, activation="sigmoid"):
    """Gradients of mse_loss(Y, T) with respect to W1, b1, W2, b2, as a dict."""
    Xi1 = cache["Xi1"]
    if activation == "sigmoid":
        f_prime = sigmoid(Xi1) * (1.0 - sigmoid(Xi1))
    elif activation == "relu":
        f_prime = np.heaviside(Xi1, 0.0)  # the step function, 0 at 0
    else:
        raise ValueError("activation must be 'sigmoid' or 'relu'")
    error = np.subtract(Y, T, dtype=float)
    delta2 = 2.0 * error / error.size
    delta1 = np.dot(delta2, params["W2"]) * f_prime
    grads = {}
    grads["W2"] = np.dot(np.transpose(delta2), cache["H"])
    grads["b2"] = np.sum(delta2, axis=0)
    grads["W1"] = np.dot(np.transpose(delta1), cache["X"])
    grads["b1"] = np.sum(delta1, axis=0)
    return grads
'''

SCALARS_GRADCHECK = '''\
import itertools


def numerical_gradient(f, params, eps=1e-6):
    """Central differences of f with respect to every entry of every array in params."""
    result = {}
    for name, array in params.items():
        result[name] = np.zeros(array.shape)
        for index in itertools.product(*(range(size) for size in array.shape)):
            keep = array[index].copy()
            array[index] = keep + eps
            f_up = f(params)
            array[index] = keep - eps
            f_down = f(params)
            array[index] = keep
            result[name][index] = (f_up - f_down) / (2 * eps)
    return result


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||) over all entries of two gradient dicts; 0.0 when both are zero."""
    diff = np.sqrt(sum(np.sum(np.square(np.subtract(a[k], b[k], dtype=float))) for k in a))
    size = np.sqrt(sum(np.sum(np.square(np.asarray(a[k], dtype=float))) for k in a)) + np.sqrt(
        sum(np.sum(np.square(np.asarray(b[k], dtype=float))) for k in a)
    )
    return np.float64(0.0) if size == 0 else diff / size  # np.float64 values


def gradient_check(f, params, analytic, eps=1e-6):
    """Relative error between the gradient dict analytic and central differences of f at params."""
    return relative_error(numerical_gradient(f, params, eps), analytic)
'''

SCALARS_TORCH = '''\
import torch.nn.functional as F


def torch_gradients(params, X, T, activation="sigmoid"):
    """The MSE loss and its gradients from torch.autograd, as float64 tensors on DEVICE."""
    if activation == "sigmoid":
        act = torch.sigmoid
    elif activation == "relu":
        act = torch.relu
    else:
        raise ValueError("activation must be 'sigmoid' or 'relu'")
    tensors = {}
    for name in ("W1", "b1", "W2", "b2"):
        tensors[name] = torch.tensor(np.array(params[name], dtype=float), dtype=torch.float64, device=DEVICE, requires_grad=True)
    Xt = torch.tensor(np.array(X, dtype=float), dtype=torch.float64, device=DEVICE)
    Tt = torch.tensor(np.array(T, dtype=float), dtype=torch.float64, device=DEVICE)
    # F.linear(x, W, b) computes x W^T + b: the weights are stored (out, in), as F.linear expects
    H = act(F.linear(Xt, tensors["W1"], tensors["b1"]))
    Y = F.linear(H, tensors["W2"], tensors["b2"])
    loss = torch.nn.MSELoss()(Y, Tt)
    loss.backward()
    return loss.detach(), {name: tensors[name].grad for name in params}
'''

SCALARS_TRAIN = '''\
# Defaults changed (the text allows it): 24 hidden units, 4000 epochs.
def train_mlp(X, t, n_hidden=24, activation="relu", lr=0.1, epochs=4000, seed=0):
    """Full-batch gradient descent on the MSE; returns the trained params."""
    X = np.array(X, dtype=float)
    rng = np.random.default_rng(seed)
    params = init_params(X.shape[1], n_hidden, 1, rng)
    T = np.array(t, dtype=float).reshape(-1, 1)
    epoch = 0
    while epoch < epochs:
        Y, cache = mlp_forward(params, X, activation)
        grads = mlp_backward(params, cache, Y, T, activation)
        for name in ("W1", "b1", "W2", "b2"):
            params[name] = params[name] - lr * grads[name]
        epoch += 1
    return params


def predict(params, X, activation="relu"):
    """Labels 0/1 (integers, shape (B,)): 1 where the output is above 0.5."""
    Y, _ = mlp_forward(params, X, activation)
    return np.greater(Y[:, 0], 0.5).astype(np.uint8)
'''

ALTERNATIVES = [
    Alternative(
        name="loops_hidden_units",
        style="Python sums and floats, loops over hidden units, in-place nudges over np.ndindex, norms by hand",
        answers={
            "mse_gradient": LOOPS_MSE,
            "gradient_descent": LOOPS_GD,
            "mlp_forward": LOOPS_FORWARD,
            "mlp_backward": LOOPS_BACKWARD,
            "gradient_check": LOOPS_GRADCHECK,
            "torch_gradients": LOOPS_TORCH,
            "train_moons": LOOPS_TRAIN,
        },
    ),
    Alternative(
        name="einsum_copies",
        style="design matrix, einsum, differences on copies (params never written), addmm + F.mse_loss, int32",
        answers={
            "mse_gradient": MATRIX_MSE,
            "gradient_descent": MATRIX_GD,
            "mlp_forward": MATRIX_FORWARD,
            "mlp_backward": MATRIX_BACKWARD,
            "gradient_check": MATRIX_GRADCHECK,
            "torch_gradients": MATRIX_TORCH,
            "train_moons": MATRIX_TRAIN,
        },
    ),
    Alternative(
        name="helper_cell_polyval",
        style="own helper cell (activation, derivative pairs), polyval, range(max_steps + 1), nditer, 32 hidden units",
        answers={
            "mse_gradient": HELPERS_MSE,
            "gradient_descent": HELPERS_GD,
            "mlp_forward": HELPERS_FORWARD,
            "mlp_backward": HELPERS_BACKWARD,
            "gradient_check": HELPERS_GRADCHECK,
            "torch_gradients": HELPERS_TORCH,
            "train_moons": HELPERS_TRAIN,
        },
        extra_cells={"helpers": [HELPERS_CELL]},
    ),
    Alternative(
        name="numpy_scalars",
        style="np.float64 results, np.dot, heaviside derivative, itertools.product nudges, F.linear, uint8 labels",
        answers={
            "mse_gradient": SCALARS_MSE,
            "gradient_descent": SCALARS_GD,
            "mlp_forward": SCALARS_FORWARD,
            "mlp_backward": SCALARS_BACKWARD,
            "gradient_check": SCALARS_GRADCHECK,
            "torch_gradients": SCALARS_TORCH,
            "train_moons": SCALARS_TRAIN,
        },
    ),
]
