"""Correct answers for A7 (LLM inference), written from the student copy in styles unlike the reference."""

from __future__ import annotations

from tests.alternatives import Alternative

# ---------------------------------------------------------------------------------------------------------------
# 1. Loops over heads, helper functions for every block, counts as named terms, statistics.median.
# ---------------------------------------------------------------------------------------------------------------

LOOPS_ATTENTION = '''\
def causal_self_attention(x, layer, n_heads):
    """Multi-head causal self-attention of x (B, T, d) with the layer's wq, wk, wv, wo; returns (B, T, d)."""
    T, d = x.shape[1], x.shape[2]
    size = d // n_heads
    q_all, k_all, v_all = x @ layer["wq"], x @ layer["wk"], x @ layer["wv"]
    allowed = torch.tril(torch.ones(T, T, device=x.device)) > 0  # query i may see keys 0..i
    heads = []
    for h in range(n_heads):
        cols = slice(h * size, (h + 1) * size)
        scores = torch.matmul(q_all[..., cols], k_all[..., cols].transpose(1, 2)) / size**0.5  # (B, T, T)
        scores = torch.where(allowed, scores, torch.tensor(float("-inf"), device=x.device))
        heads.append(torch.matmul(torch.softmax(scores, dim=2), v_all[..., cols]))
    return torch.cat(heads, dim=2) @ layer["wo"]
'''

LOOPS_FORWARD = '''\
def _norm(h, w, b):
    return F.layer_norm(h, (h.shape[-1],), w, b, eps=EPS)


def _mlp(h, layer):
    hidden = F.gelu(torch.matmul(_norm(h, layer["ln2_w"], layer["ln2_b"]), layer["w1"]) + layer["b1"])
    return torch.matmul(hidden, layer["w2"]) + layer["b2"]


def forward(params, tokens, config=CONFIG):
    """Logits (B, T, V) of the tiny decoder-only model for token ids (B, T)."""
    positions = torch.arange(tokens.shape[1], device=tokens.device)
    h = params["tok_emb"][tokens] + params["pos_emb"][positions]
    for layer in params["layers"]:
        h = h + causal_self_attention(_norm(h, layer["ln1_w"], layer["ln1_b"]), layer, config["num_attention_heads"])
        h = h + _mlp(h, layer)
    return torch.matmul(_norm(h, params["lnf_w"], params["lnf_b"]), params["w_out"])
'''

LOOPS_CACHE = '''\
def _cached_attention(x, layer, n_heads, past):
    """Attention of the new rows x (B, T, d) over the past keys/values (or None) and their own; returns (out, (k, v))."""
    B, T, d = x.shape
    size = d // n_heads
    # head h uses columns h*size .. (h+1)*size - 1 of each weight: one small product per head
    k_new = torch.stack([x @ layer["wk"][:, h * size:(h + 1) * size] for h in range(n_heads)], dim=1)
    v_new = torch.stack([x @ layer["wv"][:, h * size:(h + 1) * size] for h in range(n_heads)], dim=1)
    q = torch.stack([x @ layer["wq"][:, h * size:(h + 1) * size] for h in range(n_heads)], dim=1)
    k = k_new if past is None else torch.cat((past[0], k_new), dim=2)
    v = v_new if past is None else torch.cat((past[1], v_new), dim=2)
    c = k.shape[2] - T
    allowed = torch.tril(torch.ones(T, c + T, device=x.device), diagonal=c) > 0
    heads = []
    for h in range(n_heads):
        scores = torch.matmul(q[:, h], k[:, h].transpose(1, 2)) / size**0.5
        scores = torch.where(allowed, scores, torch.tensor(float("-inf"), device=x.device))
        heads.append(torch.matmul(torch.softmax(scores, dim=2), v[:, h]))
    return torch.cat(heads, dim=2) @ layer["wo"], (k, v)


def forward_cached(params, tokens, cache=None, config=CONFIG):
    """Logits (B, T_new, V) of `tokens`, which follow the positions in `cache`, and the cache extended by them."""
    c = 0 if cache is None else cache[0][0].shape[2]
    positions = torch.arange(c, c + tokens.shape[1], device=tokens.device)
    h = params["tok_emb"][tokens] + params["pos_emb"][positions]
    extended = []
    for index, layer in enumerate(params["layers"]):
        past = None if cache is None else cache[index]
        out, pair = _cached_attention(_norm(h, layer["ln1_w"], layer["ln1_b"]), layer, config["num_attention_heads"], past)
        extended.append(pair)
        h = h + out
        h = h + _mlp(h, layer)
    return torch.matmul(_norm(h, params["lnf_w"], params["lnf_b"]), params["w_out"]), extended


def greedy_generate(params, prompt, n_new, use_cache=True, config=CONFIG):
    """The prompt (B, T0) followed by n_new greedy tokens, int64 (B, T0 + n_new)."""
    out = prompt.clone()
    if use_cache:
        logits, cache = forward_cached(params, prompt, None, config)
    made = 0
    while made < n_new:
        if not use_cache:
            logits = forward(params, out, config)
        choice = torch.argmax(logits[:, -1, :], dim=1).unsqueeze(1)
        out = torch.cat((out, choice), dim=1)
        made += 1
        if use_cache and made < n_new:
            logits, cache = forward_cached(params, choice, cache, config)
    return out
'''

LOOPS_COUNTS = '''\
def param_count(config):
    """Number of parameters of the tiny model that make_params(config) builds."""
    V, d, L = config["vocab_size"], config["hidden_size"], config["num_hidden_layers"]
    ff, M = config["intermediate_size"], config["max_position_embeddings"]
    layer = {"ln1": 2 * d, "q k v o": 4 * d * d, "ln2": 2 * d, "w1": d * ff, "b1": ff, "w2": ff * d, "b2": d}
    model = {"tok_emb": V * d, "pos_emb": M * d, "layers": L * sum(layer.values()), "lnf": 2 * d, "w_out": d * V}
    return sum(model.values())


def _matmul_terms(config, queries, keys):
    d, ff, V = config["hidden_size"], config["intermediate_size"], config["vocab_size"]
    per_layer = {
        "projections": 4 * 2 * queries * d * d,
        "scores": 2 * queries * keys * d,
        "mix values": 2 * queries * keys * d,
        "mlp": 2 * (2 * queries * d * ff),
    }
    return config["num_hidden_layers"] * sum(per_layer.values()) + 2 * queries * d * V


def prefill_flops(config, prompt_len):
    """Matmul FLOPs (2 per multiply-add) of one forward pass over a prompt of prompt_len tokens, batch 1."""
    return _matmul_terms(config, prompt_len, prompt_len)


def decode_flops(config, cache_len):
    """Matmul FLOPs of one decode step: one new token after cache_len cached positions, batch 1."""
    return _matmul_terms(config, 1, cache_len + 1)


def _bytes(config, kv_positions):
    per_value = torch.empty(0, dtype=getattr(torch, config["torch_dtype"])).element_size()
    kv_values = 2 * config["num_hidden_layers"] * kv_positions * config["hidden_size"]
    return per_value * param_count(config) + per_value * kv_values


def prefill_bytes(config, prompt_len):
    """Bytes a prefill of prompt_len tokens moves: every parameter once, plus the keys and values it writes."""
    return _bytes(config, prompt_len)


def decode_bytes(config, cache_len):
    """Bytes one decode step moves: every parameter once, the cached keys and values, and the new ones."""
    return _bytes(config, cache_len + 1)
'''

LOOPS_KV = '''\
def _dtype_bytes(config):
    return torch.empty(0, dtype=getattr(torch, config["torch_dtype"])).element_size()


def kv_bytes_per_token(config):
    """Bytes of keys and values that one token keeps in the cache, over all layers."""
    if "num_key_value_heads" in config:
        kv_heads = config["num_key_value_heads"]
    else:
        kv_heads = config["num_attention_heads"]
    if "head_dim" in config:
        head_dim = config["head_dim"]
    else:
        head_dim = config["hidden_size"] // config["num_attention_heads"]
    total = 0
    for _ in range(config["num_hidden_layers"]):
        total += 2 * kv_heads * head_dim * _dtype_bytes(config)  # one key and one value per KV head
    return total


def kv_cache_bytes(config, seq_len, batch=1):
    """Bytes of the KV cache of `batch` sequences of seq_len tokens."""
    return kv_bytes_per_token(config) * seq_len * batch


def max_batch(config, gpu_memory_bytes, seq_len):
    """The most sequences of seq_len tokens whose KV caches fit in the GPU's memory beside the weights (0 if none)."""
    left = gpu_memory_bytes - config["num_parameters"] * _dtype_bytes(config)
    per_sequence = kv_cache_bytes(config, seq_len)
    if left < per_sequence:
        return 0
    return int(math.floor(left / per_sequence))
'''

LOOPS_SPEED = '''\
import statistics


def decode_roofline(config, gpu, cache_len, batch=1):
    """Roofline bound on decode tokens/s for `batch` sequences after cache_len cached tokens: {"tokens_per_s", "bound"}."""
    heads = config["num_attention_heads"]
    width = heads * config.get("head_dim", config["hidden_size"] // heads)
    seen = cache_len + 1
    flops = batch * 2 * config["num_parameters"] + batch * 4 * config["num_hidden_layers"] * width * seen
    moved = config["num_parameters"] * _dtype_bytes(config) + batch * seen * kv_bytes_per_token(config)
    intensity, ridge = flops / moved, gpu["peak_flops"] / gpu["bandwidth"]
    if intensity >= ridge:
        return {"tokens_per_s": batch * gpu["peak_flops"] / flops, "bound": "compute"}
    return {"tokens_per_s": batch * gpu["bandwidth"] / moved, "bound": "memory"}


def decode_tokens_per_s(params, prompt, n_new, config=CONFIG, warmup=2, repeat=5, device=DEVICE, clock=time.perf_counter):
    """Measured tokens/s of greedy_generate with the cache: warm-up, synchronised clock reads, median of `repeat` runs."""
    if repeat < 1:
        raise ValueError("repeat must be 1 or more")
    cuda = torch.device(device).type == "cuda"
    for _ in range(warmup):
        greedy_generate(params, prompt, n_new, True, config)
    if cuda:
        torch.cuda.synchronize(device)
    durations = []
    while len(durations) < repeat:
        t0 = clock()
        greedy_generate(params, prompt, n_new, True, config)
        if cuda:
            torch.cuda.synchronize(device)
        durations.append(clock() - t0)
    return float(len(prompt) * n_new / statistics.median(durations))
'''

