//! Scoring: from a table to pLTV, the purchase probability, each view and quantiles.
//!
//! ```text
//! pLTV = p * (alpha yd + beta yl + (1 - alpha - beta) yc)
//! p10, p50, p90 = quantiles of a payer's amount under the distribution view
//! ```

mod calibration;

use burn::prelude::*;

pub use calibration::{Calibration, CalibrationKind};

use crate::data::{Column, ColumnData, Table};
use crate::error::Result;
use crate::model::{
    CmltvModel, Distribution, DistributionTensors, InputLayout, LtvNetwork, ModelType,
    ViewParameters,
};
use crate::preprocess::Features;

/// Rows scored per forward pass.
const CHUNK_ROWS: usize = 8192;

/// Quantile levels reported for a payer's amount.
pub const QUANTILES: [f64; 3] = [0.1, 0.5, 0.9];

/// Predictions for a set of rows, in row order. A model fills the parts it has: every model
/// has a pLTV, CMLTV has every view, ZILN and two-stage a purchase probability and a payer
/// distribution, the squared-error models nothing more.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Predictions {
    /// pLTV, calibrated when the model was trained with calibration.
    pub pltv: Vec<f64>,
    /// Purchase probability `p`.
    pub purchase_probability: Option<Vec<f64>>,
    /// A payer's expected amount: the distribution view `yd` of CMLTV, the lognormal mean of
    /// ZILN and two-stage.
    pub view_distribution: Option<Vec<f64>>,
    /// Log view `yl`.
    pub view_log: Option<Vec<f64>>,
    /// Bucket view `yc`.
    pub view_bucket: Option<Vec<f64>>,
    /// P10, P50 and P90 of a payer's amount, one vector per level of [`QUANTILES`].
    pub quantiles: Option<[Vec<f64>; 3]>,
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
        let mut predictions = predict_features(&self.network, &self.layout, &self.views, &features);
        if let Some(calibration) = &self.calibration {
            calibration.apply(&mut predictions.pltv);
        }
        Ok(predictions)
    }

    /// Scores and lays the result out as output columns: the id (if the model has one and
    /// the table holds it), `pltv`, then what the model has of `purchase_probability`, the
    /// distribution view (`view_gamma` or `view_lognormal`; `payer_mean` for ZILN and
    /// two-stage), `view_log`, `view_bucket`, `p10`, `p50`, `p90`.
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
        let distribution_name = self.distribution_view_name();
        let [p10, p50, p90] = predictions
            .quantiles
            .map(|[a, b, c]| [Some(a), Some(b), Some(c)])
            .unwrap_or_default();
        let named = [
            ("pltv", Some(predictions.pltv)),
            ("purchase_probability", predictions.purchase_probability),
            (distribution_name, predictions.view_distribution),
            ("view_log", predictions.view_log),
            ("view_bucket", predictions.view_bucket),
            ("p10", p10),
            ("p50", p50),
            ("p90", p90),
        ];
        for (name, values) in named {
            if let Some(values) = values {
                columns.push(Column {
                    name: name.to_string(),
                    data: ColumnData::Numeric(values.into_iter().map(Some).collect()),
                });
            }
        }
        Table::new(table.source(), columns)
    }
}

impl CmltvModel {
    /// The name of [`Predictions::view_distribution`] in output columns and reports:
    /// `view_gamma` or `view_lognormal` for CMLTV, `payer_mean` for ZILN and two-stage.
    pub fn distribution_view_name(&self) -> &'static str {
        match (self.views.model_type.is_cmltv(), self.views.distribution) {
            (false, _) => "payer_mean",
            (true, Distribution::Gamma) => "view_gamma",
            (true, Distribution::Lognormal) => "view_lognormal",
        }
    }
}

