"""The readout of Diehl & Cook (2015): neurons vote for their class."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["VoteClassifier"]


class VoteClassifier(ClassifierMixin, BaseEstimator):
    """Assign every feature (neuron) to a class; predict by the class vote.

    The paper's readout of unsupervised STDP features: each neuron is assigned
    to the class for which its mean response on the training samples is
    highest; a sample is given the class whose assigned neurons respond most
    on average.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_means_ : ndarray of shape (n_classes, n_features)
        Mean response of every neuron to every class.
    assignments_ : ndarray of shape (n_features,)
        Index into ``classes_`` of the class each neuron votes for; -1 for a
        neuron that never responded (it does not vote).
    n_features_in_ : int
        Number of features (neurons).

    See Also
    --------
    STDPFeatureExtractor : Learns the neurons whose counts are voted on.

    Notes
    -----
    With responses :math:`r_j(x)` (e.g. spike counts) and assignments
    :math:`a_j = \\arg\\max_c \\bar r_{j,c}`, the score of class ``c`` is the
    mean response of its neurons, :math:`S_c(x) = \\frac{1}{|A_c|}
    \\sum_{j \\in A_c} r_j(x)`, and the prediction :math:`\\arg\\max_c S_c(x)`.
    A class without neurons scores ``-inf``. Neurons whose mean response is
    at most 0 for every class are left unassigned, as in the paper's code.

    References
    ----------
    .. [1] P. U. Diehl and M. Cook, "Unsupervised learning of digit recognition
       using spike-timing-dependent plasticity", Frontiers in Computational
       Neuroscience 9:99, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from skspike.feature_extraction import VoteClassifier
    >>> counts = np.array([[5, 0, 1], [4, 1, 0], [0, 6, 2], [1, 5, 3]])
    >>> clf = VoteClassifier().fit(counts, [0, 0, 1, 1])
    >>> clf.assignments_
    array([0, 1, 1])
    >>> clf.predict([[3, 0, 0], [0, 2, 2]])
    array([0, 1])
    """

    _parameter_constraints: dict = {}

    def __init__(self):
        pass

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Assign each feature to the class with the highest mean response.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Responses, e.g. spike counts from ``STDPFeatureExtractor``.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            Fitted classifier.
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"VoteClassifier needs at least 2 classes; got one class "
                f"({self.classes_[0]!r})."
            )
        n_classes = len(self.classes_)
        sums = np.zeros((n_classes, X.shape[1]))
        np.add.at(sums, y_idx, X)
        self.class_means_ = sums / np.bincount(y_idx, minlength=n_classes)[:, None]
        assignments = np.argmax(self.class_means_, axis=0)
        never = self.class_means_.max(axis=0) <= 0.0
        # Features that never respond carry no vote; if none responds at all,
        # fall back to letting every feature vote for its argmax class.
        if not never.all():
            assignments[never] = -1
        self.assignments_ = assignments
        return self

    def class_scores(self, X):
        """Mean response of each class's neurons.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes)
            ``-inf`` for a class without assigned neurons.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        n_classes = len(self.classes_)
        onehot = np.zeros((X.shape[1], n_classes))
        voters = self.assignments_ >= 0
        onehot[np.flatnonzero(voters), self.assignments_[voters]] = 1.0
        n_assigned = onehot.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = (X @ onehot) / n_assigned
        scores[:, n_assigned == 0] = -np.inf
        return scores

    def predict(self, X):
        """Class whose neurons respond most on average.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self.class_scores(X), axis=1)]
