"""Wrong answers for A2 (gradients and backpropagation)."""

from tests.mutants import Mutant

MUTANTS = [
    # Part 1: the MSE gradient of a line
    Mutant(
        "mse_no_factor_two",
        "mse_gradient",
        "np.array([2.0 * np.mean(e), 2.0 * np.mean(e * x)])",
        "np.array([np.mean(e), np.mean(e * x)])",
        "gradient of half the MSE, not of the MSE",
    ),
    Mutant(
        "mse_grad_sign",
        "mse_gradient",
        "e = theta[0] + theta[1] * x - np.asarray(y, dtype=float)  # errors",
        "e = np.asarray(y, dtype=float) - theta[0] - theta[1] * x  # errors",
        "error taken as y - y_hat: the gradient points uphill",
    ),
    Mutant(
        "mse_grad_no_x",
        "mse_gradient",
        "2.0 * np.mean(e * x)])",
        "2.0 * np.mean(e)])",
        "chain rule forgets de/dtheta1 = x",
    ),
    Mutant(
        "mse_grad_sum",
        "mse_gradient",
        "np.array([2.0 * np.mean(e), 2.0 * np.mean(e * x)])",
        "np.array([2.0 * np.sum(e), 2.0 * np.sum(e * x)])",
        "sum instead of mean: no 1/n",
    ),
    Mutant(
        "mse_root",
        "mse_gradient",
        "return float(np.mean(e**2))",
        "return float(np.sqrt(np.mean(e**2)))",
        "RMSE instead of MSE",
    ),
    # Part 2: gradient descent to a target loss
    Mutant(
        "gd_step_then_check",
        "gradient_descent",
        "    while mse(theta, x, y) > target_loss and steps < max_steps:\n"
        "        theta -= lr * mse_gradient(theta, x, y)\n"
        "        steps += 1",
        "    while steps < max_steps:\n"
        "        theta -= lr * mse_gradient(theta, x, y)\n"
        "        steps += 1\n"
        "        if mse(theta, x, y) <= target_loss:\n"
        "            break",
        "always takes a first step, even when the start meets the target",
    ),
    Mutant(
        "gd_strict_target",
        "gradient_descent",
        "mse(theta, x, y) > target_loss",
        "mse(theta, x, y) >= target_loss",
        "keeps going when the loss equals the target",
    ),
    Mutant(
        "gd_ascent",
        "gradient_descent",
        "theta -= lr * mse_gradient(theta, x, y)",
        "theta += lr * mse_gradient(theta, x, y)",
        "steps up the gradient",
    ),
    Mutant(
        "gd_max_off_by_one",
        "gradient_descent",
        "steps < max_steps",
        "steps <= max_steps",
        "one step more than max_steps",
    ),
    Mutant(
        "gd_in_place",
        "gradient_descent",
        "theta = np.array(theta0, dtype=float)",
        "theta = np.asarray(theta0, dtype=float)",
        "no copy: the caller's theta0 is changed in place",
    ),
    # Part 3: forward pass
    Mutant(
        "fwd_no_b1",
        "mlp_forward",
        'Xi1 = X @ params["W1"].T + params["b1"]',
        'Xi1 = X @ params["W1"].T',
        "hidden bias left out",
    ),
    Mutant(
        "fwd_no_b2",
        "mlp_forward",
        'Y = H @ params["W2"].T + params["b2"]',
        'Y = H @ params["W2"].T',
        "output bias left out",
    ),
    Mutant(
        "fwd_output_activation",
        "mlp_forward",
        'Y = H @ params["W2"].T + params["b2"]',
        'Y = sigmoid(H @ params["W2"].T + params["b2"])',
        "an activation on the linear output layer",
    ),
    Mutant(
        "fwd_cache_preactivation",
        "mlp_forward",
        'return Y, {"X": X, "Xi1": Xi1, "H": H}',
        'return Y, {"X": X, "Xi1": H, "H": H}',
        "caches the activation in place of the weighted sum",
    ),
    Mutant(
        "fwd_unknown_is_relu",
        "mlp_forward",
        'elif activation == "relu":\n        H = relu(Xi1)\n    else:\n        raise ValueError(f"unknown activation {activation!r}")',
        "else:\n        H = relu(Xi1)",
        "any unknown activation silently becomes ReLU",
    ),
    # Part 4: backward pass
    Mutant(
        "bwd_divide_by_batch",
        "mlp_backward",
        "2.0 * (Y - np.asarray(T, dtype=float)) / Y.size",
        "2.0 * (Y - np.asarray(T, dtype=float)) / len(Y)",
        "divides by B, not by B*k outputs",
    ),
    Mutant(
        "bwd_no_factor_two",
        "mlp_backward",
        "D2 = 2.0 * (Y - np.asarray(T, dtype=float)) / Y.size",
        "D2 = (Y - np.asarray(T, dtype=float)) / Y.size",
        "the 2 of the square is dropped",
    ),
    Mutant(
        "bwd_no_activation_derivative",
        "mlp_backward",
        "D1 = dH * H * (1.0 - H)",
        "D1 = dH",
        "sigmoid derivative forgotten",
    ),
    Mutant(
        "bwd_sigmoid_derivative_of_xi",
        "mlp_backward",
        "D1 = dH * H * (1.0 - H)",
        "D1 = dH * Xi1 * (1.0 - Xi1)",
        "sigma' evaluated on the weighted sum, not on sigma",
    ),
    Mutant(
        "bwd_relu_prime_at_zero",
        "mlp_backward",
        "D1 = dH * (Xi1 > 0)",
        "D1 = dH * (Xi1 >= 0)",
        "ReLU'(0) = 1",
    ),
    Mutant(
        "bwd_weight_grad_transposed",
        "mlp_backward",
        "dW1 = D1.T @ X  # (h, B) @ (B, n) -> (h, n)",
        "dW1 = X.T @ D1  # (n, B) @ (B, h) -> (n, h)",
        "the weight gradient of the (in, out) layout: the transpose of W1's shape",
    ),
    Mutant(
        "bwd_bias_wrong_axis",
        "mlp_backward",
        "db1 = D1.sum(axis=0)",
        "db1 = D1.sum(axis=1)",
        "sums over the hidden units instead of over the examples (rows)",
    ),
    Mutant(
        "bwd_bias_mean",
        "mlp_backward",
        "db1 = D1.sum(axis=0)",
        "db1 = D1.mean(axis=0)",
        "bias gradient averaged over the batch a second time",
    ),
    Mutant(
        "bwd_loss_sum",
        "mlp_backward",
        "return float(np.mean((np.asarray(Y, dtype=float) - np.asarray(T, dtype=float)) ** 2))",
        "return float(np.sum((np.asarray(Y, dtype=float) - np.asarray(T, dtype=float)) ** 2))",
        "sum of squares instead of the mean",
    ),
    # Part 5: gradient check
    Mutant(
        "fd_forward_difference",
        "gradient_check",
        "value[i] = old - eps\n            f_minus = f(params)",
        "value[i] = old\n            f_minus = f(params)",
        "one-sided difference divided by 2 eps",
    ),
    Mutant(
        "fd_one_sided",
        "gradient_check",
        "value[i] = old - eps\n            f_minus = f(params)\n            value[i] = old  # put it back exactly\n"
        "            g[i] = (f_plus - f_minus) / (2 * eps)",
        "value[i] = old\n            f_minus = f(params)\n            value[i] = old  # put it back exactly\n"
        "            g[i] = (f_plus - f_minus) / eps",
        "forward difference, O(eps) error",
    ),
    Mutant(
        "fd_not_restored",
        "gradient_check",
        "            value[i] = old  # put it back exactly\n",
        "",
        "each entry is left at old - eps",
    ),
    Mutant(
        "rel_error_max_norm",
        "gradient_check",
        "scale = np.linalg.norm(a_all) + np.linalg.norm(b_all)",
        "scale = max(np.linalg.norm(a_all), np.linalg.norm(b_all))",
        "max of the norms in the denominator",
    ),
    Mutant(
        "rel_error_zero_nan",
        "gradient_check",
        "return 0.0 if scale == 0 else float(np.linalg.norm(a_all - b_all) / scale)",
        "return float(np.linalg.norm(a_all - b_all) / scale)",
        "0 / 0 gives nan for two zero gradients",
    ),
    Mutant(
        "rel_error_one_array",
        "gradient_check",
        "b_all = np.concatenate([np.ravel(b[name]) for name in sorted(a)])",
        "b_all = np.concatenate([np.ravel(b[name]) for name in sorted(a)][:1])",
        "compares only the first parameter array",
    ),
    Mutant(
        "check_ignores_eps",
        "gradient_check",
        "return relative_error(analytic, numerical_gradient(f, params, eps))",
        "return relative_error(analytic, numerical_gradient(f, params))",
        "the eps argument is not passed on",
    ),
    # Part 6: torch.autograd
    Mutant(
        "torch_float32",
        "torch_gradients",
        "torch.float64",
        "torch.float32",
        "float32 everywhere: TF32 territory on a GPU, and not float64",
    ),
    Mutant(
        "torch_loss_sum",
        "torch_gradients",
        "loss = ((Y - Tt) ** 2).mean()",
        "loss = ((Y - Tt) ** 2).sum()",
        "sum instead of mean",
    ),
    Mutant(
        "torch_sigmoid_always",
        "torch_gradients",
        'H = torch.sigmoid(Xi1) if activation == "sigmoid" else torch.relu(Xi1)',
        "H = torch.sigmoid(Xi1)",
        "activation argument ignored",
    ),
    Mutant(
        "torch_no_b2",
        "torch_gradients",
        'Y = torch.nn.functional.linear(H, leaves["W2"], leaves["b2"])',
        'Y = torch.nn.functional.linear(H, leaves["W2"])',
        "b2 never used: its .grad stays None",
    ),
    Mutant(
        "torch_leaf_moved",
        "torch_gradients",
        "torch.tensor(v, dtype=torch.float64, device=DEVICE, requires_grad=True)",
        "torch.tensor(v, dtype=torch.float64, requires_grad=True).to(DEVICE)",
        "leaf made on the CPU, then moved: on another device it is no longer a leaf and its .grad stays None",
    ),
    Mutant(
        "torch_half_mse",
        "torch_gradients",
        "loss = ((Y - Tt) ** 2).mean()",
        "loss = 0.5 * ((Y - Tt) ** 2).mean()",
        "half the MSE",
    ),
    # Part 7: training
    Mutant(
        "train_ascent",
        "train_moons",
        "params[name] -= lr * grads[name]",
        "params[name] += lr * grads[name]",
        "gradient ascent",
    ),
    Mutant(
        "train_few_epochs",
        "train_moons",
        "for _ in range(epochs):",
        "for _ in range(epochs // 100):",
        "stops long before convergence",
    ),
    Mutant(
        "predict_threshold_zero",
        "train_moons",
        "(Y[:, 0] > 0.5)",
        "(Y[:, 0] > 0.0)",
        "threshold at 0 for targets 0 and 1",
    ),
    Mutant(
        "predict_swapped",
        "train_moons",
        "(Y[:, 0] > 0.5)",
        "(Y[:, 0] < 0.5)",
        "labels swapped",
    ),
    Mutant(
        "train_weights_only",
        "train_moons",
        "        for name in params:\n            params[name] -= lr * grads[name]",
        '        for name in ("W1", "W2"):\n            params[name] -= lr * grads[name]',
        "biases never trained",
    ),
]
