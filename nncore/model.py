"""Sequential: layers applied one after another, trained by a plain loop.

    model = Sequential([Dense(2, 16), ReLU(), Dense(16, 3)])
    history = model.fit(X, y, loss=SoftmaxCrossEntropy(), optimizer=SGD(lr=0.5), epochs=100)

forward runs the layers in order; backward runs them in reverse, each turning
the gradient of its output into the gradient of its input (the chain rule).
"""

import math

import numpy as np

from .errors import NNCoreError, NonFiniteError, as_array, as_numbers, check_finite, check_has, check_seed, fail, is_whole
from .layers import Dense, Layer, _check_size
from .optim import fast_step


#: fit stops when an epoch's mean loss exceeds DIVERGED times the loss of the first step: three orders
#: of magnitude, which a learning run never reaches and a diverging one passes within a few epochs.
DIVERGED = 1e3


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
        if loss is None:
            loss = self.loss
        if loss is None:
            raise NNCoreError(f"{method} needs to know the loss (the kind of output): call fit(...) first, "
                              f"or pass it, e.g. model.{method}(..., loss=SoftmaxCrossEntropy()).")
        return check_has(loss, f"{method} loss", ("forward", "predict"), "a loss such as SoftmaxCrossEntropy()")

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

        X and y are checked once, before the first epoch: numbers only, and no NaN or inf
        (the error names the first one by its index in your X or y). Training then stops
        with advice if the loss or a layer's numbers become NaN or infinite, or if the
        loss diverges while staying finite: an epoch's mean loss above DIVERGED times
        (1000 times) the loss of the first step, which a learning run never reaches.
        """
        X = as_array(X, "X", ndim=2)
        check_finite(X, "X", "fit checks the data before training: find where it came from (a missing value, "
                     "a division by zero while scaling) and fix or drop that row.")
        y = as_numbers(y, "y")
        if y.ndim == 0 or y.shape[0] != X.shape[0]:
            fail("y", f"{X.shape[0]} labels or targets (one per row of X)",
                 repr(y) if y.ndim == 0 else f"{y.shape[0]}")
        if y.dtype.kind == "f":
            check_finite(y, "y", "A label or target is missing or infinite, so the loss of its sample would be "
                         "NaN: fix or drop that row before training (the learning rate has nothing to do with it).")
        N = X.shape[0]
        # Every argument is checked here, so a mistake stops the call before an epoch is spent.
        _check_size(epochs, "epochs")
        if batch_size is None:
            batch_size = N
        batch_size = _check_size(batch_size, "batch_size", " or None (the whole data set)")
        if callable(getattr(loss, "step", None)) and callable(getattr(optimizer, "backward", None)):
            fail("loss and optimizer", "fit(X, y, loss, optimizer)", f"loss={loss!r}, optimizer={optimizer!r}",
                 "They are swapped: the loss comes first, e.g. fit(X, y, SoftmaxCrossEntropy(), SGD(lr=0.1)).")
        check_has(loss, "loss", ("forward", "backward"), "a loss such as SoftmaxCrossEntropy()")
        check_has(optimizer, "optimizer", ("step",), "an optimizer such as SGD(lr=0.1)")
        check_seed(seed, "fit seed")
        if validation_data is not None and (not isinstance(validation_data, (tuple, list))
                                            or len(validation_data) != 2):
            fail("validation_data", "a pair (X_val, y_val)", f"a {type(validation_data).__name__}"
                 + (f" of length {len(validation_data)}" if isinstance(validation_data, (tuple, list)) else ""))
        if validation_data is not None:
            check_finite(as_array(validation_data[0], "X_val", ndim=2), "X_val",
                         "Find where it came from and fix or drop that row.")
            y_val = as_numbers(validation_data[1], "y_val")
            if y_val.dtype.kind == "f":
                check_finite(y_val, "y_val", "A validation label or target is missing or infinite: fix or drop that row.")
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
        step = fast_step(optimizer)  # X and y were checked above: the loop needs no checks per batch
        first_loss = None

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
                    try:
                        A = self.forward(Xb)
                        data_loss = loss.forward(A, yb)
                    except NonFiniteError as error:  # X and y are finite: the network's numbers blew up
                        raise self._diverged(error.what + self._row_of_X(error, idx), epoch,
                                             start // batch_size + 1, optimizer) from None
                    L = data_loss + self.penalty() if regularized else data_loss
                    if not math.isfinite(L):
                        raise self._diverged(f"the loss became {L}", epoch, start // batch_size + 1, optimizer)
                    if first_loss is None:
                        first_loss = L
                    self._backward_for_step(loss.backward())
                    step(self.parameters(), self.gradients())
                    total_loss += L * len(idx)
                    total_data_loss += data_loss * len(idx)
                    acc = loss.accuracy(A, yb)
                    has_accuracy = acc is not None
                    total_correct += (acc or 0.0) * len(idx)
                history["loss"].append(total_loss / N)
                if first_loss > 0 and history["loss"][-1] > DIVERGED * first_loss:
                    raise self._diverged(
                        f"the mean loss grew to {history['loss'][-1]:.4g}, more than {DIVERGED:g} times the "
                        f"first step's {first_loss:.4g} (finite, but growing by orders of magnitude),",
                        epoch, None, optimizer)
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
    def _row_of_X(error, idx):
        """' (row r of that batch is row i of your X)' if the error's array has a row per sample, else ''."""
        if not error.samples or not error.index or error.index[0] >= len(idx):
            return ""
        row = error.index[0]
        return f" (row {row} of that batch is row {int(idx[row])} of your X)"

    @staticmethod
    def _diverged(what, epoch, step, optimizer):
        """The NNCoreError for a run whose numbers blew up although X and y are finite."""
        where = f"epoch {epoch}" + (f", step {step}" if step is not None else "")
        return NNCoreError(
            f"fit: {what} at {where}: training diverged. X and y were checked before training and hold only "
            f"finite numbers, so the numbers grew inside the network. Try a smaller learning rate (now "
            f"{getattr(optimizer, 'current_lr', '?')}), and check that the inputs are scaled (for example "
            "pixels divided by 255).")

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