LOOPS_ENERGY = '''\
def tokens_per_joule(params, prompt, n_new, rounds=10, config=CONFIG, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Generate `rounds` times under a CodeCarbon tracker: {"tokens", "joules", "tokens_per_joule", "power_method", "basis"}."""
    dev = torch.device(device)
    tracker = tracker_class(**TRACKER_SETTINGS)
    tracker.start()
    try:
        done = 0
        while done < rounds:
            greedy_generate(params, prompt, n_new, use_cache=True, config=config)
            done += 1
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)
    finally:
        tracker.stop()
    if tracker.final_emissions_data is None:
        raise RuntimeError("no emissions data")
    kwh = tracker.final_emissions_data.energy_consumed
    if not isinstance(kwh, (int, float)) or not kwh > 0 or kwh == float("inf"):
        raise RuntimeError(f"bad energy {kwh}")
    joules = kwh * 1000.0 * 3600.0
    sources = power_sources(tracker)
    key = "GPU" if dev.type == "cuda" else "CPU"
    if key not in sources:
        raise RuntimeError(f"no {key} power source")
    generated = rounds * len(prompt) * n_new
    return {"tokens": int(generated), "joules": float(joules), "tokens_per_joule": generated / joules,
            "power_method": sources[key], "basis": ("measured" if sources[key] in MEASURED_METHODS else "estimated")}
'''

LOOPS_SPECULATIVE = '''\
def _validate(alpha, gamma, c=0.0):
    if alpha < 0 or alpha > 1:
        raise ValueError("alpha must lie in [0, 1]")
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    if c < 0:
        raise ValueError("c must be >= 0")


def expected_tokens_per_call(alpha, gamma):
    """Expected tokens per target-model call with draft length gamma and acceptance rate alpha."""
    _validate(alpha, gamma)
    total, term = 0.0, 1.0
    for _ in range(gamma + 1):  # 1 + alpha + ... + alpha^gamma
        total += term
        term *= alpha
    return total


def speculative_speedup(alpha, gamma, c):
    """Expected wall-time speed-up of speculative decoding (Leviathan et al., 2023)."""
    _validate(alpha, gamma, c)
    return expected_tokens_per_call(alpha, gamma) / (1 + gamma * c)


def best_draft_length(alpha, c, max_gamma=10):
    """The draft length 0..max_gamma with the largest expected speed-up (the smallest on a tie)."""
    candidates = list(range(max_gamma + 1))
    return max(candidates, key=lambda g: (speculative_speedup(alpha, g, c), -g))
'''

# ---------------------------------------------------------------------------------------------------------------
# 2. einsum everywhere, scores and softmax in float64, closed forms, sorted-list medians.
# ---------------------------------------------------------------------------------------------------------------

EINSUM_ATTENTION = '''\
def causal_self_attention(x, layer, n_heads):
    """Multi-head causal self-attention of x (B, T, d) with the layer's wq, wk, wv, wo; returns (B, T, d)."""
    B, T, d = x.shape
    q = torch.einsum("btd,de->bte", x, layer["wq"]).unflatten(-1, (n_heads, d // n_heads))  # (B, T, H, d_h)
    k = torch.einsum("btd,de->bte", x, layer["wk"]).unflatten(-1, (n_heads, d // n_heads))
    v = torch.einsum("btd,de->bte", x, layer["wv"]).unflatten(-1, (n_heads, d // n_heads))
    scores = torch.einsum("bihe,bjhe->bhij", q.double(), k.double()) / math.sqrt(d / n_heads)
    mask = torch.full((T, T), float("-inf"), dtype=torch.float64, device=x.device).triu(diagonal=1)
    weights = torch.softmax(scores + mask, dim=-1)
    mixed = torch.einsum("bhij,bjhe->bihe", weights, v.double()).flatten(2).float()
    return torch.einsum("bte,ed->btd", mixed, layer["wo"])
'''

EINSUM_FORWARD = '''\
def forward(params, tokens, config=CONFIG):
    """Logits (B, T, V) of the tiny decoder-only model for token ids (B, T)."""
    d = config["hidden_size"]
    h = F.embedding(tokens, params["tok_emb"]) + params["pos_emb"][: tokens.shape[-1]].unsqueeze(0)
    for p in params["layers"]:
        a = F.layer_norm(h, [d], weight=p["ln1_w"], bias=p["ln1_b"], eps=EPS)
        h = h + causal_self_attention(a, p, config["num_attention_heads"])
        m = F.layer_norm(h, [d], weight=p["ln2_w"], bias=p["ln2_b"], eps=EPS)
        h = h + torch.einsum("btf,fd->btd", F.gelu(torch.einsum("btd,df->btf", m, p["w1"]) + p["b1"]), p["w2"]) + p["b2"]
    return torch.einsum("btd,dv->btv", F.layer_norm(h, [d], weight=params["lnf_w"], bias=params["lnf_b"], eps=EPS), params["w_out"])
'''

EINSUM_CACHE = '''\
def forward_cached(params, tokens, cache=None, config=CONFIG):
    """Logits (B, T_new, V) of `tokens`, which follow the positions in `cache`, and the cache extended by them."""
    d, H = config["hidden_size"], config["num_attention_heads"]
    start = cache[0][0].size(2) if cache else 0
    T = tokens.size(1)
    h = F.embedding(tokens, params["tok_emb"]) + params["pos_emb"][start:start + T]
    # position start + i may see keys 0 .. start + i: -inf above the diagonal shifted by `start`
    mask = torch.full((T, start + T), float("-inf"), dtype=torch.float64, device=h.device).triu(diagonal=start + 1)
    out_cache = []
    for layer_index, p in enumerate(params["layers"]):
        a = F.layer_norm(h, [d], weight=p["ln1_w"], bias=p["ln1_b"], eps=EPS)
        q, k, v = (torch.einsum("btd,de->bte", a, p[w]).unflatten(-1, (H, d // H)).permute(0, 2, 1, 3) for w in ("wq", "wk", "wv"))
        if cache:
            k = torch.cat((cache[layer_index][0], k), dim=2)
            v = torch.cat((cache[layer_index][1], v), dim=2)
        out_cache.append((k, v))
        scores = torch.einsum("bhie,bhje->bhij", q.double(), k.double()) / math.sqrt(d / H)
        mixed = torch.einsum("bhij,bhje->bhie", torch.softmax(scores + mask, dim=-1), v.double())
        h = h + torch.einsum("bte,ed->btd", mixed.permute(0, 2, 1, 3).flatten(2).float(), p["wo"])
        m = F.layer_norm(h, [d], weight=p["ln2_w"], bias=p["ln2_b"], eps=EPS)
        h = h + torch.einsum("btf,fd->btd", F.gelu(torch.einsum("btd,df->btf", m, p["w1"]) + p["b1"]), p["w2"]) + p["b2"]
    final = F.layer_norm(h, [d], weight=params["lnf_w"], bias=params["lnf_b"], eps=EPS)
    return torch.einsum("btd,dv->btv", final, params["w_out"]), out_cache


def greedy_generate(params, prompt, n_new, use_cache=True, config=CONFIG):
    """The prompt (B, T0) followed by n_new greedy tokens, int64 (B, T0 + n_new)."""
    pieces = [prompt]
    if use_cache:
        logits, cache = forward_cached(params, prompt, None, config)
        for i in range(n_new):
            pieces.append(logits[:, -1:].argmax(-1))
            if i + 1 < n_new:
                logits, cache = forward_cached(params, pieces[-1], cache, config)
    else:
        for _ in range(n_new):
            pieces.append(forward(params, torch.cat(pieces, dim=1), config)[:, -1:].argmax(-1))
    return torch.cat(pieces, dim=1)
'''

EINSUM_COUNTS = '''\
def param_count(config):
    """Number of parameters of the tiny model that make_params(config) builds."""
    V, d, L = config["vocab_size"], config["hidden_size"], config["num_hidden_layers"]
    ff, M = config["intermediate_size"], config["max_position_embeddings"]
    return d * (2 * V + M + 2) + L * (d * (4 * d + 2 * ff + 5) + ff)


def prefill_flops(config, prompt_len):
    """Matmul FLOPs (2 per multiply-add) of one forward pass over a prompt of prompt_len tokens, batch 1."""
    V, d, L, ff = (config[k] for k in ("vocab_size", "hidden_size", "num_hidden_layers", "intermediate_size"))
    T = prompt_len
    return 2 * T * d * (L * (4 * d + 2 * T + 2 * ff) + V)


def decode_flops(config, cache_len):
    """Matmul FLOPs of one decode step: one new token after cache_len cached positions, batch 1."""
    V, d, L, ff = (config[k] for k in ("vocab_size", "hidden_size", "num_hidden_layers", "intermediate_size"))
    return 2 * d * (L * (4 * d + 2 * (cache_len + 1) + 2 * ff) + V)


def prefill_bytes(config, prompt_len):
    """Bytes a prefill of prompt_len tokens moves: every parameter once, plus the keys and values it writes."""
    itemsize = getattr(torch, config["torch_dtype"]).itemsize
    return itemsize * param_count(config) + itemsize * 2 * config["num_hidden_layers"] * config["hidden_size"] * prompt_len


def decode_bytes(config, cache_len):
    """Bytes one decode step moves: every parameter once, the cached keys and values, and the new ones."""
    return prefill_bytes(config, cache_len + 1)
'''

