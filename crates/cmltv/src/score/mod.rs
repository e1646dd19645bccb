//! Scoring: from a table to pLTV, the purchase probability, each view and quantiles.
//!
//! ```text
//! pLTV = p * (alpha yd + beta yl + (1 - alpha - beta) yc)
//! p10, p50, p90 = quantiles of a payer's amount under the distribution view
//! ```

use burn::prelude::*;

use crate::data::{Column, ColumnData, Table};
use crate::error::Result;
use crate::model::{CmltvModel, CmltvNetwork, Distribution, InputLayout, ViewParameters};
use crate::preprocess::Features;

/// Rows scored per forward pass.
const CHUNK_ROWS: usize = 8192;

/// Quantile levels reported for a payer's amount.
pub const QUANTILES: [f64; 3] = [0.1, 0.5, 0.9];

/// Predictions for a set of rows, in row order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Predictions {
    /// Fused pLTV.
    pub pltv: Vec<f64>,
    /// Purchase probability `p`.
    pub purchase_probability: Vec<f64>,
    /// Distribution view `yd` (a payer's expected amount).
    pub view_distribution: Vec<f64>,
    /// Log view `yl`.
    pub view_log: Vec<f64>,
    /// Bucket view `yc`.
    pub view_bucket: Vec<f64>,
    /// P10, P50 and P90 of a payer's amount, one vector per level of [`QUANTILES`].
    pub quantiles: [Vec<f64>; 3],
}

/// `p * (alpha yd + beta yl + (1 - alpha - beta) yc)`.
pub fn fuse(p: f64, yd: f64, yl: f64, yc: f64, alpha: f64, beta: f64) -> f64 {
    p * (alpha * yd + beta * yl + (1.0 - alpha - beta) * yc)
}

impl CmltvModel {
    /// Scores every row of `table`.
    ///
    /// # Errors
    ///
    /// [`crate::Error::SchemaMismatch`] or [`crate::Error::BadValue`] when the table lacks a
    /// feature column the model was trained with, or holds text where it needs numbers.
    pub fn predict(&self, table: &Table) -> Result<Predictions> {
        let features = self.preprocessor.transform(table)?;
        Ok(predict_features(
            &self.network,
            &self.layout,
            &self.views,
            &features,
        ))
    }

    /// Scores and lays the result out as output columns: the id (if the model has one and
    /// the table holds it), `pltv`, `purchase_probability`, one column per view, `p10`,
    /// `p50`, `p90`.
    ///
    /// # Errors
    ///
    /// As [`CmltvModel::predict`].
    pub fn predict_table(&self, table: &Table) -> Result<Table> {
        let predictions = self.predict(table)?;
        let mut columns = Vec::new();
        if let Some(id) = &self.schema.id {
            columns.push(table.require(id)?.clone());
        }
        let distribution_name = match self.views.distribution {
            Distribution::Gamma => "view_gamma",
            Distribution::Lognormal => "view_lognormal",
        };
        let [p10, p50, p90] = predictions.quantiles;
        let named = [
            ("pltv", predictions.pltv),
            ("purchase_probability", predictions.purchase_probability),
            (distribution_name, predictions.view_distribution),
            ("view_log", predictions.view_log),
            ("view_bucket", predictions.view_bucket),
            ("p10", p10),
            ("p50", p50),
            ("p90", p90),
        ];
        for (name, values) in named {
            columns.push(Column {
                name: name.to_string(),
                data: ColumnData::Numeric(values.into_iter().map(Some).collect()),
            });
        }
        Table::new(table.source(), columns)
    }
}

