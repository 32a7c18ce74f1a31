"""Independent correct solutions of A4 (energy, carbon and cost), written from the student copy alone."""

from __future__ import annotations

from tests.alternatives import Alternative

# ---------------------------------------------------------------------------------------------------------------
# 1. Exact rational arithmetic: every formula in fractions.Fraction, one float() at the end.
# ---------------------------------------------------------------------------------------------------------------

FRACTIONS_UNITS = '''\
from fractions import Fraction

JOULES_PER_KWH = Fraction(1000 * 3600)  # 1 kW for one hour, in W·s


def joules_to_kwh(joules):
    """Energy in joules -> kilowatt-hours."""
    return float(Fraction(joules) / JOULES_PER_KWH)


def kwh_to_joules(kwh):
    """Energy in kilowatt-hours -> joules."""
    return float(Fraction(kwh) * JOULES_PER_KWH)


def emissions_kg(it_kwh, g_per_kwh, pue=1.0):
    """kg CO2e of it_kwh of IT energy in a data centre with this PUE on a grid at g_per_kwh."""
    if pue < 1:
        raise ValueError(f"a PUE below 1 is impossible, got {pue}")
    grams = Fraction(it_kwh) * Fraction(pue) * Fraction(g_per_kwh)
    return float(grams / 1000)
'''

FRACTIONS_CALCULATOR = '''\
def ml_co2_impact(n_devices, watts, hours, g_per_kwh, pue=1.0):
    """Lacoste et al. (2019): {"it_kwh", "grid_kwh", "kg_co2e"} of n_devices drawing `watts` each for `hours`."""
    if pue < 1:
        raise ValueError(f"a PUE below 1 is impossible, got {pue}")
    it_kwh = Fraction(n_devices) * Fraction(watts) * Fraction(hours) / 1000
    grid_kwh = it_kwh * Fraction(pue)
    kg = grid_kwh * Fraction(g_per_kwh) / 1000
    return {"it_kwh": float(it_kwh), "grid_kwh": float(grid_kwh), "kg_co2e": float(kg)}


# 150,000 GPU-hours in total: spread over the 256 cards of the run, 585.9375 hours each.
STABLE_DIFFUSION_V1 = ml_co2_impact(256, 250, Fraction(150_000, 256), 300)
GPT3 = ml_co2_impact(10_000, 330, Fraction(148, 10) * 24, 429, pue=Fraction(11, 10))
'''

FRACTIONS_TRAINING = '''\
def training_flops(n_params, n_tokens):
    """About 6 N D FLOPs to train N parameters on D tokens (2N forward + 4N backward per token)."""
    return float(6 * Fraction(n_params) * Fraction(n_tokens))


def training_cost(flops, peak_flops, utilisation, usd_per_gpu_hour, n_devices=1):
    """{"gpu_hours", "days", "usd"} of `flops` on devices sustaining utilisation * peak_flops FLOP/s each."""
    if not 0 < utilisation <= 1:
        raise ValueError(f"utilisation is a fraction in (0, 1], got {utilisation}")
    seconds_on_one_device = Fraction(flops) / (Fraction(utilisation) * Fraction(peak_flops))
    gpu_hours = seconds_on_one_device / 3600
    days = gpu_hours / Fraction(n_devices) / 24
    usd = gpu_hours * Fraction(usd_per_gpu_hour)
    return {"gpu_hours": float(gpu_hours), "days": float(days), "usd": float(usd)}
'''

FRACTIONS_CHINCHILLA = '''\
def chinchilla_optimal(compute_flops, tokens_per_param=20.0):
    """{"params": N, "tokens": D} with 6 N D = compute_flops and D = tokens_per_param * N."""
    if not compute_flops > 0 or not tokens_per_param > 0:
        raise ValueError("the compute budget and the tokens per parameter must be positive")
    # 6 N (k N) = C, so N^2 = C / (6 k)
    n_squared = Fraction(compute_flops) / (6 * Fraction(tokens_per_param))
    n = math.sqrt(n_squared)
    return {"params": n, "tokens": float(Fraction(tokens_per_param) * Fraction(n))}
'''

