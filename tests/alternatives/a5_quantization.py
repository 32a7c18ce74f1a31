"""Independent correct solutions of A5 (int8 quantization from scratch), written from the student copy alone."""

from __future__ import annotations

from tests.alternatives import Alternative

# ---------------------------------------------------------------------------------------------------------------
# 1. numpy on the CPU for the arithmetic, results handed back as tensors on the input's device.
# ---------------------------------------------------------------------------------------------------------------

NUMPY_QUANTIZE = '''\
def _to_numpy32(t):
    """A float32 numpy copy of a tensor, wherever it lives."""
    return t.detach().cpu().numpy().astype(np.float32)


def quantize_per_tensor(x, alpha=None):
    """Symmetric int8 quantization with one scale: returns (q int8, scale 0-dim float32), with x ≈ scale * q."""
    xs = _to_numpy32(x)
    a = np.abs(xs).max() if alpha is None else float(alpha)  # float() reads a number or a 0-dim tensor
    scale = np.float32(np.float32(a) / np.float32(QMAX))
    if scale == 0:  # all zeros: 0 / 0 would be NaN, and any positive scale gives q = 0
        scale = np.float32(1.0)
    q = np.clip(np.rint(xs / scale), -QMAX, QMAX).astype(np.int8)  # np.rint rounds halves to even, like torch.round
    return torch.from_numpy(q).to(x.device), torch.tensor(scale, dtype=torch.float32, device=x.device)


def dequantize(q, scale):
    """The float32 values scale * q (scale may be one number or one per channel, broadcast against q)."""
    return torch.mul(q.to(torch.float32), torch.as_tensor(scale, dtype=torch.float32, device=q.device))
'''

NUMPY_PER_CHANNEL = '''\
def quantize_per_channel(w, axis=0):
    """Symmetric int8 quantization with one scale per index along `axis` (scale keeps w's dims, size 1 elsewhere)."""
    wn = _to_numpy32(w)
    keep = axis % wn.ndim
    others = tuple(d for d in range(wn.ndim) if d != keep)
    scale = (np.abs(wn).max(axis=others, keepdims=True) / np.float32(QMAX)).astype(np.float32)
    scale[scale == 0] = 1.0  # an all-zero channel
    q = np.clip(np.rint(wn / scale), -QMAX, QMAX).astype(np.int8)
    return torch.from_numpy(q).to(w.device), torch.from_numpy(scale).to(w.device)
'''

NUMPY_LINEAR = '''\
def int8_matmul(qx, qw):
    """Exact integer sums qx @ qw.T of int8 tensors (B, K) and (N, K), as int32 (B, N), on any device."""
    # Exact: numpy multiplies and adds int64 on the CPU. A sum of K products of at most 127 * 127 = 16,129 in
    # magnitude stays below 2^63 for any K that fits in memory, so nothing overflows or rounds; the result fits
    # int32 while K * 16,129 < 2^31 (K up to 133,144). Copying to the CPU and back works on every device.
    a = qx.cpu().numpy().astype(np.int64)
    b = qw.cpu().numpy().astype(np.int64)
    sums = a @ b.T
    return torch.from_numpy(sums.astype(np.int32)).to(qx.device)


def quantized_linear(x, weight, bias=None):
    """x @ weight.T + bias with int8 x (per tensor) and int8 weight (per output channel), int32 sums, fused dequantization."""
    qx, sx = quantize_per_tensor(x)
    qw, sw = quantize_per_channel(weight, axis=0)  # sw: (N, 1)
    acc = int8_matmul(qx, qw)  # (B, N) int32
    per_output = (sx * sw.reshape(-1)).to(torch.float32)  # s_x * s_w,i for each output i
    y = acc.to(torch.float32) * per_output
    return y if bias is None else y + bias.to(torch.float32)
'''