EINSUM_KV = '''\
BYTES = {"float64": 8, "float32": 4, "bfloat16": 2, "float16": 2, "float8_e4m3fn": 1, "float8_e5m2": 1}


def kv_bytes_per_token(config):
    """Bytes of keys and values that one token keeps in the cache, over all layers."""
    H = config["num_attention_heads"]
    H_kv = config.get("num_key_value_heads") or H
    d_h = config.get("head_dim") or config["hidden_size"] // H
    return config["num_hidden_layers"] * H_kv * d_h * 2 * BYTES[config["torch_dtype"]]


def kv_cache_bytes(config, seq_len, batch=1):
    """Bytes of the KV cache of `batch` sequences of seq_len tokens."""
    return int(batch) * int(seq_len) * kv_bytes_per_token(config)


def max_batch(config, gpu_memory_bytes, seq_len):
    """The most sequences of seq_len tokens whose KV caches fit in the GPU's memory beside the weights (0 if none)."""
    room = int(gpu_memory_bytes) - config["num_parameters"] * BYTES[config["torch_dtype"]]
    return room // kv_cache_bytes(config, seq_len) if room > 0 else 0
'''

EINSUM_SPEED = '''\
def decode_roofline(config, gpu, cache_len, batch=1):
    """Roofline bound on decode tokens/s for `batch` sequences after cache_len cached tokens: {"tokens_per_s", "bound"}."""
    H = config["num_attention_heads"]
    d_h = config.get("head_dim") or config["hidden_size"] // H
    weights = config["num_parameters"]
    per_sequence_flops = 2 * weights + 4 * config["num_hidden_layers"] * H * d_h * (cache_len + 1)
    step_bytes = weights * BYTES[config["torch_dtype"]] + batch * kv_cache_bytes(config, cache_len + 1)
    compute_s = batch * per_sequence_flops / gpu["peak_flops"]
    memory_s = step_bytes / gpu["bandwidth"]
    bound = "compute" if compute_s >= memory_s else "memory"
    return {"tokens_per_s": batch / (compute_s if bound == "compute" else memory_s), "bound": bound}


def decode_tokens_per_s(params, prompt, n_new, config=CONFIG, warmup=2, repeat=5, device=DEVICE, clock=time.perf_counter):
    """Measured tokens/s of greedy_generate with the cache: warm-up, synchronised clock reads, median of `repeat` runs."""
    if not repeat >= 1:
        raise ValueError(f"repeat={repeat}")
    wait = (lambda: torch.cuda.synchronize(device)) if str(torch.device(device).type) == "cuda" else (lambda: None)
    run = lambda: greedy_generate(params, prompt, n_new, use_cache=True, config=config)  # noqa: E731
    for _ in range(warmup):
        run()
    wait()
    times = []
    for _ in range(repeat):
        begin = clock()
        run()
        wait()
        times.append(clock() - begin)
    times.sort()
    middle = len(times) // 2
    median = times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2
    return prompt.size(0) * n_new / median
'''

EINSUM_ENERGY = '''\
def tokens_per_joule(params, prompt, n_new, rounds=10, config=CONFIG, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Generate `rounds` times under a CodeCarbon tracker: {"tokens", "joules", "tokens_per_joule", "power_method", "basis"}."""
    on_gpu = torch.device(device).type == "cuda"
    meter = tracker_class(**TRACKER_SETTINGS)
    meter.start()
    try:
        for _ in range(rounds):
            greedy_generate(params, prompt, n_new, use_cache=True, config=config)
        if on_gpu:
            torch.cuda.synchronize(device)
    finally:
        meter.stop()
    energy_kwh = getattr(meter.final_emissions_data, "energy_consumed", None)
    if energy_kwh is None or not math.isfinite(energy_kwh) or energy_kwh <= 0:
        raise RuntimeError("CodeCarbon measured no energy")
    methods = power_sources(meter)
    part = "GPU" if on_gpu else "CPU"
    if methods.get(part) is None:
        raise RuntimeError(f"CodeCarbon has no {part}")
    tokens = rounds * prompt.size(0) * n_new
    joules = energy_kwh * 3.6e6
    return dict(tokens=tokens, joules=joules, tokens_per_joule=tokens / joules, power_method=methods[part],
                basis="measured" if methods[part] in MEASURED_METHODS else "estimated")
'''

EINSUM_SPECULATIVE = '''\
def expected_tokens_per_call(alpha, gamma):
    """Expected tokens per target-model call with draft length gamma and acceptance rate alpha."""
    if not (0.0 <= alpha <= 1.0) or gamma < 0:
        raise ValueError("need 0 <= alpha <= 1 and gamma >= 0")
    return float(gamma + 1) if alpha >= 1.0 else (1.0 - alpha ** (gamma + 1)) / (1.0 - alpha)


def speculative_speedup(alpha, gamma, c):
    """Expected wall-time speed-up of speculative decoding (Leviathan et al., 2023)."""
    if c < 0:
        raise ValueError("c must be non-negative")
    e = expected_tokens_per_call(alpha, gamma)
    return e / (gamma * c + 1.0)


def best_draft_length(alpha, c, max_gamma=10):
    """The draft length 0..max_gamma with the largest expected speed-up (the smallest on a tie)."""
    speedups = [speculative_speedup(alpha, g, c) for g in range(max_gamma + 1)]
    return speedups.index(max(speedups))
'''

# ---------------------------------------------------------------------------------------------------------------
# 3. One sequence at a time with torch.bmm, a hand-written softmax, counts and helpers in a cell of their own.
# ---------------------------------------------------------------------------------------------------------------

BMM_HELPERS = '''\
# My helpers: one sequence at a time, heads as the batch of torch.bmm.
def to_heads(t, n_heads):
    """(T, d) -> (H, T, d_h)."""
    T, d = t.shape
    return t.view(T, n_heads, d // n_heads).permute(1, 0, 2)


def from_heads(t):
    """(H, T, d_h) -> (T, H * d_h)."""
    H, T, dh = t.shape
    return t.permute(1, 0, 2).reshape(T, H * dh)


def masked_softmax(scores, allowed):
    """Softmax over the last axis, written out: subtract the row maximum, exponentiate, normalise."""
    scores = scores.masked_fill(~allowed, float("-inf"))
    scores = scores - scores.max(dim=-1, keepdim=True).values
    e = torch.exp(scores)
    return e / e.sum(dim=-1, keepdim=True)


def itemsize_of(config):
    return torch.finfo(getattr(torch, config["torch_dtype"])).bits // 8
'''

BMM_ATTENTION = '''\
def causal_self_attention(x, layer, n_heads):
    """Multi-head causal self-attention of x (B, T, d) with the layer's wq, wk, wv, wo; returns (B, T, d)."""
    outputs = []
    for seq in x:  # (T, d)
        T, d = seq.shape
        q, k, v = (to_heads(seq @ layer[w], n_heads) for w in ("wq", "wk", "wv"))
        scores = torch.bmm(q, k.transpose(1, 2)) * (n_heads / d) ** 0.5
        allowed = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        outputs.append(from_heads(torch.bmm(masked_softmax(scores, allowed), v)) @ layer["wo"])
    return torch.stack(outputs)
'''

BMM_FORWARD = '''\
def forward(params, tokens, config=CONFIG):
    """Logits (B, T, V) of the tiny decoder-only model for token ids (B, T)."""
    d = config["hidden_size"]
    n_tokens = tokens.shape[1]
    h = params["tok_emb"].index_select(0, tokens.reshape(-1)).view(*tokens.shape, d) + params["pos_emb"][:n_tokens]
    for layer in params["layers"]:
        h = h + causal_self_attention(F.layer_norm(h, (d,), layer["ln1_w"], layer["ln1_b"], EPS), layer,
                                      config["num_attention_heads"])
        inner = F.layer_norm(h, (d,), layer["ln2_w"], layer["ln2_b"], EPS) @ layer["w1"]
        h = h + (F.gelu(inner + layer["b1"]) @ layer["w2"] + layer["b2"])
    return F.layer_norm(h, (d,), params["lnf_w"], params["lnf_b"], EPS) @ params["w_out"]
'''

BMM_CACHE = '''\
def forward_cached(params, tokens, cache=None, config=CONFIG):
    """Logits (B, T_new, V) of `tokens`, which follow the positions in `cache`, and the cache extended by them."""
    d, H = config["hidden_size"], config["num_attention_heads"]
    B, T = tokens.shape
    c = 0 if cache is None else int(cache[0][0].shape[2])
    h = params["tok_emb"][tokens] + params["pos_emb"][c:c + T]
    allowed = torch.ones(T, c + T, dtype=torch.bool, device=tokens.device).tril(diagonal=c)
    layers_out = []
    for li, layer in enumerate(params["layers"]):
        x = F.layer_norm(h, (d,), layer["ln1_w"], layer["ln1_b"], EPS)
        ks, vs, outs = [], [], []
        for b in range(B):
            q, k, v = (to_heads(x[b] @ layer[w], H) for w in ("wq", "wk", "wv"))
            if cache is not None:
                k = torch.cat([cache[li][0][b], k], dim=1)
                v = torch.cat([cache[li][1][b], v], dim=1)
            ks.append(k)
            vs.append(v)
            weights = masked_softmax(torch.bmm(q, k.transpose(1, 2)) * (H / d) ** 0.5, allowed)
            outs.append(from_heads(torch.bmm(weights, v)) @ layer["wo"])
        layers_out.append((torch.stack(ks), torch.stack(vs)))
        h = h + torch.stack(outs)
        inner = F.layer_norm(h, (d,), layer["ln2_w"], layer["ln2_b"], EPS) @ layer["w1"]
        h = h + (F.gelu(inner + layer["b1"]) @ layer["w2"] + layer["b2"])
    return F.layer_norm(h, (d,), params["lnf_w"], params["lnf_b"], EPS) @ params["w_out"], layers_out


def greedy_generate(params, prompt, n_new, use_cache=True, config=CONFIG):
    """The prompt (B, T0) followed by n_new greedy tokens, int64 (B, T0 + n_new)."""
    seq = prompt
    if use_cache:
        logits, cache = forward_cached(params, prompt, None, config)
    for step in range(n_new):
        if not use_cache:
            logits = forward(params, seq, config)
        best = torch.max(logits[:, -1], dim=-1).indices.view(-1, 1).to(torch.int64)
        seq = torch.cat([seq, best], dim=-1)
        if use_cache and step != n_new - 1:
            logits, cache = forward_cached(params, best, cache, config)
    return seq
'''

