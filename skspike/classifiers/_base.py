"""Shared base of the spiking classifiers (template method on ``_scores``)."""

import inspect
from abc import ABCMeta, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets

from ..utils._batching import batched_method


class BaseSpikingClassifier(ClassifierMixin, BaseEstimator, metaclass=ABCMeta):
    """Base of the spiking classifiers: labels, ``predict`` and ``decision_function``.

    Subclasses implement ``_scores(X)``, the per-class scores of shape
    ``(n_samples, n_classes)`` (larger means more likely), and call
    :meth:`_encode_labels` in ``fit``. Not a public class.

    Memory is bounded per batch: ``_scores`` and the per-sample transforms
    named in ``_batched_methods`` (defined by a subclass) run on batches of
    at most :func:`skspike._config.get_batch_size` samples (4096 by default,
    ``SKSPIKE_BATCH_SIZE``), written into one preallocated output, so every
    method built on them (``predict``, ``predict_proba``,
    ``decision_function``, ...) needs working memory independent of
    ``n_samples`` beyond its output. Subclasses treat samples
    independently, so the batches never change a result.
    """

    _batched_methods = (
        "_scores", "predict", "predict_proba", "predict_log_proba", "decision_function",
        "transform_hidden", "output_spikes",
    )

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls._batched_methods:
            method = cls.__dict__.get(name)
            if inspect.isfunction(method) and not getattr(method, "_skspike_batched", False):
                setattr(cls, name, batched_method(method))
            elif callable(getattr(method, "fn", None)) and hasattr(method, "check"):
                # sklearn's available_if descriptor: batch the method it guards.
                if not getattr(method.fn, "_skspike_batched", False):
                    method.fn = batched_method(method.fn)

    @abstractmethod
    def _scores(self, X):
        """Class scores of ``X``, shape ``(n_samples, n_classes)``."""

    def _encode_labels(self, y):
        """Set ``classes_`` and return ``y`` as class indices.

        Raises a ValueError naming the estimator if ``y`` has only one class.
        """
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        if len(self.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes; got 1 class "
                f"({self.classes_[0]!r})."
            )
        return encoder.transform(y)

    @batched_method
    def decision_function(self, X):
        """Class scores; for two classes ``classes_[1]``'s minus ``classes_[0]``'s.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        scores = self._scores(X)
        if scores.shape[1] == 2:
            return scores[:, 1] - scores[:, 0]
        return scores

    @batched_method
    def predict(self, X):
        """Predict class labels (argmax of the class scores).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_steps, n_channels)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        scores = self._scores(X)
        return self.classes_[np.argmax(scores, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags
