//! Shapes, an independent recomputation of each backbone's explicit terms, and gradients of
//! every backbone against finite differences.

use burn::prelude::*;

use super::*;

const NUMERIC: usize = 3;
const CARDINALITIES: [usize; 2] = [4, 3];
const DIM: usize = 2;
const HIDDEN: [usize; 2] = [5, 4];
const ROWS: usize = 6;

fn shape() -> BackboneShape<'static> {
    BackboneShape {
        numeric_width: NUMERIC,
        cardinalities: &CARDINALITIES,
        embedding_dim: DIM,
        hidden: &HIDDEN,
        cross_layers: 2,
    }
}

fn numeric_values() -> Vec<f32> {
    (0..ROWS * NUMERIC)
        .map(|i| ((i * 7 % 11) as f32 - 5.0) / 4.0)
        .collect()
}

fn inputs(device: &Device, numeric: Vec<f32>) -> (Tensor<2>, Tensor<2, Int>) {
    let numeric = Tensor::from_data(TensorData::new(numeric, [ROWS, NUMERIC]), device);
    // Field 0 at offsets 0..4, field 1 at 4..7.
    let codes: Vec<i64> = (0..ROWS)
        .flat_map(|r| [(r % 4) as i64, 4 + (r % 3) as i64])
        .collect();
    let categorical = Tensor::from_data(TensorData::new(codes, [ROWS, 2]), device);
    (numeric, categorical)
}

fn values(tensor: Tensor<2>) -> Vec<f32> {
    tensor.try_into_vec_as::<f32>().expect("readable")
}

const KINDS: [BackboneKind; 4] = [
    BackboneKind::Mlp,
    BackboneKind::DeepFm,
    BackboneKind::Dcn,
    BackboneKind::DcnV2,
];

#[test]
fn every_backbone_has_its_documented_width() {
    let device = Device::flex();
    for kind in KINDS {
        device.seed(3);
        let backbone = Backbone::new(kind, &shape(), &device);
        let (numeric, categorical) = inputs(&device, numeric_values());
        let h = backbone.forward(numeric, Some(categorical));
        let width = Backbone::output_width(&shape(), kind);
        assert_eq!(h.dims(), [ROWS, width], "{kind:?}");
        let expected = match kind {
            BackboneKind::Mlp => 4,
            BackboneKind::DeepFm => 1 + DIM + 4,
            _ => NUMERIC + 2 * DIM + 4,
        };
        assert_eq!(width, expected, "{kind:?}");
    }
}

#[test]
fn the_fm_term_equals_the_sum_over_field_pairs() {
    let device = Device::flex();
    device.seed(5);
    let Backbone::DeepFm(fm) = Backbone::new(BackboneKind::DeepFm, &shape(), &device) else {
        unreachable!("a DeepFM backbone was built");
    };
    let numeric = numeric_values();
    let (x, codes) = inputs(&device, numeric.clone());
    let h = values(fm.forward(x, Some(codes.clone())));
    let v = fm
        .numeric_fields
        .val()
        .try_into_vec_as::<f32>()
        .expect("readable");
    let embedded = values(
        fm.embedding
            .as_ref()
            .expect("there are categorical fields")
            .forward_flat(codes),
    );
    let width = Backbone::output_width(&shape(), BackboneKind::DeepFm);
    for row in 0..ROWS {
        // Every field's vector: x_i v_i for numeric features, then the categorical embeddings.
        let mut fields: Vec<[f32; DIM]> = (0..NUMERIC)
            .map(|i| [0, 1].map(|d| numeric[row * NUMERIC + i] * v[i * DIM + d]))
            .collect();
        for f in 0..2 {
            let start = row * 2 * DIM + f * DIM;
            fields.push([embedded[start], embedded[start + 1]]);
        }
        for d in 0..DIM {
            let mut pairs = 0.0f32;
            for i in 0..fields.len() {
                for j in i + 1..fields.len() {
                    pairs += fields[i][d] * fields[j][d];
                }
            }
            let got = h[row * width + 1 + d];
            assert!(
                (got - pairs).abs() < 1e-5,
                "row {row}, dim {d}: {got} vs {pairs}"
            );
        }
    }
}