BMM_COUNTS = '''\
def param_count(config):
    """Number of parameters of the tiny model that make_params(config) builds."""
    V, d, ff, M = config["vocab_size"], config["hidden_size"], config["intermediate_size"], config["max_position_embeddings"]
    layer_shapes = [(d,), (d,), (d, d), (d, d), (d, d), (d, d), (d,), (d,), (d, ff), (ff,), (ff, d), (d,)]
    model_shapes = [(V, d), (M, d)] + layer_shapes * config["num_hidden_layers"] + [(d,), (d,), (d, V)]
    return sum(math.prod(shape) for shape in model_shapes)


def prefill_flops(config, prompt_len):
    """Matmul FLOPs (2 per multiply-add) of one forward pass over a prompt of prompt_len tokens, batch 1."""
    d, ff, V, L = config["hidden_size"], config["intermediate_size"], config["vocab_size"], config["num_hidden_layers"]
    total = 0
    for _ in range(L):
        total += 2 * prompt_len * d * (3 * d)  # Q, K, V
        total += 2 * prompt_len * prompt_len * d  # Q K^T over all heads
        total += 2 * prompt_len * prompt_len * d  # P V
        total += 2 * prompt_len * d * d  # W_O
        total += 2 * prompt_len * d * ff + 2 * prompt_len * ff * d  # the MLP
    return total + 2 * prompt_len * d * V


def decode_flops(config, cache_len):
    """Matmul FLOPs of one decode step: one new token after cache_len cached positions, batch 1."""
    d, ff, V, L = config["hidden_size"], config["intermediate_size"], config["vocab_size"], config["num_hidden_layers"]
    keys = cache_len + 1
    per_layer = 2 * d * 3 * d + 2 * keys * d + 2 * keys * d + 2 * d * d + 4 * d * ff
    return L * per_layer + 2 * d * V


def prefill_bytes(config, prompt_len):
    """Bytes a prefill of prompt_len tokens moves: every parameter once, plus the keys and values it writes."""
    values = param_count(config) + prompt_len * config["num_hidden_layers"] * 2 * config["hidden_size"]
    return values * itemsize_of(config)


def decode_bytes(config, cache_len):
    """Bytes one decode step moves: every parameter once, the cached keys and values, and the new ones."""
    values = param_count(config) + (cache_len + 1) * config["num_hidden_layers"] * 2 * config["hidden_size"]
    return values * itemsize_of(config)
'''

BMM_KV = '''\
import functools
import operator


def kv_bytes_per_token(config):
    """Bytes of keys and values that one token keeps in the cache, over all layers."""
    factors = [2, config["num_hidden_layers"], config.get("num_key_value_heads", config["num_attention_heads"]),
               config.get("head_dim", config["hidden_size"] // config["num_attention_heads"]), itemsize_of(config)]
    return functools.reduce(operator.mul, factors, 1)


def kv_cache_bytes(config, seq_len, batch=1):
    """Bytes of the KV cache of `batch` sequences of seq_len tokens."""
    return functools.reduce(operator.mul, [batch, seq_len, kv_bytes_per_token(config)], 1)


def max_batch(config, gpu_memory_bytes, seq_len):
    """The most sequences of seq_len tokens whose KV caches fit in the GPU's memory beside the weights (0 if none)."""
    weights = config["num_parameters"] * itemsize_of(config)
    n = 0
    per = kv_cache_bytes(config, seq_len)
    if gpu_memory_bytes - weights >= per:
        n = int((gpu_memory_bytes - weights) // per)
    return n
'''

BMM_SPEED = '''\
def decode_roofline(config, gpu, cache_len, batch=1):
    """Roofline bound on decode tokens/s for `batch` sequences after cache_len cached tokens: {"tokens_per_s", "bound"}."""
    L, H = config["num_hidden_layers"], config["num_attention_heads"]
    dh = config.get("head_dim", config["hidden_size"] // H)
    N = config["num_parameters"]
    F_step = batch * (2 * N + 4 * L * H * dh * (cache_len + 1))
    Q_step = N * itemsize_of(config) + batch * (cache_len + 1) * kv_bytes_per_token(config)
    compute_rate = batch * gpu["peak_flops"] / F_step  # tokens/s if only arithmetic limited
    memory_rate = batch * gpu["bandwidth"] / Q_step  # tokens/s if only memory limited
    return {"tokens_per_s": min(compute_rate, memory_rate),
            "bound": "compute" if F_step / gpu["peak_flops"] >= Q_step / gpu["bandwidth"] else "memory"}


def decode_tokens_per_s(params, prompt, n_new, config=CONFIG, warmup=2, repeat=5, device=DEVICE, clock=time.perf_counter):
    """Measured tokens/s of greedy_generate with the cache: warm-up, synchronised clock reads, median of `repeat` runs."""
    if repeat < 1:
        raise ValueError("need at least one timed run")

    def settle():
        if torch.device(device).type == "cuda":
            torch.cuda.synchronize(device)

    with torch.inference_mode():
        for _ in range(warmup):
            greedy_generate(params, prompt, n_new, use_cache=True, config=config)
        settle()
        stamps = []
        for _ in range(repeat):
            before = clock()
            greedy_generate(params, prompt, n_new, use_cache=True, config=config)
            settle()
            after = clock()
            stamps.append(after - before)
    return float(prompt.shape[0] * n_new / np.percentile(stamps, 50))
'''

BMM_ENERGY = '''\
def tokens_per_joule(params, prompt, n_new, rounds=10, config=CONFIG, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Generate `rounds` times under a CodeCarbon tracker: {"tokens", "joules", "tokens_per_joule", "power_method", "basis"}."""
    component = "GPU" if torch.device(device).type == "cuda" else "CPU"

    def work():
        for _ in range(rounds):
            greedy_generate(params, prompt, n_new, use_cache=True, config=config)
        if component == "GPU":
            torch.cuda.synchronize(device)

    tracker = tracker_class(**TRACKER_SETTINGS)
    tracker.start()
    try:
        work()
    finally:
        tracker.stop()
    data = tracker.final_emissions_data
    if data is None:
        raise RuntimeError("CodeCarbon returned no data")
    kwh = float(data.energy_consumed)
    if math.isnan(kwh) or math.isinf(kwh) or kwh <= 0.0:
        raise RuntimeError(f"implausible energy {kwh} kWh")
    method = power_sources(tracker).get(component)
    if method is None:
        raise RuntimeError(f"CodeCarbon does not track the {component}")
    n_tokens = rounds * prompt.shape[0] * n_new
    return {"tokens": n_tokens, "joules": kwh * 3.6e6, "tokens_per_joule": n_tokens / (kwh * 3.6e6),
            "power_method": method, "basis": {True: "measured", False: "estimated"}[method in MEASURED_METHODS]}
'''

BMM_SPECULATIVE = '''\
def expected_tokens_per_call(alpha, gamma):
    """Expected tokens per target-model call with draft length gamma and acceptance rate alpha."""
    if alpha < 0 or alpha > 1 or gamma < 0:
        raise ValueError(f"alpha={alpha}, gamma={gamma}")
    powers = np.power(float(alpha), np.arange(gamma + 1))  # 1, alpha, ..., alpha^gamma
    return float(powers.sum())


def speculative_speedup(alpha, gamma, c):
    """Expected wall-time speed-up of speculative decoding (Leviathan et al., 2023)."""
    if c < 0:
        raise ValueError(f"c={c}")
    return expected_tokens_per_call(alpha, gamma) / (gamma * c + 1)


def best_draft_length(alpha, c, max_gamma=10):
    """The draft length 0..max_gamma with the largest expected speed-up (the smallest on a tie)."""
    values = np.array([speculative_speedup(alpha, g, c) for g in range(max_gamma + 1)])
    return int(np.argmax(values))  # argmax returns the first maximum
'''

# ---------------------------------------------------------------------------------------------------------------
# 4. F.linear and torch.baddbmm, additive masks, attention helper reused everywhere, closed forms by hand.
# ---------------------------------------------------------------------------------------------------------------

LINEAR_ATTENTION = '''\
def attend(q, k, v, offset):
    """q (B, H, T, d_h) against k, v (B, H, S, d_h); query i sits at position offset + i and sees keys 0..offset+i."""
    T, S = q.shape[2], k.shape[2]
    query_at = torch.arange(T, device=q.device)[:, None] + offset
    key_at = torch.arange(S, device=q.device)[None, :]
    additive = torch.zeros(T, S, device=q.device).masked_fill(key_at > query_at, float("-inf"))
    flat_q = q.reshape(-1, T, q.shape[-1])
    flat_k = k.reshape(-1, S, k.shape[-1])
    scores = torch.baddbmm(additive.expand(flat_q.shape[0], T, S), flat_q, flat_k.transpose(1, 2), alpha=q.shape[-1] ** -0.5)
    return torch.bmm(F.softmax(scores, dim=-1), v.reshape(-1, S, v.shape[-1])).reshape(q.shape)


def causal_self_attention(x, layer, n_heads):
    """Multi-head causal self-attention of x (B, T, d) with the layer's wq, wk, wv, wo; returns (B, T, d)."""
    B, T, d = x.shape
    q, k, v = (F.linear(x, layer[w].t()).view(B, T, n_heads, -1).transpose(1, 2) for w in ("wq", "wk", "wv"))
    mixed = attend(q, k, v, 0).transpose(1, 2).contiguous().view(B, T, d)
    return F.linear(mixed, layer["wo"].t())
'''