/// Runs `network` over all rows of `features`, chunk by chunk, without autodiff.
pub(crate) fn predict_features(
    network: &CmltvNetwork,
    layout: &InputLayout,
    views: &ViewParameters,
    features: &Features,
) -> Predictions {
    let device = Device::flex();
    let values: Vec<f32> = views.buckets.values().iter().map(|&v| v as f32).collect();
    let bucket_values =
        Tensor::<1>::from_data(TensorData::new(values, [views.buckets.len()]), &device);
    let mut out = Predictions::default();
    let rows: Vec<usize> = (0..features.rows).collect();
    for chunk in rows.chunks(CHUNK_ROWS) {
        let (numeric, categorical) = layout.tensors(features, chunk, &device);
        let heads = network.forward(numeric, categorical);
        let tensors = heads.views(views.distribution, views.label_scale, bucket_values.clone());
        let p = read(tensors.purchase_probability);
        let yd = read(tensors.distribution);
        let yl = read(tensors.log);
        let yc = read(tensors.bucket);
        let first = read(heads.distribution_first);
        let second = read(heads.distribution_second);
        for i in 0..chunk.len() {
            out.pltv
                .push(fuse(p[i], yd[i], yl[i], yc[i], views.alpha, views.beta));
            for (level, quantiles) in QUANTILES.iter().zip(out.quantiles.iter_mut()) {
                quantiles.push(quantile(views, first[i], second[i], *level));
            }
        }
        out.purchase_probability.extend(p);
        out.view_distribution.extend(yd);
        out.view_log.extend(yl);
        out.view_bucket.extend(yc);
    }
    out
}

fn read(tensor: Tensor<1>) -> Vec<f64> {
    let values = tensor
        .try_into_vec_as::<f32>()
        .expect("a float tensor on the CPU device is readable");
    values.into_iter().map(f64::from).collect()
}

/// The `level` quantile of a payer's amount, from the distribution tower's raw outputs.
fn quantile(views: &ViewParameters, first: f64, second: f64, level: f64) -> f64 {
    let softplus = |x: f64| if x > 30.0 { x } else { x.exp().ln_1p() };
    let eps = crate::loss::EPS;
    let scaled = match views.distribution {
        Distribution::Gamma => {
            let (shape, rate) = (softplus(first) + eps, softplus(second) + eps);
            puruspe::invgammp(level, shape) / rate
        }
        Distribution::Lognormal => {
            let sigma = softplus(second) + eps;
            let z = std::f64::consts::SQRT_2 * puruspe::inverf(2.0 * level - 1.0);
            (first + sigma * z).exp()
        }
    };
    scaled * views.label_scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::BucketScheme;

    fn views(distribution: Distribution) -> ViewParameters {
        ViewParameters {
            distribution,
            label_scale: 2.0,
            buckets: BucketScheme::with_values(vec![0.5, 2.0]),
            alpha: 0.3,
            beta: 0.3,
        }
    }

    // scipy 1.17: from scipy.stats import gamma, lognorm; import numpy as np
    //   sp = lambda x: np.log1p(np.exp(x)); a, r = sp(0.5) + 1e-6, sp(-0.2) + 1e-6
    //   2 * gamma.ppf([0.1, 0.5, 0.9], a, scale=1 / r)
    //     -> [0.3266948831519198, 2.23385292440454, 7.548240487927831]
    //   s = sp(-0.3) + 1e-6; 2 * lognorm.ppf([0.1, 0.5, 0.9], s=s, scale=np.exp(1.2))
    //     -> [3.263209001780218, 6.6402338454730945, 13.51206910084888]
    #[test]
    fn quantiles_match_scipy() {
        let gamma = [0.3266948831519198, 2.23385292440454, 7.548240487927831];
        let lognormal = [3.263209001780218, 6.6402338454730945, 13.51206910084888];
        for (i, level) in QUANTILES.iter().enumerate() {
            let got = quantile(&views(Distribution::Gamma), 0.5, -0.2, *level);
            assert!(
                (got - gamma[i]).abs() < 1e-7 * gamma[i].max(1.0),
                "gamma {level}: {got}"
            );
            let got = quantile(&views(Distribution::Lognormal), 1.2, -0.3, *level);
            let want = lognormal[i];
            assert!(
                (got - want).abs() < 1e-7 * want.max(1.0),
                "lognormal {level}: {got}"
            );
        }
    }

    #[test]
    fn fusion_weights_the_views() {
        assert!((fuse(0.5, 10.0, 20.0, 30.0, 0.3, 0.3) - 0.5 * 21.0).abs() < 1e-12);
    }
}