NUMPY_BOUND = '''\
def linear_error_bound(x, weight):
    """Worst-case |quantized_linear(x, weight, b) - (x @ weight.T + b)| for every sample and output, shape (B, N)."""
    sx = np.float32(quantize_per_tensor(x)[1].item())
    sw = quantize_per_channel(weight)[1].cpu().numpy().reshape(1, -1)  # (1, N)
    abs_x, abs_w = np.abs(_to_numpy32(x)), np.abs(_to_numpy32(weight))
    k = abs_x.shape[1]
    bound = (
        sx / 2 * abs_w.sum(axis=1)[np.newaxis, :]  # the input's rounding, through the weights
        + sw / 2 * abs_x.sum(axis=1)[:, np.newaxis]  # the weights' rounding, through the input
        + k * sx * sw / 4  # both at once
    )
    return torch.from_numpy(bound.astype(np.float32)).to(x.device)
'''

NUMPY_MEMORY = '''\
BYTES_PER_VALUE = {"fp32": 4, "int8_per_tensor": 1, "int8_per_channel": 1}  # the scales are float32: 4 bytes each


def weight_bytes(shape, scheme, axis=0):
    """Bytes to store a weight of `shape` as "fp32", "int8_per_tensor" or "int8_per_channel" (scales in float32)."""
    if scheme not in BYTES_PER_VALUE:
        raise ValueError(f"unknown scheme {scheme!r}")
    elements = np.prod(np.array(shape, dtype=np.int64))
    if scheme == "int8_per_channel":
        n_scales = shape[axis]
    else:
        n_scales = 1 if scheme == "int8_per_tensor" else 0
    return int(BYTES_PER_VALUE[scheme] * elements + 4 * n_scales)
'''

NUMPY_FAKE = '''\
class FakeQuantize(torch.autograd.Function):
    """Quantize and dequantize in the forward pass; the straight-through estimator in the backward pass."""

    @staticmethod
    def forward(ctx, x, scale):
        limit = QMAX * scale
        ctx.save_for_backward(x.abs() <= limit)  # the backward pass only needs where x is inside the range
        return scale * torch.clamp(torch.round(x / scale), -QMAX, QMAX)

    @staticmethod
    def backward(ctx, grad_output):
        (inside,) = ctx.saved_tensors
        return torch.where(inside, grad_output, torch.zeros_like(grad_output)), None


def fake_quantize(x, scale):
    """Fake int8 quantization with a straight-through gradient."""
    return FakeQuantize.apply(x, torch.as_tensor(scale, dtype=x.dtype, device=x.device))
'''

# ---------------------------------------------------------------------------------------------------------------
# 2. Loops: one channel at a time through Part 1, float32 products in exact chunks, the bound output by output.
# ---------------------------------------------------------------------------------------------------------------

LOOPS_QUANTIZE = '''\
def quantize_per_tensor(x, alpha=None):
    """Symmetric int8 quantization with one scale: returns (q int8, scale 0-dim float32), with x ≈ scale * q."""
    if alpha is None:
        alpha = x.abs().max()
    alpha = torch.tensor(float(alpha), dtype=torch.float32, device=x.device)
    if alpha.item() == 0.0:
        scale = torch.tensor(1.0, dtype=torch.float32, device=x.device)
    else:
        scale = alpha / QMAX
    steps = torch.round(x / scale)
    q = torch.minimum(torch.maximum(steps, torch.tensor(-127.0, device=x.device)), torch.tensor(127.0, device=x.device))
    return q.to(torch.int8), scale


def dequantize(q, scale):
    """The float32 values scale * q (scale may be one number or one per channel, broadcast against q)."""
    return (scale * q.float()).float()
'''

LOOPS_PER_CHANNEL = '''\
def quantize_per_channel(w, axis=0):
    """Symmetric int8 quantization with one scale per index along `axis` (scale keeps w's dims, size 1 elsewhere)."""
    axis = axis % w.dim()
    qs, scales = [], []
    for i in range(w.shape[axis]):  # each channel is a tensor of its own, quantized as in Part 1
        q_i, s_i = quantize_per_tensor(w.select(axis, i))
        qs.append(q_i)
        scales.append(s_i)
    shape = [w.shape[d] if d == axis else 1 for d in range(w.dim())]
    return torch.stack(qs, dim=axis), torch.stack(scales).reshape(shape)
'''