/// Runs `network` over all rows of `features`, chunk by chunk, without autodiff.
pub(crate) fn predict_features(
    network: &LtvNetwork,
    layout: &InputLayout,
    views: &ViewParameters,
    features: &Features,
) -> Predictions {
    let device = Device::flex();
    let settings = views.settings(&device);
    let mut out = Predictions::default();
    let rows: Vec<usize> = (0..features.rows).collect();
    for chunk in rows.chunks(CHUNK_ROWS) {
        let (numeric, categorical) = layout.tensors(features, chunk, &device);
        let scores = network.forward(numeric, categorical).scores(&settings);
        out.pltv.extend(read(scores.pltv));
        extend(&mut out.purchase_probability, scores.purchase_probability);
        extend(&mut out.view_log, scores.log);
        extend(&mut out.view_bucket, scores.bucket);
        if let Some(distribution) = scores.distribution {
            let quantiles = out.quantiles.get_or_insert_with(Default::default);
            for (level, values) in QUANTILES.iter().zip(quantiles.iter_mut()) {
                values.extend(distribution_quantiles(&distribution, *level));
            }
            extend(&mut out.view_distribution, Some(distribution.mean));
        }
    }
    if features.rows == 0 {
        out = empty_predictions(views.model_type);
    }
    out
}

/// No rows: every part the model type has, empty.
fn empty_predictions(model_type: ModelType) -> Predictions {
    let cmltv = model_type.is_cmltv();
    let regression = matches!(model_type, ModelType::Mse | ModelType::MseLog);
    let part = |has: bool| has.then(Vec::new);
    Predictions {
        pltv: Vec::new(),
        purchase_probability: part(!regression),
        view_distribution: part(!regression),
        view_log: part(cmltv),
        view_bucket: part(cmltv),
        quantiles: (!regression).then(Default::default),
    }
}

fn extend(target: &mut Option<Vec<f64>>, values: Option<Tensor<1>>) {
    if let Some(values) = values {
        target.get_or_insert_with(Vec::new).extend(read(values));
    }
}

fn read(tensor: Tensor<1>) -> Vec<f64> {
    let values = tensor
        .try_into_vec_as::<f32>()
        .expect("a float tensor on the CPU device is readable");
    values.into_iter().map(f64::from).collect()
}

/// The `level` quantile of a payer's amount for every row of a batch.
fn distribution_quantiles(distribution: &DistributionTensors, level: f64) -> Vec<f64> {
    let first = read(distribution.first.clone());
    let second = read(distribution.second.clone());
    first
        .iter()
        .zip(&second)
        .map(|(&a, &b)| quantile(distribution.family, a, b, level) * distribution.scale)
        .collect()
}

/// The `level` quantile of Gamma(shape, rate) or LogNormal(mu, sigma).
fn quantile(family: Distribution, first: f64, second: f64, level: f64) -> f64 {
    match family {
        Distribution::Gamma => puruspe::invgammp(level, first) / second,
        Distribution::Lognormal => {
            let z = std::f64::consts::SQRT_2 * puruspe::inverf(2.0 * level - 1.0);
            (first + second * z).exp()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // scipy 1.17: from scipy.stats import gamma, lognorm; import numpy as np
    //   sp = lambda x: np.log1p(np.exp(x)); a, r = sp(0.5) + 1e-6, sp(-0.2) + 1e-6
    //   2 * gamma.ppf([0.1, 0.5, 0.9], a, scale=1 / r)
    //     -> [0.3266948831519198, 2.23385292440454, 7.548240487927831]
    //   s = sp(-0.3) + 1e-6; 2 * lognorm.ppf([0.1, 0.5, 0.9], s=s, scale=np.exp(1.2))
    //     -> [3.263209001780218, 6.6402338454730945, 13.51206910084888]
    #[test]
    fn quantiles_match_scipy() {
        let softplus = |x: f64| x.exp().ln_1p() + 1e-6;
        let gamma = [0.3266948831519198, 2.23385292440454, 7.548240487927831];
        let lognormal = [3.263209001780218, 6.6402338454730945, 13.51206910084888];
        for (i, level) in QUANTILES.iter().enumerate() {
            let (shape, rate) = (softplus(0.5), softplus(-0.2));
            let got = 2.0 * quantile(Distribution::Gamma, shape, rate, *level);
            assert!(
                (got - gamma[i]).abs() < 1e-7 * gamma[i].max(1.0),
                "gamma {level}: {got}"
            );
            let got = 2.0 * quantile(Distribution::Lognormal, 1.2, softplus(-0.3), *level);
            let want = lognormal[i];
            assert!(
                (got - want).abs() < 1e-7 * want.max(1.0),
                "lognormal {level}: {got}"
            );
        }
    }
}
