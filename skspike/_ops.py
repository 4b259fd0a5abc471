"""Operation counts with NeuroBench's definitions (Yik et al., 2025).

Every encoder and spiking estimator reports its cost per sample as an
:class:`OperationCounts`; :mod:`skspike.energy` turns counts into joules.
"""

from dataclasses import asdict, dataclass, fields

__all__ = ["OperationCounts"]


@dataclass(frozen=True)
class OperationCounts:
    """Per-sample average operation counts of one model or pipeline step.

    Parameters
    ----------
    synaptic_ac : float, default=0.0
        Effective accumulates: synaptic operations triggered by a binary
        spike (one addition of a weight per spike per fan-out target).
    synaptic_mac : float, default=0.0
        Effective multiply-accumulates: synaptic operations on real-valued,
        non-zero inputs (direct current encoding, a non-spiking readout).
    dense_ops : float, default=0.0
        Dense-equivalent operations: what the same layers would cost if every
        input were processed at every step (zeros included).
    neuron_updates : float, default=0.0
        State updates of neurons (one per neuron per simulated step).
    spikes : float, default=0.0
        Spikes emitted by the step's neurons (or encoder) per sample.
    n_activations : float, default=0.0
        Activation slots (neurons x steps) whose sparsity is measured.
    n_connections : int, default=0
        Synaptic connections (weights) of the step.
    n_zero_connections : int, default=0
        Connections whose weight is exactly zero.
    footprint_bytes : int, default=0
        Memory of parameters and state buffers, in bytes.

    Notes
    -----
    ``activation_sparsity = 1 - spikes / n_activations`` and
    ``connection_sparsity = n_zero_connections / n_connections`` follow
    NeuroBench. Counts of consecutive steps add with ``+``; the sparsities of
    the sum are recomputed from the totals.
    """

    synaptic_ac: float = 0.0
    synaptic_mac: float = 0.0
    dense_ops: float = 0.0
    neuron_updates: float = 0.0
    spikes: float = 0.0
    n_activations: float = 0.0
    n_connections: int = 0
    n_zero_connections: int = 0
    footprint_bytes: int = 0

    @property
    def synaptic_ops(self):
        """All effective synaptic operations (AC + MAC)."""
        return self.synaptic_ac + self.synaptic_mac

    @property
    def activation_sparsity(self):
        """Fraction of activation slots without a spike (NeuroBench)."""
        if self.n_activations <= 0:
            return 0.0
        return 1.0 - self.spikes / self.n_activations

    @property
    def connection_sparsity(self):
        """Fraction of connections whose weight is zero (NeuroBench)."""
        if self.n_connections <= 0:
            return 0.0
        return self.n_zero_connections / self.n_connections

    def __add__(self, other):
        if not isinstance(other, OperationCounts):
            return NotImplemented
        return OperationCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_dict(self):
        """All counts and derived metrics as a plain dict."""
        out = asdict(self)
        out["synaptic_ops"] = self.synaptic_ops
        out["activation_sparsity"] = self.activation_sparsity
        out["connection_sparsity"] = self.connection_sparsity
        return out