LOOPS_LINEAR = '''\
CHUNK = 1024  # products per float32 partial sum


def int8_matmul(qx, qw):
    """Exact integer sums qx @ qw.T of int8 tensors (B, K) and (N, K), as int32 (B, N), on any device."""
    # Why it is exact: float32 holds every integer up to 2^24 = 16,777,216. A chunk of at most 1,024 products of
    # int8 values in [-127, 127] has partial sums of at most 1,024 * 16,129 = 16,516,096 < 2^24 in magnitude, so
    # the float32 matmul of one chunk only ever adds integers it represents exactly, in whatever order. The chunk
    # results (integers) are then added in int64, which cannot overflow here. Float matmul exists on every device.
    total = torch.zeros(qx.shape[0], qw.shape[0], dtype=torch.int64, device=qx.device)
    for start in range(0, qx.shape[1], CHUNK):
        a = qx[:, start : start + CHUNK].to(torch.float32)
        b = qw[:, start : start + CHUNK].to(torch.float32)
        total += (a @ b.T).to(torch.int64)
    return total.to(torch.int32)


def quantized_linear(x, weight, bias=None):
    """x @ weight.T + bias with int8 x (per tensor) and int8 weight (per output channel), int32 sums, fused dequantization."""
    qx, sx = quantize_per_tensor(x)
    qw, sw = quantize_per_channel(weight, axis=0)
    sums = int8_matmul(qx, qw)
    out = torch.empty(sums.shape, dtype=torch.float32, device=x.device)
    for i in range(sums.shape[1]):  # dequantize output by output: s_x * s_w,i times the integer sums
        out[:, i] = sums[:, i].to(torch.float32) * (sx * sw[i, 0])
        if bias is not None:
            out[:, i] += bias[i]
    return out
'''

LOOPS_BOUND = '''\
def linear_error_bound(x, weight):
    """Worst-case |quantized_linear(x, weight, b) - (x @ weight.T + b)| for every sample and output, shape (B, N)."""
    _, sx = quantize_per_tensor(x)
    _, sw = quantize_per_channel(weight)
    n_samples, k = x.shape
    n_outputs = weight.shape[0]
    x_l1 = x.abs().sum(dim=1)  # sum_k |x_bk| for each sample
    bound = torch.empty(n_samples, n_outputs, dtype=torch.float32, device=x.device)
    for i in range(n_outputs):
        s_wi = sw[i, 0]
        w_l1 = weight[i].abs().sum()
        bound[:, i] = sx / 2 * w_l1 + s_wi / 2 * x_l1 + k * sx * s_wi / 4
    return bound
'''

LOOPS_MEMORY = '''\
def weight_bytes(shape, scheme, axis=0):
    """Bytes to store a weight of `shape` as "fp32", "int8_per_tensor" or "int8_per_channel" (scales in float32)."""
    n = 1
    for size in shape:
        n *= int(size)
    if scheme == "fp32":
        return n * 4
    elif scheme == "int8_per_tensor":
        return n * 1 + 4
    elif scheme == "int8_per_channel":
        return n * 1 + 4 * int(shape[axis])
    else:
        raise ValueError(f"scheme must be fp32, int8_per_tensor or int8_per_channel, not {scheme!r}")
'''

LOOPS_FAKE = '''\
class FakeQuantize(torch.autograd.Function):
    """Quantize and dequantize in the forward pass; the straight-through estimator in the backward pass."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x, scale)
        q = torch.clamp(torch.round(x / scale), min=-127, max=127)
        return q * scale

    @staticmethod
    def backward(ctx, grad_output):
        x, scale = ctx.saved_tensors
        lower, upper = -127 * scale, 127 * scale
        passes = (x >= lower) & (x <= upper)  # the boundary counts as inside
        return grad_output * passes.to(grad_output.dtype), None


def fake_quantize(x, scale):
    """Fake int8 quantization with a straight-through gradient."""
    return FakeQuantize.apply(x, torch.as_tensor(scale, dtype=x.dtype, device=x.device))
'''

# ---------------------------------------------------------------------------------------------------------------
# 3. Integer broadcasting: int64 products summed exactly, movedim/flatten for the channels, torch.where for zeros.
# ---------------------------------------------------------------------------------------------------------------

