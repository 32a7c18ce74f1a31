"""Wrong answers for A1 (neurons)."""

from tests.mutants import Mutant

MUTANTS = [
    # Part 1: the formal neuron
    Mutant(
        "no_bias", "formal_neuron", "@ np.asarray(w, dtype=float) + b", "@ np.asarray(w, dtype=float)", "bias left out"
    ),
    Mutant(
        "bias_sub", "formal_neuron", "@ np.asarray(w, dtype=float) + b", "@ np.asarray(w, dtype=float) - b", "sign of b"
    ),
    Mutant("strict_step", "formal_neuron", "(potential(x, w, b) >= 0)", "(potential(x, w, b) > 0)", "step(0) = 0"),
    Mutant("float_out", "formal_neuron", ".astype(int)", ".astype(float) + 0.0", "floats, not integers"),
    # Part 2: activation functions
    Mutant(
        "relu_abs",
        "activations",
        "np.maximum(np.asarray(xi, dtype=float), 0.0)",
        "np.abs(np.asarray(xi, dtype=float))",
        "|x| for ReLU",
    ),
    Mutant(
        "sigmoid_no_lam",
        "activations",
        "z = lam * np.asarray(xi, dtype=float)",
        "z = np.asarray(xi, dtype=float)",
        "steepness ignored",
    ),
    Mutant(
        "sigmoid_naive",
        "activations",
        "e = np.exp(-np.abs(z))  # never overflows\n    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
        "return 1.0 / (1.0 + np.exp(-z))",
        "overflows for large |xi|",
    ),
    Mutant(
        "tanh_lam1",
        "activations",
        "2.0 * sigmoid(xi, lam=2.0) - 1.0",
        "2.0 * sigmoid(xi, lam=1.0) - 1.0",
        "tanh(x) = 2 sigma(x) - 1",
    ),
    Mutant(
        "step_strict",
        "activations",
        "np.asarray(xi, dtype=float) >= 0, 1.0, 0.0",
        "np.asarray(xi, dtype=float) > 0, 1.0, 0.0",
        "step(0) = 0",
    ),
    # Part 3: the perceptron rule
    Mutant("no_bias_update", "perceptron", "b += eta * (t_i - y_i)", "pass", "bias never learns"),
    Mutant(
        "wrong_sign",
        "perceptron",
        "w += eta * (t_i - y_i) * x_i",
        "w += eta * (y_i - t_i) * x_i",
        "update sign flipped",
    ),
    Mutant(
        "no_eta", "perceptron", "w += eta * (t_i - y_i) * x_i", "w += (t_i - y_i) * x_i", "learning rate ignored for w"
    ),
    Mutant(
        "ignores_epochs",
        "perceptron",
        "for _ in range(epochs):",
        "for _ in range(100):",
        "epochs ignored: always up to 100 epochs, which only separable data cut short",
    ),
    Mutant(
        "strict_output",
        "perceptron",
        "1.0 if x_i @ w + b >= 0 else 0.0",
        "1.0 if x_i @ w + b > 0 else 0.0",
        "step(0) = 0 in training",
    ),
    # Part 4: XOR by hand
    Mutant(
        "xor_is_or",
        "xor_weights",
        "w2 = np.array([1.0, 1.0])  # AND of the two\nb2 = -1.5",
        "w2 = np.array([1.0, 0.0])\nb2 = -0.5",
        "output copies OR",
    ),
    Mutant(
        "xor_nand_bias",
        "xor_weights",
        "b1 = np.array([-0.5, 1.5])",
        "b1 = np.array([-0.5, 2.5])",
        "NAND threshold off by one",
    ),
    Mutant("xor_output_or", "xor_weights", "b2 = -1.5", "b2 = -0.5", "OR instead of AND at the output"),
    # Part 5: any Boolean function
    Mutant(
        "dnf_bias_off_by_one",
        "boolean_network",
        "b1 = -ones.sum(axis=1)",
        "b1 = -ones.sum(axis=1) + 1",
        "hidden neuron fires on neighbours",
    ),
    Mutant("dnf_and_output", "boolean_network", "b2 = -0.5  # OR", "b2 = -len(ones) + 0.5  # AND", "AND instead of OR"),
    Mutant(
        "dnf_zero_weights",
        "boolean_network",
        "np.where(ones == 1, 1.0, -1.0)",
        "np.where(ones == 1, 1.0, 0.0)",
        "zeros ignored",
    ),
]
