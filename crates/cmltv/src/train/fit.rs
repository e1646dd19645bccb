//! The training loop.

use std::time::Instant;

use burn::grad_clipping::GradientClippingConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::history::{EpochRecord, StepReport, TrainObserver, TrainingHistory};
use super::labels::read_labels;
use super::sampler::epoch_batches;
use super::{CalibrationRows, EarlyStopping, TrainConfig};
use crate::data::Table;
use crate::error::{Error, Result};
use crate::loss::{BucketScheme, Targets, draw_pairs, objective};
use crate::metrics::normalized_gini;
use crate::model::{CmltvModel, InputLayout, LtvNetwork, ModelSchema, ViewParameters};
use crate::preprocess::{FeatureSpec, Features, Preprocessor};
use crate::score::{Calibration, Predictions, predict_features};

/// Columns with this prefix describe the holdout window (outcomes); they are never features.
pub const HOLDOUT_PREFIX: &str = "holdout_";

/// What to learn from a table: the label, an optional id, and columns to leave out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainTask {
    /// The label column (amount paid within the horizon).
    pub label: String,
    /// An id column, carried through scoring and never used as a feature.
    pub id: Option<String>,
    /// Columns that are not features (oracles, outcomes, free text).
    pub ignore: Vec<String>,
}

impl TrainTask {
    /// The columns of `table` that are not features: the label, the id, the ignored columns,
    /// and every column whose name starts with [`HOLDOUT_PREFIX`] (outcomes of the holdout
    /// window, such as those `cmltv features` writes next to its label `holdout_spend`).
    pub fn excluded(&self, table: &Table) -> Vec<String> {
        let named = std::iter::once(&self.label)
            .chain(&self.id)
            .chain(&self.ignore);
        let mut excluded: Vec<String> = named.cloned().collect();
        for column in table.columns() {
            if column.name.starts_with(HOLDOUT_PREFIX) && !excluded.contains(&column.name) {
                excluded.push(column.name.clone());
            }
        }
        excluded
    }
}

/// Training rows and validation rows of one run, preprocessed.
struct Prepared {
    preprocessor: Preprocessor,
    train: (Features, Vec<f32>),
    validation: (Features, Vec<f64>),
}

