"""Independent correct solutions of A3 (hardware), written from the student copy alone."""

from __future__ import annotations

from tests.alternatives import Alternative

# ---------------------------------------------------------------------------------------------------------------
# 1. Exact arithmetic and loops: a convolution counted as the matmul of its unfolded input (im2col), intensity
#    and Amdahl in fractions.Fraction, the roofline element by element, a median taken by hand.
# ---------------------------------------------------------------------------------------------------------------

EXACT_FLOPS = '''\
def matmul_flops(n, k, m):
    """FLOPs of an (n x k) @ (k x m) matrix product."""
    return 2 * int(n) * int(k) * int(m)


def linear_flops(batch, in_features, out_features, bias=True):
    """FLOPs of nn.Linear(in_features, out_features) on a batch of inputs."""
    flops = matmul_flops(batch, in_features, out_features)
    if bias:
        flops += int(batch) * int(out_features)
    return flops


def conv2d_flops(batch, in_channels, out_channels, height, width, kernel_size, stride=1, padding=0, bias=True):
    """FLOPs of nn.Conv2d (square kernel, equal stride and padding) on a (batch, C_in, H, W) input."""
    h_out = (height + 2 * padding - kernel_size) // stride + 1
    w_out = (width + 2 * padding - kernel_size) // stride + 1
    positions = batch * h_out * w_out
    # im2col: every output position is a row of length C_in * k * k, multiplied by a (C_in k k) x C_out matrix
    return linear_flops(positions, in_channels * kernel_size * kernel_size, out_channels, bias=bias)
'''

EXACT_INTENSITY = '''\
from fractions import Fraction


def matmul_intensity(m, k, n, bytes_per_element=2):
    """FLOP per byte of an (m x k) @ (k x n) matmul that reads A, B and writes C once."""
    flops = Fraction(2 * m * k * n)
    moved = Fraction(bytes_per_element) * (m * k + k * n + m * n)
    return float(flops / moved)


def ridge_point(peak_flops, bandwidth):
    """The intensity (FLOP/byte) where the roofline turns from memory- to compute-bound."""
    return float(Fraction(peak_flops) / Fraction(bandwidth))


def bound_by(intensity, peak_flops, bandwidth):
    """'memory' below the ridge point, 'compute' at or above it."""
    if intensity < ridge_point(peak_flops, bandwidth):
        return "memory"
    return "compute"
'''

EXACT_ROOFLINE = '''\
def attainable_flops(intensity, peak_flops, bandwidth):
    """Roofline bound min(P, I * beta) in FLOP/s; works element-wise on numpy arrays."""
    if np.ndim(intensity) == 0:
        return min(float(peak_flops), float(intensity) * bandwidth)
    values = np.asarray(intensity, dtype=float)
    out = np.empty(values.shape)
    for index, i in np.ndenumerate(values):
        out[index] = min(float(peak_flops), i * bandwidth)
    return out


def roofline_time(flops, bytes_moved, peak_flops, bandwidth):
    """Lower bound on the run time in seconds: the slower of computing and moving the data."""
    compute, memory = flops / peak_flops, bytes_moved / bandwidth
    return compute if compute >= memory else memory
'''

EXACT_AMDAHL = '''\
def amdahl_speedup(p, s):
    """Overall speedup when a fraction p of the run time runs s times faster."""
    p = Fraction(p)
    sped_up = Fraction(0) if math.isinf(s) else p / Fraction(s)
    time_left = (1 - p) + sped_up
    if time_left == 0:
        return math.inf
    return float(1 / time_left)


def required_fraction(S, s):
    """The fraction p that yields overall speedup S; ValueError if no p in [0, 1] does."""
    if s <= 1:
        raise ValueError(f"the part must run faster (s > 1), got s = {s}")
    if S < 1:
        raise ValueError(f"a speedup below 1 needs p < 0, got S = {S}")
    if S > s:
        raise ValueError(f"even p = 1 gives only {s}x, asked for {S}x")
    inverse_s = Fraction(0) if math.isinf(s) else 1 / Fraction(s)
    if math.isinf(S):  # only reachable with s = inf: p = 1
        return 1.0
    return float((1 - 1 / Fraction(S)) / (1 - inverse_s))
'''

