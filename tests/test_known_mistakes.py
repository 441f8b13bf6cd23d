"""Typical learner mistakes, one row each: the check must catch every one, and its message should name it.

Each row changes the reference solution solutions/NAME.py as text (one mistake a teacher sees in
class), writes the result to a temporary folder, and runs the exercise's check on that file, just as
`python -m nncore check NAME` runs it on a learner's file. The row lists the words the message must
contain: the fault in the learner's words ("transposed", "1/m", "bias correction", ...), not only
"values differ".

Rows marked named=False are caught but not yet named; test_most_mistakes_are_named counts how
many rows really are named and asks for at least 90%.
"""

import functools
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from nncore.exercises import ROOT, run_check


class Mistake(NamedTuple):
    exercise: str
    what: str          # the mistake, as a teacher would say it
    old: str           # text in solutions/NAME.py ...
    new: str           # ... and what the learner wrote instead
    says: tuple        # words the check's message must contain
    named: bool = True


M = Mistake

MISTAKES = [
    # --- perceptron -------------------------------------------------------------------------
    M("perceptron", "update with the wrong sign (w -= ...)",
      "self.weights += self.learning_rate * error * x_i", "self.weights -= self.learning_rate * error * x_i",
      ("weights after one perceptron update", "wrong sign")),
    M("perceptron", "error as y_hat - y",
      "error = y_i - self.predict(x_i.reshape(1, -1))[0]", "error = self.predict(x_i.reshape(1, -1))[0] - y_i",
      ("y - y_hat", "wrong sign")),
    M("perceptron", "predict with >= 0", "return (self.forward(X) > 0).astype(int)",
      "return (self.forward(X) >= 0).astype(int)", ("z is exactly 0", "use > 0, not >= 0")),
    M("perceptron", "forward forgets to return", "        return X @ self.weights + self.bias\n",
      "        X @ self.weights + self.bias\n", ("got None (did the function return its result?)",)),
    M("perceptron", "bias never updated", "                self.bias += self.learning_rate * error\n", "",
      ("bias", "never changed")),
    M("perceptron", "learning rate left out of the update",
      "self.weights += self.learning_rate * error * x_i", "self.weights += error * x_i", ("learning_rate",)),
    M("perceptron", "error from z instead of the prediction",
      "error = y_i - self.predict(x_i.reshape(1, -1))[0]", "error = y_i - self.forward(x_i.reshape(1, -1))[0]",
      ("forward", "predict")),
    M("perceptron", "mistakes counted with their sign", "wrong += int(error != 0)", "wrong += int(error)",
      ("error != 0",)),
    M("perceptron", "every sample counted as a mistake", "wrong += int(error != 0)", "wrong += 1",
      ("every sample",)),
    M("perceptron", "return inside the epoch loop", "            mistakes.append(wrong)\n",
      "            mistakes.append(wrong)\n            return mistakes\n", ("inside the for loop",)),

    # --- activations --------------------------------------------------------------------------
    M("activations", "ReLU derivative returns booleans", "return (np.asarray(Z) > 0).astype(np.float64)",
      "return np.asarray(Z) > 0", ("relu_derivative: expected floats, got an array of dtype bool", ".astype(float)")),
    M("activations", "sigmoid derivative is s, not s(1 - s)", "return S * (1.0 - S)", "return S",
      ("sigmoid(Z) itself", "S * (1 - S)")),
    M("activations", "s(1 - s) applied to Z instead of s", "return S * (1.0 - S)", "return Z * (1.0 - Z)",
      ("applied to Z",)),
    M("activations", "sigmoid derivative in the overflowing form", "return S * (1.0 - S)",
      "return np.exp(-Z) / (1 + np.exp(-Z)) ** 2", ("inf / inf = nan",)),
    M("activations", "tanh derivative 1 - tanh, not squared", "return 1.0 - tanh(Z) ** 2",
      "return 1.0 - tanh(Z)", ("1 - tanh(Z) ** 2", "squared")),
    M("activations", "tanh derivative 1 - z^2", "return 1.0 - tanh(Z) ** 2", "return 1.0 - Z ** 2",
      ("applied to Z",)),
    M("activations", "ReLU derivative all ones", "return (np.asarray(Z) > 0).astype(np.float64)",
      "return np.ones_like(Z, dtype=np.float64)", ("1 everywhere",)),
    M("activations", "ReLU derivative returns relu(z)", "return (np.asarray(Z) > 0).astype(np.float64)",
      "return np.maximum(Z, 0.0)", ("relu(Z) itself",)),
    M("activations", "ReLU derivative returns z", "return (np.asarray(Z) > 0).astype(np.float64)",
      "return np.asarray(Z, dtype=np.float64)", ("Z itself",)),
    M("activations", "ReLU derivative with Z >= 0", "return (np.asarray(Z) > 0).astype(np.float64)",
      "return (np.asarray(Z) >= 0).astype(np.float64)", ("Z > 0, not Z >= 0",)),
    M("activations", "leaky ReLU slopes swapped", "np.where(np.asarray(Z) > 0, 1.0, alpha)",
      "np.where(np.asarray(Z) > 0, alpha, 1.0)", ("swapped",)),
    M("activations", "leaky ReLU with a fixed 0.01", "np.where(np.asarray(Z) > 0, 1.0, alpha)",
      "np.where(np.asarray(Z) > 0, 1.0, 0.01)", ("`alpha` argument",)),
    M("activations", "ReLU derivative written into Z", "return (np.asarray(Z) > 0).astype(np.float64)",
      "Z[Z <= 0] = 0.0; Z[Z > 0] = 1.0; return Z", ("changed its input Z in place",)),

    # --- dense ------------------------------------------------------------------------------
    M("dense", "W transposed in the product", "    return X @ W + b\n", "    return X @ W.T + b\n",
      ("not W.T",)),
    M("dense", "bias left out", "    return X @ W + b\n", "    return X @ W\n", ("bias", "not added")),
    M("dense", "bias subtracted", "    return X @ W + b\n", "    return X @ W - b\n", ("subtracted",)),
    M("dense", "a column b accepted", "if b.shape not in ((1, n_out), (n_out,)):", "if b.ndim > 2:",
      ("column",)),
    M("dense", "X and W not compared", "if X.shape[1] != W.shape[0]:", "if False:",
      ("Compare X.shape[1] with W.shape[0]",)),
    M("dense", "He std sqrt(1/n_in)", "np.sqrt(2.0 / n_in)", "np.sqrt(1.0 / n_in)", ("sqrt(1 / n_in)",)),
    M("dense", "He std sqrt(2/n_out)", "np.sqrt(2.0 / n_in)", "np.sqrt(2.0 / n_out)", ("n_out",)),
    M("dense", "He scale without the square root", "np.sqrt(2.0 / n_in)", "(2.0 / n_in)", ("square root",)),
    M("dense", "W created transposed", "rng.standard_normal((n_in, n_out))", "rng.standard_normal((n_out, n_in))",
      ("transposed",)),
    M("dense", "b as a column", "self.b = np.zeros((1, n_out))", "self.b = np.zeros((n_out, 1))", ("column",)),
    M("dense", "seed ignored", "rng = np.random.default_rng(seed)", "rng = np.random.default_rng()",
      ("default_rng(seed)",)),
    M("dense", "forward does not keep X", "        self.X = X\n        return dense_forward",
      "        return dense_forward", ("keep the input as self.X",)),

    # --- simple_nn ----------------------------------------------------------------------------
    M("simple_nn", "missing 1/m", "dZ2 = (self.A2 - y) / y.size", "dZ2 = (self.A2 - y)",
      ("gradient check failed for dW2", "Every entry is 4 times too large", "1/m", "Divide dZ2 by y.size")),
    M("simple_nn", "dZ2 with the wrong sign", "dZ2 = (self.A2 - y) / y.size", "dZ2 = (y - self.A2) / y.size",
      ("wrong sign",)),
    M("simple_nn", "sigmoid's slope multiplied in again", "dZ2 = (self.A2 - y) / y.size",
      "dZ2 = (self.A2 - y) / y.size * self.A2 * (1 - self.A2)", ("cancels",)),
    M("simple_nn", "dW2 transposed", "self.dW2 = self.A1.T @ dZ2", "self.dW2 = dZ2.T @ self.A1",
      ("transposed", "A1.T @ dZ2")),
    M("simple_nn", "dW1 transposed", "self.dW1 = X.T @ dZ1", "self.dW1 = dZ1.T @ X", ("transposed", "X.T @ dZ1")),
    M("simple_nn", "db2 summed over axis 1", "self.db2 = dZ2.sum(axis=0, keepdims=True)",
      "self.db2 = dZ2.sum(axis=1, keepdims=True)", ("axis=0",)),
    M("simple_nn", "db1 summed over axis 1", "self.db1 = dZ1.sum(axis=0, keepdims=True)",
      "self.db1 = dZ1.sum(axis=1, keepdims=True)", ("axis=0",)),
    M("simple_nn", "db1 not summed", "self.db1 = dZ1.sum(axis=0, keepdims=True)", "self.db1 = dZ1",
      ("not summed", "axis=0")),
    M("simple_nn", "db1 summed without keepdims", "self.db1 = dZ1.sum(axis=0, keepdims=True)",
      "self.db1 = dZ1.sum(axis=0)", ("keepdims=True",)),
    M("simple_nn", "missing tanh'", "dZ1 = (dZ2 @ self.W2.T) * (1.0 - self.A1 ** 2)", "dZ1 = dZ2 @ self.W2.T",
      ("tanh'", "missing")),
    M("simple_nn", "tanh' from the output layer", "dZ1 = (dZ2 @ self.W2.T) * (1.0 - self.A1 ** 2)",
      "dZ1 = (dZ2 @ self.W2.T) * (1.0 - self.A2 ** 2)", ("A2", "hidden layer")),
    M("simple_nn", "tanh' as 1 - A1", "dZ1 = (dZ2 @ self.W2.T) * (1.0 - self.A1 ** 2)",
      "dZ1 = (dZ2 @ self.W2.T) * (1.0 - self.A1)", ("1 - A1**2",)),
    M("simple_nn", "tanh' from Z1", "dZ1 = (dZ2 @ self.W2.T) * (1.0 - self.A1 ** 2)",
      "dZ1 = (dZ2 @ self.W2.T) * (1.0 - self.Z1 ** 2)", ("Z1", "A1")),
    M("simple_nn", "dW1 from A1 instead of X", "self.dW1 = X.T @ dZ1", "self.dW1 = self.A1.T @ dZ1",
      ("X.T @ dZ1",)),
    M("simple_nn", "W1 used instead of self.W1", "self.Z1 = X @ self.W1 + self.b1", "self.Z1 = X @ W1 + b1",
      ("your code raised NameError", "self.W1, not W1")),
    M("simple_nn", "missing bracket", "self.A1 = np.tanh(self.Z1)", "self.A1 = np.tanh(self.Z1",
      ("Python cannot read your file: SyntaxError", "simple_nn.py, line")),
    M("simple_nn", "A2 not kept on self", "        self.A2 = sigmoid(self.Z2)\n        return self.A2\n",
      "        return sigmoid(self.Z2)\n",
      ("SimpleNN.forward (backward needs it): expected an attribute `A2`",)),
    M("simple_nn", "output transposed", "        return self.A2\n", "        return self.A2.T\n",
      ("expected shape (4, 1), got shape (1, 4)",)),
    M("simple_nn", "sigmoid in a form that overflows", "self.A2 = sigmoid(self.Z2)",
      "self.A2 = np.exp(self.Z2) / (1.0 + np.exp(self.Z2))", ("overflow",)),
    M("simple_nn", "the loss method appended", "losses.append(self.loss(y))", "losses.append(self.loss)",
      ("holds a method, not a number", "self.loss(y)")),
    M("simple_nn", "update into a local copy", "            self.b1 -= self.learning_rate * self.db1\n",
      "            b1 = self.b1 - self.learning_rate * self.db1\n", ("SimpleNN.train never changed b1",)),
    M("simple_nn", "update with +=", "            self.W2 -= self.learning_rate * self.dW2\n",
      "            self.W2 += self.learning_rate * self.dW2\n", ("W2", "-=")),

    # --- softmax_jacobian ------------------------------------------------------------------------
    M("softmax_jacobian", "no max shift", "E = np.exp(Z - Z.max(axis=1, keepdims=True))", "E = np.exp(Z)",
      ("subtract each row's maximum",)),
    M("softmax_jacobian", "shifted by the global max", "E = np.exp(Z - Z.max(axis=1, keepdims=True))",
      "E = np.exp(Z - Z.max())", ("each row's",)),
    M("softmax_jacobian", "summed over the batch axis", "return E / E.sum(axis=1, keepdims=True)",
      "return E / E.sum(axis=0, keepdims=True)", ("axis=1",)),
    M("softmax_jacobian", "sum without keepdims", "return E / E.sum(axis=1, keepdims=True)",
      "return E / E.sum(axis=1)", ("keepdims=True",)),
    M("softmax_jacobian", "shift written into Z", "E = np.exp(Z - Z.max(axis=1, keepdims=True))",
      "Z -= Z.max(axis=1, keepdims=True); E = np.exp(Z)", ("changed its input Z",)),
    M("softmax_jacobian", "Jacobian: only the diagonal", "return np.diag(s) - np.outer(s, s)",
      "return np.diag(s * (1 - s))", ("only the diagonal",)),
    M("softmax_jacobian", "Jacobian with s @ s.T", "return np.diag(s) - np.outer(s, s)",
      "return np.diag(s) - s @ s.T", ("s @ s.T",)),
    M("softmax_jacobian", "Jacobian with the wrong sign", "return np.diag(s) - np.outer(s, s)",
      "return np.outer(s, s) - np.diag(s)", ("wrong sign",)),
    M("softmax_jacobian", "Jacobian with + s s^T", "return np.diag(s) - np.outer(s, s)",
      "return np.diag(s) + np.outer(s, s)", ("minus",)),
    M("softmax_jacobian", "Jacobian without the delta", "return np.diag(s) - np.outer(s, s)",
      "return np.outer(s, 1 - s)", ("delta",)),
    M("softmax_jacobian", "backward uses only the diagonal", "dZ[n] = J.T @ dA[n]",
      "dZ[n] = dA[n] * S[n] * (1 - S[n])", ("only the diagonal",)),
    M("softmax_jacobian", "backward with the whole dA", "dZ[n] = J.T @ dA[n]", "dZ[n] = dA @ J",
      ("dA[n]",)),
    M("softmax_jacobian", "backward with one sample's Jacobian for all", "dZ[n] = J.T @ dA[n]",
      "dZ = dA @ softmax_jacobian(S[0])", ("its own Jacobian",)),
    M("softmax_jacobian", "backward loops over the classes", "for n in range(S.shape[0]):",
      "for n in range(S.shape[1]):", ("S.shape[0]",)),
    M("softmax_jacobian", "backward summed over the batch", "    return dZ\n", "    return dZ.sum(axis=0)\n",
      ("summed over the batch",)),

    # --- softmax_cross_entropy ---------------------------------------------------------------------
    M("softmax_cross_entropy", "no max shift", "shifted = Z - Z.max(axis=1, keepdims=True)", "shifted = Z",
      ("overflows to inf", "subtract each row's maximum")),
    M("softmax_cross_entropy", "log of softmax recomputed unstably",
      "log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))",
      "log_P = np.log(np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True))", ("log(0) is -inf",)),
    M("softmax_cross_entropy", "log of a clipped softmax",
      "log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))",
      "log_P = np.log(np.clip(np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True), 1e-12, None))",
      ("clipped probability",)),
    M("softmax_cross_entropy", "summed, not averaged", "return float(-np.sum(Y * log_P) / N)",
      "return float(-np.sum(Y * log_P))", ("summed over the batch",)),
    M("softmax_cross_entropy", "mean over all N*C entries", "return float(-np.sum(Y * log_P) / N)",
      "return float(-np.mean(Y * log_P))", ("all N*C entries",)),
    M("softmax_cross_entropy", "loss without the minus sign", "return float(-np.sum(Y * log_P) / N)",
      "return float(np.sum(Y * log_P) / N)", ("wrong sign",)),
    M("softmax_cross_entropy", "one-hot not built from integer labels",
      "        if Y.ndim == 1:\n            Y = np.eye(C)[Y]\n", "", ("not turned into one-hot rows", "np.eye(C)[y]")),
    M("softmax_cross_entropy", "shift written into Z", "shifted = Z - Z.max(axis=1, keepdims=True)",
      "Z -= Z.max(axis=1, keepdims=True); shifted = Z", ("changed Z in place",)),
    M("softmax_cross_entropy", "backward without 1/N", "return (self.P - self.Y) / len(self.P)",
      "return self.P - self.Y", ("the 1/N is missing",)),
    M("softmax_cross_entropy", "backward divided by N twice", "return (self.P - self.Y) / len(self.P)",
      "return (self.P - self.Y) / len(self.P) ** 2", ("divided by N twice",)),
    M("softmax_cross_entropy", "backward Y - P", "return (self.P - self.Y) / len(self.P)",
      "return (self.Y - self.P) / len(self.P)", ("wrong sign", "predictions minus targets")),

    # --- sgd_momentum ----------------------------------------------------------------------------
    M("sgd_momentum", "velocity stored as the gradient array itself",
      'v = state["v"] = self.momentum * state.get("v", 0.0) + g',
      'if "v" not in state:\n            state["v"] = g\n        else:\n            state["v"] *= self.momentum\n'
      '            state["v"] += g\n        v = state["v"]', ("same array",)),
    M("sgd_momentum", "velocity starts as g and is updated in place",
      'v = state["v"] = self.momentum * state.get("v", 0.0) + g',
      'v = state.setdefault("v", g); v *= self.momentum; v += g', ("same array",)),
    M("sgd_momentum", "p += lr * v", "p -= lr * v", "p += lr * v", ("up the slope",)),
    M("sgd_momentum", "v = mu v - lr g, then p -= v", 'v = state["v"] = self.momentum * state.get("v", 0.0) + g\n'
      '        p -= lr * v', 'v = state["v"] = self.momentum * state.get("v", 0.0) - lr * g\n        p -= v',
      ("sign",)),
    M("sgd_momentum", "p not changed in place", "p -= lr * v", "p = p - lr * v", ("in place",)),
    M("sgd_momentum", "one velocity on self for all parameters",
      'v = state["v"] = self.momentum * state.get("v", 0.0) + g',
      'v = self.v = self.momentum * getattr(self, "v", 0.0) + g', ("own memory",)),
    M("sgd_momentum", "velocity never stored", 'v = state["v"] = self.momentum * state.get("v", 0.0) + g',
      'v = self.momentum * state.get("v", 0.0) + g', ("not kept between steps",)),
    M("sgd_momentum", "dampened velocity", 'self.momentum * state.get("v", 0.0) + g',
      'self.momentum * state.get("v", 0.0) + (1 - self.momentum) * g', ("running average",)),
    M("sgd_momentum", "lr inside the velocity too", 'self.momentum * state.get("v", 0.0) + g',
      'self.momentum * state.get("v", 0.0) + lr * g', ("learning rate is applied twice",)),
    M("sgd_momentum", "a fixed momentum 0.9", 'self.momentum * state.get("v", 0.0) + g',
      '0.9 * state.get("v", 0.0) + g', ("ignores self.momentum",)),
    M("sgd_momentum", "self.lr instead of lr", "p -= lr * v", "p -= self.lr * v", ("self.lr",)),

    # --- adam ----------------------------------------------------------------------------------
    M("adam", "step counter never stored", 't = state["t"] = state.get("t", 0) + 1', 't = state.get("t", 0) + 1',
      ("step counter", "never advances")),
    M("adam", "step counter stuck at 0", 't = state["t"] = state.get("t", 0) + 1', 't = state["t"] = state.get("t", 0)',
      ("divides by zero",)),
    M("adam", "step counter starts at 0", 't = state["t"] = state.get("t", 0) + 1',
      't = state.get("t", 0); state["t"] = t + 1', ("divides by zero",)),
    M("adam", "no bias correction", "m_hat = m / (1 - self.beta1 ** t)\n        v_hat = v / (1 - self.beta2 ** t)",
      "m_hat, v_hat = m, v", ("bias correction",)),
    M("adam", "bias correction (1 - beta)**t", "m_hat = m / (1 - self.beta1 ** t)\n        v_hat = v / (1 - self.beta2 ** t)",
      "m_hat = m / (1 - self.beta1) ** t\n        v_hat = v / (1 - self.beta2) ** t", ("1 - beta1**t",)),
    M("adam", "eps inside the square root", "(np.sqrt(v_hat) + self.eps)", "np.sqrt(v_hat + self.eps)",
      ("inside the square root",)),
    M("adam", "beta1 and beta2 swapped",
      'self.beta1 * state.get("m", 0.0) + (1 - self.beta1) * g\n'
      '        v = state["v"] = self.beta2 * state.get("v", 0.0) + (1 - self.beta2) * g ** 2',
      'self.beta2 * state.get("m", 0.0) + (1 - self.beta2) * g\n'
      '        v = state["v"] = self.beta1 * state.get("v", 0.0) + (1 - self.beta1) * g ** 2', ("swapped",)),
    M("adam", "v averages g, not g**2", "(1 - self.beta2) * g ** 2", "(1 - self.beta2) * g", ("g**2",)),
    M("adam", "m averages g**2", "(1 - self.beta1) * g\n", "(1 - self.beta1) * g ** 2\n", ("m is a running mean of g",)),
    M("adam", "no square root", "(np.sqrt(v_hat) + self.eps)", "(v_hat + self.eps)", ("square root",)),
    M("adam", "one step counter on self", 't = state["t"] = state.get("t", 0) + 1',
      't = self.t = getattr(self, "t", 0) + 1', ("once per parameter",)),
    M("adam", "self.lr instead of lr", "p -= lr * m_hat", "p -= self.lr * m_hat", ("self.lr",)),
    M("adam", "p not changed in place", "p -= lr * m_hat", "p = p - lr * m_hat", ("in place",)),

    # --- minibatch ---------------------------------------------------------------------------------
    M("minibatch", "no shuffling", "order = rng.permutation(N)", "order = np.arange(N)", ("nothing is shuffled",)),
    M("minibatch", "the same permutation every epoch",
      "    for epoch in range(epochs):\n        order = rng.permutation(N)\n",
      "    order = rng.permutation(N)\n    for epoch in range(epochs):\n", ("the same order", "one generator")),
    M("minibatch", "a new generator each epoch from the same seed", "        order = rng.permutation(N)\n",
      "        order = np.random.default_rng(seed).permutation(N)\n", ("the same order", "inside the epoch loop")),
    M("minibatch", "seed ignored", "rng = np.random.default_rng(seed)", "rng = np.random.default_rng()",
      ("default_rng(seed)",)),
    M("minibatch", "last partial batch dropped", "for start in range(0, N, batch_size):",
      "for start in range(0, N - batch_size + 1, batch_size):", ("the last, smaller batch is dropped",)),
    M("minibatch", "X and y indexed with different orders", "L = loss.forward(A, y[idx])",
      "L = loss.forward(A, y[start:start + batch_size])", ("X and y are indexed with different orders",)),
    M("minibatch", "one step per epoch",
      "            optimizer.step(model.parameters(), model.gradients())\n            total += L * len(idx)\n",
      "            total += L * len(idx)\n        optimizer.step(model.parameters(), model.gradients())\n",
      ("once per epoch",)),
    M("minibatch", "the last batch's loss returned", "history.append(total / N)", "history.append(L)",
      ("loss of its last batch",)),
    M("minibatch", "plain mean over batches", "total += L * len(idx)\n        history.append(total / N)",
      "total += L\n        history.append(total / -(-N // batch_size))",
      ("plain mean", "weight each batch's loss by its size")),
    M("minibatch", "total not reset each epoch",
      "    for epoch in range(epochs):\n        order = rng.permutation(N)\n        total = 0.0\n",
      "    total = 0.0\n    for epoch in range(epochs):\n        order = rng.permutation(N)\n", ("not reset",)),
    M("minibatch", "backward before the loss", "            model.backward(loss.backward())\n",
      "            model.backward(np.ones_like(A))\n", ("loss.backward",)),

    # --- l2 ----------------------------------------------------------------------------------------
    M("l2", "gradient without the factor 2", "return 2.0 * lam * W", "return lam * W", ("factor 2",)),
    M("l2", "gradient with the wrong sign", "return 2.0 * lam * W", "return -2.0 * lam * W", ("-2*lam*W",)),
    M("l2", "gradient without lam", "return 2.0 * lam * W", "return 2.0 * W", ("strength lam",)),
    M("l2", "gradient summed to a number", "return 2.0 * lam * W", "return 2.0 * lam * np.sum(W)",
      ("one gradient per weight", "summed")),
    M("l2", "gradient written into W", "return 2.0 * lam * W", "W *= 2.0 * lam; return W", ("changed W in place",)),
    M("l2", "penalty not summed", "return float(lam * np.sum(W ** 2))", "return lam * W ** 2", ("single number",)),
    M("l2", "penalty halved", "return float(lam * np.sum(W ** 2))", "return float(0.5 * lam * np.sum(W ** 2))",
      ("exactly half",)),
    M("l2", "penalty L1", "return float(lam * np.sum(W ** 2))", "return float(lam * np.sum(np.abs(W)))",
      ("L1 penalty",)),
    M("l2", "penalty averaged", "return float(lam * np.sum(W ** 2))", "return float(lam * np.mean(W ** 2))",
      ("mean(W^2)",)),
    M("l2", "penalty not squared", "return float(lam * np.sum(W ** 2))", "return float(lam * np.sum(W))",
      ("not squared",)),
    M("l2", "penalty as the norm", "return float(lam * np.sum(W ** 2))", "return float(lam * np.linalg.norm(W))",
      ("norm",)),

    # --- l2: the L1 part ---------------------------------------------------------------------------
    M("l2", "L1 penalty without the absolute values", "return float(lam * np.sum(np.abs(W)))",
      "return float(lam * np.sum(W))", ("absolute values are missing",)),
    M("l2", "L1 penalty squared", "return float(lam * np.sum(np.abs(W)))", "return float(lam * np.sum(W ** 2))",
      ("the L2 penalty", "not the squares")),
    M("l2", "L1 penalty averaged", "return float(lam * np.sum(np.abs(W)))", "return float(lam * np.mean(np.abs(W)))",
      ("mean(|W|)",)),
    M("l2", "L1 gradient as W / |W|", "return lam * np.sign(W)", "return lam * W / np.abs(W)",
      ("nan where W is 0", "np.sign(W)")),
    M("l2", "L1 gradient proportional to W", "return lam * np.sign(W)", "return lam * W", ("same size lam",)),
    M("l2", "L1 gradient without lam", "return lam * np.sign(W)", "return np.sign(W)", ("strength lam",)),
    M("l2", "L1 gradient with a factor 2", "return lam * np.sign(W)", "return 2 * lam * np.sign(W)",
      ("no factor 2 in L1",)),
    M("l2", "L1 gradient with sign(0) = 1", "return lam * np.sign(W)", "return np.where(W >= 0, lam, -lam)",
      ("sign(0) = 0",)),

    # --- dropout ---------------------------------------------------------------------------------
    M("dropout", "mask not scaled", "mask = (rng.random(A.shape) < keep) / keep",
      "mask = (rng.random(A.shape) < keep) * 1.0", ("not rescaled",)),
    M("dropout", "mask scaled by 1/rate", "mask = (rng.random(A.shape) < keep) / keep",
      "mask = (rng.random(A.shape) < keep) / rate", ("1/rate",)),
    M("dropout", "mask multiplied by 1 - rate", "mask = (rng.random(A.shape) < keep) / keep",
      "mask = (rng.random(A.shape) < keep) * keep", ("multiplied by 1 - rate",)),
    M("dropout", "units kept with probability rate", "mask = (rng.random(A.shape) < keep) / keep",
      "mask = (rng.random(A.shape) < rate) / keep", ("fraction DROPPED",)),
    M("dropout", "mask from np.random", "mask = (rng.random(A.shape) < keep) / keep",
      "mask = (np.random.random(A.shape) < keep) / keep", ("rng argument",)),
    M("dropout", "a new mask in backward", "return dA * mask",
      "return dA * (np.random.random(dA.shape) < 0.75) / 0.75", ("the mask from the forward pass",)),
    M("dropout", "backward forgets the scale", "return dA * mask", "return dA * (mask != 0)", ("not scaled",)),
    M("dropout", "backward returns dA", "return dA * mask", "return dA", ("returned dA unchanged",)),
    M("dropout", "dropout in evaluation mode", "    if not training:\n", "    if False:\n",
      ("training=False", "still drops")),
    M("dropout", "rescaled at test time", "return A, np.ones_like(A)", "return A * (1 - rate), np.ones_like(A)",
      ("test time",)),
    M("dropout", "input A changed in place", "return A * mask, mask", "A *= mask\n    return A, mask",
      ("changed A in place",)),

    # --- backprop ---------------------------------------------------------------------------------
    M("backprop", "dW transposed", "self.dW = self.X.T @ dZ", "self.dW = dZ.T @ self.X", ("dW is transposed", "X^T dZ")),
    M("backprop", "dW divided by N in the layer", "self.dW = self.X.T @ dZ", "self.dW = self.X.T @ dZ / len(dZ)",
      ("divided by N", "loss's gradient already has it")),
    M("backprop", "dW kept in a local variable", "self.dW = self.X.T @ dZ", "dW = self.X.T @ dZ",
      ("all zeros", "self.dW")),
    M("backprop", "db not summed", "self.db = dZ.sum(axis=0, keepdims=True)", "self.db = dZ",
      ("not summed over the batch",)),
    M("backprop", "db summed over axis 1", "self.db = dZ.sum(axis=0, keepdims=True)",
      "self.db = dZ.sum(axis=1, keepdims=True)", ("wrong axis", "axis=0")),
    M("backprop", "db without keepdims", "self.db = dZ.sum(axis=0, keepdims=True)", "self.db = dZ.sum(axis=0)",
      ("keepdims=True",)),
    M("backprop", "db as the mean over the batch", "self.db = dZ.sum(axis=0, keepdims=True)",
      "self.db = dZ.mean(axis=0, keepdims=True)", ("divided by N",)),
    M("backprop", "dX with W instead of W^T", "return dZ @ self.W.T", "return dZ @ self.W", ("W instead of W^T",)),
    M("backprop", "dX summed over the batch", "return dZ @ self.W.T", "return (dZ @ self.W.T).sum(axis=0)",
      ("summed over the batch",)),
    M("backprop", "forward does not keep X", "        self.X = X\n        return X @ self.W + self.b",
      "        return X @ self.W + self.b", ("forward did not keep its input",)),
    M("backprop", "bias not added", "return X @ self.W + self.b", "return X @ self.W", ("b is not added",)),
    M("backprop", "ReLU: a new mask from dA", "return dA * self.mask", "return dA * (dA > 0)",
      ("new mask", "from the forward pass")),
    M("backprop", "ReLU: a random new mask in backward", "return dA * self.mask",
      "return dA * (np.random.random(dA.shape) < 0.5)", ("new mask",)),
    M("backprop", "ReLU: no mask", "return dA * self.mask", "return dA", ("unchanged",)),
    M("backprop", "ReLU: mask Z >= 0", "self.mask = Z > 0", "self.mask = Z >= 0", ("Z >= 0",)),
    M("backprop", "ReLU: mask inverted", "self.mask = Z > 0", "self.mask = Z < 0", ("inverted",)),
    M("backprop", "ReLU: mask kept in a local variable", "self.mask = Z > 0", "mask = Z > 0", ("keep on self",)),
    M("backprop", "ReLU: Z changed in place", "return np.maximum(Z, 0.0)", "Z[Z < 0] = 0.0\n        return Z",
      ("changed its input Z in place",)),
    M("backprop", "Network: backward in forward order", "for layer in reversed(self.layers):",
      "for layer in self.layers:", ("forward order", "reversed")),
    M("backprop", "Network: gradient not passed down", "            dA = layer.backward(dA)\n",
      "            layer.backward(dA)\n", ("not passed from layer to layer",)),
    M("backprop", "Network: every layer given X", "            A = layer.forward(A)\n",
      "            A = layer.forward(X)\n", ("every layer received X",)),
    M("backprop", "Network: forward returns X", "            A = layer.forward(A)\n        return A\n",
      "            A = layer.forward(A)\n        return X\n", ("returned X",)),

    # --- autograd --------------------------------------------------------------------------------
    M("autograd", "unbroadcast without keepdims", "grad = grad.sum(axis=axis, keepdims=True)",
      "grad = grad.sum(axis=axis)", ("without keepdims=True",)),
    M("autograd", "unbroadcast always sums over axis 0", "grad = grad.sum(axis=axis, keepdims=True)",
      "grad = grad.sum(axis=0, keepdims=True)", ("wrong axis",)),
    M("autograd", "unbroadcast forgets the leading axes", "    while grad.ndim > len(shape):\n        grad = grad.sum(axis=0)\n",
      "", ("not summed back", "once per copy")),
    M("autograd", "unbroadcast averages the leading axes", "grad = grad.sum(axis=0)\n", "grad = grad.mean(axis=0)\n",
      ("averaged (mean), not summed",)),
    M("autograd", "unbroadcast only sums the leading axes", "            grad = grad.sum(axis=axis, keepdims=True)\n",
      "            pass\n", ("not summed back",)),
    M("autograd", "mul: the factors swapped", "da = unbroadcast(dout * b, a.shape)\n    db = unbroadcast(dout * a, b.shape)",
      "da = unbroadcast(dout * a, a.shape)\n    db = unbroadcast(dout * b, b.shape)", ("factors are swapped", "da = dout * b")),
    M("autograd", "mul: gradients not summed back", "da = unbroadcast(dout * b, a.shape)\n    db = unbroadcast(dout * a, b.shape)",
      "da = dout * b\n    db = dout * a", ("not summed back", "unbroadcast")),
    M("autograd", "mul: da without the other factor", "da = unbroadcast(dout * b, a.shape)", "da = unbroadcast(dout, a.shape)",
      ("other factor b is missing",)),
    M("autograd", "matmul: dA = dout @ B", "dA = dout @ np.swapaxes(B, -1, -2)", "dA = dout @ B",
      ("dA = dout B", "B^T")),
    M("autograd", "matmul: dB = dout^T A", "dB = np.swapaxes(A, -1, -2) @ dout", "dB = np.swapaxes(dout, -1, -2) @ A",
      ("dB is transposed",)),
    M("autograd", "matmul: .T on a stack", "dA = dout @ np.swapaxes(B, -1, -2)\n    dB = np.swapaxes(A, -1, -2) @ dout",
      "dA = dout @ B.T\n    dB = A.T @ dout", (".T reverses *all* axes",)),
    M("autograd", "matmul: dB not summed over the stack", "return unbroadcast(dA, A.shape), unbroadcast(dB, B.shape)",
      "return unbroadcast(dA, A.shape), dB", ("not summed back over the stack",)),
    M("autograd", "order: pre-order (a node before its parents)",
      "        visited.add(node)\n        for parent in node.parents:\n            if parent.requires_grad:\n"
      "                visit(parent)\n        order.append(node)\n",
      "        visited.add(node)\n        order.append(node)\n        for parent in node.parents:\n"
      "            if parent.requires_grad:\n                visit(parent)\n", ("before one of their parents", "post-order")),
    M("autograd", "order: no visited set", "        if node in visited:\n            return\n", "",
      ("listed twice", "set of visited nodes")),
    M("autograd", "order: reversed", "    visit(root)\n    return order\n", "    visit(root)\n    return order[::-1]\n",
      ("root comes first", "reversed")),
    M("autograd", "order: leaves left out", "        order.append(node)\n", "        if node.parents:\n            order.append(node)\n",
      ("missing the leaves",)),

    # --- ring_allreduce --------------------------------------------------------------------------
    M("ring_allreduce", "reduce_scatter: worker p sends chunk (p + s)",
      "(p - s) % P, chunks[p][(p - s) % P]", "(p + s) % P, chunks[p][(p + s) % P]",
      ("reduce_scatter(chunks)", "which chunk worker p sends in step s", "(p + s) mod P")),
    M("ring_allreduce", "reduce_scatter: worker p sends chunk (p - s - 1)",
      "(p - s) % P, chunks[p][(p - s) % P]", "(p - s - 1) % P, chunks[p][(p - s - 1) % P]",
      ("one worker too early", "(p - s - 1) mod P")),
    M("ring_allreduce", "reduce_scatter: steps counted from 1", "    for s in range(P - 1):\n        messages = [(p, (p - s)",
      "    for s in range(1, P):\n        messages = [(p, (p - s)", ("one worker too early", "s counts from 0")),
    M("ring_allreduce", "reduce_scatter: the same chunk p in every step",
      "(p - s) % P, chunks[p][(p - s) % P]", "p, chunks[p][p]", ("the same chunk p in every step",)),
    M("ring_allreduce", "reduce_scatter: sent to worker p - 1", "chunks[(p + 1) % P][c] += values",
      "chunks[(p - 1) % P][c] += values", ("went to worker (p - 1) mod P",)),
    M("ring_allreduce", "reduce_scatter: one step short", "    for s in range(P - 1):\n        messages = [(p, (p - s)",
      "    for s in range(P - 2):\n        messages = [(p, (p - s)", ("one step short", "range(P - 1)")),
    M("ring_allreduce", "reduce_scatter: P steps", "    for s in range(P - 1):\n        messages = [(p, (p - s)",
      "    for s in range(P):\n        messages = [(p, (p - s)", ("one step too many",)),
    M("ring_allreduce", "reduce_scatter: always at least one step (wrong for P = 1)",
      "    for s in range(P - 1):\n        messages = [(p, (p - s)",
      "    for s in range(max(P - 1, 1)):\n        messages = [(p, (p - s)", ("P = 1", "no one to send to")),
    M("ring_allreduce", "reduce_scatter: the loops nested the other way",
      "    for s in range(P - 1):\n        messages = [(p, (p - s) % P, chunks[p][(p - s) % P].copy()) for p in range(P)]\n"
      "        for p, c, values in messages:\n            chunks[(p + 1) % P][c] += values\n            sent[p] += values.size\n",
      "    for p in range(P):\n        for s in range(P - 1):\n            c = (p - s) % P\n"
      "            chunks[(p + 1) % P][c] += chunks[p][c]\n            sent[p] += chunks[p][c].size\n",
      ("nested the other way", "the loop over the steps goes outside")),
    M("ring_allreduce", "reduce_scatter: every worker sends chunk s, delivered one after another",
      "        messages = [(p, (p - s) % P, chunks[p][(p - s) % P].copy()) for p in range(P)]\n"
      "        for p, c, values in messages:\n            chunks[(p + 1) % P][c] += values\n            sent[p] += values.size\n",
      "        for p in range(P):\n            chunks[(p + 1) % P][s] += chunks[p][s]\n            sent[p] += chunks[p][s].size\n",
      ("delivered one after another", "values count twice", "state before the step (copy first, then deliver)")),
    M("ring_allreduce", "reduce_scatter: returns (chunks, sent)", "    return sent\n    ### END SOLUTION\n\n\ndef all_gather",
      "    return chunks, sent\n    ### END SOLUTION\n\n\ndef all_gather", ("returned a pair", "sent alone", "in place")),
    M("ring_allreduce", "reduce_scatter: the message replaces instead of adding", "chunks[(p + 1) % P][c] += values",
      "chunks[(p + 1) % P][c] = values", ("replaced its chunk by the message instead of adding",)),
    M("ring_allreduce", "reduce_scatter: the sums divided by P", "    return sent\n    ### END SOLUTION\n\n\ndef all_gather",
      "    for p in range(P):\n        chunks[p][(p + 1) % P] /= P\n    return sent\n    ### END SOLUTION\n\n\ndef all_gather",
      ("divided by P", "an all-reduce sums")),
    M("ring_allreduce", "reduce_scatter: the sum written into the sender's array",
      "            chunks[(p + 1) % P][c] += values\n",
      "            chunks[p][c] += chunks[(p + 1) % P][c]\n            chunks[(p + 1) % P][c] = chunks[p][c]\n",
      ("reduce_scatter", "same array in memory", "copy")),
    M("ring_allreduce", "reduce_scatter: works on a copy of chunks",
      "    P = len(chunks)\n    sent = [0] * P\n    for s in range(P - 1):\n        messages = [(p, (p - s)",
      "    P = len(chunks)\n    chunks = [[c.copy() for c in w] for w in chunks]\n    sent = [0] * P\n"
      "    for s in range(P - 1):\n        messages = [(p, (p - s)", ("chunks is unchanged after the call", "in place")),
    M("ring_allreduce", "reduce_scatter: counts what the receiver gets",
      "chunks[(p + 1) % P][c] += values\n            sent[p] += values.size",
      "chunks[(p + 1) % P][c] += values\n            sent[(p + 1) % P] += values.size", ("received, not what it sent",)),
    M("ring_allreduce", "reduce_scatter: counts chunks, not values",
      "chunks[(p + 1) % P][c] += values\n            sent[p] += values.size",
      "chunks[(p + 1) % P][c] += values\n            sent[p] += 1", ("counts messages (chunks), not values",)),
    M("ring_allreduce", "reduce_scatter: traffic from the formula", "    return sent\n    ### END SOLUTION\n\n\ndef all_gather",
      "    return [(P - 1) * sum(len(c) for c in chunks[0]) / P] * P\n    ### END SOLUTION\n\n\ndef all_gather",
      ("formula (P - 1) n / P", "unequal length")),
    M("ring_allreduce", "reduce_scatter: returns nothing", "    return sent\n    ### END SOLUTION\n\n\ndef all_gather",
      "    ### END SOLUTION\n\n\ndef all_gather", ("reduce_scatter(chunks)", "returned None")),
    M("ring_allreduce", "all_gather: reduce-scatter's chunk (p - s)", "(p + 1 - s) % P, chunks[p][(p + 1 - s) % P]",
      "(p - s) % P, chunks[p][(p - s) % P]", ("all_gather(chunks)", "reduce-scatter's chunk", "(p + 1 - s) mod P")),
    M("ring_allreduce", "all_gather: worker p sends chunk (p + 1 + s)", "(p + 1 - s) % P, chunks[p][(p + 1 - s) % P]",
      "(p + 1 + s) % P, chunks[p][(p + 1 + s) % P]", ("which chunk worker p sends in step s", "(p + 1 + s) mod P")),
    M("ring_allreduce", "all_gather: adds instead of replacing", "chunks[(p + 1) % P][c] = values",
      "chunks[(p + 1) % P][c] += values", ("all_gather(chunks)", "added the message to its chunk instead of replacing")),
    M("ring_allreduce", "all_gather: keeps the sender's array, not a copy",
      "(p + 1 - s) % P, chunks[p][(p + 1 - s) % P].copy())", "(p + 1 - s) % P, chunks[p][(p + 1 - s) % P])",
      ("all_gather(chunks)", "same array in memory", "not a copy")),
    M("ring_allreduce", "all_gather: one step short", "    for s in range(P - 1):\n        messages = [(p, (p + 1 - s)",
      "    for s in range(P - 2):\n        messages = [(p, (p + 1 - s)", ("all_gather(chunks)", "one step short")),
    M("ring_allreduce", "all_gather: P steps", "    for s in range(P - 1):\n        messages = [(p, (p + 1 - s)",
      "    for s in range(P):\n        messages = [(p, (p + 1 - s)", ("all_gather(chunks)", "one step too many",
                                                                       "the traffic is wrong")),
    M("ring_allreduce", "all_gather: sent to worker p - 1", "chunks[(p + 1) % P][c] = values",
      "chunks[(p - 1) % P][c] = values", ("all_gather(chunks)", "went to worker (p - 1) mod P")),
    M("ring_allreduce", "all_gather: the loops nested the other way",
      "    for s in range(P - 1):\n        messages = [(p, (p + 1 - s) % P, chunks[p][(p + 1 - s) % P].copy()) for p in range(P)]\n"
      "        for p, c, values in messages:\n            chunks[(p + 1) % P][c] = values\n            sent[p] += values.size\n",
      "    for p in range(P):\n        for s in range(P - 1):\n            c = (p + 1 - s) % P\n"
      "            chunks[(p + 1) % P][c] = chunks[p][c].copy()\n            sent[p] += chunks[p][c].size\n",
      ("all_gather(chunks)", "nested the other way")),
    M("ring_allreduce", "all_gather: the result divided by P", "    return sent\n    ### END SOLUTION\n\n\ndef ring_allreduce",
      "    for w in chunks:\n        for c in range(P):\n            w[c] /= P\n    return sent\n    ### END SOLUTION\n\n\n"
      "def ring_allreduce", ("all_gather(chunks)", "divided by P")),
    M("ring_allreduce", "all_gather: counts both phases", "chunks[(p + 1) % P][c] = values\n            sent[p] += values.size",
      "chunks[(p + 1) % P][c] = values\n            sent[p] += 2 * values.size", ("twice what worker p sent in this phase",)),
    M("ring_allreduce", "all_gather: counts what the receiver gets",
      "chunks[(p + 1) % P][c] = values\n            sent[p] += values.size",
      "chunks[(p + 1) % P][c] = values\n            sent[(p + 1) % P] += values.size",
      ("all_gather(chunks)", "received, not what it sent")),
    M("ring_allreduce", "all_gather: counts bytes", "chunks[(p + 1) % P][c] = values\n            sent[p] += values.size",
      "chunks[(p + 1) % P][c] = values\n            sent[p] += values.nbytes", ("counts bytes",)),
]