INT64_QUANTIZE = '''\
def quantize_per_tensor(x, alpha=None):
    """Symmetric int8 quantization with one scale: returns (q int8, scale 0-dim float32), with x ≈ scale * q."""
    alpha = x.abs().amax() if alpha is None else alpha
    alpha = torch.as_tensor(alpha, device=x.device).to(torch.float32).reshape(())
    one = torch.ones((), dtype=torch.float32, device=x.device)
    scale = torch.where(alpha > 0, alpha / 127, one)
    q = (x / scale).round().clamp(-127, 127).to(torch.int8)
    return q, scale


def dequantize(q, scale):
    """The float32 values scale * q (scale may be one number or one per channel, broadcast against q)."""
    return q.to(torch.float32).mul(scale).to(torch.float32)
'''

INT64_PER_CHANNEL = '''\
def quantize_per_channel(w, axis=0):
    """Symmetric int8 quantization with one scale per index along `axis` (scale keeps w's dims, size 1 elsewhere)."""
    axis = axis if axis >= 0 else axis + w.dim()
    rows = w.movedim(axis, 0).reshape(w.shape[axis], -1)  # one row per channel
    largest = rows.abs().max(dim=1).values
    scale = torch.where(largest > 0, largest / 127, torch.ones_like(largest))
    scale = scale.reshape([-1 if d == axis else 1 for d in range(w.dim())])
    q = (w / scale).round().clamp(-127, 127).to(torch.int8)
    return q, scale
'''

INT64_LINEAR = '''\
def int8_matmul(qx, qw):
    """Exact integer sums qx @ qw.T of int8 tensors (B, K) and (N, K), as int32 (B, N), on any device."""
    # Exact because no float is involved: every product qx[b, k] * qw[i, k] is formed in int64 by broadcasting
    # (B, 1, K) against (1, N, K), and the sum over k runs in int64. |sum| <= K * 127^2 is far below 2^63, so it
    # cannot overflow, and the final int32 holds it for K up to 133,144. Elementwise integer multiplication and
    # integer sums are implemented on every device, unlike integer matmul on CUDA.
    products = qx.to(torch.int64).unsqueeze(1) * qw.to(torch.int64).unsqueeze(0)
    return products.sum(dim=-1).to(torch.int32)


def quantized_linear(x, weight, bias=None):
    """x @ weight.T + bias with int8 x (per tensor) and int8 weight (per output channel), int32 sums, fused dequantization."""
    q_x, s_x = quantize_per_tensor(x)
    q_w, s_w = quantize_per_channel(weight)
    y = int8_matmul(q_x, q_w).to(torch.float32) * s_x * s_w.T  # (B, N) * () * (1, N), all float32
    if bias is not None:
        y = y + bias
    return y
'''

INT64_BOUND = '''\
def linear_error_bound(x, weight):
    """Worst-case |quantized_linear(x, weight, b) - (x @ weight.T + b)| for every sample and output, shape (B, N)."""
    s_x = quantize_per_tensor(x)[1]
    s_w = quantize_per_channel(weight)[1].flatten()  # (N,)
    half_x, half_w = s_x / 2, s_w / 2
    term_input = half_x * weight.abs().sum(dim=1)  # (N,): the input's rounding errors through |W|
    term_weight = torch.outer(x.abs().sum(dim=1), half_w)  # (B, N): the weights' rounding errors through |x|
    term_both = x.shape[1] * half_x * half_w  # (N,): K products of two half-steps
    return (term_weight + term_input + term_both).to(torch.float32)
'''

INT64_MEMORY = '''\
def weight_bytes(shape, scheme, axis=0):
    """Bytes to store a weight of `shape` as "fp32", "int8_per_tensor" or "int8_per_channel" (scales in float32)."""
    count = torch.Size(shape).numel()
    fp32, int8 = 4, 1
    if scheme == "fp32":
        return fp32 * count
    if scheme == "int8_per_tensor":
        n_scales = 1
    elif scheme == "int8_per_channel":
        n_scales = list(shape)[axis]
    else:
        raise ValueError(scheme)
    return int8 * count + fp32 * n_scales
'''

