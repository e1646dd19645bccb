//! The loss terms against `tests/reference/vectors.json` (numpy/scipy, see `make_vectors.py`
//! beside it) and `rc_forms.json` (`make_rc_forms.py`), gradients against finite differences,
//! and empty subsets.

use burn::prelude::*;
use serde_json::Value;

use super::*;
use crate::model::{Distribution, HeadOutputs, LognormalOutputs, ModelType, NetworkOutputs};

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/reference/vectors.json"
));

/// f32 arithmetic against float64 references.
const RELATIVE_TOLERANCE: f64 = 2e-5;

const RC_FORMS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/reference/rc_forms.json"
));

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("vectors.json is valid JSON")
}

fn floats_of(value: &Value) -> Vec<f32> {
    let list = value.as_array().expect("a list of numbers");
    list.iter()
        .map(|v| v.as_f64().expect("a number") as f32)
        .collect()
}

fn assert_close(got: f64, want: f64, what: &str) {
    let tolerance = RELATIVE_TOLERANCE * want.abs().max(1.0);
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, want {want}"
    );
}

struct Batch {
    labels: Vec<f32>,
    outputs: HeadOutputs,
    pairs: Vec<(usize, usize)>,
    buckets: usize,
}

fn reference_batch(device: &Device) -> Batch {
    let v = vectors();
    let batch = &v["batch"];
    let tensor = |name: &str| targets::floats(floats_of(&batch[name]), device).require_grad();
    let logits: Vec<f32> = batch["bucket_logits"]
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(floats_of)
        .collect();
    let buckets = batch["K"].as_u64().expect("K") as usize;
    let rows = logits.len() / buckets;
    let pairs = batch["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|pair| {
            let pair = pair.as_array().expect("a pair");
            (
                pair[0].as_u64().expect("i") as usize,
                pair[1].as_u64().expect("j") as usize,
            )
        })
        .collect();
    Batch {
        labels: floats_of(&batch["y"]),
        outputs: HeadOutputs {
            purchase_logit: tensor("purchase_logit"),
            distribution_first: tensor("shape_raw"),
            distribution_second: tensor("rate_raw"),
            log_view: tensor("log_view"),
            bucket_logits: Tensor::<2>::from_data(TensorData::new(logits, [rows, buckets]), device)
                .require_grad(),
        },
        pairs,
        buckets,
    }
}

fn settings(buckets: usize, device: &Device) -> ViewSettings {
    let values = (0..buckets).map(|k| bucket_centre(k) as f32).collect();
    ViewSettings {
        model_type: ModelType::Cmltv,
        distribution: Distribution::Gamma,
        label_scale: 1.0,
        bucket_values: targets::floats(values, device),
        alpha: 0.3,
        beta: 0.3,
    }
}

fn evaluate(batch: &Batch, config: &LossConfig, device: &Device) -> LossTerms {
    let values = (0..batch.buckets).map(bucket_centre).collect();
    let scheme = BucketScheme::with_values(values);
    let targets = Targets::new(&batch.labels, 1.0, &scheme, &batch.pairs, device);
    cmltv_loss(
        &batch.outputs,
        &targets,
        &settings(batch.buckets, device),
        config,
    )
}

/// Every weight 1 except the per-view pairwise terms at 0.1: the weights the reference vectors
/// were written for (SPEC.md's total loss).
fn reference_weights() -> LossConfig {
    LossConfig {
        purchase: 1.0,
        regression_form: RegressionContrastive::Pairwise,
        regression_contrastive: 0.1,
        ..LossConfig::default()
    }
}

fn scalar(tensor: &Tensor<1>) -> f64 {
    f64::from(tensor.clone().into_scalar::<f32>())
}

#[test]
fn every_term_matches_the_reference() {
    let device = Device::flex().autodiff();
    let batch = reference_batch(&device);
    let v = vectors();
    let losses = &v["losses"];
    let pairwise = evaluate(&batch, &reference_weights(), &device);
    let correlation_config = LossConfig {
        regression_form: RegressionContrastive::Correlation,
        ..reference_weights()
    };
    let correlation = evaluate(&batch, &correlation_config, &device);
    let term = |terms: &LossTerms, i: usize| scalar(&terms.terms[i].1);

    let singles = [
        ("L_p", 0),
        ("L_d_gamma", 1),
        ("L_l", 2),
        ("L_c", 3),
        ("L_cc", 4),
    ];
    for (name, index) in singles {
        let want = losses[name].as_f64().expect("a number");
        assert_close(term(&pairwise, index), want, name);
    }
    for (view, index) in [("gamma", 5), ("log", 6), ("bucket", 7)] {
        let want = losses["L_rc_pairwise"][view].as_f64().expect("a number");
        assert_close(term(&pairwise, index), want, &format!("pairwise {view}"));
        let want = losses["L_rc_correlation"][view].as_f64().expect("a number");
        assert_close(
            term(&correlation, index),
            want,
            &format!("correlation {view}"),
        );
    }
}