FRACTIONS_SERVING = '''\
SECONDS_PER_DAY = 86_400


def cost_per_query(words, words_per_second, usd_per_hour=25.0, busy_fraction=1.0):
    """Break-even price of one answer of `words` words on a server rented at usd_per_hour, busy busy_fraction of the time."""
    if not 0 < busy_fraction <= 1:
        raise ValueError(f"busy_fraction must lie in (0, 1], got {busy_fraction}")
    seconds = Fraction(words) / Fraction(words_per_second)
    return float(Fraction(usd_per_hour) * seconds / (3600 * Fraction(busy_fraction)))


def latency_gain(words, words_per_second, usd_per_hour=25.0, improvement=0.10):
    """{"extra_queries_per_day", "usd_saved_per_day"} when each answer takes (1 - improvement) of its time."""
    f = Fraction(improvement)
    seconds = Fraction(words) / Fraction(words_per_second)
    before = SECONDS_PER_DAY / seconds
    after = SECONDS_PER_DAY / ((1 - f) * seconds)
    saved = f * Fraction(usd_per_hour) * 24
    return {"extra_queries_per_day": float(after - before), "usd_saved_per_day": float(saved)}


def gpus_needed(n_params, bytes_per_param=2.0, gpu_memory_gb=80.0):
    """The fewest GPUs of gpu_memory_gb GB (1e9 bytes) that hold n_params weights of bytes_per_param bytes."""
    ratio = Fraction(n_params) * Fraction(bytes_per_param) / (Fraction(gpu_memory_gb) * 10**9)
    return math.ceil(ratio)  # a Fraction's ceiling is exact, and an int
'''

FRACTIONS_TRACKER = '''\
def carbon_report(tracker, kg, device=DEVICE):
    """{"energy_kwh", "emissions_kg", "power_method", "basis"} of a stopped tracker whose stop() returned kg."""
    if not (isinstance(kg, float) and math.isfinite(kg)):
        raise RuntimeError(f"the tracker's stop() gave {kg!r}, not a finite float: nothing was measured")
    sources = power_sources(tracker)
    part = "GPU" if torch.device(device).type == "cuda" else "CPU"
    if part not in sources:
        raise RuntimeError(f"CodeCarbon tracked no {part} here, so its energy would be missing: {sources}")
    method = sources[part]
    meters = ("intel_rapl", "windows_emi", "intel_power_gadget", "apple_powermetrics", "nvml", "amdsmi")
    return {
        "energy_kwh": float(tracker.final_emissions_data.energy_consumed),
        "emissions_kg": kg,
        "power_method": method,
        "basis": "measured" if method in meters else "estimated",
    }


def measure_training(country_iso_code, epochs=10, pue=1.0, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Train train_tiny_mlp(epochs) on device under an offline CodeCarbon tracker; the carbon report plus "accuracy"."""
    settings = dict(TRACKER_SETTINGS)
    settings.update(country_iso_code=country_iso_code, measure_power_secs=1, save_to_file=False, pue=pue)
    tracker = tracker_class(**settings)
    tracker.start()
    try:
        acc = train_tiny_mlp(epochs, device=device)
    finally:
        kg = tracker.stop()
    report = carbon_report(tracker, kg, device)
    report["accuracy"] = acc
    return report
'''

# ---------------------------------------------------------------------------------------------------------------
# 2. A helper cell of the student's own (constants and a validator), joules as the common unit, loops for counts.
# ---------------------------------------------------------------------------------------------------------------

HELPERS_UNITS = '''\
def joules_to_kwh(joules):
    """Energy in joules -> kilowatt-hours."""
    return joules / WATT_SECONDS_PER_KWH


def kwh_to_joules(kwh):
    """Energy in kilowatt-hours -> joules."""
    return kwh * WATT_SECONDS_PER_KWH


def emissions_kg(it_kwh, g_per_kwh, pue=1.0):
    """kg CO2e of it_kwh of IT energy in a data centre with this PUE on a grid at g_per_kwh."""
    require(pue >= 1, f"PUE must be at least 1, got {pue}")
    kg_per_kwh = g_per_kwh / GRAMS_PER_KG
    grid_kwh = it_kwh * pue
    return float(grid_kwh * kg_per_kwh)
'''

HELPERS_EXTRA = '''\
# My own helpers: named constants, and one line for every argument check.
SECONDS_PER_HOUR = 60.0 * 60.0
HOURS_PER_DAY = 24.0
WATT_SECONDS_PER_KWH = 1000.0 * SECONDS_PER_HOUR
GRAMS_PER_KG = 1000.0
BYTES_PER_GB = 1e9


def require(condition, message):
    """Raise ValueError(message) unless condition holds."""
    if not condition:
        raise ValueError(message)


def in_unit_interval(value):
    """0 < value <= 1."""
    return 0 < value <= 1
'''

