"""
Accuracy against energy: a grid search over NG-SNN growth thresholds
====================================================================

A Pipeline of scaling and a growing NG-SNN classifier (direct current
encoding: the scaled features drive its hidden LIF layer) is tuned with GridSearchCV on two scores at once: accuracy,
and the energy per sample on Intel Loihi from skspike's energy scorer (minus
joules, so greater is better). A larger growth threshold grows a smaller
network, which is cheaper and, past a point, less accurate; the plot marks
the Pareto front of that trade-off.
"""

# %%
import os

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skspike.classifiers import NGSNNClassifier
from skspike.energy import energy_report, make_energy_scorer
from skspike.plotting import plot_energy_accuracy, plot_growth_curve

X, y = load_digits(return_X_y=True)
pipe = make_pipeline(
    MinMaxScaler(),
    NGSNNClassifier(max_neurons=200, early_stopping=False, random_state=0),
)
thresholds = [1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2, 3e-2]
search = GridSearchCV(
    pipe,
    {"ngsnnclassifier__growth_threshold": thresholds},
    scoring={"accuracy": "accuracy", "energy": make_energy_scorer(hardware="loihi")},
    refit="accuracy",
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
    n_jobs=2,
).fit(X, y)

res = search.cv_results_
for t, acc, joules in zip(res["param_ngsnnclassifier__growth_threshold"],
                          res["mean_test_accuracy"], -res["mean_test_energy"]):
    print(f"growth_threshold={t:<7g} accuracy {acc:.3f}  energy {joules:.3e} J/sample (Loihi)")
print("best:", search.best_params_)

# %%
# The refitted best pipeline, its growth curve, and its energy report.
print(energy_report(search.best_estimator_, X[:200], hardware="loihi"))
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
plot_energy_accuracy(res, label_param="ngsnnclassifier__growth_threshold", ax=axes[0])
plot_growth_curve(search.best_estimator_[-1], ax=axes[1])
fig.tight_layout()
out = os.path.join(os.environ.get("SKSPIKE_EXAMPLE_OUTPUT", "."), "energy_grid_search.png")
fig.savefig(out, dpi=80)
print(f"saved {out}")