EXACT_TIMING = '''\
def time_function(fn, warmup=3, repeat=10, device=DEVICE, clock=time.perf_counter):
    """Median seconds of one call fn(), after warm-up, synchronising CUDA devices before each clock read."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    on_cuda = torch.device(device).type == "cuda"
    for _ in range(warmup):
        fn()
    if on_cuda:
        torch.cuda.synchronize()
    durations = []
    for _ in range(repeat):
        start = clock()
        fn()
        if on_cuda:
            torch.cuda.synchronize()
        durations.append(clock() - start)
    durations.sort()
    middle = len(durations) // 2
    if len(durations) % 2 == 1:
        return float(durations[middle])
    return float((durations[middle - 1] + durations[middle]) / 2)
'''

EXACT_BENCHMARK = '''\
def matmul_gflops(n, dtype=torch.float32, device=DEVICE, warmup=2, repeat=5, timer=None):
    """GFLOP/s of an (n x n) @ (n x n) matmul on device, timed with timer (default: time_function)."""
    timer = time_function if timer is None else timer
    a = torch.randn(n, n, dtype=dtype, device=device)
    b = torch.randn(n, n, dtype=dtype, device=device)
    seconds = timer(lambda: a @ b, warmup=warmup, repeat=repeat, device=device)
    return float(Fraction(2 * n**3) / Fraction(seconds) / 10**9)
'''

# ---------------------------------------------------------------------------------------------------------------
# 2. NumPy everywhere: products with np.prod, np.where for the roofline, Amdahl's inverse as (S-1)s / (S(s-1)),
#    np.median, a synchronize before every clock read, functools.partial for the timed call.
# ---------------------------------------------------------------------------------------------------------------

NUMPY_FLOPS = '''\
def matmul_flops(n, k, m):
    """FLOPs of an (n x k) @ (k x m) matrix product."""
    return int(np.prod([2, n, k, m], dtype=np.int64))


def linear_flops(batch, in_features, out_features, bias=True):
    """FLOPs of nn.Linear(in_features, out_features) on a batch of inputs."""
    per_output = 2 * in_features + (1 if bias else 0)  # in_features multiply-adds, then one bias addition
    return int(np.prod([batch, out_features, per_output], dtype=np.int64))


def conv2d_flops(batch, in_channels, out_channels, height, width, kernel_size, stride=1, padding=0, bias=True):
    """FLOPs of nn.Conv2d (square kernel, equal stride and padding) on a (batch, C_in, H, W) input."""
    h_out, w_out = np.floor_divide(np.array([height, width]) + 2 * padding - kernel_size, stride) + 1
    outputs = np.prod([batch, out_channels, h_out, w_out], dtype=np.int64)
    per_output = 2 * in_channels * kernel_size**2 + (1 if bias else 0)
    return int(outputs * per_output)
'''

NUMPY_INTENSITY = '''\
def matmul_intensity(m, k, n, bytes_per_element=2):
    """FLOP per byte of an (m x k) @ (k x n) matmul that reads A, B and writes C once."""
    elements = np.array([m * k, k * n, m * n], dtype=np.float64)
    return float(2.0 * m * k * n / (bytes_per_element * elements.sum()))


def ridge_point(peak_flops, bandwidth):
    """The intensity (FLOP/byte) where the roofline turns from memory- to compute-bound."""
    return float(np.divide(peak_flops, bandwidth))


def bound_by(intensity, peak_flops, bandwidth):
    """'memory' below the ridge point, 'compute' at or above it."""
    return str(np.where(intensity >= ridge_point(peak_flops, bandwidth), "compute", "memory"))
'''