HELPERS_CALCULATOR = '''\
def ml_co2_impact(n_devices, watts, hours, g_per_kwh, pue=1.0):
    """Lacoste et al. (2019): {"it_kwh", "grid_kwh", "kg_co2e"} of n_devices drawing `watts` each for `hours`."""
    require(pue >= 1, f"PUE must be at least 1, got {pue}")
    joules = n_devices * watts * hours * SECONDS_PER_HOUR  # W x s = J
    it_kwh = joules_to_kwh(joules)
    grid_kwh = it_kwh * pue
    return {"it_kwh": it_kwh, "grid_kwh": grid_kwh, "kg_co2e": emissions_kg(it_kwh, g_per_kwh, pue=pue)}


STABLE_DIFFUSION_V1 = ml_co2_impact(n_devices=1, watts=250, hours=150_000, g_per_kwh=300)  # 150,000 GPU-hours
GPT3 = ml_co2_impact(n_devices=10_000, watts=330, hours=14.8 * HOURS_PER_DAY, g_per_kwh=429, pue=1.10)
'''

HELPERS_TRAINING = '''\
def training_flops(n_params, n_tokens):
    """About 6 N D FLOPs to train N parameters on D tokens (2N forward + 4N backward per token)."""
    forward = 2 * n_params * n_tokens
    backward = 4 * n_params * n_tokens
    return float(forward + backward)


def training_cost(flops, peak_flops, utilisation, usd_per_gpu_hour, n_devices=1):
    """{"gpu_hours", "days", "usd"} of `flops` on devices sustaining utilisation * peak_flops FLOP/s each."""
    require(in_unit_interval(utilisation), f"utilisation must be in (0, 1], got {utilisation}")
    sustained = utilisation * peak_flops  # FLOP/s that one device really delivers
    gpu_seconds = flops / sustained
    gpu_hours = gpu_seconds / SECONDS_PER_HOUR
    wall_hours = gpu_hours / n_devices
    return {"gpu_hours": gpu_hours, "days": wall_hours / HOURS_PER_DAY, "usd": usd_per_gpu_hour * gpu_hours}
'''

HELPERS_CHINCHILLA = '''\
def chinchilla_optimal(compute_flops, tokens_per_param=20.0):
    """{"params": N, "tokens": D} with 6 N D = compute_flops and D = tokens_per_param * N."""
    require(compute_flops > 0, f"the compute budget must be positive, got {compute_flops}")
    require(tokens_per_param > 0, f"tokens_per_param must be positive, got {tokens_per_param}")
    # N = D / k, so 6 D^2 / k = C and D = sqrt(C k / 6)
    tokens = math.sqrt(compute_flops * tokens_per_param / 6)
    return {"params": tokens / tokens_per_param, "tokens": tokens}
'''

HELPERS_SERVING = '''\
SECONDS_PER_DAY = 86_400


def cost_per_query(words, words_per_second, usd_per_hour=25.0, busy_fraction=1.0):
    """Break-even price of one answer of `words` words on a server rented at usd_per_hour, busy busy_fraction of the time."""
    require(in_unit_interval(busy_fraction), f"busy_fraction must be in (0, 1], got {busy_fraction}")
    seconds_per_answer = words / words_per_second
    answers_per_hour = SECONDS_PER_HOUR * busy_fraction / seconds_per_answer
    return usd_per_hour / answers_per_hour


def latency_gain(words, words_per_second, usd_per_hour=25.0, improvement=0.10):
    """{"extra_queries_per_day", "usd_saved_per_day"} when each answer takes (1 - improvement) of its time."""
    seconds_before = words / words_per_second
    seconds_after = seconds_before * (1 - improvement)
    extra = SECONDS_PER_DAY / seconds_after - SECONDS_PER_DAY / seconds_before
    day_rent = usd_per_hour * HOURS_PER_DAY
    return {"extra_queries_per_day": extra, "usd_saved_per_day": improvement * day_rent}


def gpus_needed(n_params, bytes_per_param=2.0, gpu_memory_gb=80.0):
    """The fewest GPUs of gpu_memory_gb GB (1e9 bytes) that hold n_params weights of bytes_per_param bytes."""
    weight_bytes = n_params * bytes_per_param
    per_gpu = gpu_memory_gb * BYTES_PER_GB
    gpus = 1
    while gpus * per_gpu < weight_bytes:  # add GPUs until their memory holds the weights
        gpus += 1
    return gpus
'''

