"""Sequential: layers applied one after another, trained by a plain loop.

    model = Sequential([Dense(2, 16), ReLU(), Dense(16, 3)])
    history = model.fit(X, y, loss=SoftmaxCrossEntropy(), optimizer=SGD(lr=0.5), epochs=100)

forward runs the layers in order; backward runs them in reverse, each turning
the gradient of its output into the gradient of its input (the chain rule).
"""

import math

import numpy as np

from .errors import NNCoreError, as_array, fail, is_whole
from .layers import Dense, Layer, _check_size


def _check_has(obj, name, methods, example):
    """An object with the given methods; a class passed instead of an instance gets its own advice."""
    if isinstance(obj, type):
        fail(name, example, f"the class {obj.__name__} itself",
             f"Create an instance: write {obj.__name__}(...) instead of {obj.__name__}.")
    missing = [m for m in methods if not callable(getattr(obj, m, None))]
    if missing:
        fail(name, f"{example}, with {' and '.join(methods)}", f"a {type(obj).__name__} without {', '.join(missing)}")


class Sequential(Layer):
    """A stack of layers. It is itself a Layer, so models can be nested or gradient-checked."""

    def __init__(self, layers):
        if isinstance(layers, Layer) or not isinstance(layers, (list, tuple)):
            fail("layers", "a list of layers, such as [Dense(2, 4), ReLU(), Dense(4, 1)]",
                 f"a {type(layers).__name__}", "Put the layers in square brackets, even a single one.")
        layers = list(layers)
        for i, layer in enumerate(layers):
            if isinstance(layer, type):
                fail(f"layers[{i}]", "an nncore Layer such as Dense(2, 4) or ReLU()",
                     f"the class {layer.__name__} itself",
                     f"Create an instance: write {layer.__name__}(...) instead of {layer.__name__}.")
            if not isinstance(layer, Layer):
                fail(f"layers[{i}]", "an nncore Layer such as Dense(2, 4) or ReLU()",
                     f"a {type(layer).__name__}",
                     "Did you pass the class instead of an instance (ReLU instead of ReLU())?")
        self.layers = layers
        self.loss = None

    # --- the pieces -------------------------------------------------------------------

    def forward(self, X):
        A = X
        for layer in self.layers:
            A = layer.forward(A)
        return A

    def backward(self, dA):
        for layer in reversed(self.layers):
            dA = layer.backward(dA)
        return dA

    def parameters(self):
        """All trainable arrays, named like "layers[0].W" so you can find them."""
        return {f"layers[{i}].{k}": v for i, layer in enumerate(self.layers)
                for k, v in layer.parameters().items()}

    def gradients(self):
        return {f"layers[{i}].{k}": v for i, layer in enumerate(self.layers)
                for k, v in layer.gradients().items()}

    def penalty(self):
        """The regularization part of the loss: the sum of every layer's penalty() (a float)."""
        return float(sum(layer.penalty() for layer in self.layers))

    @property
    def regularized(self):
        """True if some layer has an L1 or L2 penalty."""
        return any(layer.regularized for layer in self.layers)

    def train(self):
        """Training mode (dropout active). Returns the model."""
        return self._set_training(True)

    def eval(self):
        """Evaluation mode (dropout off). Returns the model."""
        return self._set_training(False)

    def _set_training(self, flag):
        self.training = flag
        for layer in self.layers:
            if isinstance(layer, Sequential):
                layer._set_training(flag)
            else:
                layer.training = flag
        return self

    def _loss_for(self, method, loss):
        """The loss given to `method`, else the one from fit; explain if there is neither."""
        loss = loss or self.loss
        if loss is None:
            raise NNCoreError(f"{method} needs to know the loss (the kind of output): call fit(...) first, "
                              f"or pass it, e.g. model.{method}(..., loss=SoftmaxCrossEntropy()).")
        return loss

    def predict(self, X, loss=None):
        """Predicted class per row (classification) or values (regression), in eval mode.

        The kind of prediction follows the loss: argmax for cross-entropy,
        A > 0.5 for binary cross-entropy, the outputs themselves for MSE.
        """
        loss = self._loss_for("predict", loss)
        was_training = self.training
        self.eval()
        try:
            return loss.predict(self.forward(X))
        finally:
            self._set_training(was_training)

    def evaluate(self, X, y, loss=None):
        """(loss, accuracy) on X, y in eval mode, without touching any gradient."""
        loss = self._loss_for("evaluate", loss)
        was_training = self.training
        self.eval()
        try:
            A = self.forward(X)
            return loss.forward(A, y), loss.accuracy(A, y)
        finally:
            self._set_training(was_training)

    # --- the training loop ------------------------------------------------------------

    def fit(self, X, y, loss, optimizer, epochs=10, batch_size=None, shuffle=True, seed=0,
            validation_data=None, verbose=False, *, progress=False, early_stopping=None):
        """Train with mini-batch gradient descent; return the history.

        Each step: A = forward(X_batch); L = loss(A, y_batch) + penalty();
        backward(dL/dA); optimizer.step(parameters, gradients).

        batch_size=None uses the whole data set per step (full-batch gradient descent).
        Returns a dict of per-epoch lists: "loss" and "accuracy" (mean over the
        epoch's samples: each batch counts with its size), plus "val_loss" and
        "val_accuracy" with validation_data.

        With L1/L2 penalties (Dense(..., l2=...)), "loss" is the objective being
        minimised, data loss + penalty, and "data_loss" holds the data loss alone;
        "val_loss" is always the data loss only, so compare it with "data_loss".

        progress=True shows a tqdm progress bar over the epochs (a widget in a
        notebook, text in a terminal) with the latest loss and accuracy.

        early_stopping=k (needs validation_data) stops once val_loss has not improved
        for k epochs in a row, and puts back the parameters of the epoch with the
        lowest val_loss (also when all epochs ran). The history then also has
        "best_epoch" (1-based) and "stopped_epoch" (the epoch training stopped
        after, or None if it ran all `epochs`).

        Stops with advice if the loss becomes NaN or infinite.
        """
        X = as_array(X, "X", ndim=2)
        y = np.asarray(y)
        if y.ndim == 0 or y.shape[0] != X.shape[0]:
            fail("y", f"{X.shape[0]} labels or targets (one per row of X)",
                 repr(y) if y.ndim == 0 else f"{y.shape[0]}")
        N = X.shape[0]
        # Every argument is checked here, so a mistake stops the call before an epoch is spent.
        _check_size(epochs, "epochs")
        if batch_size is None:
            batch_size = N
        batch_size = _check_size(batch_size, "batch_size", " or None (the whole data set)")
        _check_has(loss, "loss", ("forward", "backward"), "a loss such as SoftmaxCrossEntropy()")
        _check_has(optimizer, "optimizer", ("step",), "an optimizer such as SGD(lr=0.1)")
        if validation_data is not None and (not isinstance(validation_data, (tuple, list))
                                            or len(validation_data) != 2):
            fail("validation_data", "a pair (X_val, y_val)", f"a {type(validation_data).__name__}"
                 + (f" of length {len(validation_data)}" if isinstance(validation_data, (tuple, list)) else ""))
        patience = self._check_early_stopping(early_stopping, validation_data)
        self.loss = loss
        rng = np.random.default_rng(seed)
        regularized = self.regularized
        history = {"loss": [], "accuracy": []}
        if regularized:
            history["data_loss"] = []
        if validation_data is not None:
            history.update(val_loss=[], val_accuracy=[])
        best_loss, best_epoch, best_params, stopped_epoch = math.inf, None, None, None

        bar = None
        if progress:
            from tqdm.auto import tqdm  # a widget in Jupyter, text in a terminal
            bar = tqdm(total=epochs, desc="training", unit="epoch")
        try:
            for epoch in range(1, epochs + 1):
                self.train()
                order = rng.permutation(N) if shuffle else np.arange(N)
                total_loss, total_data_loss, total_correct, has_accuracy = 0.0, 0.0, 0.0, True
                for start in range(0, N, batch_size):
                    idx = order[start:start + batch_size]
                    Xb, yb = X[idx], y[idx]
                    A = self.forward(Xb)
                    data_loss = loss.forward(A, yb)
                    L = data_loss + self.penalty() if regularized else data_loss
                    if not math.isfinite(L):
                        raise NNCoreError(
                            f"the loss became {L} at epoch {epoch} (step {start // batch_size + 1}): "
                            f"training diverged. Try a smaller learning rate (now "
                            f"{getattr(optimizer, 'current_lr', '?')}), and check that the inputs are "
                            "scaled (for example pixels divided by 255).")
                    self._backward_for_step(loss.backward())
                    optimizer.step(self.parameters(), self.gradients())
                    total_loss += L * len(idx)
                    total_data_loss += data_loss * len(idx)
                    acc = loss.accuracy(A, yb)
                    has_accuracy = acc is not None
                    total_correct += (acc or 0.0) * len(idx)
                history["loss"].append(total_loss / N)
                history["accuracy"].append(total_correct / N if has_accuracy else None)
                if regularized:
                    history["data_loss"].append(total_data_loss / N)
                if validation_data is not None:
                    vl, va = self.evaluate(*validation_data)
                    history["val_loss"].append(vl)
                    history["val_accuracy"].append(va)
                if bar is not None:
                    bar.set_postfix(self._summary(history, has_accuracy), refresh=False)
                    bar.update(1)
                if verbose and (epoch == 1 or epoch == epochs or epoch % max(1, epochs // 10) == 0):
                    line = f"epoch {epoch:4d}  loss {history['loss'][-1]:.4f}"
                    if has_accuracy:
                        line += f"  accuracy {history['accuracy'][-1]:.3f}"
                    if validation_data is not None:
                        line += f"  val_loss {history['val_loss'][-1]:.4f}"
                    (bar.write if bar is not None else print)(line)
                if patience is not None:
                    if vl < best_loss:  # strictly lower: a tie is not an improvement
                        best_loss, best_epoch = vl, epoch
                        best_params = {k: v.copy() for k, v in self.parameters().items()}
                    elif epoch - (best_epoch or 0) >= patience:  # (None: no finite val_loss yet)
                        stopped_epoch = epoch
                        break
        finally:
            if bar is not None:
                bar.close()
            self.eval()  # also after an error or Ctrl-C: dropout must not stay on for predictions
        if patience is not None:
            if best_params is not None:
                for name, p in self.parameters().items():
                    p[...] = best_params[name]  # in place: the optimizer keeps referring to p
            history["best_epoch"], history["stopped_epoch"] = best_epoch, stopped_epoch
        return history

    @staticmethod
    def _check_early_stopping(early_stopping, validation_data):
        """The patience as an int, or None; explain a bad value."""
        if early_stopping is None:
            return None
        if not is_whole(early_stopping, 1):
            fail("early_stopping", "None or a patience: a whole number of epochs >= 1, such as 3",
                 repr(early_stopping))
        if validation_data is None:
            fail("early_stopping", "validation_data=(X_val, y_val) to go with it", "no validation_data",
                 "Early stopping watches the validation loss, so fit needs validation data.")
        return int(early_stopping)

    @staticmethod
    def _summary(history, has_accuracy):
        """The latest values for the progress bar, formatted."""
        shown = {"loss": f"{history['loss'][-1]:.4f}"}
        if has_accuracy:
            shown["accuracy"] = f"{history['accuracy'][-1]:.4f}"
        if "val_loss" in history:
            shown["val_loss"] = f"{history['val_loss'][-1]:.4f}"
            if history["val_accuracy"][-1] is not None:
                shown["val_accuracy"] = f"{history['val_accuracy'][-1]:.4f}"
        return shown

    def _backward_for_step(self, dA):
        """backward(dA) for a training step: the same gradients, without the first layer's dX.

        The first layer's dX is the gradient with respect to the data, which no
        one uses; for a Dense layer it costs as much as its dW, so we skip it.
        """
        if not self.layers:
            return
        for layer in reversed(self.layers[1:]):
            dA = layer.backward(dA)
        first = self.layers[0]
        # Only nncore's own Dense.backward knows input_gradient (a subclass may override backward).
        if isinstance(first, Dense) and type(first).backward is Dense.backward:
            first.backward(dA, input_gradient=False)
        else:
            first.backward(dA)

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential([\n  {inner}\n])"