def _id(row):
    return f"{row.exercise}: {row.what}"


@functools.cache
def outcome(index):
    """(status, message) of the check on solutions/NAME.py with mistake `index` written into its code."""
    row = MISTAKES[index]
    text = (ROOT / "solutions" / f"{row.exercise}.py").read_text()
    assert row.old in text, f"the solution no longer contains {row.old!r}; update this row"
    # The last occurrence: a `# HINT:` line above the code may quote the same text.
    before, _, after = text.rpartition(row.old)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / f"{row.exercise}.py").write_text(before + row.new + after)
        result = run_check(row.exercise, folder)
    return result.status, result.message


def is_named(index):
    status, message = outcome(index)
    return status == "failing" and all(part in message for part in MISTAKES[index].says)


@pytest.mark.parametrize("index", range(len(MISTAKES)), ids=[_id(m) for m in MISTAKES])
def test_a_known_mistake_is_caught_and_named(index):
    row = MISTAKES[index]
    status, message = outcome(index)
    assert status == "failing", f"{_id(row)} is not caught: the check says {status!r}"
    if row.named:
        for part in row.says:
            assert part in message, f"{part!r} is missing from: {message}"


def test_scale_hint_lets_a_shape_message_stand():
    """_scale_hint once indexed a transposed dW with the parameter's mask and raised IndexError."""
    from nncore.checks.simple_nn import _scale_hint
    column = np.arange(1.0, 5.0).reshape(4, 1)
    assert _scale_hint(column.T, column, 4) == ""              # dW transposed
    assert _scale_hint(column, np.ones((1, 1)), 4) == ""       # db summed over axis 1
    assert _scale_hint(np.ones(4), np.ones((1, 4)), 4) == ""   # db without keepdims
    assert _scale_hint(np.full((4, 1), np.nan), column, 4) == ""
    assert "the 1/m is missing" in _scale_hint(4 * column, column, 4)
    for index, row in enumerate(MISTAKES):
        if row.exercise == "simple_nn" and row.what.startswith(("dW", "db")):
            status, message = outcome(index)
            assert "gradient check failed" in message and "IndexError" not in message, message


def test_every_exercise_has_known_mistakes():
    try:
        from nncore.registry import EXERCISES
    except ImportError:  # before nncore.registry existed, the checks package collected them
        from nncore.checks import EXERCISES
    counts = {name: sum(m.exercise == name for m in MISTAKES) for name in EXERCISES}
    assert all(n >= 6 for n in counts.values()), counts


def test_most_mistakes_are_named():
    caught = [i for i in range(len(MISTAKES)) if outcome(i)[0] == "failing"]
    named = [i for i in caught if is_named(i)]
    summary = f"{len(caught)} of {len(MISTAKES)} mistakes caught, {len(named)} named"
    print(summary)
    assert len(caught) == len(MISTAKES), summary
    assert len(named) >= 0.9 * len(MISTAKES), summary