LINEAR_FORWARD = '''\
def block(h, layer, n_heads):
    d = h.shape[-1]
    h = h + causal_self_attention(F.layer_norm(h, (d,), layer["ln1_w"], layer["ln1_b"], EPS), layer, n_heads)
    hidden = F.gelu(F.linear(F.layer_norm(h, (d,), layer["ln2_w"], layer["ln2_b"], EPS), layer["w1"].t(), layer["b1"]))
    return h + F.linear(hidden, layer["w2"].t(), layer["b2"])


def forward(params, tokens, config=CONFIG):
    """Logits (B, T, V) of the tiny decoder-only model for token ids (B, T)."""
    h = params["tok_emb"][tokens] + params["pos_emb"][torch.arange(tokens.shape[1], device=tokens.device)]
    for layer in params["layers"]:
        h = block(h, layer, config["num_attention_heads"])
    d = config["hidden_size"]
    return F.linear(F.layer_norm(h, (d,), params["lnf_w"], params["lnf_b"], EPS), params["w_out"].t())
'''

LINEAR_CACHE = '''\
def forward_cached(params, tokens, cache=None, config=CONFIG):
    """Logits (B, T_new, V) of `tokens`, which follow the positions in `cache`, and the cache extended by them."""
    B, T = tokens.shape
    d, H = config["hidden_size"], config["num_attention_heads"]
    offset = 0 if not cache else cache[0][0].shape[-2]
    h = params["tok_emb"][tokens] + params["pos_emb"][offset:offset + T]
    grown = []
    for i, layer in enumerate(params["layers"]):
        x = F.layer_norm(h, (d,), layer["ln1_w"], layer["ln1_b"], EPS)
        q, k, v = (F.linear(x, layer[w].t()).view(B, T, H, -1).transpose(1, 2) for w in ("wq", "wk", "wv"))
        if cache:
            k, v = torch.cat((cache[i][0], k), -2), torch.cat((cache[i][1], v), -2)
        grown.append((k, v))
        h = h + F.linear(attend(q, k, v, offset).transpose(1, 2).reshape(B, T, d), layer["wo"].t())
        hidden = F.gelu(F.linear(F.layer_norm(h, (d,), layer["ln2_w"], layer["ln2_b"], EPS), layer["w1"].t(), layer["b1"]))
        h = h + F.linear(hidden, layer["w2"].t(), layer["b2"])
    return F.linear(F.layer_norm(h, (d,), params["lnf_w"], params["lnf_b"], EPS), params["w_out"].t()), grown


def greedy_generate(params, prompt, n_new, use_cache=True, config=CONFIG):
    """The prompt (B, T0) followed by n_new greedy tokens, int64 (B, T0 + n_new)."""
    if not use_cache:
        seq = prompt
        for _ in range(n_new):
            seq = torch.cat([seq, forward(params, seq, config)[:, -1].argmax(-1, keepdim=True)], 1)
        return seq
    logits, cache = forward_cached(params, prompt, None, config)
    chosen = [logits[:, -1].argmax(-1, keepdim=True)]
    for _ in range(n_new - 1):
        logits, cache = forward_cached(params, chosen[-1], cache, config)
        chosen.append(logits[:, -1].argmax(-1, keepdim=True))
    return torch.cat([prompt] + chosen, 1)
'''

LINEAR_COUNTS = '''\
def param_count(config):
    """Number of parameters of the tiny model that make_params(config) builds."""
    V, d, L = config["vocab_size"], config["hidden_size"], config["num_hidden_layers"]
    ff, M = config["intermediate_size"], config["max_position_embeddings"]
    embeddings = (V + M) * d
    attention = 4 * d**2
    mlp = d * ff + ff + ff * d + d
    norms = 2 * 2 * d
    return embeddings + L * (attention + mlp + norms) + 2 * d + V * d


def prefill_flops(config, prompt_len):
    """Matmul FLOPs (2 per multiply-add) of one forward pass over a prompt of prompt_len tokens, batch 1."""
    return step_flops(config, queries=prompt_len, keys=prompt_len)


def decode_flops(config, cache_len):
    """Matmul FLOPs of one decode step: one new token after cache_len cached positions, batch 1."""
    return step_flops(config, queries=1, keys=cache_len + 1)


def step_flops(config, queries, keys):
    d = config["hidden_size"]
    macs = config["num_hidden_layers"] * (queries * 4 * d * d + 2 * queries * keys * d + queries * 2 * d * config["intermediate_size"])
    return 2 * (macs + queries * d * config["vocab_size"])


def prefill_bytes(config, prompt_len):
    """Bytes a prefill of prompt_len tokens moves: every parameter once, plus the keys and values it writes."""
    b = {"float32": 4, "float16": 2, "bfloat16": 2}.get(config["torch_dtype"], 4)
    return b * param_count(config) + b * 2 * config["num_hidden_layers"] * config["hidden_size"] * prompt_len


def decode_bytes(config, cache_len):
    """Bytes one decode step moves: every parameter once, the cached keys and values, and the new ones."""
    b = {"float32": 4, "float16": 2, "bfloat16": 2}.get(config["torch_dtype"], 4)
    return b * param_count(config) + b * 2 * config["num_hidden_layers"] * config["hidden_size"] * (cache_len + 1)
'''

LINEAR_KV = '''\
def kv_bytes_per_token(config):
    """Bytes of keys and values that one token keeps in the cache, over all layers."""
    c = dict(config)
    c.setdefault("num_key_value_heads", c["num_attention_heads"])
    c.setdefault("head_dim", c["hidden_size"] // c["num_attention_heads"])
    b = getattr(torch, c["torch_dtype"]).itemsize
    return 2 * c["num_hidden_layers"] * c["num_key_value_heads"] * c["head_dim"] * b


def kv_cache_bytes(config, seq_len, batch=1):
    """Bytes of the KV cache of `batch` sequences of seq_len tokens."""
    return seq_len * batch * kv_bytes_per_token(config)


def max_batch(config, gpu_memory_bytes, seq_len):
    """The most sequences of seq_len tokens whose KV caches fit in the GPU's memory beside the weights (0 if none)."""
    b = getattr(torch, config["torch_dtype"]).itemsize
    spare = gpu_memory_bytes - b * config["num_parameters"]
    count = math.floor(spare / kv_cache_bytes(config, seq_len))
    return count if count > 0 else 0
'''

LINEAR_SPEED = '''\
def decode_roofline(config, gpu, cache_len, batch=1):
    """Roofline bound on decode tokens/s for `batch` sequences after cache_len cached tokens: {"tokens_per_s", "bound"}."""
    b = getattr(torch, config["torch_dtype"]).itemsize
    attn_width = config["num_attention_heads"] * config.get("head_dim", config["hidden_size"] // config["num_attention_heads"])
    per_token_flops = 2 * config["num_parameters"] + 4 * config["num_hidden_layers"] * attn_width * (cache_len + 1)
    seconds_compute = batch * per_token_flops / gpu["peak_flops"]
    seconds_memory = (b * config["num_parameters"] + kv_cache_bytes(config, cache_len + 1, batch)) / gpu["bandwidth"]
    seconds = max(seconds_compute, seconds_memory)
    return {"tokens_per_s": batch / seconds, "bound": "memory" if seconds_memory > seconds_compute else "compute"}


def decode_tokens_per_s(params, prompt, n_new, config=CONFIG, warmup=2, repeat=5, device=DEVICE, clock=time.perf_counter):
    """Measured tokens/s of greedy_generate with the cache: warm-up, synchronised clock reads, median of `repeat` runs."""
    if repeat <= 0:
        raise ValueError("repeat must be positive")
    gpu = torch.device(device).type == "cuda"
    for _ in range(warmup):
        greedy_generate(params, prompt, n_new, use_cache=True, config=config)
    if gpu:
        torch.cuda.synchronize(device)
    rates = []
    for _ in range(repeat):
        start = clock()
        greedy_generate(params, prompt, n_new, use_cache=True, config=config)
        if gpu:
            torch.cuda.synchronize(device)
        rates.append(clock() - start)
    return prompt.shape[0] * n_new / float(np.median(np.array(rates)))
'''

LINEAR_ENERGY = '''\
def tokens_per_joule(params, prompt, n_new, rounds=10, config=CONFIG, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Generate `rounds` times under a CodeCarbon tracker: {"tokens", "joules", "tokens_per_joule", "power_method", "basis"}."""
    tracker = tracker_class(**TRACKER_SETTINGS)
    tracker.start()
    try:
        for _ in range(rounds):
            greedy_generate(params, prompt, n_new, use_cache=True, config=config)
        if torch.device(device).type == "cuda":
            torch.cuda.synchronize(device)
    finally:
        tracker.stop()
    result = tracker.final_emissions_data
    energy = None if result is None else result.energy_consumed
    if not (energy is not None and 0 < energy < float("inf")):
        raise RuntimeError(f"no usable energy: {energy}")
    report = {"tokens": rounds * int(prompt.shape[0]) * n_new, "joules": 3.6e6 * energy}
    report["tokens_per_joule"] = report["tokens"] / report["joules"]
    sources = power_sources(tracker)
    wanted = "GPU" if torch.device(device).type == "cuda" else "CPU"
    if wanted not in sources:
        raise RuntimeError("the tracker does not see the device that generated")
    report["power_method"] = sources[wanted]
    report["basis"] = "measured" if report["power_method"] in MEASURED_METHODS else "estimated"
    return report
'''

LINEAR_SPECULATIVE = '''\
def expected_tokens_per_call(alpha, gamma):
    """Expected tokens per target-model call with draft length gamma and acceptance rate alpha."""
    if gamma < 0 or not 0 <= alpha <= 1:
        raise ValueError("alpha in [0, 1] and gamma >= 0 required")
    if alpha == 1:
        return gamma + 1.0
    return (alpha ** (gamma + 1) - 1) / (alpha - 1)


def speculative_speedup(alpha, gamma, c):
    """Expected wall-time speed-up of speculative decoding (Leviathan et al., 2023)."""
    if c < 0 or gamma < 0 or not 0 <= alpha <= 1:
        raise ValueError("alpha in [0, 1], gamma >= 0 and c >= 0 required")
    if alpha == 1:
        return (gamma + 1) / (gamma * c + 1)
    return (1 - alpha ** (gamma + 1)) / ((1 - alpha) * (gamma * c + 1))


def best_draft_length(alpha, c, max_gamma=10):
    """The draft length 0..max_gamma with the largest expected speed-up (the smallest on a tie)."""
    ranked = sorted(range(max_gamma + 1), key=lambda g: (-speculative_speedup(alpha, g, c), g))
    return ranked[0]
'''