HELPERS_TRACKER = '''\
METER_BASED = {"intel_rapl", "windows_emi", "intel_power_gadget", "apple_powermetrics", "nvml", "amdsmi"}


def carbon_report(tracker, kg, device=DEVICE):
    """{"energy_kwh", "emissions_kg", "power_method", "basis"} of a stopped tracker whose stop() returned kg."""
    if not isinstance(kg, float):
        raise RuntimeError(f"stop() returned {kg!r} instead of a number of kg")
    if math.isnan(kg) or math.isinf(kg):
        raise RuntimeError(f"stop() returned {kg}, which is not a finite number of kg")
    sources = power_sources(tracker)
    if torch.device(device).type == "cuda":
        method = sources.get("GPU")
        if method is None:
            raise RuntimeError("training ran on a GPU that CodeCarbon did not track")
    else:
        method = sources["CPU"]
    energy = tracker.final_emissions_data.energy_consumed
    basis = "measured" if method in METER_BASED else "estimated"
    return {"energy_kwh": float(energy), "emissions_kg": kg, "power_method": method, "basis": basis}


def measure_training(country_iso_code, epochs=10, pue=1.0, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Train train_tiny_mlp(epochs) on device under an offline CodeCarbon tracker; the carbon report plus "accuracy"."""
    tracker = tracker_class(
        country_iso_code=country_iso_code, measure_power_secs=1, save_to_file=False, pue=pue, **TRACKER_SETTINGS
    )
    kg = None
    tracker.start()
    try:
        accuracy = train_tiny_mlp(epochs, device=device)
    finally:
        kg = tracker.stop()  # runs whether or not training raised
    return {**carbon_report(tracker, kg, device), "accuracy": accuracy}
'''

# ---------------------------------------------------------------------------------------------------------------
# 3. numpy for the arithmetic (products, square roots, ceilings), plain floats and ints handed back.
# ---------------------------------------------------------------------------------------------------------------

NUMPY_UNITS = '''\
def joules_to_kwh(joules):
    """Energy in joules -> kilowatt-hours."""
    return float(np.divide(joules, 3.6e6))


def kwh_to_joules(kwh):
    """Energy in kilowatt-hours -> joules."""
    return float(np.multiply(kwh, 3.6e6))


def emissions_kg(it_kwh, g_per_kwh, pue=1.0):
    """kg CO2e of it_kwh of IT energy in a data centre with this PUE on a grid at g_per_kwh."""
    if np.less(pue, 1.0):
        raise ValueError("PUE < 1: a data centre cannot use less energy than its computers")
    return float(np.prod([it_kwh, pue, g_per_kwh], dtype=np.float64) / 1e3)
'''

NUMPY_CALCULATOR = '''\
def ml_co2_impact(n_devices, watts, hours, g_per_kwh, pue=1.0):
    """Lacoste et al. (2019): {"it_kwh", "grid_kwh", "kg_co2e"} of n_devices drawing `watts` each for `hours`."""
    kg = emissions_kg(1.0, g_per_kwh, pue)  # raises for pue < 1; the kg of one kWh of IT energy
    it_kwh = float(np.prod(np.array([n_devices, watts, hours], dtype=np.float64)) / 1e3)
    return {"it_kwh": it_kwh, "grid_kwh": float(np.float64(it_kwh) * pue), "kg_co2e": float(it_kwh * kg)}


runs = {
    # name: (devices, watts, hours, g/kWh, PUE)
    "sd": (1, 250.0, 150_000.0, 300.0, 1.0),  # the table gives 150,000 GPU-hours in total
    "gpt3": (10_000, 330.0, 14.8 * 24, 429.0, 1.1),  # 14.8 days of 10,000 GPUs
}
STABLE_DIFFUSION_V1, GPT3 = (ml_co2_impact(*runs[name]) for name in ("sd", "gpt3"))
'''

NUMPY_TRAINING = '''\
def training_flops(n_params, n_tokens):
    """About 6 N D FLOPs to train N parameters on D tokens (2N forward + 4N backward per token)."""
    return float(np.float64(6.0) * n_params * n_tokens)


def training_cost(flops, peak_flops, utilisation, usd_per_gpu_hour, n_devices=1):
    """{"gpu_hours", "days", "usd"} of `flops` on devices sustaining utilisation * peak_flops FLOP/s each."""
    if not (utilisation > 0 and utilisation <= 1):
        raise ValueError(f"utilisation {utilisation} is not a fraction in (0, 1]")
    gpu_hours = np.float64(flops) / (3600.0 * utilisation * peak_flops)
    return {
        "gpu_hours": float(gpu_hours),
        "days": float(gpu_hours / (24.0 * n_devices)),
        "usd": float(gpu_hours * usd_per_gpu_hour),
    }
'''

NUMPY_CHINCHILLA = '''\
def chinchilla_optimal(compute_flops, tokens_per_param=20.0):
    """{"params": N, "tokens": D} with 6 N D = compute_flops and D = tokens_per_param * N."""
    if np.any(np.array([compute_flops, tokens_per_param], dtype=np.float64) <= 0):
        raise ValueError("compute_flops and tokens_per_param must both be positive")
    params = np.sqrt(np.float64(compute_flops) / 6.0 / tokens_per_param)
    return {"params": float(params), "tokens": float(params * tokens_per_param)}
'''

NUMPY_SERVING = '''\
SECONDS_PER_DAY = 86_400


def cost_per_query(words, words_per_second, usd_per_hour=25.0, busy_fraction=1.0):
    """Break-even price of one answer of `words` words on a server rented at usd_per_hour, busy busy_fraction of the time."""
    if busy_fraction <= 0 or busy_fraction > 1:
        raise ValueError(f"busy_fraction must be in (0, 1], got {busy_fraction}")
    usd_per_busy_second = np.float64(usd_per_hour) / 3600.0 / busy_fraction
    return float(usd_per_busy_second * words / words_per_second)


def latency_gain(words, words_per_second, usd_per_hour=25.0, improvement=0.10):
    """{"extra_queries_per_day", "usd_saved_per_day"} when each answer takes (1 - improvement) of its time."""
    t = np.float64(words) / words_per_second
    per_day = SECONDS_PER_DAY / np.array([t, (1.0 - improvement) * t])  # before, after
    return {
        "extra_queries_per_day": float(np.diff(per_day)[0]),
        "usd_saved_per_day": float(usd_per_hour * 24.0 * improvement),
    }


def gpus_needed(n_params, bytes_per_param=2.0, gpu_memory_gb=80.0):
    """The fewest GPUs of gpu_memory_gb GB (1e9 bytes) that hold n_params weights of bytes_per_param bytes."""
    gigabytes = np.float64(n_params) * bytes_per_param / 1e9
    return int(np.ceil(gigabytes / gpu_memory_gb))
'''

NUMPY_TRACKER = '''\
BASIS = {
    "intel_rapl": "measured", "windows_emi": "measured", "intel_power_gadget": "measured",
    "apple_powermetrics": "measured", "nvml": "measured", "amdsmi": "measured",
    "cpu_load": "estimated", "constant": "estimated",
}


def carbon_report(tracker, kg, device=DEVICE):
    """{"energy_kwh", "emissions_kg", "power_method", "basis"} of a stopped tracker whose stop() returned kg."""
    if not isinstance(kg, float) or not np.isfinite(kg):
        raise RuntimeError(f"CodeCarbon's stop() returned {kg!r}; the run was not measured")
    sources = power_sources(tracker)
    on_gpu = torch.device(device).type == "cuda"
    if on_gpu and "GPU" not in sources:
        raise RuntimeError(f"the run trained on {device}, but CodeCarbon saw no GPU ({sources})")
    method = sources["GPU" if on_gpu else "CPU"]
    return {
        "energy_kwh": float(tracker.final_emissions_data.energy_consumed),
        "emissions_kg": kg,
        "power_method": method,
        "basis": BASIS.get(method, "estimated"),
    }


def measure_training(country_iso_code, epochs=10, pue=1.0, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Train train_tiny_mlp(epochs) on device under an offline CodeCarbon tracker; the carbon report plus "accuracy"."""
    explicit = {"country_iso_code": country_iso_code, "measure_power_secs": 1, "save_to_file": False, "pue": pue}
    tracker = tracker_class(**explicit, **TRACKER_SETTINGS)
    try:
        tracker.start()
        result = train_tiny_mlp(epochs, device=device)
    finally:
        stopped = tracker.stop()
    report = carbon_report(tracker, stopped, device=device)
    report.update(accuracy=result)
    return report
'''