NUMPY_ROOFLINE = '''\
def attainable_flops(intensity, peak_flops, bandwidth):
    """Roofline bound min(P, I * beta) in FLOP/s; works element-wise on numpy arrays."""
    i = np.asarray(intensity, dtype=np.float64)
    out = np.where(i * bandwidth < peak_flops, i * bandwidth, float(peak_flops))
    return out[()]  # an np.float64 for a single intensity, an array of the same shape for an array


def roofline_time(flops, bytes_moved, peak_flops, bandwidth):
    """Lower bound on the run time in seconds: the slower of computing and moving the data."""
    return float(np.max([flops / peak_flops, bytes_moved / bandwidth]))
'''

NUMPY_AMDAHL = '''\
def amdahl_speedup(p, s):
    """Overall speedup when a fraction p of the run time runs s times faster."""
    serial = 1.0 - p
    parallel = 0.0 if s == math.inf else p / s
    if serial + parallel == 0.0:  # p = 1 and s = inf: no time left at all
        return math.inf
    return float(np.reciprocal(serial + parallel))


def required_fraction(S, s):
    """The fraction p that yields overall speedup S; ValueError if no p in [0, 1] does."""
    if not (s > 1 and 1 <= S <= s):
        raise ValueError(f"no fraction p in [0, 1] gives S = {S} with s = {s}")
    if s == math.inf:
        return 1.0 - 1.0 / S
    # 1/S = 1 - p + p/s  <=>  p (s - 1) / s = (S - 1) / S  <=>  p = (S - 1) s / (S (s - 1))
    return (S - 1) * s / (S * (s - 1))
'''

NUMPY_TIMING = '''\
def time_function(fn, warmup=3, repeat=10, device=DEVICE, clock=time.perf_counter):
    """Median seconds of one call fn(), after warm-up, synchronising CUDA devices before each clock read."""
    if repeat < 1:
        raise ValueError("repeat must be >= 1")
    cuda = torch.device(device).type == "cuda"

    def read_clock():
        # wait for the device before every single clock read: after the warm-up and after each timed call
        if cuda:
            torch.cuda.synchronize()
        return clock()

    for _ in range(warmup):
        fn()
    times = np.zeros(repeat)
    for r in range(repeat):
        t0 = read_clock()
        fn()
        times[r] = read_clock() - t0
    return float(np.median(times))
'''

NUMPY_BENCHMARK = '''\
import functools


def matmul_gflops(n, dtype=torch.float32, device=DEVICE, warmup=2, repeat=5, timer=None):
    """GFLOP/s of an (n x n) @ (n x n) matmul on device, timed with timer (default: time_function)."""
    timer = time_function if timer is None else timer
    a, b = (torch.randn((n, n), dtype=dtype, device=device) for _ in range(2))
    t = timer(functools.partial(torch.matmul, a, b), warmup=warmup, repeat=repeat, device=device)
    return float(np.float64(2 * n**3) / t / 1e9)
'''

# ---------------------------------------------------------------------------------------------------------------
# 3. Helpers of the student's own in an extra cell (output size, is-CUDA test), statistics.median, np.clip.
# ---------------------------------------------------------------------------------------------------------------

HELPERS_CELL = '''\
# My helpers, used in Parts 1 and 5.
import statistics


def conv_output_size(size, kernel_size, stride=1, padding=0):
    """Output length of a convolution along one axis: floor((size + 2p - k) / s) + 1."""
    return math.floor((size + 2 * padding - kernel_size) / stride) + 1


def is_cuda(device):
    """True for torch.device("cuda"), "cuda", "cuda:1", ...; False for "cpu", "meta", "mps"."""
    return torch.device(device).type == "cuda"
'''