INT64_FAKE = '''\
class FakeQuantize(torch.autograd.Function):
    """Quantize and dequantize in the forward pass; the straight-through estimator in the backward pass."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x, scale)
        q = (x / scale).round().clamp(-QMAX, QMAX).to(torch.int8)  # the int8 values a deployed model would store
        return dequantize(q, scale).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_output):
        x, scale = ctx.saved_tensors
        grad_x = grad_output.clone()
        grad_x[(x.abs() > QMAX * scale).expand_as(grad_x)] = 0  # clamped: flat, so no gradient
        return grad_x, None


def fake_quantize(x, scale):
    """Fake int8 quantization with a straight-through gradient."""
    return FakeQuantize.apply(x, torch.as_tensor(scale, dtype=x.dtype, device=x.device))
'''

# ---------------------------------------------------------------------------------------------------------------
# 4. float64 einsum for the integer sums, amax over a list of axes, the bound as a sum of outer products.
# ---------------------------------------------------------------------------------------------------------------

EINSUM_QUANTIZE = '''\
def quantize_per_tensor(x, alpha=None):
    """Symmetric int8 quantization with one scale: returns (q int8, scale 0-dim float32), with x ≈ scale * q."""
    if alpha is None:
        a = x.detach().abs().max().to(torch.float32)
    elif torch.is_tensor(alpha):
        a = alpha.detach().to(device=x.device, dtype=torch.float32).reshape(())
    else:
        a = torch.tensor(alpha, dtype=torch.float32, device=x.device)
    scale = a.div(QMAX) if a.item() != 0 else torch.ones((), dtype=torch.float32, device=x.device)
    q = torch.clamp(torch.round(x.div(scale)), min=-QMAX, max=QMAX).type(torch.int8)
    return q, scale


def dequantize(q, scale):
    """The float32 values scale * q (scale may be one number or one per channel, broadcast against q)."""
    return (q.type(torch.float32) * scale).type(torch.float32)
'''

EINSUM_PER_CHANNEL = '''\
def quantize_per_channel(w, axis=0):
    """Symmetric int8 quantization with one scale per index along `axis` (scale keeps w's dims, size 1 elsewhere)."""
    ndim = w.dim()
    other_axes = [d for d in range(ndim) if d != axis and d != axis + ndim]
    alpha = torch.amax(w.abs(), dim=other_axes, keepdim=True)
    scale = alpha / QMAX
    scale[alpha == 0] = 1.0  # all-zero channels
    q = torch.clamp(torch.round(w / scale), -QMAX, QMAX).type(torch.int8)
    return q, scale
'''

EINSUM_LINEAR = '''\
def int8_matmul(qx, qw):
    """Exact integer sums qx @ qw.T of int8 tensors (B, K) and (N, K), as int32 (B, N), on any device."""
    # float64 has a 53-bit significand, so it represents every integer up to 2^53 ~ 9.0e15 exactly. Each product
    # is at most 127^2 = 16,129 in magnitude and every partial sum at most K * 16,129, i.e. below 2^53 for any
    # K < 5.5e11: each addition is an addition of exact integers with an exact integer result, so no rounding
    # happens in any order the device sums. CUDA and CPU both have float64 einsum/matmul.
    sums = torch.einsum("bk,nk->bn", qx.to(torch.float64), qw.to(torch.float64))
    return sums.to(torch.int32)  # already whole numbers: the conversion only changes the type
'''

EINSUM_LINEAR_Q = '''\


def quantized_linear(x, weight, bias=None):
    """x @ weight.T + bias with int8 x (per tensor) and int8 weight (per output channel), int32 sums, fused dequantization."""
    qx, sx = quantize_per_tensor(x)
    qw, sw = quantize_per_channel(weight, axis=0)
    scales = torch.einsum("n,->n", sw.reshape(-1), sx)  # s_x * s_w,i in float32, one per output
    y = torch.einsum("bn,n->bn", int8_matmul(qx, qw).float(), scales)
    return y + bias.float() if bias is not None else y
'''

