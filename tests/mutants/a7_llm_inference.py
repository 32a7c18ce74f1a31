"""Wrong answers for A7 (LLM inference: attention, forward pass, KV cache, FLOPs and bytes, KV memory,
decode roofline and timing, tokens per joule, speculative decoding)."""

from tests.mutants import Mutant

ATTN_SPLIT = "return t.reshape(B, T, n_heads, hd).transpose(1, 2)"
ATTN_MASK = '    scores = scores.masked_fill(future, float("-inf"))\n'
CACHE_MASKED = '(q @ k.transpose(-2, -1) / math.sqrt(hd)).masked_fill(future, float("-inf"))'
NEXT_TOKEN = "next_token = logits[:, -1].argmax(dim=-1, keepdim=True)  # (B, 1)"
DECODE_CALL = "logits, cache = forward_cached(params, next_token, cache, config)  # decode: one token"
PREFILL_RETURN = "return L * (8 * T * d * d + 4 * T * T * d + 4 * T * d * d_ff) + 2 * T * d * V"
DECODE_BYTES = 'b * (param_count(config) + 2 * config["num_hidden_layers"] * (cache_len + 1) * config["hidden_size"])'
KV_HEADS = 'kv_heads = config.get("num_key_value_heads", config["num_attention_heads"])'
HEAD_DIM = 'head_dim = config.get("head_dim", config["hidden_size"] // config["num_attention_heads"])'
FLOOR = "return max(0, int(free // kv_cache_bytes(config, seq_len)))"
ROOF_BYTES = "bytes_moved = n * b + batch * keys * kv_bytes_per_token(config)"
ROOF_RATE = '"tokens_per_s": batch / max(t_compute, t_memory)'
TIMED_SYNC = "            greedy_generate(params, prompt, n_new, use_cache=True, config=config)\n            sync()\n"
ENERGY_SYNC = "        if is_cuda:\n            torch.cuda.synchronize(device)  # finish the queued GPU work before the meter stops\n"
SPEC_E = "return (1 - alpha ** (gamma + 1)) / (1 - alpha)"