#[test]
fn the_purchase_and_fused_forms_match_the_reference() {
    let device = Device::flex().autodiff();
    let batch = reference_batch(&device);
    let want: Value = serde_json::from_str(RC_FORMS).expect("rc_forms.json is valid JSON");
    let with_form = |form| LossConfig {
        regression_form: form,
        ..LossConfig::default()
    };
    let purchase = evaluate(&batch, &with_form(RegressionContrastive::Purchase), &device);
    let names: Vec<&str> = purchase.terms.iter().map(|(name, _)| *name).collect();
    for (view, index) in [("gamma", 5), ("log", 6), ("bucket", 7)] {
        assert!(names[index].ends_with(if view == "gamma" {
            "distribution"
        } else {
            view
        }));
        let want = want["L_rc_purchase"][view].as_f64().expect("a number");
        let got = scalar(&purchase.terms[index].1);
        assert_close(got, want, &format!("purchase {view}"));
    }

    let fused = evaluate(&batch, &with_form(RegressionContrastive::Fused), &device);
    let names: Vec<&str> = fused.terms.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "purchase",
            "distribution",
            "log",
            "bucket",
            "classification_contrastive",
            "regression_contrastive_fused"
        ],
        "one fused term replaces the three per-view terms"
    );
    let got = scalar(&fused.terms[5].1);
    assert_close(got, want["L_rc_fused"].as_f64().expect("a number"), "fused");
}

#[test]
fn total_is_the_weighted_sum() {
    let device = Device::flex().autodiff();
    let batch = reference_batch(&device);
    let v = vectors();
    let l = &v["losses"];
    let get = |name: &str| l[name].as_f64().expect("a number");
    let rc: f64 = ["gamma", "log", "bucket"]
        .iter()
        .map(|view| l["L_rc_pairwise"][*view].as_f64().expect("a number"))
        .sum();
    let want = get("L_p") + get("L_d_gamma") + get("L_l") + get("L_c") + get("L_cc") + 0.1 * rc;
    let terms = evaluate(&batch, &reference_weights(), &device);
    assert_close(scalar(&terms.total), want, "total");

    // The default weights: the purchase term at 20 and the fused term at 1.
    let forms: Value = serde_json::from_str(RC_FORMS).expect("rc_forms.json is valid JSON");
    let fused = forms["L_rc_fused"].as_f64().expect("a number");
    let want = 20.0 * get("L_p") + get("L_d_gamma") + get("L_l") + get("L_c") + get("L_cc") + fused;
    let terms = evaluate(&batch, &LossConfig::default(), &device);
    assert_close(scalar(&terms.total), want, "default total");
}

#[test]
fn views_match_the_reference() {
    let device = Device::flex().autodiff();
    let batch = reference_batch(&device);
    let v = vectors();
    let views = batch.outputs.views(
        Distribution::Gamma,
        1.0,
        settings(batch.buckets, &device).bucket_values,
    );
    let pairs = [
        ("gamma", views.distribution),
        ("log", views.log),
        ("bucket", views.bucket),
    ];
    for (name, tensor) in pairs {
        let got = tensor.try_into_vec_as::<f32>().expect("readable");
        let want = floats_of(&v["views"][name]);
        for (g, w) in got.iter().zip(&want) {
            assert_close(f64::from(*g), f64::from(*w), name);
        }
    }
}

#[test]
fn lognormal_nll_matches_scipy() {
    // scipy 1.17: from scipy.stats import lognorm; import numpy as np
    //   -lognorm.logpdf([3.5, 120.0, 0.99], s=[0.7, 1.9, 0.2], scale=np.exp([1.0, 4.0, -0.5]))
    //   -> [1.8802195355598699, 6.43417657835716, 2.300083702382905]
    let device = Device::flex();
    let mu = targets::floats(vec![1.0, 4.0, -0.5], &device);
    let sigma = targets::floats(vec![0.7, 1.9, 0.2], &device);
    let y = targets::floats(vec![3.5, 120.0, 0.99], &device);
    let got = lognormal_nll(mu, sigma, y)
        .try_into_vec_as::<f32>()
        .expect("readable");
    let want = [1.8802195355598699, 6.43417657835716, 2.300083702382905];
    for (g, w) in got.iter().zip(want) {
        assert_close(f64::from(*g), w, "lognormal nll");
    }
}