# ---------------------------------------------------------------------------------------------------------------
# 4. Everything in SI base units (joules, seconds, bytes), integer floor division for the GPU count.
# ---------------------------------------------------------------------------------------------------------------

SI_UNITS = '''\
def joules_to_kwh(joules):
    """Energy in joules -> kilowatt-hours."""
    return joules / 1000 / 3600  # J -> kJ = kW·s -> kWh


def kwh_to_joules(kwh):
    """Energy in kilowatt-hours -> joules."""
    return kwh * 3600 * 1000  # kWh -> kW·s -> J


def emissions_kg(it_kwh, g_per_kwh, pue=1.0):
    """kg CO2e of it_kwh of IT energy in a data centre with this PUE on a grid at g_per_kwh."""
    if pue < 1.0:
        raise ValueError("pue < 1")
    grams = pue * it_kwh * g_per_kwh
    return grams * 1e-3
'''

SI_CALCULATOR = '''\
def ml_co2_impact(n_devices, watts, hours, g_per_kwh, pue=1.0):
    """Lacoste et al. (2019): {"it_kwh", "grid_kwh", "kg_co2e"} of n_devices drawing `watts` each for `hours`."""
    if pue < 1.0:
        raise ValueError("pue < 1")
    total_kw = n_devices * watts / 1000
    it = float(total_kw * hours)  # kW x h
    grid = pue * it
    return {"it_kwh": it, "grid_kwh": grid, "kg_co2e": grid * g_per_kwh / 1000}


STABLE_DIFFUSION_V1 = ml_co2_impact(1, 250, 150e3, 300)
GPT3 = ml_co2_impact(1e4, 330, 24 * 14.8, 429, 1.1)
'''

SI_TRAINING = '''\
def training_flops(n_params, n_tokens):
    """About 6 N D FLOPs to train N parameters on D tokens (2N forward + 4N backward per token)."""
    return 6.0 * n_tokens * n_params


def training_cost(flops, peak_flops, utilisation, usd_per_gpu_hour, n_devices=1):
    """{"gpu_hours", "days", "usd"} of `flops` on devices sustaining utilisation * peak_flops FLOP/s each."""
    if utilisation <= 0 or utilisation > 1:
        raise ValueError("utilisation must satisfy 0 < u <= 1")
    device_seconds = flops / peak_flops / utilisation
    wall_seconds = device_seconds / n_devices
    gpu_hours = device_seconds / 3600
    return {"gpu_hours": gpu_hours, "days": wall_seconds / 86_400, "usd": device_seconds * usd_per_gpu_hour / 3600}
'''

SI_CHINCHILLA = '''\
def chinchilla_optimal(compute_flops, tokens_per_param=20.0):
    """{"params": N, "tokens": D} with 6 N D = compute_flops and D = tokens_per_param * N."""
    if compute_flops <= 0:
        raise ValueError("compute_flops must be positive")
    if tokens_per_param <= 0:
        raise ValueError("tokens_per_param must be positive")
    n = (compute_flops / (6 * tokens_per_param)) ** 0.5
    return {"params": n, "tokens": n * tokens_per_param}
'''

SI_SERVING = '''\
SECONDS_PER_DAY = 86_400


def cost_per_query(words, words_per_second, usd_per_hour=25.0, busy_fraction=1.0):
    """Break-even price of one answer of `words` words on a server rented at usd_per_hour, busy busy_fraction of the time."""
    if busy_fraction <= 0 or busy_fraction > 1:
        raise ValueError("busy_fraction must satisfy 0 < b <= 1")
    t = words / words_per_second
    queries_per_hour = 3600 * busy_fraction / t
    return usd_per_hour / queries_per_hour


def latency_gain(words, words_per_second, usd_per_hour=25.0, improvement=0.10):
    """{"extra_queries_per_day", "usd_saved_per_day"} when each answer takes (1 - improvement) of its time."""
    before = SECONDS_PER_DAY * words_per_second / words
    after = before / (1 - improvement)
    rent = SECONDS_PER_DAY / 3600 * usd_per_hour
    return {"extra_queries_per_day": after - before, "usd_saved_per_day": rent * improvement}


def gpus_needed(n_params, bytes_per_param=2.0, gpu_memory_gb=80.0):
    """The fewest GPUs of gpu_memory_gb GB (1e9 bytes) that hold n_params weights of bytes_per_param bytes."""
    need = n_params * bytes_per_param
    have = gpu_memory_gb * 1e9
    return int(-(-need // have))  # ceiling division
'''

