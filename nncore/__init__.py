"""nncore: neural networks from scratch in NumPy, for the notebooks of this course.

One module per concept: activations, layers, losses, model, optim, gradcheck, data,
and the exercise system (registry, exercises, checks, hints). The names and notation (Z, A, dZ, dW, db)
are the notebooks' own.
"""

from .activations import (LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Tanh, leaky_relu,
                          leaky_relu_derivative, log_softmax, relu, relu_derivative, sigmoid,
                          sigmoid_derivative, softmax, softmax_jacobian, tanh, tanh_derivative)
from .errors import NNCoreError
from .exercises import check, load
from .hints import hint, solution
from .layers import Dense, Layer, init_weights
from .losses import MSE, BinaryCrossEntropy, CrossEntropy, Loss, SoftmaxCrossEntropy
from .model import Sequential
from .optim import SGD, AdaGrad, Adam, Optimizer, RMSProp
from .regularization import Dropout, GaussianNoise, RegularizedLoss

__version__ = "0.1.0"