# ---------------------------------------------------------------------------------------------------------------
# 5. A student's two styles: (a) loops over the batch and the heads, head-by-head projections on the weights'
#    columns, plain-Python counts term by term, a binary search for the batch; (b) reshapes and einsum, one fused
#    QKV product, a hand-written layer norm and erf GELU, closed forms, intensity comparisons, np.median.
# ---------------------------------------------------------------------------------------------------------------

STUDENT_LOOPS_ATTENTION = '''\
def causal_self_attention(x, layer, n_heads):
    """Multi-head causal self-attention of x (B, T, d) with the layer's wq, wk, wv, wo; returns (B, T, d)."""
    B, T, d = x.shape
    dh = d // n_heads
    hide = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)  # key j > query i
    out = torch.zeros_like(x)
    for b in range(B):
        xb = x[b]  # (T, d)
        for h in range(n_heads):
            cols = slice(h * dh, (h + 1) * dh)
            q = xb @ layer["wq"][:, cols]
            k = xb @ layer["wk"][:, cols]
            v = xb @ layer["wv"][:, cols]
            s = (q @ k.T) / math.sqrt(dh)
            s = s.masked_fill(hide, float("-inf"))
            o = torch.softmax(s, dim=-1) @ v  # (T, dh)
            out[b] = out[b] + o @ layer["wo"][cols, :]  # concat-then-project == sum of per-head blocks
    return out
'''

STUDENT_LOOPS_FORWARD = '''\
def forward(params, tokens, config=CONFIG):
    """Logits (B, T, V) of the tiny decoder-only model for token ids (B, T)."""
    T = tokens.shape[1]
    d = config["hidden_size"]
    h = params["tok_emb"][tokens] + params["pos_emb"][:T]
    for layer in params["layers"]:
        a = F.layer_norm(h, (d,), layer["ln1_w"], layer["ln1_b"], eps=EPS)
        h = h + causal_self_attention(a, layer, config["num_attention_heads"])
        m = F.layer_norm(h, (d,), layer["ln2_w"], layer["ln2_b"], eps=EPS)
        h = h + F.gelu(m @ layer["w1"] + layer["b1"]) @ layer["w2"] + layer["b2"]
    return F.layer_norm(h, (d,), params["lnf_w"], params["lnf_b"], eps=EPS) @ params["w_out"]
'''

STUDENT_LOOPS_CACHE = '''\
def forward_cached(params, tokens, cache=None, config=CONFIG):
    """Logits (B, T_new, V) of `tokens`, which follow the positions in `cache`, and the cache extended by them."""
    B, Tn = tokens.shape
    d, H = config["hidden_size"], config["num_attention_heads"]
    dh = d // H
    c = 0 if cache is None else cache[0][0].shape[2]
    h = params["tok_emb"][tokens] + params["pos_emb"][c:c + Tn]
    hide = torch.ones(Tn, c + Tn, dtype=torch.bool, device=tokens.device).triu(c + 1)  # key j > c + i
    new_cache = []
    for li, layer in enumerate(params["layers"]):
        a = F.layer_norm(h, (d,), layer["ln1_w"], layer["ln1_b"], eps=EPS)
        q_all, k_all, v_all = a @ layer["wq"], a @ layer["wk"], a @ layer["wv"]
        heads, ks, vs = [], [], []
        for j in range(H):
            cols = slice(j * dh, (j + 1) * dh)
            k_h, v_h = k_all[:, :, cols], v_all[:, :, cols]  # (B, Tn, dh)
            if cache is not None:
                k_h = torch.cat([cache[li][0][:, j], k_h], dim=1)
                v_h = torch.cat([cache[li][1][:, j], v_h], dim=1)
            ks.append(k_h)
            vs.append(v_h)
            s = torch.matmul(q_all[:, :, cols], k_h.transpose(1, 2)) / math.sqrt(dh)  # (B, Tn, c + Tn)
            s = s.masked_fill(hide, float("-inf"))
            heads.append(torch.matmul(torch.softmax(s, dim=-1), v_h))
        new_cache.append((torch.stack(ks, dim=1), torch.stack(vs, dim=1)))
        h = h + torch.cat(heads, dim=-1) @ layer["wo"]
        m = F.layer_norm(h, (d,), layer["ln2_w"], layer["ln2_b"], eps=EPS)
        h = h + F.gelu(m @ layer["w1"] + layer["b1"]) @ layer["w2"] + layer["b2"]
    logits = F.layer_norm(h, (d,), params["lnf_w"], params["lnf_b"], eps=EPS) @ params["w_out"]
    return logits, new_cache


def greedy_generate(params, prompt, n_new, use_cache=True, config=CONFIG):
    """The prompt (B, T0) followed by n_new greedy tokens, int64 (B, T0 + n_new)."""
    pieces = [prompt]
    if use_cache:
        logits, cache = forward_cached(params, prompt, None, config)
        nxt = logits[:, -1].argmax(dim=-1).unsqueeze(1)
        pieces.append(nxt)
        for _ in range(n_new - 1):
            logits, cache = forward_cached(params, nxt, cache, config)
            nxt = logits[:, -1].argmax(dim=-1).unsqueeze(1)
            pieces.append(nxt)
    else:
        for _ in range(n_new):
            logits = forward(params, torch.cat(pieces, dim=1), config)
            pieces.append(logits[:, -1].argmax(dim=-1).unsqueeze(1))
    return torch.cat(pieces, dim=1).to(torch.int64)
'''

STUDENT_LOOPS_COUNTS = '''\
def param_count(config):
    """Number of parameters of the tiny model that make_params(config) builds."""
    V, d, L = config["vocab_size"], config["hidden_size"], config["num_hidden_layers"]
    dff, M = config["intermediate_size"], config["max_position_embeddings"]
    shapes = [(V, d), (M, d)]
    for _ in range(L):
        shapes += [(d,), (d,), (d, d), (d, d), (d, d), (d, d), (d,), (d,), (d, dff), (dff,), (dff, d), (d,)]
    shapes += [(d,), (d,), (d, V)]
    total = 0
    for shape in shapes:
        n = 1
        for s in shape:
            n *= s
        total += n
    return total


def _mm(m, k, n):
    return 2 * m * k * n


def _pass_flops(config, n_queries, n_keys):
    V, d, L, dff = config["vocab_size"], config["hidden_size"], config["num_hidden_layers"], config["intermediate_size"]
    total = 0
    for _ in range(L):
        for _proj in range(4):
            total += _mm(n_queries, d, d)
        total += _mm(n_queries, d, n_keys)  # Q K^T over all heads
        total += _mm(n_queries, n_keys, d)  # P V over all heads
        total += _mm(n_queries, d, dff) + _mm(n_queries, dff, d)
    total += _mm(n_queries, d, V)
    return total


def prefill_flops(config, prompt_len):
    """Matmul FLOPs (2 per multiply-add) of one forward pass over a prompt of prompt_len tokens, batch 1."""
    return int(_pass_flops(config, prompt_len, prompt_len))


def decode_flops(config, cache_len):
    """Matmul FLOPs of one decode step: one new token after cache_len cached positions, batch 1."""
    return int(_pass_flops(config, 1, cache_len + 1))


def _itemsize(config):
    return getattr(torch, config["torch_dtype"]).itemsize


def prefill_bytes(config, prompt_len):
    """Bytes a prefill of prompt_len tokens moves: every parameter once, plus the keys and values it writes."""
    kv = 0
    for _ in range(config["num_hidden_layers"]):
        kv += 2 * prompt_len * config["hidden_size"]
    return int(_itemsize(config) * (param_count(config) + kv))


def decode_bytes(config, cache_len):
    """Bytes one decode step moves: every parameter once, the cached keys and values, and the new ones."""
    kv = 0
    for _ in range(config["num_hidden_layers"]):
        kv += 2 * (cache_len + 1) * config["hidden_size"]
    return int(_itemsize(config) * (param_count(config) + kv))
'''

STUDENT_LOOPS_KV = '''\
def kv_bytes_per_token(config):
    """Bytes of keys and values that one token keeps in the cache, over all layers."""
    H = config["num_attention_heads"]
    H_kv = config["num_key_value_heads"] if "num_key_value_heads" in config else H
    d_h = config["head_dim"] if "head_dim" in config else config["hidden_size"] // H
    b = getattr(torch, config["torch_dtype"]).itemsize
    per_layer = 2 * H_kv * d_h * b
    total = 0
    for _ in range(config["num_hidden_layers"]):
        total += per_layer
    return int(total)


def kv_cache_bytes(config, seq_len, batch=1):
    """Bytes of the KV cache of `batch` sequences of seq_len tokens."""
    return int(batch * seq_len * kv_bytes_per_token(config))


def max_batch(config, gpu_memory_bytes, seq_len):
    """The most sequences of seq_len tokens whose KV caches fit in the GPU's memory beside the weights (0 if none)."""
    weights = config["num_parameters"] * getattr(torch, config["torch_dtype"]).itemsize
    per_seq = kv_cache_bytes(config, seq_len)

    def fits(n):  # exact comparison of Python ints with the (possibly float) memory size
        return weights + n * per_seq <= gpu_memory_bytes

    if not fits(1):
        return 0
    hi = 1
    while fits(hi * 2):
        hi *= 2
    lo, hi = hi, hi * 2  # fits(lo), not fits(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return int(lo)
'''

