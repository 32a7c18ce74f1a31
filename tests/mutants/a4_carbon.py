"""Wrong answers for A4 (energy, carbon and cost)."""

from tests.mutants import Mutant

MUTANTS = [
    # Part 1: joules, kilowatt-hours and CO2e
    Mutant("wh_not_kwh", "units", "return joules / 3.6e6", "return joules / 3.6e3", "watt-hours, not kilowatt-hours"),
    Mutant("kwh_no_kilo", "units", "return kwh * 3.6e6", "return kwh * 3600", "forgets the kilo: 1 kWh = 3600 J"),
    Mutant(
        "pue_divides",
        "units",
        "return it_kwh * pue * g_per_kwh / 1000",
        "return it_kwh / pue * g_per_kwh / 1000",
        "PUE read as an efficiency that lowers the energy",
    ),
    Mutant(
        "grams", "units", "return it_kwh * pue * g_per_kwh / 1000", "return it_kwh * pue * g_per_kwh", "grams, not kg"
    ),
    Mutant(
        "pue_unchecked",
        "units",
        '    if pue < 1:\n        raise ValueError(f"a PUE below 1 is impossible, got {pue}")\n',
        "",
        "accepts a PUE below 1",
    ),
    Mutant("pue_one_rejected", "units", "if pue < 1:", "if pue <= 1:", "rejects a perfect PUE of 1"),
    # Part 2: the ML CO2 Impact calculator
    Mutant(
        "devices_ignored",
        "calculator",
        "it_kwh = n_devices * watts * hours / 1000",
        "it_kwh = watts * hours / 1000",
        "charges one device only",
    ),
    Mutant(
        "watt_hours",
        "calculator",
        "it_kwh = n_devices * watts * hours / 1000",
        "it_kwh = n_devices * watts * hours",
        "Wh as kWh",
    ),
    Mutant(
        "it_includes_pue", "calculator", '"it_kwh": it_kwh,', '"it_kwh": it_kwh * pue,', "PUE added to the IT energy"
    ),
    Mutant(
        "grid_without_pue",
        "calculator",
        '"grid_kwh": it_kwh * pue',
        '"grid_kwh": it_kwh',
        "grid energy without the PUE",
    ),
    Mutant(
        "tonnes",
        "calculator",
        '"kg_co2e": emissions_kg(it_kwh, g_per_kwh, pue)',
        '"kg_co2e": emissions_kg(it_kwh, g_per_kwh, pue) / 1000',
        "tonnes, not kg",
    ),
    Mutant(
        "sd_hours_per_gpu",
        "calculator",
        "ml_co2_impact(1, 250, 150_000, 300)",
        "ml_co2_impact(256, 250, 150_000, 300)",
        "150,000 GPU-hours read as the hours of each of 256 GPUs",
    ),
    Mutant("gpt3_days_as_hours", "calculator", "14.8 * 24", "14.8", "days used as hours"),
    # Part 3: FLOPs, GPU-hours and dollars
    Mutant(
        "forward_only",
        "training_cost",
        "return 6 * n_params * n_tokens",
        "return 2 * n_params * n_tokens",
        "no backward pass",
    ),
    Mutant(
        "utilisation_inverted",
        "training_cost",
        "gpu_hours = flops / (utilisation * peak_flops) / 3600",
        "gpu_hours = flops * utilisation / peak_flops / 3600",
        "utilisation shortens the run",
    ),
    Mutant(
        "gpu_seconds",
        "training_cost",
        "gpu_hours = flops / (utilisation * peak_flops) / 3600",
        "gpu_hours = flops / (utilisation * peak_flops)",
        "seconds, not hours",
    ),
    Mutant(
        "gpu_hours_per_device",
        "training_cost",
        '"gpu_hours": gpu_hours,',
        '"gpu_hours": gpu_hours / n_devices,',
        "wall-clock hours confused with GPU-hours",
    ),
    Mutant(
        "days_ignore_devices",
        "training_cost",
        '"days": gpu_hours / n_devices / 24',
        '"days": gpu_hours / 24',
        "more devices do not finish sooner",
    ),
    Mutant(
        "bill_per_device",
        "training_cost",
        '"usd": gpu_hours * usd_per_gpu_hour',
        '"usd": gpu_hours * usd_per_gpu_hour * n_devices',
        "GPU-hours charged again for every device",
    ),
    Mutant(
        "percent_utilisation",
        "training_cost",
        "if not 0 < utilisation <= 1:",
        "if not 0 < utilisation <= 100:",
        "accepts utilisation in percent",
    ),
    # Part 4: Chinchilla
    Mutant(
        "no_sqrt",
        "chinchilla",
        "params = math.sqrt(compute_flops / (6 * tokens_per_param))",
        "params = compute_flops / (6 * tokens_per_param)",
        "C = 6ND solved as if D were fixed",
    ),
    Mutant(
        "ratio_ignored",
        "chinchilla",
        "params = math.sqrt(compute_flops / (6 * tokens_per_param))",
        "params = math.sqrt(compute_flops / 6)",
        "D = N",
    ),
    Mutant(
        "two_nd",
        "chinchilla",
        "params = math.sqrt(compute_flops / (6 * tokens_per_param))",
        "params = math.sqrt(compute_flops / (2 * tokens_per_param))",
        "C = 2ND (forward pass only)",
    ),
    Mutant(
        "tokens_inverted",
        "chinchilla",
        '"tokens": tokens_per_param * params',
        '"tokens": params / tokens_per_param',
        "20 parameters per token",
    ),
    Mutant(
        "hard_coded_20",
        "chinchilla",
        "params = math.sqrt(compute_flops / (6 * tokens_per_param))",
        "params = math.sqrt(compute_flops / (6 * 20))",
        "tokens_per_param ignored",
    ),
    # Part 5: serving economics
    Mutant(
        "minutes",
        "serving",
        "usd_per_hour * seconds / (3600 * busy_fraction)",
        "usd_per_hour * seconds / (60 * busy_fraction)",
        "seconds divided by 60 to get hours",
    ),
    Mutant(
        "busy_multiplies",
        "serving",
        "usd_per_hour * seconds / (3600 * busy_fraction)",
        "usd_per_hour * seconds * busy_fraction / 3600",
        "an idle server made cheaper instead of dearer",
    ),
    Mutant(
        "words_times_speed",
        "serving",
        "    seconds = words / words_per_second\n    return usd_per_hour",
        "    seconds = words * words_per_second\n    return usd_per_hour",
        "words times words per second",
    ),
    Mutant(
        "deck_approximation",
        "serving",
        '"extra_queries_per_day": after - before',
        '"extra_queries_per_day": improvement * before',
        "10% less latency taken as 10% more queries",
    ),
    Mutant(
        "saved_per_hour",
        "serving",
        '"usd_saved_per_day": improvement * usd_per_hour * 24',
        '"usd_saved_per_day": improvement * usd_per_hour',
        "an hour's saving, not a day's",
    ),
    Mutant("round_gpus", "serving", "return math.ceil(", "return round(", "rounds 4.375 GPUs down"),
    Mutant(
        "floor_plus_one",
        "serving",
        "return math.ceil(n_params * bytes_per_param / (gpu_memory_gb * 1e9))",
        "return int(n_params * bytes_per_param / (gpu_memory_gb * 1e9)) + 1",
        "one GPU too many when the weights fill them exactly",
    ),
    Mutant("gibibytes", "serving", "(gpu_memory_gb * 1e9)", "(gpu_memory_gb * 2**30)", "GB read as GiB"),
    # Part 6: CodeCarbon
    Mutant(
        "country_hard_coded",
        "tracker",
        "tracker_class(country_iso_code=country_iso_code,",
        'tracker_class(country_iso_code="DEU",',
        "always charged for Germany",
    ),
    Mutant(
        "default_interval",
        "tracker",
        "measure_power_secs=1,",
        "measure_power_secs=15,",
        "CodeCarbon's default interval",
    ),
    Mutant(
        "pue_dropped", "tracker", "save_to_file=False, pue=pue,", "save_to_file=False, pue=1.0,", "pue argument ignored"
    ),
    Mutant(
        "stop_unchecked",
        "tracker",
        "    if not isinstance(kg, float) or not math.isfinite(kg):\n"
        '        raise RuntimeError(f"CodeCarbon\'s stop() returned {kg!r}: nothing was measured")\n',
        "",
        "trusts stop() to return a number",
    ),
    Mutant(
        "only_none_checked",
        "tracker",
        "if not isinstance(kg, float) or not math.isfinite(kg):",
        "if kg is None:",
        "NaN and infinity accepted",
    ),
    Mutant(
        "load_model_measured",
        "tracker",
        '"nvml", "amdsmi"}',
        '"nvml", "amdsmi", "cpu_load"}',
        "the CPU-load model taken for a measurement",
    ),
    Mutant(
        "cpu_always",
        "tracker",
        'component = "GPU" if torch.device(device).type == "cuda" else "CPU"',
        'component = "CPU"',
        "reports the CPU's method for a GPU run",
    ),
    Mutant(
        "device_string",
        "tracker",
        'torch.device(device).type == "cuda"',
        'str(device) == "cuda"',
        "misses cuda:0 and cuda:1",
    ),
    Mutant(
        "gpu_fallback",
        "tracker",
        "    if component not in sources:\n"
        '        raise RuntimeError(f"training on {device}, but CodeCarbon tracks no {component}")\n'
        "    method = sources[component]",
        '    method = sources.get(component, sources.get("CPU"))',
        "reports the CPU when the GPU is not tracked",
    ),
    Mutant(
        "energy_in_joules",
        "tracker",
        '"energy_kwh": float(tracker.final_emissions_data.energy_consumed)',
        '"energy_kwh": float(tracker.final_emissions_data.energy_consumed) * 3.6e6',
        "joules under a kWh label",
    ),
    Mutant(
        "emissions_in_grams", "tracker", '"emissions_kg": kg,', '"emissions_kg": 1000 * kg,', "grams under a kg label"
    ),
    Mutant(
        "no_finally",
        "tracker",
        "    tracker.start()\n    try:\n        accuracy = train_tiny_mlp(epochs, device=device)\n    finally:\n        kg = tracker.stop()\n",
        "    tracker.start()\n    accuracy = train_tiny_mlp(epochs, device=device)\n    kg = tracker.stop()\n",
        "the tracker keeps running when training fails",
    ),
    Mutant(
        "trained_outside",
        "tracker",
        "    tracker.start()\n    try:\n        accuracy = train_tiny_mlp(epochs, device=device)\n    finally:\n        kg = tracker.stop()\n",
        "    accuracy = train_tiny_mlp(epochs, device=device)\n    tracker.start()\n    kg = tracker.stop()\n",
        "measures nothing but the tracker itself",
    ),
    Mutant(
        "training_device_dropped",
        "tracker",
        "train_tiny_mlp(epochs, device=device)",
        "train_tiny_mlp(epochs)",
        "trains on the default device, whatever device was asked for",
    ),
    Mutant(
        "report_device_dropped",
        "tracker",
        "report = carbon_report(tracker, kg, device)",
        "report = carbon_report(tracker, kg)",
        "labels the run by DEVICE, not by the device that trained",
    ),
]