/// Every term's gradient with respect to every head output, against central differences.
#[test]
fn gradients_match_finite_differences() {
    let device = Device::flex().autodiff();
    for form in [
        RegressionContrastive::Pairwise,
        RegressionContrastive::Correlation,
        RegressionContrastive::Purchase,
        RegressionContrastive::Fused,
    ] {
        let config = LossConfig {
            regression_form: form,
            regression_contrastive: 1.0,
            ..LossConfig::default()
        };
        let batch = reference_batch(&device);
        let grads = evaluate(&batch, &config, &device).total.backward();
        let inputs = [
            batch.outputs.purchase_logit.clone(),
            batch.outputs.distribution_first.clone(),
            batch.outputs.distribution_second.clone(),
            batch.outputs.log_view.clone(),
            batch.outputs.bucket_logits.clone().flatten(0, 1),
        ];
        let analytic: Vec<Vec<f32>> = [
            batch.outputs.purchase_logit.grad(&grads),
            batch.outputs.distribution_first.grad(&grads),
            batch.outputs.distribution_second.grad(&grads),
            batch.outputs.log_view.grad(&grads),
        ]
        .into_iter()
        .map(|g| {
            g.expect("a gradient")
                .try_into_vec_as::<f32>()
                .expect("readable")
        })
        .chain(std::iter::once(
            batch
                .outputs
                .bucket_logits
                .grad(&grads)
                .expect("a gradient")
                .flatten::<1>(0, 1)
                .try_into_vec_as::<f32>()
                .expect("readable"),
        ))
        .collect();
        // The pairwise and correlation forms treat p as a constant, so no gradient reaches the
        // purchase logits through them; the purchase form treats the views as constants. The
        // numeric derivative with respect to those constants leaves the term out too (it
        // would only see the jumps where two keys tie). The fused form's keys are the labels.
        let constant = |which: usize| match form {
            RegressionContrastive::Pairwise | RegressionContrastive::Correlation => which == 0,
            RegressionContrastive::Purchase => which != 0,
            RegressionContrastive::Fused => false,
        };
        let without_regression = LossConfig {
            regression_contrastive: 0.0,
            ..config.clone()
        };
        for (which, input) in inputs.iter().enumerate() {
            let base = input.clone().try_into_vec_as::<f32>().expect("readable");
            let numeric_config = if constant(which) {
                &without_regression
            } else {
                &config
            };
            for (element, &got) in analytic[which].iter().enumerate() {
                let numeric = central_difference(&batch, numeric_config, which, element, &base);
                let got = f64::from(got);
                let tolerance = 2e-3 + 2e-2 * numeric.abs();
                assert!(
                    (got - numeric).abs() <= tolerance,
                    "{form:?}: input {which}, element {element}: autodiff {got}, numeric {numeric}"
                );
            }
        }
    }
}

fn central_difference(
    batch: &Batch,
    config: &LossConfig,
    which: usize,
    element: usize,
    base: &[f32],
) -> f64 {
    let device = Device::flex();
    let h = 1e-2f32;
    let total = |delta: f32| {
        let mut values = base.to_vec();
        values[element] += delta;
        let mut outputs = batch.outputs.clone();
        let rows = batch.labels.len();
        let replaced = targets::floats(values.clone(), &device);
        match which {
            0 => outputs.purchase_logit = replaced,
            1 => outputs.distribution_first = replaced,
            2 => outputs.distribution_second = replaced,
            3 => outputs.log_view = replaced,
            _ => outputs.bucket_logits = replaced.reshape([rows, batch.buckets]),
        }
        let plain = Batch {
            labels: batch.labels.clone(),
            outputs: detach_all(outputs, &device),
            pairs: batch.pairs.clone(),
            buckets: batch.buckets,
        };
        scalar(&evaluate(&plain, config, &device).total)
    };
    // The log view is clamped at `exp(s) - 1 = 0`; at the kink autodiff takes the derivative
    // from the right, so the difference is taken on that side too.
    if which == 3 && base[element].abs() < h {
        return (total(h) - total(0.0)) / f64::from(h);
    }
    (total(h) - total(-h)) / (2.0 * f64::from(h))
}

