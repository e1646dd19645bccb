//! Special functions on tensors: `lgamma`, whose gradient is `digamma`.
//!
//! burn has no log-gamma, so it is built from differentiable primitives: the recurrence moves
//! the argument to `z = x + 6`, where the Stirling series is accurate to about 1e-9, and the
//! logarithms of the shifted factors are subtracted.
//!
//! ```text
//! lgamma(x) = lgamma(x + 6) - sum_{k=0}^{5} log(x + k)
//! lgamma(z) ~ (z - 1/2) log z - z + log(2 pi) / 2 + 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5)
//! ```
//!
//! Differentiating this expression term by term gives the matching series of the digamma
//! function, so the gradient autodiff computes is `digamma(x)` to the same accuracy.

use burn::tensor::Tensor;

/// Number of recurrence steps before the Stirling series is applied.
const SHIFT: usize = 6;

/// Element-wise natural logarithm of the gamma function, for `x > 0`.
///
/// # Shapes
///
/// Any shape; the output has the input's shape.
pub fn lgamma<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    let mut shifted_logs = x.clone().log();
    for k in 1..SHIFT {
        shifted_logs = shifted_logs + x.clone().add_scalar(k as f64).log();
    }
    let z = x.add_scalar(SHIFT as f64);
    let inv = z.clone().recip();
    let inv2 = inv.clone().square();
    // 1/(12 z) - 1/(360 z^3) + 1/(1260 z^5), in Horner form.
    let series = inv.clone().mul(
        inv2.clone()
            .mul_scalar(1.0 / 1260.0)
            .sub_scalar(1.0 / 360.0)
            .mul(inv2)
            .add_scalar(1.0 / 12.0),
    );
    let stirling = z
        .clone()
        .sub_scalar(0.5)
        .mul(z.clone().log())
        .sub(z)
        .add_scalar(0.5 * (2.0 * std::f64::consts::PI).ln())
        .add(series);
    stirling - shifted_logs
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, Tensor, TensorData};

    use super::lgamma;

    // The inputs are the f32 values below; scipy 1.17 evaluates at the same (f32-rounded) points:
    //   import numpy as np; from scipy.special import gammaln, digamma
    //   x = np.array([1e-6, 0.01, 0.5, 1.0, 1.5, 3.7, 10.0, 123.4, 5000.0], dtype=np.float32)
    //   print(gammaln(x.astype(float)).tolist()); print(digamma(x.astype(float)).tolist())
    const X: [f32; 9] = [1e-6, 0.01, 0.5, 1.0, 1.5, 3.7, 10.0, 123.4, 5000.0];
    const LGAMMA: [f64; 9] = [
        13.815509983274191,
        4.599479900519131,
        0.5723649429247,
        0.0,
        -0.12078223763524526,
        1.428072382319606,
        12.801827480081469,
        469.3361047837643,
        37582.62631568535,
    ];
    const DIGAMMA: [f64; 9] = [
        -1000000.5797387772,
        -100.56088769340528,
        -1.9635100260214235,
        -0.5772156649015329,
        0.03648997397857652,
        1.1671535541452684,
        2.251752589066721,
        4.8113737875318225,
        8.517093188082905,
    ];

    fn input() -> Tensor<1> {
        let device = Device::flex().autodiff();
        Tensor::from_data(TensorData::new(X.to_vec(), [X.len()]), &device).require_grad()
    }

    #[test]
    fn lgamma_matches_scipy() {
        let values = lgamma(input()).try_into_vec_as::<f32>().unwrap();
        for ((&got, &want), &x) in values.iter().zip(&LGAMMA).zip(&X) {
            let tolerance = 1e-5 * want.abs().max(1.0);
            assert!(
                (got as f64 - want).abs() < tolerance,
                "lgamma({x}) = {got}, scipy {want}"
            );
        }
    }

    #[test]
    fn gradient_is_digamma() {
        let x = input();
        let grads = lgamma(x.clone()).sum().backward();
        let gradient = x.grad(&grads).unwrap().try_into_vec_as::<f32>().unwrap();
        for ((&got, &want), &x) in gradient.iter().zip(&DIGAMMA).zip(&X) {
            let tolerance = 1e-4 * want.abs().max(1.0);
            assert!(
                (got as f64 - want).abs() < tolerance,
                "digamma({x}) = {got}, scipy {want}"
            );
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let points = [0.3f64, 1.0, 2.5, 7.0, 40.0];
        let device = Device::flex();
        let eval = |values: Vec<f64>| -> Vec<f64> {
            let xs: Vec<f32> = values.iter().map(|&v| v as f32).collect();
            let tensor = Tensor::<1>::from_data(TensorData::new(xs, [values.len()]), &device);
            let out = lgamma(tensor).try_into_vec_as::<f32>().unwrap();
            out.into_iter().map(f64::from).collect()
        };
        let h = 1e-2;
        let up = eval(points.iter().map(|x| x + h).collect());
        let down = eval(points.iter().map(|x| x - h).collect());
        let x = Tensor::<1>::from_data(
            TensorData::new(points.iter().map(|&v| v as f32).collect::<Vec<_>>(), [5]),
            &device.clone().autodiff(),
        )
        .require_grad();
        let grads = lgamma(x.clone()).sum().backward();
        let gradient = x.grad(&grads).unwrap().try_into_vec_as::<f32>().unwrap();
        for i in 0..points.len() {
            let numeric = (up[i] - down[i]) / (2.0 * h);
            let tolerance = 1e-3 * numeric.abs().max(1.0);
            assert!(
                (gradient[i] as f64 - numeric).abs() < tolerance,
                "at {}",
                points[i]
            );
        }
    }
}