HELPERS_FLOPS = '''\
def matmul_flops(n, k, m):
    """FLOPs of an (n x k) @ (k x m) matrix product."""
    dot_products, length = n * m, k
    return dot_products * (2 * length)


def linear_flops(batch, in_features, out_features, bias=True):
    """FLOPs of nn.Linear(in_features, out_features) on a batch of inputs."""
    return matmul_flops(batch, in_features, out_features) + (batch * out_features if bias else 0)


def conv2d_flops(batch, in_channels, out_channels, height, width, kernel_size, stride=1, padding=0, bias=True):
    """FLOPs of nn.Conv2d (square kernel, equal stride and padding) on a (batch, C_in, H, W) input."""
    h_out = conv_output_size(height, kernel_size, stride, padding)
    w_out = conv_output_size(width, kernel_size, stride, padding)
    outputs = batch * out_channels * h_out * w_out
    total = outputs * 2 * in_channels * kernel_size * kernel_size
    if bias:
        total = total + outputs
    return total
'''

HELPERS_INTENSITY = '''\
def matmul_intensity(m, k, n, bytes_per_element=2):
    """FLOP per byte of an (m x k) @ (k x n) matmul that reads A, B and writes C once."""
    bytes_moved = bytes_per_element * (m * k + k * n + m * n)
    return matmul_flops(m, k, n) / bytes_moved


def ridge_point(peak_flops, bandwidth):
    """The intensity (FLOP/byte) where the roofline turns from memory- to compute-bound."""
    return peak_flops / bandwidth


def bound_by(intensity, peak_flops, bandwidth):
    """'memory' below the ridge point, 'compute' at or above it."""
    return {True: "compute", False: "memory"}[bool(intensity >= ridge_point(peak_flops, bandwidth))]
'''

HELPERS_ROOFLINE = '''\
def attainable_flops(intensity, peak_flops, bandwidth):
    """Roofline bound min(P, I * beta) in FLOP/s; works element-wise on numpy arrays."""
    bound = np.clip(np.multiply(intensity, bandwidth), None, peak_flops)
    return float(bound) if np.ndim(bound) == 0 else bound


def roofline_time(flops, bytes_moved, peak_flops, bandwidth):
    """Lower bound on the run time in seconds: the slower of computing and moving the data."""
    return max(flops / peak_flops, bytes_moved / bandwidth)
'''

HELPERS_AMDAHL = '''\
def amdahl_speedup(p, s):
    """Overall speedup when a fraction p of the run time runs s times faster."""
    new_time = (1 - p) + (p / s if math.isfinite(s) else 0.0)
    return 1 / new_time if new_time > 0 else math.inf


def required_fraction(S, s):
    """The fraction p that yields overall speedup S; ValueError if no p in [0, 1] does."""
    if s <= 1 or S < 1 or S > s:
        raise ValueError(f"no p in [0, 1] reaches an overall speedup of {S} when the part runs {s}x faster")
    # 1/S = 1 - p (1 - 1/s)
    gain_per_unit = 1 - (1 / s if math.isfinite(s) else 0.0)
    return (1 - 1 / S) / gain_per_unit
'''

HELPERS_TIMING = '''\
def time_function(fn, warmup=3, repeat=10, device=DEVICE, clock=time.perf_counter):
    """Median seconds of one call fn(), after warm-up, synchronising CUDA devices before each clock read."""
    if repeat < 1:
        raise ValueError("need at least one timed call")
    sync = is_cuda(device)
    for _ in range(warmup):
        fn()
    if sync:
        torch.cuda.synchronize(device)

    def timed_call():
        begin = clock()
        fn()
        if sync:
            torch.cuda.synchronize(device)
        return clock() - begin

    return float(statistics.median([timed_call() for _ in range(repeat)]))
'''