fn detach_all(outputs: HeadOutputs, device: &Device) -> HeadOutputs {
    let move_1 = |t: Tensor<1>| t.inner().to_device(device);
    HeadOutputs {
        purchase_logit: move_1(outputs.purchase_logit),
        distribution_first: move_1(outputs.distribution_first),
        distribution_second: move_1(outputs.distribution_second),
        log_view: move_1(outputs.log_view),
        bucket_logits: outputs.bucket_logits.inner().to_device(device),
    }
}

#[test]
fn batches_without_payers_or_with_one_row_give_finite_zero_terms() {
    let device = Device::flex().autodiff();
    for labels in [vec![0.0f32; 6], vec![0.0], vec![5.0], vec![2.0; 4]] {
        let rows = labels.len();
        let outputs = HeadOutputs {
            purchase_logit: Tensor::zeros([rows], &device).require_grad(),
            distribution_first: Tensor::zeros([rows], &device),
            distribution_second: Tensor::zeros([rows], &device),
            log_view: Tensor::zeros([rows], &device),
            bucket_logits: Tensor::zeros([rows, 4], &device),
        };
        let mut rng = rand::rng();
        let batch = Batch {
            pairs: draw_pairs(rows, 4, 64, &mut rng),
            labels,
            outputs,
            buckets: 4,
        };
        let terms = evaluate(&batch, &LossConfig::default(), &device);
        let total = scalar(&terms.total);
        assert!(total.is_finite(), "total {total} for {:?}", batch.labels);
        let grads = terms.total.backward();
        let gradient = batch
            .outputs
            .purchase_logit
            .grad(&grads)
            .expect("a gradient");
        let gradient = gradient.try_into_vec_as::<f32>().expect("readable");
        assert!(gradient.iter().all(|g| g.is_finite()));
    }
}

#[test]
fn pairs_cover_small_batches_and_sample_large_ones() {
    let mut rng = rand::rng();
    assert_eq!(draw_pairs(1, 4, 64, &mut rng), vec![]);
    assert_eq!(draw_pairs(4, 4, 64, &mut rng).len(), 6);
    let pairs = draw_pairs(1000, 4, 64, &mut rng);
    assert_eq!(pairs.len(), 4000);
    assert!(pairs.iter().all(|&(i, j)| i != j && j < 1000));
}

#[test]
fn fused_pltv_matches_the_reference() {
    let device = Device::flex().autodiff();
    let batch = reference_batch(&device);
    let outputs = NetworkOutputs::Cmltv(batch.outputs.clone());
    let scores = outputs.scores(&settings(batch.buckets, &device));
    let got = scores.pltv.try_into_vec_as::<f32>().expect("readable");
    let want = floats_of(&vectors()["pltv"]);
    for (g, w) in got.iter().zip(&want) {
        assert_close(f64::from(*g), f64::from(*w), "pltv");
    }
}

/// The reference batch read as ZILN outputs: `mu` = the log-view column, raw sigma = the raw
/// shape column (`make_vectors.py` re-derives the loss with scipy as google/lifetime_value's
/// own test does).
fn ziln_outputs(batch: &Batch) -> LognormalOutputs {
    LognormalOutputs {
        purchase_logit: batch.outputs.purchase_logit.clone(),
        mu: batch.outputs.log_view.clone(),
        sigma_raw: batch.outputs.distribution_first.clone(),
    }
}

fn baseline_settings(model_type: ModelType, device: &Device) -> ViewSettings {
    ViewSettings {
        model_type,
        label_scale: 2.0,
        ..settings(8, device)
    }
}

fn baseline_loss(batch: &Batch, outputs: NetworkOutputs, settings: &ViewSettings) -> LossTerms {
    let scheme = BucketScheme::with_values((0..batch.buckets).map(bucket_centre).collect());
    let device = batch.outputs.purchase_logit.device();
    let targets = Targets::new(
        &batch.labels,
        settings.label_scale,
        &scheme,
        &batch.pairs,
        &device,
    );
    objective(&outputs, &targets, settings, &LossConfig::default())
}

#[test]
fn ziln_loss_and_prediction_match_the_reference() {
    let device = Device::flex().autodiff();
    let batch = reference_batch(&device);
    let v = vectors();
    let settings = baseline_settings(ModelType::Ziln, &device);
    let outputs = NetworkOutputs::Lognormal(ziln_outputs(&batch));
    let loss = baseline_loss(&batch, outputs.clone(), &settings);
    assert_close(
        scalar(&loss.total),
        v["ziln"]["loss"].as_f64().expect("a number"),
        "ziln",
    );
    let got = outputs
        .scores(&settings)
        .pltv
        .try_into_vec_as::<f32>()
        .expect("readable");
    for (g, w) in got.iter().zip(floats_of(&v["ziln"]["prediction"])) {
        assert_close(f64::from(*g), f64::from(w), "ziln prediction");
    }
}