/// Trains a model of `config.model_type` on `table`.
///
/// The model type's preset is applied to the configuration first (see
/// [`ModelType::configure`](crate::model::ModelType::configure)); the model keeps the
/// configuration it was trained with. Columns named in `task`, and columns whose name starts
/// with `holdout_`, are not features.
///
/// # Errors
///
/// [`Error::InvalidSetting`] for a bad configuration, [`Error::MissingColumn`] for a label, id
/// or ignored column that is not in the table, [`Error::BadValue`] for a bad label,
/// [`Error::NoPayers`] when no label is positive, [`Error::NonFiniteLoss`] when training
/// diverges.
pub fn train(
    table: &Table,
    task: &TrainTask,
    config: &TrainConfig,
    observer: &mut dyn TrainObserver,
) -> Result<CmltvModel> {
    let config = &config.model_type.configure(config);
    config.validate()?;
    let started = Instant::now();
    let labels = read_labels(table, &task.label)?;
    check_columns(table, task)?;
    if !labels.iter().any(|&y| y > 0.0) {
        return Err(Error::NoPayers {
            path: table.source().to_path_buf(),
            column: task.label.clone(),
        });
    }

    // Split, then fit the preprocessing on the training rows alone.
    let mut rng = StdRng::seed_from_u64(config.seed);
    let (train_rows, validation_rows) = split(&labels, config.validation_fraction, &mut rng);
    let prepared = prepare(table, task, config, &labels, &train_rows, &validation_rows)?;
    let train_labels: Vec<f64> = prepared.train.1.iter().map(|&y| f64::from(y)).collect();
    let views = view_parameters(&train_labels, config);
    let layout = InputLayout {
        numeric_width: prepared.preprocessor.numeric_width(),
        cardinalities: prepared.preprocessor.cardinalities(),
    };

    // Optimise, keeping the weights of the best validation epoch.
    let (network, epochs, best_epoch) =
        optimise(&prepared, &layout, &views, config, &mut rng, observer)?;

    // Calibrate pLTV on the validation rows, and on the training rows when asked.
    let (validation_features, validation_labels) = &prepared.validation;
    let mut labels = validation_labels.clone();
    let mut scores = predict_features(&network, &layout, &views, validation_features).pltv;
    if config.calibration_rows == CalibrationRows::All {
        let (train_features, train_labels) = &prepared.train;
        labels.extend(train_labels.iter().map(|&y| f64::from(y)));
        scores.extend(predict_features(&network, &layout, &views, train_features).pltv);
    }
    let calibration = Calibration::fit(
        config.calibration,
        &labels,
        &scores,
        config.calibration_bins,
    );
    let history = TrainingHistory {
        epochs,
        best_epoch,
        train_rows: train_rows.len(),
        validation_rows: validation_rows.len(),
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok(CmltvModel {
        network,
        preprocessor: prepared.preprocessor,
        schema: ModelSchema {
            label: task.label.clone(),
            id: task.id.clone(),
        },
        config: config.clone(),
        views,
        layout,
        history,
        calibration,
    })
}

fn check_columns(table: &Table, task: &TrainTask) -> Result<()> {
    for name in task.id.iter().chain(&task.ignore) {
        table.require(name)?;
    }
    Ok(())
}

/// A payer-stratified, seeded split into training and validation rows.
fn split(labels: &[f64], fraction: f64, rng: &mut StdRng) -> (Vec<usize>, Vec<usize>) {
    let mut train = Vec::new();
    let mut validation = Vec::new();
    for payer in [true, false] {
        let mut rows: Vec<usize> = (0..labels.len())
            .filter(|&i| (labels[i] > 0.0) == payer)
            .collect();
        rows.shuffle(rng);
        let held = (rows.len() as f64 * fraction).round() as usize;
        validation.extend_from_slice(&rows[..held]);
        train.extend_from_slice(&rows[held..]);
    }
    train.sort_unstable();
    validation.sort_unstable();
    (train, validation)
}

fn prepare(
    table: &Table,
    task: &TrainTask,
    config: &TrainConfig,
    labels: &[f64],
    train_rows: &[usize],
    validation_rows: &[usize],
) -> Result<Prepared> {
    let mut spec = FeatureSpec::infer(table, &task.excluded(table));
    for name in &config.categorical {
        table.require(name)?;
        if let Some(position) = spec.numeric.iter().position(|n| n == name) {
            spec.numeric.remove(position);
            spec.categorical.push(name.clone());
        }
    }
    let train_table = table.take(train_rows);
    let preprocessor = Preprocessor::fit(&train_table, &spec, &config.preprocess)?;
    let train_features = preprocessor.transform(&train_table)?;
    let validation_features = preprocessor.transform(&table.take(validation_rows))?;
    Ok(Prepared {
        train: (
            train_features,
            train_rows.iter().map(|&i| labels[i] as f32).collect(),
        ),
        validation: (
            validation_features,
            validation_rows.iter().map(|&i| labels[i]).collect(),
        ),
        preprocessor,
    })
}

fn view_parameters(train_labels: &[f64], config: &TrainConfig) -> ViewParameters {
    let payers: Vec<f64> = train_labels.iter().copied().filter(|&y| y > 0.0).collect();
    let label_scale = payers.iter().sum::<f64>() / payers.len() as f64;
    ViewParameters {
        model_type: config.model_type,
        distribution: config.model.distribution,
        label_scale,
        buckets: BucketScheme::from_labels(train_labels, config.model.max_buckets),
        alpha: config.model.alpha,
        beta: config.model.beta,
    }
}

fn optimise(
    prepared: &Prepared,
    layout: &InputLayout,
    views: &ViewParameters,
    config: &TrainConfig,
    rng: &mut StdRng,
    observer: &mut dyn TrainObserver,
) -> Result<(LtvNetwork, Vec<EpochRecord>, usize)> {
    let device = Device::flex().autodiff();
    device.seed(config.seed);
    let mut network = LtvNetwork::new(
        config.model_type,
        &config.model,
        layout,
        views.buckets.len(),
        &device,
    );
    let mut adam = AdamConfig::new();
    if config.gradient_clip_norm > 0.0 {
        let clip = GradientClippingConfig::Norm(config.gradient_clip_norm as f32);
        adam = adam.with_grad_clipping(Some(clip));
    }
    let mut optimizer = adam.init();
    let settings = views.settings(&device);

    let mut records = Vec::new();
    let mut best: Option<(f64, usize, LtvNetwork)> = None;
    for epoch in 1..=config.epochs {
        let started = Instant::now();
        let (features, labels) = &prepared.train;
        let batches = epoch_batches(labels, config.batch_size, config.stratified_batches, rng);
        let mut sums = TermSums::default();
        let mut rows_done = 0usize;
        for (step, batch) in batches.iter().enumerate() {
            let (numeric, categorical) = layout.tensors(features, batch, &device);
            let batch_labels: Vec<f32> = batch.iter().map(|&i| labels[i]).collect();
            let pairs = draw_pairs(
                batch.len(),
                config.loss.pair_partners,
                config.loss.all_pairs_below,
                rng,
            );
            let targets = Targets::new(
                &batch_labels,
                views.label_scale,
                &views.buckets,
                &pairs,
                &device,
            );
            let outputs = network.forward(numeric, categorical);
            let terms = objective(&outputs, &targets, &settings, &config.loss);
            let values = term_values(&terms.terms);
            let total = f64::from(terms.total.clone().into_scalar::<f32>());
            check_finite(total, &values, epoch, step + 1)?;
            let grads = GradientsParams::from_grads(terms.total.backward(), &network);
            network = optimizer.step(config.learning_rate, network, grads);

            sums.add(total, &values);
            rows_done += batch.len();
            observer.on_step(&StepReport {
                epoch,
                epochs: config.epochs,
                step: step + 1,
                steps: batches.len(),
                loss: total,
                terms: &values,
                rows_per_second: rows_done as f64 / started.elapsed().as_secs_f64(),
            });
        }
        let train_seconds = started.elapsed().as_secs_f64();

        // Validation and early stopping.
        let valid = network.valid();
        let gini = validation_gini(&valid, prepared, layout, views);
        let validation_loss = validation_loss(&valid, prepared, layout, views, config);
        let record = EpochRecord {
            epoch,
            loss: sums.mean_total(),
            terms: sums.means(),
            validation_gini: gini,
            validation_loss,
            rows_per_second: rows_done as f64 / train_seconds,
            seconds: started.elapsed().as_secs_f64(),
        };
        tracing::info!(
            epoch,
            loss = record.loss,
            validation_gini = ?gini,
            validation_loss = ?validation_loss,
            "epoch done"
        );
        observer.on_epoch(&record);
        records.push(record);
        // Higher is better; without validation rows every epoch improves, so the last is kept.
        let measure = match config.early_stopping {
            EarlyStopping::Loss => validation_loss.map(|loss| -loss),
            EarlyStopping::Gini => gini,
        };
        let score = measure.unwrap_or(f64::NEG_INFINITY);
        let improved = best
            .as_ref()
            .is_none_or(|(best_score, ..)| score > *best_score || measure.is_none());
        if improved {
            best = Some((score, epoch, valid));
        } else if best
            .as_ref()
            .is_some_and(|(_, best_epoch, _)| epoch - best_epoch >= config.patience)
        {
            break;
        }
    }
    let (_, best_epoch, network) = best.expect("at least one epoch ran");
    Ok((network, records, best_epoch))
}

/// Running sums of the total and of each term over an epoch's steps.
#[derive(Debug, Default)]
struct TermSums {
    total: f64,
    terms: Vec<(String, f64)>,
    steps: usize,
}

impl TermSums {
    fn add(&mut self, total: f64, values: &[(String, f64)]) {
        if self.terms.is_empty() {
            self.terms = values.iter().map(|(name, _)| (name.clone(), 0.0)).collect();
        }
        self.total += total;
        for ((_, sum), (_, value)) in self.terms.iter_mut().zip(values) {
            *sum += value;
        }
        self.steps += 1;
    }

    fn mean_total(&self) -> f64 {
        self.total / self.steps.max(1) as f64
    }

    fn means(&self) -> Vec<(String, f64)> {
        let steps = self.steps.max(1) as f64;
        let mean = |(name, sum): &(String, f64)| (name.clone(), sum / steps);
        self.terms.iter().map(mean).collect()
    }
}

fn term_values(terms: &[(&'static str, Tensor<1>)]) -> Vec<(String, f64)> {
    terms
        .iter()
        .map(|(name, term)| {
            let value = term.clone().into_scalar::<f32>();
            (name.to_string(), f64::from(value))
        })
        .collect()
}

fn check_finite(total: f64, values: &[(String, f64)], epoch: usize, step: usize) -> Result<()> {
    if total.is_finite() {
        return Ok(());
    }
    let (term, value) = values
        .iter()
        .find(|(_, value)| !value.is_finite())
        .cloned()
        .unwrap_or(("total".to_string(), total));
    Err(Error::NonFiniteLoss {
        term,
        value,
        epoch,
        step,
    })
}

/// The weighted objective on the validation rows: batches of the training batch size in
/// row order, averaged with their row counts as weights; the pairs of the pairwise term come
/// from a generator seeded the same way every epoch, so epochs compare like with like.
fn validation_loss(
    network: &LtvNetwork,
    prepared: &Prepared,
    layout: &InputLayout,
    views: &ViewParameters,
    config: &TrainConfig,
) -> Option<f64> {
    let (features, labels) = &prepared.validation;
    if labels.is_empty() {
        return None;
    }
    let device = Device::flex();
    let settings = views.settings(&device);
    let mut rng = StdRng::seed_from_u64(config.seed);
    let rows: Vec<usize> = (0..labels.len()).collect();
    let mut sum = 0.0;
    for chunk in rows.chunks(config.batch_size) {
        let (numeric, categorical) = layout.tensors(features, chunk, &device);
        let chunk_labels: Vec<f32> = chunk.iter().map(|&i| labels[i] as f32).collect();
        let pairs = draw_pairs(
            chunk.len(),
            config.loss.pair_partners,
            config.loss.all_pairs_below,
            &mut rng,
        );
        let targets = Targets::new(
            &chunk_labels,
            views.label_scale,
            &views.buckets,
            &pairs,
            &device,
        );
        let outputs = network.forward(numeric, categorical);
        let total = objective(&outputs, &targets, &settings, &config.loss).total;
        sum += f64::from(total.into_scalar::<f32>()) * chunk.len() as f64;
    }
    let loss = sum / labels.len() as f64;
    loss.is_finite().then_some(loss)
}

fn validation_gini(
    network: &LtvNetwork,
    prepared: &Prepared,
    layout: &InputLayout,
    views: &ViewParameters,
) -> Option<f64> {
    let (features, labels) = &prepared.validation;
    if labels.iter().all(|&y| y <= 0.0) {
        return None;
    }
    let predictions: Predictions = predict_features(network, layout, views, features);
    let gini = normalized_gini(labels, &predictions.pltv);
    gini.is_finite().then_some(gini)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Column;
    use crate::score::CalibrationKind;

    /// The sum of calibrated pLTV over `table` against the sum of its labels.
    fn total_ratio(table: &Table, task: &TrainTask, rows: CalibrationRows) -> f64 {
        let config: TrainConfig = toml::from_str(
            "epochs = 2\nbatch_size = 256\n[model]\nhidden = [16]\nhead_hidden = 8\n",
        )
        .unwrap();
        let config = TrainConfig {
            calibration_rows: rows,
            ..config.with_calibration(CalibrationKind::Scalar)
        };
        let model = train(table, task, &config, &mut crate::train::Silent).unwrap();
        let predicted: f64 = model.predict(table).unwrap().pltv.iter().sum();
        let actual: f64 = read_labels(table, &task.label).unwrap().iter().sum();
        predicted / actual
    }

    #[test]
    fn calibration_fits_the_rows_it_is_told_to() {
        let table = crate::synth::read_back(3000, 6);
        let task = TrainTask {
            label: "ltv".into(),
            id: Some("user_id".into()),
            ignore: vec!["expected_ltv".into()],
        };
        // A scalar fitted on the training and validation rows, which make up the table,
        // matches the table's total to float precision; one fitted on the validation rows
        // alone matches their total, which on heavy-tailed labels is not the table's.
        let all = total_ratio(&table, &task, CalibrationRows::All);
        assert!((all - 1.0).abs() < 1e-6, "sum ratio {all}");
        let validation = total_ratio(&table, &task, CalibrationRows::Validation);
        assert!((validation - 1.0).abs() > 1e-3, "sum ratio {validation}");
    }

    #[test]
    fn holdout_columns_are_never_features() {
        let column = |name: &str| Column::numeric(name, vec![Some(1.0)]);
        let table = Table::new(
            "features.csv",
            vec![
                Column::text("customer_id", vec![Some("00001".into())]),
                column("frequency"),
                column("holdout_spend"),
                column("holdout_purchases"),
                column("holdout_net_spend"),
                column("age_weeks"),
                column("oracle"),
                column("holdout"),
            ],
        )
        .unwrap();
        let task = TrainTask {
            label: "holdout_spend".into(),
            id: Some("customer_id".into()),
            ignore: vec!["oracle".into()],
        };
        let excluded = task.excluded(&table);
        let spec = FeatureSpec::infer(&table, &excluded);
        assert_eq!(spec.numeric, ["frequency", "age_weeks", "holdout"]);
        assert!(spec.categorical.is_empty());
        assert_eq!(
            excluded,
            [
                "holdout_spend",
                "customer_id",
                "oracle",
                "holdout_purchases",
                "holdout_net_spend"
            ]
        );
    }
}