STUDENT_LOOPS_SPEED = '''\
def decode_roofline(config, gpu, cache_len, batch=1):
    """Roofline bound on decode tokens/s for `batch` sequences after cache_len cached tokens: {"tokens_per_s", "bound"}."""
    N = config["num_parameters"]
    L, H = config["num_hidden_layers"], config["num_attention_heads"]
    d_h = config["head_dim"] if "head_dim" in config else config["hidden_size"] // H
    b = getattr(torch, config["torch_dtype"]).itemsize
    flops = batch * (2 * N + 4 * L * H * d_h * (cache_len + 1))
    moved = N * b + batch * (cache_len + 1) * kv_bytes_per_token(config)
    t_compute = flops / gpu["peak_flops"]
    t_memory = moved / gpu["bandwidth"]
    if t_memory > t_compute:
        return {"tokens_per_s": batch / t_memory, "bound": "memory"}
    return {"tokens_per_s": batch / t_compute, "bound": "compute"}


def decode_tokens_per_s(params, prompt, n_new, config=CONFIG, warmup=2, repeat=5, device=DEVICE, clock=time.perf_counter):
    """Measured tokens/s of greedy_generate with the cache: warm-up, synchronised clock reads, median of `repeat` runs."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    on_cuda = torch.device(device).type == "cuda"
    for _ in range(warmup):
        greedy_generate(params, prompt, n_new, use_cache=True, config=config)
    if on_cuda:
        torch.cuda.synchronize(device)
    durations = []
    for _ in range(repeat):
        start = clock()
        greedy_generate(params, prompt, n_new, use_cache=True, config=config)
        if on_cuda:
            torch.cuda.synchronize(device)
        durations.append(clock() - start)
    durations.sort()
    mid = len(durations) // 2
    median = durations[mid] if len(durations) % 2 else (durations[mid - 1] + durations[mid]) / 2
    return float(prompt.shape[0] * n_new / median)
'''

STUDENT_LOOPS_ENERGY = '''\
def tokens_per_joule(params, prompt, n_new, rounds=10, config=CONFIG, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Generate `rounds` times under a CodeCarbon tracker: {"tokens", "joules", "tokens_per_joule", "power_method", "basis"}."""
    on_cuda = torch.device(device).type == "cuda"
    tracker = tracker_class(**TRACKER_SETTINGS)
    tracker.start()
    try:
        for _ in range(rounds):
            greedy_generate(params, prompt, n_new, use_cache=True, config=config)
        if on_cuda:
            torch.cuda.synchronize(device)
    finally:
        tracker.stop()
    data = tracker.final_emissions_data
    if data is None:
        raise RuntimeError("the tracker recorded no emissions data")
    kwh = data.energy_consumed
    if not (isinstance(kwh, (int, float)) and math.isfinite(kwh) and kwh > 0):
        raise RuntimeError(f"the tracker measured no energy: {kwh!r}")
    joules = float(kwh) * 3.6e6
    tokens = int(rounds * prompt.shape[0] * n_new)
    sources = power_sources(tracker)
    component = "GPU" if on_cuda else "CPU"
    if component not in sources:
        raise RuntimeError(f"CodeCarbon tracked no {component}")
    method = sources[component]
    return {"tokens": tokens, "joules": joules, "tokens_per_joule": tokens / joules, "power_method": method,
            "basis": "measured" if method in MEASURED_METHODS else "estimated"}
'''

STUDENT_LOOPS_SPECULATIVE = '''\
def _check(alpha, gamma=0, c=0.0):
    if not (0 <= alpha <= 1):
        raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
    if gamma < 0:
        raise ValueError(f"gamma must be at least 0, got {gamma}")
    if c < 0:
        raise ValueError(f"c must be at least 0, got {c}")


def expected_tokens_per_call(alpha, gamma):
    """Expected tokens per target-model call with draft length gamma and acceptance rate alpha."""
    _check(alpha, gamma)
    total, term = 0.0, 1.0
    for _ in range(int(gamma) + 1):  # 1 + alpha + ... + alpha^gamma, no 0/0 at alpha = 1
        total += term
        term *= alpha
    return float(total)


def speculative_speedup(alpha, gamma, c):
    """Expected wall-time speed-up of speculative decoding (Leviathan et al., 2023)."""
    _check(alpha, gamma, c)
    return float(expected_tokens_per_call(alpha, gamma) / (gamma * c + 1))


def best_draft_length(alpha, c, max_gamma=10):
    """The draft length 0..max_gamma with the largest expected speed-up (the smallest on a tie)."""
    _check(alpha, max_gamma, c)
    best, best_s = 0, speculative_speedup(alpha, 0, c)
    for gamma in range(1, int(max_gamma) + 1):
        s = speculative_speedup(alpha, gamma, c)
        if s > best_s:
            best, best_s = gamma, s
    return int(best)
'''

STUDENT_VEC_ATTENTION = '''\
def causal_self_attention(x, layer, n_heads):
    """Multi-head causal self-attention of x (B, T, d) with the layer's wq, wk, wv, wo; returns (B, T, d)."""
    B, T, d = x.shape
    dh = d // n_heads
    q, k, v = (torch.einsum("btd,de->bte", x, layer[w]).reshape(B, T, n_heads, dh) for w in ("wq", "wk", "wv"))
    scores = torch.einsum("bqhe,bkhe->bhqk", q, k) * dh**-0.5
    pos = torch.arange(T, device=x.device)
    mask = torch.zeros(T, T, device=x.device).masked_fill(pos[None, :] > pos[:, None], float("-inf"))
    p = torch.softmax(scores + mask, dim=-1)
    o = torch.einsum("bhqk,bkhe->bqhe", p, v).reshape(B, T, d)
    return torch.einsum("btd,de->bte", o, layer["wo"])
'''

STUDENT_VEC_FORWARD = '''\
def _ln(h, w, b):
    mu = h.mean(dim=-1, keepdim=True)
    var = ((h - mu) ** 2).mean(dim=-1, keepdim=True)
    return (h - mu) * torch.rsqrt(var + EPS) * w + b


def _gelu(z):
    return 0.5 * z * (1.0 + torch.erf(z / math.sqrt(2.0)))


def forward(params, tokens, config=CONFIG):
    """Logits (B, T, V) of the tiny decoder-only model for token ids (B, T)."""
    T = tokens.shape[-1]
    h = F.embedding(tokens, params["tok_emb"]) + params["pos_emb"][torch.arange(T, device=tokens.device)]
    for layer in params["layers"]:
        h = h + causal_self_attention(_ln(h, layer["ln1_w"], layer["ln1_b"]), layer, config["num_attention_heads"])
        z = torch.einsum("btd,df->btf", _ln(h, layer["ln2_w"], layer["ln2_b"]), layer["w1"]) + layer["b1"]
        h = h + torch.einsum("btf,fd->btd", _gelu(z), layer["w2"]) + layer["b2"]
    return torch.einsum("btd,dv->btv", _ln(h, params["lnf_w"], params["lnf_b"]), params["w_out"])
'''

STUDENT_VEC_CACHE = '''\
def forward_cached(params, tokens, cache=None, config=CONFIG):
    """Logits (B, T_new, V) of `tokens`, which follow the positions in `cache`, and the cache extended by them."""
    B, Tn = tokens.shape
    d, H = config["hidden_size"], config["num_attention_heads"]
    dh = d // H
    c = 0 if not cache else int(cache[0][0].shape[-2])
    h = F.embedding(tokens, params["tok_emb"]) + params["pos_emb"][c:c + Tn]
    query_pos = c + torch.arange(Tn, device=tokens.device)
    key_pos = torch.arange(c + Tn, device=tokens.device)
    future = key_pos[None, :] > query_pos[:, None]  # (Tn, c + Tn)
    out_cache = []
    for i, layer in enumerate(params["layers"]):
        a = _ln(h, layer["ln1_w"], layer["ln1_b"])
        w_qkv = torch.cat([layer["wq"], layer["wk"], layer["wv"]], dim=1)  # (d, 3d): one product for all three
        qkv = (a @ w_qkv).view(B, Tn, 3, H, dh).permute(2, 0, 3, 1, 4)  # (3, B, H, Tn, dh)
        q, k, v = qkv[0], qkv[1], qkv[2]
        if cache:
            k = torch.cat((cache[i][0], k), dim=2)
            v = torch.cat((cache[i][1], v), dim=2)
        out_cache.append((k, v))
        s = torch.einsum("bhqe,bhke->bhqk", q, k) / math.sqrt(dh)
        p = torch.softmax(s.masked_fill(future, float("-inf")), dim=-1)
        o = torch.einsum("bhqk,bhke->bqhe", p, v).reshape(B, Tn, d)
        h = h + o @ layer["wo"]
        z = _ln(h, layer["ln2_w"], layer["ln2_b"]) @ layer["w1"] + layer["b1"]
        h = h + _gelu(z) @ layer["w2"] + layer["b2"]
    return _ln(h, params["lnf_w"], params["lnf_b"]) @ params["w_out"], out_cache


def greedy_generate(params, prompt, n_new, use_cache=True, config=CONFIG):
    """The prompt (B, T0) followed by n_new greedy tokens, int64 (B, T0 + n_new)."""
    B, T0 = prompt.shape
    out = torch.empty(B, T0 + n_new, dtype=torch.int64, device=prompt.device)
    out[:, :T0] = prompt
    cache = None
    for step in range(n_new):
        t = T0 + step
        if not use_cache:
            logits = forward(params, out[:, :t], config)
        elif cache is None:
            logits, cache = forward_cached(params, prompt, None, config)
        else:
            logits, cache = forward_cached(params, out[:, t - 1:t], cache, config)
        out[:, t] = torch.argmax(logits[:, -1, :], dim=-1)
    return out
'''

STUDENT_VEC_COUNTS = '''\
def param_count(config):
    """Number of parameters of the tiny model that make_params(config) builds."""
    V, d, L, f, M = (config[k] for k in ("vocab_size", "hidden_size", "num_hidden_layers", "intermediate_size",
                                         "max_position_embeddings"))
    per_layer = 4 * d * d + 2 * d * f + f + 5 * d  # 4 projections, 2 MLP matrices, b1, two norms and b2
    return int(d * (V + M) + L * per_layer + 2 * d + d * V)


def prefill_flops(config, prompt_len):
    """Matmul FLOPs (2 per multiply-add) of one forward pass over a prompt of prompt_len tokens, batch 1."""
    T, V, d, L, f = (prompt_len, config["vocab_size"], config["hidden_size"], config["num_hidden_layers"],
                     config["intermediate_size"])
    return int(2 * T * d * (L * (4 * d + 2 * T + 2 * f) + V))


def decode_flops(config, cache_len):
    """Matmul FLOPs of one decode step: one new token after cache_len cached positions, batch 1."""
    V, d, L, f = config["vocab_size"], config["hidden_size"], config["num_hidden_layers"], config["intermediate_size"]
    return int(2 * d * (L * (4 * d + 2 * (cache_len + 1) + 2 * f) + V))


def _b(config):
    return torch.empty((), dtype=getattr(torch, config["torch_dtype"])).element_size()


def prefill_bytes(config, prompt_len):
    """Bytes a prefill of prompt_len tokens moves: every parameter once, plus the keys and values it writes."""
    return int(_b(config) * param_count(config) + _b(config) * 2 * config["num_hidden_layers"] * prompt_len * config["hidden_size"])


def decode_bytes(config, cache_len):
    """Bytes one decode step moves: every parameter once, the cached keys and values, and the new ones."""
    return prefill_bytes(config, cache_len + 1)
'''

