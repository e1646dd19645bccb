"""Reference values for the two further forms of the regression contrastive term.

Reads the batch, the three views and the fused pLTV from vectors.json (made by make_vectors.py
with numpy and scipy) and applies the formulas with the standard library alone:
    purchase  mean over pairs of softplus(-sign(z_i - z_j) (l_i - l_j) / tau_r),
              l = the purchase logit, z = log(1 + view); one value per view
    fused     mean over pairs of softplus(-sign(y_i - y_j) (f_i - f_j) / tau_r),
              f = log(1 + pLTV)
Run it to regenerate rc_forms.json:
    python3 make_rc_forms.py > rc_forms.json
"""
import json
import math
from pathlib import Path

vectors = json.loads((Path(__file__).parent / "vectors.json").read_text())
batch = vectors["batch"]
pairs, tau = batch["pairs"], batch["tau_r"]
logit, y = batch["purchase_logit"], batch["y"]


def softplus(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def sign(x):
    return (x > 0) - (x < 0)


def pairwise(values, keys):
    terms = [softplus(-sign(keys[i] - keys[j]) * (values[i] - values[j]) / tau) for i, j in pairs]
    return sum(terms) / len(terms)


purchase = {}
for name, view in vectors["views"].items():
    z = [math.log1p(v) for v in view]
    purchase[name] = pairwise(logit, z)
fused = pairwise([math.log1p(v) for v in vectors["pltv"]], y)
print(json.dumps({"L_rc_purchase": purchase, "L_rc_fused": fused}, indent=1))