HELPERS_BENCHMARK = '''\
def matmul_gflops(n, dtype=torch.float32, device=DEVICE, warmup=2, repeat=5, timer=None):
    """GFLOP/s of an (n x n) @ (n x n) matmul on device, timed with timer (default: time_function)."""
    timer = time_function if timer is None else timer
    a = torch.randn(n, n, dtype=dtype, device=device)
    b = torch.randn(n, n, dtype=dtype, device=device)

    def product():
        return a.matmul(b)

    seconds = timer(product, warmup=warmup, repeat=repeat, device=device)
    return 2 * n**3 / seconds * 1e-9
'''

# ---------------------------------------------------------------------------------------------------------------
# 4. Let PyTorch count: FlopCounterMode on data-free meta tensors (plus the bias by hand), Amdahl in other but
#    equivalent forms, np.percentile for the median, the benchmark reusing Part 1's matmul_flops.
# ---------------------------------------------------------------------------------------------------------------

COUNTER_FLOPS = '''\
from torch.utils.flop_counter import FlopCounterMode


def _count(op, *shapes, **kwargs):
    """FLOPs that PyTorch counts for op on meta tensors of these shapes (nothing is computed)."""
    tensors = [torch.empty(shape, device="meta") for shape in shapes]
    with FlopCounterMode(display=False) as counter:
        op(*tensors, **kwargs)
    return int(counter.get_total_flops())


def matmul_flops(n, k, m):
    """FLOPs of an (n x k) @ (k x m) matrix product."""
    return _count(torch.matmul, (n, k), (k, m))


def linear_flops(batch, in_features, out_features, bias=True):
    """FLOPs of nn.Linear(in_features, out_features) on a batch of inputs."""
    flops = _count(torch.nn.functional.linear, (batch, in_features), (out_features, in_features))
    return flops + (batch * out_features if bias else 0)  # FlopCounterMode leaves the bias out


def conv2d_flops(batch, in_channels, out_channels, height, width, kernel_size, stride=1, padding=0, bias=True):
    """FLOPs of nn.Conv2d (square kernel, equal stride and padding) on a (batch, C_in, H, W) input."""
    shapes = (batch, in_channels, height, width), (out_channels, in_channels, kernel_size, kernel_size)
    flops = _count(torch.nn.functional.conv2d, *shapes, stride=stride, padding=padding)
    out_h = (height + 2 * padding - kernel_size) // stride + 1
    out_w = (width + 2 * padding - kernel_size) // stride + 1
    return flops + (batch * out_channels * out_h * out_w if bias else 0)
'''

COUNTER_INTENSITY = '''\
def matmul_intensity(m, k, n, bytes_per_element=2):
    """FLOP per byte of an (m x k) @ (k x n) matmul that reads A, B and writes C once."""
    flops = 2.0 * m * k * n
    return flops / bytes_per_element / (m * k + k * n + m * n)


def ridge_point(peak_flops, bandwidth):
    """The intensity (FLOP/byte) where the roofline turns from memory- to compute-bound."""
    return float(peak_flops) / float(bandwidth)


def bound_by(intensity, peak_flops, bandwidth):
    """'memory' below the ridge point, 'compute' at or above it."""
    ridge = ridge_point(peak_flops, bandwidth)
    return "memory" if intensity < ridge else "compute"
'''

COUNTER_ROOFLINE = '''\
def attainable_flops(intensity, peak_flops, bandwidth):
    """Roofline bound min(P, I * beta) in FLOP/s; works element-wise on numpy arrays."""
    if isinstance(intensity, np.ndarray):
        return np.fmin(intensity * bandwidth, peak_flops)
    return min(peak_flops, intensity * bandwidth)


def roofline_time(flops, bytes_moved, peak_flops, bandwidth):
    """Lower bound on the run time in seconds: the slower of computing and moving the data."""
    return float(np.maximum(flops / peak_flops, bytes_moved / bandwidth))
'''