STUDENT_VEC_KV = '''\
def _size(config):
    return torch.empty((), dtype=getattr(torch, config["torch_dtype"])).element_size()


def _kv_shape(config):
    H = config["num_attention_heads"]
    return config.get("num_key_value_heads") or H, config.get("head_dim") or config["hidden_size"] // H


def kv_bytes_per_token(config):
    """Bytes of keys and values that one token keeps in the cache, over all layers."""
    h_kv, d_h = _kv_shape(config)
    return int(math.prod([2, config["num_hidden_layers"], h_kv, d_h, _size(config)]))


def kv_cache_bytes(config, seq_len, batch=1):
    """Bytes of the KV cache of `batch` sequences of seq_len tokens."""
    return int(math.prod([batch, seq_len, kv_bytes_per_token(config)]))


def max_batch(config, gpu_memory_bytes, seq_len):
    """The most sequences of seq_len tokens whose KV caches fit in the GPU's memory beside the weights (0 if none)."""
    from fractions import Fraction

    free = Fraction(gpu_memory_bytes) - config["num_parameters"] * _size(config)
    return int(max(0, math.floor(free / kv_cache_bytes(config, seq_len))))
'''

STUDENT_VEC_SPEED = '''\
def decode_roofline(config, gpu, cache_len, batch=1):
    """Roofline bound on decode tokens/s for `batch` sequences after cache_len cached tokens: {"tokens_per_s", "bound"}."""
    n, b = config["num_parameters"], _size(config)
    _, d_h = _kv_shape(config)
    ctx = cache_len + 1
    flops = batch * (2 * n + 4 * config["num_hidden_layers"] * config["num_attention_heads"] * d_h * ctx)
    moved = n * b + batch * ctx * kv_bytes_per_token(config)
    compute_time, memory_time = flops / gpu["peak_flops"], moved / gpu["bandwidth"]
    return {"tokens_per_s": float(batch / max(compute_time, memory_time)),
            "bound": "memory" if memory_time > compute_time else "compute"}


def decode_tokens_per_s(params, prompt, n_new, config=CONFIG, warmup=2, repeat=5, device=DEVICE, clock=time.perf_counter):
    """Measured tokens/s of greedy_generate with the cache: warm-up, synchronised clock reads, median of `repeat` runs."""
    if repeat < 1:
        raise ValueError("repeat must be >= 1")
    dev = torch.device(device)
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == "cuda" else (lambda: None)
    for _ in range(warmup):
        greedy_generate(params, prompt, n_new, True, config)
    sync()
    times = np.empty(repeat)
    for r in range(repeat):
        t0 = clock()
        greedy_generate(params, prompt, n_new, True, config)
        sync()
        times[r] = clock() - t0
    return float(len(prompt) * n_new / np.median(times))
'''

STUDENT_VEC_ENERGY = '''\
def tokens_per_joule(params, prompt, n_new, rounds=10, config=CONFIG, device=DEVICE, tracker_class=OfflineEmissionsTracker):
    """Generate `rounds` times under a CodeCarbon tracker: {"tokens", "joules", "tokens_per_joule", "power_method", "basis"}."""
    dev = torch.device(device)
    tracker = tracker_class(**TRACKER_SETTINGS)
    tracker.start()
    try:
        for _ in range(rounds):
            greedy_generate(params, prompt, n_new, True, config)
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)
    finally:
        tracker.stop()
    kwh = getattr(tracker.final_emissions_data, "energy_consumed", None)
    try:
        kwh = float(kwh)
    except (TypeError, ValueError):
        raise RuntimeError(f"no energy reading from the tracker: {kwh!r}") from None
    if not math.isfinite(kwh) or kwh <= 0:
        raise RuntimeError(f"no energy reading from the tracker: {kwh!r}")
    method = power_sources(tracker).get("GPU" if dev.type == "cuda" else "CPU")
    if method is None:
        raise RuntimeError("CodeCarbon reports no power source for the device that generated")
    tokens = rounds * int(prompt.shape[0]) * int(n_new)
    joules = kwh * 1000.0 * 3600.0
    return dict(tokens=tokens, joules=joules, tokens_per_joule=tokens / joules, power_method=method,
                basis=("estimated", "measured")[method in MEASURED_METHODS])
'''

STUDENT_VEC_SPECULATIVE = '''\
def _validate(alpha, gamma, c):
    if not 0.0 <= alpha <= 1.0 or gamma < 0 or c < 0:
        raise ValueError(f"need 0 <= alpha <= 1, gamma >= 0 and c >= 0; got alpha={alpha}, gamma={gamma}, c={c}")


def expected_tokens_per_call(alpha, gamma):
    """Expected tokens per target-model call with draft length gamma and acceptance rate alpha."""
    _validate(alpha, gamma, 0)
    if alpha == 1:
        return float(gamma + 1)
    return float((1 - alpha ** (gamma + 1)) / (1 - alpha))


def speculative_speedup(alpha, gamma, c):
    """Expected wall-time speed-up of speculative decoding (Leviathan et al., 2023)."""
    _validate(alpha, gamma, c)
    return expected_tokens_per_call(alpha, gamma) / (gamma * c + 1.0)


def best_draft_length(alpha, c, max_gamma=10):
    """The draft length 0..max_gamma with the largest expected speed-up (the smallest on a tie)."""
    _validate(alpha, max_gamma, c)
    speedups = np.array([speculative_speedup(alpha, g, c) for g in range(max_gamma + 1)])
    return int(np.argmax(speedups))  # argmax returns the first (smallest) of equal maxima
'''


ALTERNATIVES = [
    Alternative(
        name="head_loops",
        style="a loop over heads with torch.where masks, helper functions, named FLOP terms, statistics.median",
        answers={
            "attention": LOOPS_ATTENTION,
            "forward": LOOPS_FORWARD,
            "kv_cache": LOOPS_CACHE,
            "counts": LOOPS_COUNTS,
            "kv_memory": LOOPS_KV,
            "decode_speed": LOOPS_SPEED,
            "energy": LOOPS_ENERGY,
            "speculative": LOOPS_SPECULATIVE,
        },
    ),
    Alternative(
        name="einsum_float64_scores",
        style="einsum everywhere, scores and softmax in float64, factored FLOP formulas, a dtype table, a sorted median",
        answers={
            "attention": EINSUM_ATTENTION,
            "forward": EINSUM_FORWARD,
            "kv_cache": EINSUM_CACHE,
            "counts": EINSUM_COUNTS,
            "kv_memory": EINSUM_KV,
            "decode_speed": EINSUM_SPEED,
            "energy": EINSUM_ENERGY,
            "speculative": EINSUM_SPECULATIVE,
        },
    ),
    Alternative(
        name="per_sequence_bmm",
        style="one sequence at a time with torch.bmm, a hand-written softmax, parameters counted on the meta device",
        answers={
            "attention": BMM_ATTENTION,
            "forward": BMM_FORWARD,
            "kv_cache": BMM_CACHE,
            "counts": BMM_COUNTS,
            "kv_memory": BMM_KV,
            "decode_speed": BMM_SPEED,
            "energy": BMM_ENERGY,
            "speculative": BMM_SPECULATIVE,
        },
        extra_cells={"setup": [BMM_HELPERS]},
    ),
    Alternative(
        name="linear_baddbmm",
        style="F.linear projections, additive masks through torch.baddbmm, one attention helper for cached and uncached",
        answers={
            "attention": LINEAR_ATTENTION,
            "forward": LINEAR_FORWARD,
            "kv_cache": LINEAR_CACHE,
            "counts": LINEAR_COUNTS,
            "kv_memory": LINEAR_KV,
            "decode_speed": LINEAR_SPEED,
            "energy": LINEAR_ENERGY,
            "speculative": LINEAR_SPECULATIVE,
        },
    ),
    Alternative(
        name="student_loops",
        style="loops over the batch and the heads, head-by-head projections on the weights' columns, per-head output "
        "blocks summed, plain-Python counts term by term, a binary search for the batch, a running-sum E",
        answers={
            "attention": STUDENT_LOOPS_ATTENTION,
            "forward": STUDENT_LOOPS_FORWARD,
            "kv_cache": STUDENT_LOOPS_CACHE,
            "counts": STUDENT_LOOPS_COUNTS,
            "kv_memory": STUDENT_LOOPS_KV,
            "decode_speed": STUDENT_LOOPS_SPEED,
            "energy": STUDENT_LOOPS_ENERGY,
            "speculative": STUDENT_LOOPS_SPECULATIVE,
        },
    ),
    Alternative(
        name="student_vectorised",
        style="reshapes and einsum, one fused QKV product, a hand-written layer norm and erf GELU, a preallocated "
        "token buffer, closed-form counts, Fraction floor for the batch, np.median and np.argmax",
        answers={
            "attention": STUDENT_VEC_ATTENTION,
            "forward": STUDENT_VEC_FORWARD,
            "kv_cache": STUDENT_VEC_CACHE,
            "counts": STUDENT_VEC_COUNTS,
            "kv_memory": STUDENT_VEC_KV,
            "decode_speed": STUDENT_VEC_SPEED,
            "energy": STUDENT_VEC_ENERGY,
            "speculative": STUDENT_VEC_SPECULATIVE,
        },
    ),
]