SI_TRACKER = '''\
def _basis(method):
    """Measured when CodeCarbon read a meter (RAPL, EMI, Power Gadget, powermetrics, NVML, AMD SMI)."""
    meters = ["intel_rapl", "windows_emi", "intel_power_gadget", "apple_powermetrics", "nvml", "amdsmi"]
    return "measured" if method in meters else "estimated"


def carbon_report(tracker, kg, device=DEVICE):
    """{"energy_kwh", "emissions_kg", "power_method", "basis"} of a stopped tracker whose stop() returned kg."""
    finite_float = isinstance(kg, float) and -math.inf < kg < math.inf  # NaN fails both comparisons
    if not finite_float:
        raise RuntimeError(f"no emissions: stop() returned {kg!r}")
    component = {"cuda": "GPU"}.get(torch.device(device).type, "CPU")
    found = power_sources(tracker)
    if component not in found:
        raise RuntimeError(f"CodeCarbon has no {component} power source: {found}")
    return {
        "energy_kwh": float(tracker.final_emissions_data.energy_consumed),
        "emissions_kg": kg,
        "power_method": found[component],
        "basis": _basis(found[component]),
    }


def measure_training(country_iso_code, epochs=10, pue=1.0, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Train train_tiny_mlp(epochs) on device under an offline CodeCarbon tracker; the carbon report plus "accuracy"."""
    tracker = tracker_class(
        **TRACKER_SETTINGS, pue=pue, save_to_file=False, measure_power_secs=1, country_iso_code=country_iso_code
    )
    tracker.start()
    outcome = {}
    try:
        outcome["accuracy"] = train_tiny_mlp(epochs, device=device)
    finally:
        outcome["kg"] = tracker.stop()
    report = carbon_report(tracker, outcome["kg"], device)
    report["accuracy"] = outcome["accuracy"]
    return report
'''

ALTERNATIVES = [
    Alternative(
        name="fractions_exact",
        style="exact rational arithmetic with fractions.Fraction, one float() per result; exact ceiling for GPUs",
        answers={
            "units": FRACTIONS_UNITS,
            "calculator": FRACTIONS_CALCULATOR,
            "training_cost": FRACTIONS_TRAINING,
            "chinchilla": FRACTIONS_CHINCHILLA,
            "serving": FRACTIONS_SERVING,
            "tracker": FRACTIONS_TRACKER,
        },
    ),
    Alternative(
        name="helper_cell",
        style="own helper cell (constants, validator); energy via joules; D = sqrt(Ck/6); GPU count by a loop",
        answers={
            "units": HELPERS_UNITS,
            "calculator": HELPERS_CALCULATOR,
            "training_cost": HELPERS_TRAINING,
            "chinchilla": HELPERS_CHINCHILLA,
            "serving": HELPERS_SERVING,
            "tracker": HELPERS_TRACKER,
        },
        extra_cells={"setup": [HELPERS_EXTRA]},
    ),
    Alternative(
        name="numpy_floats",
        style="numpy for products, roots and ceilings, converted back to float/int; basis from a lookup table",
        answers={
            "units": NUMPY_UNITS,
            "calculator": NUMPY_CALCULATOR,
            "training_cost": NUMPY_TRAINING,
            "chinchilla": NUMPY_CHINCHILLA,
            "serving": NUMPY_SERVING,
            "tracker": NUMPY_TRACKER,
        },
    ),
    Alternative(
        name="si_units",
        style="SI base units throughout (J, s, bytes), other orders of operations, ceiling by floor division",
        answers={
            "units": SI_UNITS,
            "calculator": SI_CALCULATOR,
            "training_cost": SI_TRAINING,
            "chinchilla": SI_CHINCHILLA,
            "serving": SI_SERVING,
            "tracker": SI_TRACKER,
        },
    ),
]