EINSUM_BOUND = '''\
def linear_error_bound(x, weight):
    """Worst-case |quantized_linear(x, weight, b) - (x @ weight.T + b)| for every sample and output, shape (B, N)."""
    sx = quantize_per_tensor(x)[1]
    sw = quantize_per_channel(weight, axis=0)[1].reshape(-1)  # (N,)
    k = weight.shape[1]
    ones_b = torch.ones(x.shape[0], dtype=torch.float32, device=x.device)
    ones_n = torch.ones(weight.shape[0], dtype=torch.float32, device=x.device)
    w_l1 = weight.abs().sum(dim=1)  # (N,)
    x_l1 = x.abs().sum(dim=1)  # (B,)
    # three outer products: every term of the bound written as (a function of b) x (a function of i)
    bound = torch.outer(ones_b, sx * w_l1 / 2) + torch.outer(x_l1, sw / 2) + torch.outer(ones_b, k * sx * sw / 4)
    return bound.float()
'''

EINSUM_MEMORY = '''\
import math


def weight_bytes(shape, scheme, axis=0):
    """Bytes to store a weight of `shape` as "fp32", "int8_per_tensor" or "int8_per_channel" (scales in float32)."""
    n_scales = {"int8_per_tensor": lambda: 1, "int8_per_channel": lambda: shape[axis]}
    if scheme == "fp32":
        return 4 * math.prod(shape)
    if scheme not in n_scales:
        raise ValueError(f"unknown quantization scheme: {scheme}")
    return math.prod(shape) + 4 * n_scales[scheme]()
'''

EINSUM_FAKE = '''\
class FakeQuantize(torch.autograd.Function):
    """Quantize and dequantize in the forward pass; the straight-through estimator in the backward pass."""

    @staticmethod
    def forward(ctx, x, scale):
        steps = (x / scale).round().clamp(-QMAX, QMAX)
        mask = (x.abs() <= QMAX * scale).to(x.dtype)  # 1 inside the clipping range (boundary included), else 0
        ctx.save_for_backward(mask)
        return steps * scale

    @staticmethod
    def backward(ctx, grad_output):
        (mask,) = ctx.saved_tensors
        return grad_output * mask, None


def fake_quantize(x, scale):
    """Fake int8 quantization with a straight-through gradient."""
    return FakeQuantize.apply(x, torch.as_tensor(scale, dtype=x.dtype, device=x.device))
'''

ALTERNATIVES = [
    Alternative(
        name="numpy_cpu",
        style="numpy float32/int64 on the CPU for every computation, tensors handed back on the input's device",
        answers={
            "quantize": NUMPY_QUANTIZE,
            "per_channel": NUMPY_PER_CHANNEL,
            "int8_linear": NUMPY_LINEAR,
            "error_bound": NUMPY_BOUND,
            "memory": NUMPY_MEMORY,
            "fake_quant": NUMPY_FAKE,
        },
    ),
    Alternative(
        name="slice_loops",
        style="channels one by one through Part 1, exact float32 chunks of 1,024 products, loops over outputs",
        answers={
            "quantize": LOOPS_QUANTIZE,
            "per_channel": LOOPS_PER_CHANNEL,
            "int8_linear": LOOPS_LINEAR,
            "error_bound": LOOPS_BOUND,
            "memory": LOOPS_MEMORY,
            "fake_quant": LOOPS_FAKE,
        },
    ),
    Alternative(
        name="int64_broadcast",
        style="int64 broadcast products summed exactly, movedim/flatten channels, torch.where for the zero case",
        answers={
            "quantize": INT64_QUANTIZE,
            "per_channel": INT64_PER_CHANNEL,
            "int8_linear": INT64_LINEAR,
            "error_bound": INT64_BOUND,
            "memory": INT64_MEMORY,
            "fake_quant": INT64_FAKE,
        },
    ),
    Alternative(
        name="einsum_float64",
        style="float64 einsum for the sums, amax over listed axes, bound as outer products, mask saved in forward",
        answers={
            "quantize": EINSUM_QUANTIZE,
            "per_channel": EINSUM_PER_CHANNEL,
            "int8_linear": EINSUM_LINEAR + EINSUM_LINEAR_Q,
            "error_bound": EINSUM_BOUND,
            "memory": EINSUM_MEMORY,
            "fake_quant": EINSUM_FAKE,
        },
    ),
]