// numpy 1.26.4 / scipy 1.17.1, the reference batch (labels y, logits l, mu = log_view, raw sigma =
// shape_raw, s = log_view):
//   sp = lambda x: np.log1p(np.exp(x)); pay = y > 0; sigma = np.maximum(sp(shape_raw), 1e-7 ** 0.5)
//   bce = np.mean(sp(l) - pay * l)
//   amount = np.mean(-lognorm.logpdf(y[pay], s=sigma[pay], scale=np.exp(log_view[pay])))
//   two_stage = bce + amount                               -> 4.121098583469536
//   mse = np.mean((log_view - y / 2.0) ** 2)               -> 393.654565625
//   mse_log = np.mean((log_view - np.log1p(y)) ** 2)       -> 0.11822708089806341
#[test]
fn two_stage_and_squared_error_losses_match_numpy() {
    let device = Device::flex().autodiff();
    let batch = reference_batch(&device);
    let two_stage = baseline_settings(ModelType::TwoStage, &device);
    let outputs = NetworkOutputs::Lognormal(ziln_outputs(&batch));
    let loss = baseline_loss(&batch, outputs, &two_stage);
    assert_close(scalar(&loss.total), 4.121098583469536, "two-stage");
    assert_eq!(loss.terms.len(), 2);
    for (model_type, want) in [
        (ModelType::Mse, 393.654565625),
        (ModelType::MseLog, 0.11822708089806341),
    ] {
        let settings = baseline_settings(model_type, &device);
        let outputs = NetworkOutputs::Regression(batch.outputs.log_view.clone());
        let loss = baseline_loss(&batch, outputs, &settings);
        assert_close(scalar(&loss.total), want, model_type.name());
    }
}

/// Gradients of every baseline loss with respect to its outputs, against central differences.
#[test]
fn baseline_gradients_match_finite_differences() {
    let device = Device::flex().autodiff();
    let batch = reference_batch(&device);
    let cases = [
        ModelType::Ziln,
        ModelType::TwoStage,
        ModelType::Mse,
        ModelType::MseLog,
    ];
    for model_type in cases {
        let settings = baseline_settings(model_type, &device);
        let regression = matches!(model_type, ModelType::Mse | ModelType::MseLog);
        let inputs: Vec<Tensor<1>> = if regression {
            vec![batch.outputs.log_view.clone()]
        } else {
            let o = ziln_outputs(&batch);
            vec![o.purchase_logit, o.mu, o.sigma_raw]
        };
        let build = |inputs: &[Tensor<1>]| {
            if regression {
                NetworkOutputs::Regression(inputs[0].clone())
            } else {
                NetworkOutputs::Lognormal(LognormalOutputs {
                    purchase_logit: inputs[0].clone(),
                    mu: inputs[1].clone(),
                    sigma_raw: inputs[2].clone(),
                })
            }
        };
        let loss = baseline_loss(&batch, build(&inputs), &settings);
        let grads = loss.total.backward();
        for (which, input) in inputs.iter().enumerate() {
            let analytic = input.grad(&grads).expect("a gradient");
            let analytic = analytic.try_into_vec_as::<f32>().expect("readable");
            let base = input.clone().try_into_vec_as::<f32>().expect("readable");
            for (element, &got) in analytic.iter().enumerate() {
                let total = |delta: f32| {
                    let moved: Vec<Tensor<1>> = inputs
                        .iter()
                        .enumerate()
                        .map(|(i, t)| {
                            let mut values = t.clone().try_into_vec_as::<f32>().expect("readable");
                            if i == which {
                                values[element] += delta;
                            }
                            targets::floats(values, &device)
                        })
                        .collect();
                    scalar(&baseline_loss(&batch, build(&moved), &settings).total)
                };
                let h = 1e-2f32;
                let numeric = (total(h) - total(-h)) / (2.0 * f64::from(h));
                let tolerance = 2e-3 + 2e-2 * numeric.abs();
                assert!(
                    (f64::from(got) - numeric).abs() <= tolerance,
                    "{model_type}: input {which}, element {element} ({}): autodiff {got}, numeric {numeric}",
                    base[element]
                );
            }
        }
    }
}
