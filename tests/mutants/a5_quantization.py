"""Wrong answers for A5 (int8 quantization: per tensor, per channel, int8 linear, error bound, memory, STE)."""

from tests.mutants import Mutant

ROUND_CLAMP = "torch.clamp(torch.round(x / scale), -QMAX, QMAX)"
ZERO_GUARD_T = (
    "    scale = torch.where(scale > 0, scale, torch.ones_like(scale))  # all zeros: any positive scale gives q = 0\n"
)
ZERO_GUARD_C = "    scale = torch.where(scale > 0, scale, torch.ones_like(scale))  # all-zero channels\n"
CHANNEL_MAX = "alpha = torch.amax(w.abs(), dim=others, keepdim=True)"
ACC = "acc = qx.to(torch.float64) @ qw.to(torch.float64).T"
DEQUANT = "    y = acc.to(torch.float32) * (sx * sw.reshape(1, -1))  # fused dequantization: s_x * s_w,i per output i\n"

MUTANTS = [
    # Part 1: per-tensor quantization and dequantization
    Mutant(
        "tensor_scale_128",
        "quantize",
        "device=x.device) / QMAX",
        "device=x.device) / 128",
        "divides by 128, the size of the negative int8 range",
    ),
    Mutant(
        "tensor_clamp_minus_128",
        "quantize",
        ROUND_CLAMP,
        "torch.clamp(torch.round(x / scale), -QMAX - 1, QMAX)",
        "uses -128, the asymmetric int8 range",
    ),
    Mutant("tensor_floor", "quantize", "torch.round(x / scale)", "torch.floor(x / scale)", "floor instead of round"),
    Mutant(
        "tensor_truncate",
        "quantize",
        ROUND_CLAMP,
        "torch.clamp(x / scale, -QMAX, QMAX)",
        "lets the int8 conversion truncate instead of rounding",
    ),
    Mutant(
        "tensor_no_clamp", "quantize", ROUND_CLAMP, "torch.round(x / scale)", "no clamp: clipped values wrap in int8"
    ),
    Mutant("tensor_no_zero_guard", "quantize", ZERO_GUARD_T, "", "all-zero tensor gives scale 0 and 0/0"),
    Mutant(
        "tensor_max_not_abs", "quantize", "alpha = x.abs().max()", "alpha = x.max()", "largest value, not magnitude"
    ),
    Mutant("tensor_q_int32", "quantize", ".to(torch.int8)", ".to(torch.int32)", "integers stored in 32 bits"),
    Mutant(
        "dequantize_divides",
        "quantize",
        "return q.to(torch.float32) * scale",
        "return q.to(torch.float32) / scale",
        "inverts the scale",
    ),
    Mutant(
        "dequantize_float64",
        "quantize",
        "return q.to(torch.float32) * scale",
        "return q.to(torch.float64) * scale",
        "dequantizes to float64",
    ),
    # Part 2: per-channel quantization
    Mutant(
        "channel_wrong_axis",
        "per_channel",
        CHANNEL_MAX,
        "alpha = torch.amax(w.abs(), dim=axis, keepdim=True)",
        "reduces over the channel axis instead of the others",
    ),
    Mutant("channel_axis_ignored", "per_channel", "axis = axis % w.dim()", "axis = 0", "always the first axis"),
    Mutant(
        "channel_negative_axis",
        "per_channel",
        "    axis = axis % w.dim()\n",
        "",
        "a negative axis matches no dimension, so it reduces over all",
    ),
    Mutant(
        "channel_per_tensor_values",
        "per_channel",
        CHANNEL_MAX,
        CHANNEL_MAX + " * 0 + w.abs().max()",
        "one scale for the tensor, repeated per channel",
    ),
    Mutant("channel_no_keepdim", "per_channel", "keepdim=True", "keepdim=False", "scales do not broadcast"),
    Mutant("channel_no_zero_guard", "per_channel", ZERO_GUARD_C, "", "all-zero channel gives 0/0"),
    Mutant(
        "channel_max_not_abs",
        "per_channel",
        "torch.amax(w.abs(), dim=others",
        "torch.amax(w, dim=others",
        "largest value per channel, not largest magnitude",
    ),
    # Part 3: int8 matmul and the quantized linear layer
    Mutant("matmul_int16", "int8_linear", ACC, "acc = qx.to(torch.int16) @ qw.to(torch.int16).T", "16-bit accumulator"),
    Mutant(
        "matmul_float32",
        "int8_linear",
        ACC,
        "acc = qx.to(torch.float32) @ qw.to(torch.float32).T",
        "float32 sums round past 2^24",
    ),
    Mutant("matmul_int8", "int8_linear", ACC, "acc = qx @ qw.T", "8-bit accumulator"),
    Mutant(
        "matmul_int32_cpu_only",
        "int8_linear",
        ACC,
        "acc = qx.to(torch.int32) @ qw.to(torch.int32).T",
        "an integer matmul: exact on a CPU, but PyTorch's CUDA backend has no integer matrix product",
    ),
    Mutant("matmul_returns_float64", "int8_linear", "return acc.to(torch.int32)", "return acc", "no int32 result"),
    Mutant(
        "linear_no_weight_scale",
        "int8_linear",
        "(sx * sw.reshape(1, -1))",
        "sx",
        "forgets the weight scale in the dequantization",
    ),
    Mutant(
        "linear_scales_as_column",
        "int8_linear",
        "sw.reshape(1, -1)",
        "sw.reshape(-1, 1)",
        "per-channel scales along the batch axis",
    ),
    Mutant(
        "linear_bias_in_accumulator",
        "int8_linear",
        DEQUANT + "    if bias is not None:\n        y = y + bias\n",
        "    y = acc.to(torch.float32)\n    if bias is not None:\n        y = y + bias\n"
        "    y = y * (sx * sw.reshape(1, -1))\n",
        "adds the float bias before dequantizing",
    ),
    Mutant(
        "linear_weight_per_tensor",
        "int8_linear",
        "qw, sw = quantize_per_channel(weight, axis=0)",
        "qw, sw = quantize_per_tensor(weight)",
        "one scale for the whole weight",
    ),
    Mutant(
        "linear_weight_axis1",
        "int8_linear",
        "quantize_per_channel(weight, axis=0)",
        "quantize_per_channel(weight, axis=1)",
        "per-channel along the input axis",
    ),
    Mutant("linear_no_bias", "int8_linear", "y = y + bias", "y = y", "bias dropped"),
    # Part 4: the error bound
    Mutant("bound_full_step", "error_bound", "weight_term = sx / 2 *", "weight_term = sx *", "a full step, not half"),
    Mutant(
        "bound_no_cross_term",
        "error_bound",
        "return weight_term + input_term + K * sx * sw / 4",
        "return weight_term + input_term",
        "drops the product of the two rounding errors",
    ),
    Mutant("bound_no_abs", "error_bound", "weight.abs().sum(dim=1)", "weight.sum(dim=1)", "signed sums cancel"),
    Mutant(
        "bound_weight_wrong_axis",
        "error_bound",
        "weight.abs().sum(dim=1)",
        "weight.abs().sum(dim=0)",
        "sums the weights over outputs",
    ),
    Mutant("bound_cross_half", "error_bound", "K * sx * sw / 4", "K * sx * sw / 2", "cross term s_x s_w / 2"),
    Mutant(
        "bound_input_whole_batch",
        "error_bound",
        "x.abs().sum(dim=1, keepdim=True)",
        "x.abs().sum()",
        "sums |x| over the whole batch",
    ),
    # Part 5: memory
    Mutant("memory_no_scale", "memory", "return elements + 4\n", "return elements\n", "forgets the scale"),
    Mutant("memory_axis_ignored", "memory", "4 * shape[axis]", "4 * shape[0]", "always counts the first axis"),
    Mutant("memory_scale_one_byte", "memory", "elements + 4 * shape[axis]", "elements + shape[axis]", "int8 scales"),
    Mutant("memory_fp32_8_bytes", "memory", "return 4 * elements", "return 8 * elements", "float32 as 8 bytes"),
    Mutant(
        "memory_scales_per_row_element",
        "memory",
        "4 * shape[axis]",
        "4 * (elements // shape[axis])",
        "one scale per element of a channel",
    ),
    Mutant("memory_no_value_error", "memory", 'raise ValueError(f"unknown scheme {scheme!r}")', "return 0", "no error"),
    # Part 6: fake quantization and the straight-through estimator
    Mutant("ste_no_mask", "fake_quant", "return grad_output * inside, None", "return grad_output, None", "no clip"),
    Mutant(
        "ste_zero_gradient",
        "fake_quant",
        "return grad_output * inside, None",
        "return grad_output * 0, None",
        "the true derivative of round",
    ),
    Mutant(
        "ste_mask_without_scale",
        "fake_quant",
        "inside = x.abs() <= QMAX * scale",
        "inside = x.abs() <= QMAX",
        "compares x with 127, not 127 s",
    ),
    Mutant("ste_strict_boundary", "fake_quant", "x.abs() <= QMAX", "x.abs() < QMAX", "boundary counted as outside"),
    Mutant(
        "ste_mask_only",
        "fake_quant",
        "return grad_output * inside, None",
        "return inside.to(grad_output.dtype), None",
        "ignores the upstream gradient",
    ),
    Mutant("fake_forward_integers", "fake_quant", "-QMAX, QMAX) * scale", "-QMAX, QMAX)", "returns q, not s q"),
    Mutant(
        "fake_forward_no_clamp",
        "fake_quant",
        "torch.clamp(torch.round(x / scale), -QMAX, QMAX) * scale",
        "torch.round(x / scale) * scale",
        "no clamp in the forward pass",
    ),
]