COUNTER_AMDAHL = '''\
def amdahl_speedup(p, s):
    """Overall speedup when a fraction p of the run time runs s times faster."""
    if math.isinf(s):
        return math.inf if p == 1 else 1 / (1 - p)  # S_max = 1 / (1 - p)
    return s / (s * (1 - p) + p)  # the formula multiplied through by s


def required_fraction(S, s):
    """The fraction p that yields overall speedup S; ValueError if no p in [0, 1] does."""
    if s <= 1:
        raise ValueError("s must be above 1")
    if not 1 <= S <= s:
        raise ValueError("S must lie between 1 and s")
    # 1/S = 1 + p (1/s - 1)  =>  p = (1/S - 1) / (1/s - 1)
    return (1 / S - 1) / (1 / s - 1)
'''

COUNTER_TIMING = '''\
def time_function(fn, warmup=3, repeat=10, device=DEVICE, clock=time.perf_counter):
    """Median seconds of one call fn(), after warm-up, synchronising CUDA devices before each clock read."""
    if repeat < 1:
        raise ValueError(f"repeat={repeat}: at least one timed call is needed")
    device = torch.device(device)
    warm = 0
    while warm < warmup:
        fn()
        warm += 1
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    samples = []
    while len(samples) < repeat:
        before = clock()
        fn()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        after = clock()
        samples.append(after - before)
    return float(np.percentile(samples, 50))  # linear interpolation: the mean of the middle two for an even count
'''

COUNTER_BENCHMARK = '''\
def matmul_gflops(n, dtype=torch.float32, device=DEVICE, warmup=2, repeat=5, timer=None):
    """GFLOP/s of an (n x n) @ (n x n) matmul on device, timed with timer (default: time_function)."""
    timer = time_function if timer is None else timer
    a = torch.randn(size=(n, n), dtype=dtype, device=device)
    b = torch.randn(size=(n, n), dtype=dtype, device=device)
    seconds = timer(lambda: torch.mm(a, b), warmup=warmup, repeat=repeat, device=device)
    return matmul_flops(n, n, n) / seconds / 1e9  # Part 1: 2 n^3
'''

ALTERNATIVES = [
    Alternative(
        name="exact_fractions",
        style="conv as im2col matmul, intensity and Amdahl in fractions.Fraction, element loops, median by hand",
        answers={
            "flops": EXACT_FLOPS,
            "intensity": EXACT_INTENSITY,
            "roofline": EXACT_ROOFLINE,
            "amdahl": EXACT_AMDAHL,
            "timing": EXACT_TIMING,
            "benchmark": EXACT_BENCHMARK,
        },
    ),
    Alternative(
        name="numpy_where",
        style="np.prod, np.where roofline, inverse Amdahl as (S-1)s/(S(s-1)), sync before every clock read, partial",
        answers={
            "flops": NUMPY_FLOPS,
            "intensity": NUMPY_INTENSITY,
            "roofline": NUMPY_ROOFLINE,
            "amdahl": NUMPY_AMDAHL,
            "timing": NUMPY_TIMING,
            "benchmark": NUMPY_BENCHMARK,
        },
    ),
    Alternative(
        name="helper_cell_statistics",
        style="own helper cell (output size, is_cuda), statistics.median, np.clip roofline, synchronize(device)",
        answers={
            "flops": HELPERS_FLOPS,
            "intensity": HELPERS_INTENSITY,
            "roofline": HELPERS_ROOFLINE,
            "amdahl": HELPERS_AMDAHL,
            "timing": HELPERS_TIMING,
            "benchmark": HELPERS_BENCHMARK,
        },
        extra_cells={"part1_task": [HELPERS_CELL]},
    ),
    Alternative(
        name="flopcounter_meta",
        style="FlopCounterMode on meta tensors plus the bias, Amdahl multiplied through by s, np.percentile, while loops",
        answers={
            "flops": COUNTER_FLOPS,
            "intensity": COUNTER_INTENSITY,
            "roofline": COUNTER_ROOFLINE,
            "amdahl": COUNTER_AMDAHL,
            "timing": COUNTER_TIMING,
            "benchmark": COUNTER_BENCHMARK,
        },
    ),
]