#[test]
fn cross_layers_follow_their_formulas() {
    let device = Device::flex();
    for kind in [CrossKind::V1, CrossKind::V2] {
        device.seed(11);
        let layer = cross::CrossLayer::new(kind, 3, &device);
        let x0: Vec<f32> = vec![0.5, -1.0, 2.0, 1.5, 0.25, -0.75];
        let xl: Vec<f32> = vec![1.0, 0.5, -0.5, -2.0, 1.0, 0.0];
        let tensor =
            |v: &[f32]| Tensor::<2>::from_data(TensorData::new(v.to_vec(), [2, 3]), &device);
        let got = values(layer.forward(tensor(&x0), tensor(&xl)));
        let weight = layer
            .weight
            .weight
            .val()
            .try_into_vec_as::<f32>()
            .expect("readable");
        for row in 0..2 {
            let (x0, xl) = (&x0[row * 3..row * 3 + 3], &xl[row * 3..row * 3 + 3]);
            for d in 0..3 {
                let want = match kind {
                    // weight: [3, 1]; bias b_l starts at zero.
                    CrossKind::V1 => x0[d] * (0..3).map(|k| xl[k] * weight[k]).sum::<f32>() + xl[d],
                    // weight: [in 3, out 3], W x = sum_k x_k weight[k][d], plus the Linear bias.
                    CrossKind::V2 => {
                        let bias = layer.weight.bias.as_ref().expect("v2 has a bias").val();
                        let bias = bias.try_into_vec_as::<f32>().expect("readable");
                        let wx: f32 = (0..3).map(|k| xl[k] * weight[k * 3 + d]).sum();
                        x0[d] * (wx + bias[d]) + xl[d]
                    }
                };
                let got = got[row * 3 + d];
                assert!(
                    (got - want).abs() < 1e-5,
                    "{kind:?} row {row} dim {d}: {got} vs {want}"
                );
            }
        }
    }
}

/// d sum(h) / d numeric input, autodiff against central differences.
#[test]
fn gradients_match_finite_differences() {
    for kind in KINDS {
        let device = Device::flex().autodiff();
        device.seed(7);
        let backbone = Backbone::new(kind, &shape(), &device);
        let base = numeric_values();
        let (numeric, categorical) = inputs(&device, base.clone());
        let numeric = numeric.require_grad();
        let grads = backbone
            .forward(numeric.clone(), Some(categorical.clone()))
            .sum()
            .backward();
        let analytic = numeric.grad(&grads).expect("a gradient");
        let analytic = analytic.try_into_vec_as::<f32>().expect("readable");
        let plain = backbone.valid();
        let total = |values: Vec<f32>| {
            let (numeric, categorical) = inputs(&Device::flex(), values);
            let sum = plain.forward(numeric, Some(categorical)).sum();
            f64::from(sum.into_scalar::<f32>())
        };
        let h = 2e-3f32;
        let tolerance = |slope: f64| 2e-3 + 2e-2 * slope.abs();
        let at_base = total(base.clone());
        let mut checked = 0;
        for (element, &got) in analytic.iter().enumerate() {
            let mut up = base.clone();
            up[element] += h;
            let mut down = base.clone();
            down[element] -= h;
            let (up, down) = (total(up), total(down));
            // The weights may depend on which parallel test draws from the seeded generator
            // first, so a ReLU kink may lie within h of an input: there the one-sided slopes
            // disagree and no difference quotient stands for the derivative.
            let (right, left) = (
                (up - at_base) / f64::from(h),
                (at_base - down) / f64::from(h),
            );
            if (right - left).abs() > tolerance(right) {
                continue;
            }
            let numeric = (up - down) / (2.0 * f64::from(h));
            assert!(
                (f64::from(got) - numeric).abs() <= tolerance(numeric),
                "{kind:?}, element {element}: autodiff {got}, numeric {numeric}"
            );
            checked += 1;
        }
        assert!(
            checked * 3 >= analytic.len() * 2,
            "{kind:?}: only {checked} of {} inputs away from a kink",
            analytic.len()
        );
    }
}