MUTANTS = [
    # Part 1: causal self-attention
    Mutant(
        "attn_scale_by_d",
        "attention",
        "/ math.sqrt(hd)",
        "/ math.sqrt(d)",
        "scales the scores by the model width, not the head size",
    ),
    Mutant("attn_no_mask", "attention", ATTN_MASK, "", "no causal mask: tokens see the future"),
    Mutant(
        "attn_mask_diagonal",
        "attention",
        ".triu(1)",
        ".triu(0)",
        "masks the diagonal too: a token may not attend to itself",
    ),
    Mutant(
        "attn_mask_zero",
        "attention",
        'masked_fill(future, float("-inf"))',
        "masked_fill(future, 0.0)",
        "masks with a score of 0, which the softmax still weights",
    ),
    Mutant(
        "attn_heads_split_wrongly",
        "attention",
        ATTN_SPLIT,
        "return t.reshape(B, n_heads, T, hd)",
        "reshapes to heads without transposing, which mixes positions into heads",
    ),
    Mutant(
        "attn_softmax_over_queries",
        "attention",
        "torch.softmax(scores, dim=-1)",
        "torch.softmax(scores, dim=-2)",
        "normalises over the queries instead of the keys",
    ),
    # Part 2: the forward pass
    Mutant(
        "forward_no_positions",
        "forward",
        ' + params["pos_emb"][:T]',
        "",
        "forgets the position embeddings",
    ),
    Mutant(
        "forward_attention_without_norm",
        "forward",
        'causal_self_attention(x, layer, config["num_attention_heads"])',
        'causal_self_attention(h, layer, config["num_attention_heads"])',
        "feeds the residual stream to attention without its layer norm",
    ),
    Mutant(
        "forward_no_final_norm",
        "forward",
        '    h = F.layer_norm(h, (d,), params["lnf_w"], params["lnf_b"], eps=EPS)\n',
        "",
        "leaves out the final layer norm",
    ),
    Mutant("forward_relu", "forward", "F.gelu(", "F.relu(", "ReLU in place of GELU"),
    Mutant(
        "forward_two_heads_always",
        "forward",
        'causal_self_attention(x, layer, config["num_attention_heads"])',
        "causal_self_attention(x, layer, 2)",
        "hard-codes the tiny model's number of heads",
    ),
    # Part 3: the KV cache and greedy decoding
    Mutant(
        "cache_positions_from_zero",
        "kv_cache",
        'params["pos_emb"][past : past + T]',
        'params["pos_emb"][:T]',
        "gives new tokens the positions 0, 1, ... instead of continuing after the cache",
    ),
    Mutant(
        "cache_mask_without_offset",
        "kv_cache",
        "query_pos = torch.arange(past, past + T, device=tokens.device)",
        "query_pos = torch.arange(T, device=tokens.device)",
        "builds the causal mask as if there were no cached keys",
    ),
    Mutant(
        "cache_no_mask",
        "kv_cache",
        CACHE_MASKED,
        "(q @ k.transpose(-2, -1) / math.sqrt(hd))",
        "no causal mask in the prefill",
    ),
    Mutant(
        "generate_first_position",
        "kv_cache",
        NEXT_TOKEN,
        "next_token = logits[:, 0].argmax(dim=-1, keepdim=True)",
        "takes the first position's logits after the prefill",
    ),
    Mutant(
        "generate_ignores_cache",
        "kv_cache",
        DECODE_CALL,
        "logits, cache = forward_cached(params, tokens, None, config)",
        "recomputes the whole sequence every step although use_cache=True",
    ),
    Mutant(
        "generate_extra_step",
        "kv_cache",
        "if step < n_new - 1:",
        "if True:",
        "runs one decode call too many after the last token",
    ),
    Mutant(
        "cache_mutated_in_place",
        "kv_cache",
        "    new_cache = []\n",
        "    new_cache = [] if cache is None else cache\n",
        "appends the new pairs to the caller's list",
    ),
    # Part 4: FLOPs and bytes
    Mutant(
        "flops_no_output_layer",
        "counts",
        PREFILL_RETURN,
        "return L * (8 * T * d * d + 4 * T * T * d + 4 * T * d * d_ff)",
        "forgets the output projection to the logits",
    ),
    Mutant(
        "flops_causal_half",
        "counts",
        "4 * T * T * d",
        "2 * T * (T + 1) * d",
        "counts only the unmasked half of the score matrix",
    ),
    Mutant(
        "decode_keys_without_self",
        "counts",
        "keys = cache_len + 1",
        "keys = cache_len",
        "the new token does not attend to itself",
    ),
    Mutant(
        "decode_bytes_weights_only",
        "counts",
        DECODE_BYTES,
        "b * param_count(config)",
        "forgets the keys and values that decode reads",
    ),
    Mutant(
        "params_no_positions",
        "counts",
        "V * d + M * d + L * per_layer",
        "V * d + L * per_layer",
        "forgets the position embedding table",
    ),
    Mutant(
        "bytes_always_float32",
        "counts",
        'b = getattr(torch, config["torch_dtype"]).itemsize',
        "b = 4",
        "ignores the dtype of the config",
    ),
    # Part 5: KV-cache memory
    Mutant(
        "kv_query_heads",
        "kv_memory",
        KV_HEADS,
        'kv_heads = config["num_attention_heads"]',
        "one key-value head per query head, ignoring grouped-query attention",
    ),
    Mutant(
        "kv_keys_only",
        "kv_memory",
        'return 2 * config["num_hidden_layers"]',
        'return config["num_hidden_layers"]',
        "counts the keys but not the values",
    ),
    Mutant(
        "kv_head_dim_ignored",
        "kv_memory",
        HEAD_DIM,
        'head_dim = config["hidden_size"] // config["num_attention_heads"]',
        "ignores a head_dim that the config gives",
    ),
    Mutant(
        "max_batch_rounds",
        "kv_memory",
        FLOOR,
        "return max(0, round(free / kv_cache_bytes(config, seq_len)))",
        "rounds to the nearest batch instead of down",
    ),
    Mutant(
        "max_batch_no_weights",
        "kv_memory",
        "free = gpu_memory_bytes - weights",
        "free = gpu_memory_bytes",
        "forgets that the weights take memory too",
    ),
    Mutant(
        "max_batch_negative",
        "kv_memory",
        FLOOR,
        "return int(free // kv_cache_bytes(config, seq_len))",
        "a negative batch when the weights do not fit",
    ),
    # Part 6: decode roofline and measurement
    Mutant(
        "roofline_sum_of_times",
        "decode_speed",
        ROOF_RATE,
        '"tokens_per_s": batch / (t_compute + t_memory)',
        "adds the compute and memory times instead of taking the larger",
    ),
    Mutant(
        "roofline_one_cache",
        "decode_speed",
        ROOF_BYTES,
        "bytes_moved = n * b + keys * kv_bytes_per_token(config)",
        "reads one sequence's cache for the whole batch",
    ),
    Mutant(
        "roofline_weights_per_sequence",
        "decode_speed",
        ROOF_BYTES,
        "bytes_moved = batch * (n * b + keys * kv_bytes_per_token(config))",
        "reads the weights once per sequence, so batching gains nothing",
    ),
    Mutant(
        "roofline_tie_memory",
        "decode_speed",
        '"memory" if t_memory > t_compute else "compute"',
        '"memory" if t_memory >= t_compute else "compute"',
        "counts a tie as memory-bound",
    ),
    Mutant(
        "timing_mean",
        "decode_speed",
        "float(np.median(seconds))",
        "float(np.mean(seconds))",
        "the mean, which one slow run pulls up",
    ),
    Mutant(
        "timing_no_sync",
        "decode_speed",
        TIMED_SYNC,
        "            greedy_generate(params, prompt, n_new, use_cache=True, config=config)\n",
        "reads the clock before the GPU has finished",
    ),
    Mutant(
        "timing_no_warmup",
        "decode_speed",
        "for _ in range(warmup):",
        "for _ in range(0):",
        "times the first, slow calls",
    ),
    # Part 7: tokens per joule
    Mutant(
        "energy_no_finally",
        "energy",
        "    finally:\n        tracker.stop()\n",
        "    except Exception:\n        raise\n    tracker.stop()\n",
        "leaves the tracker running when generation fails",
    ),
    Mutant(
        "energy_kwh_as_joules",
        "energy",
        "joules = float(kwh) * 3.6e6",
        "joules = float(kwh)",
        "forgets to convert kWh to joules",
    ),
    Mutant(
        "energy_counts_prompt",
        "energy",
        "tokens = rounds * prompt.shape[0] * n_new",
        "tokens = rounds * prompt.shape[0] * (prompt.shape[1] + n_new)",
        "counts the prompt's tokens as generated",
    ),
    Mutant(
        "energy_always_cpu_label",
        "energy",
        'component = "GPU" if is_cuda else "CPU"',
        'component = "CPU"',
        "reports the CPU's method for a GPU run",
    ),
    Mutant("energy_no_sync", "energy", ENERGY_SYNC, "", "stops the meter while the GPU still works"),
    Mutant(
        "energy_zero_accepted",
        "energy",
        "if kwh is None or not math.isfinite(kwh) or kwh <= 0:",
        "if kwh is None:",
        "divides by an energy of zero",
    ),
    # Part 8: speculative decoding
    Mutant(
        "spec_exponent_gamma",
        "speculative",
        SPEC_E,
        "return (1 - alpha**gamma) / (1 - alpha)",
        "forgets the target model's own token: gamma instead of gamma + 1",
    ),
    Mutant(
        "spec_alpha_one_divides",
        "speculative",
        "    if alpha == 1:\n        return float(gamma + 1)  # the limit of (1 - alpha^(gamma+1)) / (1 - alpha)\n",
        "",
        "divides by zero at alpha = 1",
    ),
    Mutant(
        "spec_draft_cost_once",
        "speculative",
        "(gamma * c + 1)",
        "(c + 1)",
        "charges the draft model once per round instead of once per drafted token",
    ),
    Mutant(
        "best_excludes_max",
        "speculative",
        "range(1, max_gamma + 1)",
        "range(1, max_gamma)",
        "never tries gamma = max_gamma",
    ),
    Mutant(
        "best_tie_largest",
        "speculative",
        "if speculative_speedup(alpha, gamma, c) > speculative_speedup(alpha, best, c):",
        "if speculative_speedup(alpha, gamma, c) >= speculative_speedup(alpha, best, c):",
        "keeps the largest gamma on a tie",
    ),
    Mutant(
        "spec_negative_cost_accepted",
        "speculative",
        "    if c < 0:\n",
        "    if c < -1e9:\n",
        "accepts a negative draft cost",
    ),
]
