//! The simulator as an iterator of table batches, and the column layout.

use crate::data::{Column, ColumnKind, Table};
use crate::error::Result;

use super::calibrate::calibrate;
use super::catalog::{CHANNELS, TIERS, WEEKDAYS};
use super::config::SynthConfig;
use super::draw::{FEATURE_STREAM, OUTCOME_STREAM, user_rng};
use super::outcome::{Intercepts, Scores, SpendingLaw};
use super::user::User;

/// The id column, numbered from 1.
pub(crate) const ID_COLUMN: &str = "user_id";
/// The label: spend in the horizon, in dollars.
pub(crate) const LABEL_COLUMN: &str = "ltv";
/// The oracle: `E[ltv | features]`.
pub(crate) const ORACLE_COLUMN: &str = "expected_ltv";

/// Categorical features, in table order after the id.
const TEXT_COLUMNS: [&str; 6] = [
    "country",
    "channel",
    "device_tier",
    "os",
    "genre",
    "install_weekday",
];

/// Numeric features, in table order after the categorical ones.
const FEATURE_COLUMNS: [&str; 14] = [
    "install_hour",
    "days_active",
    "sessions",
    "playtime_minutes",
    "max_level",
    "tutorial_completed",
    "ad_views",
    "friends_added",
    "social_actions",
    "store_visits",
    "early_purchases",
    "early_spend",
    "push_opt_in",
    "storage_free_gb",
];

/// Names and kinds of the columns, in table order.
pub fn schema() -> Vec<(String, ColumnKind)> {
    let numeric = |name: &str| (name.to_string(), ColumnKind::Numeric);
    let mut columns = vec![numeric(ID_COLUMN)];
    columns.extend(TEXT_COLUMNS.map(|name| (name.to_string(), ColumnKind::Text)));
    columns.extend(FEATURE_COLUMNS.map(numeric));
    columns.extend([numeric(LABEL_COLUMN), numeric(ORACLE_COLUMN)]);
    columns
}

/// The categorical values of a user, in [`TEXT_COLUMNS`] order.
fn text_values(user: &User) -> [&'static str; 6] {
    [
        user.country().code,
        CHANNELS[user.channel].name,
        TIERS[user.tier].name,
        if user.ios { "ios" } else { "android" },
        user.genre().name,
        WEEKDAYS[user.weekday],
    ]
}

/// The numeric feature values of a user, in [`FEATURE_COLUMNS`] order.
fn feature_values(user: &User) -> [Option<f64>; 14] {
    let flag = |b: bool| Some(if b { 1.0 } else { 0.0 });
    let count = |n: u64| Some(n as f64);
    [
        Some(f64::from(user.install_hour)),
        Some(f64::from(user.days_active)),
        count(user.sessions),
        user.playtime_minutes,
        count(user.max_level),
        flag(user.tutorial_completed),
        count(user.ad_views),
        user.friends_added.map(|n| n as f64),
        count(user.social_actions),
        count(user.store_visits),
        count(user.early_purchases),
        Some(user.early_spend()),
        flag(user.push_opt_in),
        Some(user.storage_free_gb),
    ]
}

/// One simulated row: the user, its spend in the horizon and the spend's expectation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// The observed week.
    pub user: User,
    /// The user's spending law.
    pub law: SpendingLaw,
    /// Spend in the horizon, in cents.
    pub spend_cents: u64,
}

/// Simulates user `index` (from 0) of the population under `seed`.
pub(crate) fn simulate(seed: u64, intercepts: Intercepts, index: u64) -> Row {
    let user = User::draw(&mut user_rng(seed, index, FEATURE_STREAM));
    let law = SpendingLaw::new(Scores::of(&user), intercepts);
    let spend_cents = law.draw_cents(&mut user_rng(seed, index, OUTCOME_STREAM));
    Row {
        user,
        law,
        spend_cents,
    }
}

/// Column vectors of a batch being filled.
struct BatchBuilder {
    ids: Vec<Option<f64>>,
    texts: [Vec<Option<String>>; 6],
    features: [Vec<Option<f64>>; 14],
    labels: Vec<Option<f64>>,
    oracle: Vec<Option<f64>>,
}

impl BatchBuilder {
    fn with_capacity(rows: usize) -> Self {
        BatchBuilder {
            ids: Vec::with_capacity(rows),
            texts: std::array::from_fn(|_| Vec::with_capacity(rows)),
            features: std::array::from_fn(|_| Vec::with_capacity(rows)),
            labels: Vec::with_capacity(rows),
            oracle: Vec::with_capacity(rows),
        }
    }

    fn push(&mut self, index: u64, row: &Row) {
        self.ids.push(Some((index + 1) as f64));
        for (column, value) in self.texts.iter_mut().zip(text_values(&row.user)) {
            column.push(Some(value.to_string()));
        }
        for (column, value) in self.features.iter_mut().zip(feature_values(&row.user)) {
            column.push(value);
        }
        self.labels.push(Some(row.spend_cents as f64 / 100.0));
        self.oracle.push(Some(row.law.expected_value()));
    }

    fn into_table(self) -> Result<Table> {
        let mut columns = vec![Column::numeric(ID_COLUMN, self.ids)];
        let texts = TEXT_COLUMNS.into_iter().zip(self.texts);
        columns.extend(texts.map(|(name, values)| Column::text(name, values)));
        let features = FEATURE_COLUMNS.into_iter().zip(self.features);
        columns.extend(features.map(|(name, values)| Column::numeric(name, values)));
        columns.push(Column::numeric(LABEL_COLUMN, self.labels));
        columns.push(Column::numeric(ORACLE_COLUMN, self.oracle));
        Table::new("<synth>", columns)
    }
}

/// The simulator: yields the population as [`Table`] batches of at most `batch_rows` rows.
///
/// Row `i` depends only on the seed, the payer rate and `i`, so the rows do not change with
/// the batch size.
#[derive(Debug, Clone)]
pub struct Synth {
    config: SynthConfig,
    intercepts: Intercepts,
    next_row: usize,
}

impl Synth {
    /// A simulator for these settings, with its intercepts calibrated.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`](crate::Error::InvalidSetting) from
    /// [`SynthConfig::validate`].
    pub fn new(config: SynthConfig) -> Result<Self> {
        config.validate()?;
        let intercepts = calibrate(config.payer_rate);
        Ok(Synth {
            config,
            intercepts,
            next_row: 0,
        })
    }

    /// The settings.
    pub fn config(&self) -> &SynthConfig {
        &self.config
    }

    /// Simulates the rows `start..end` into a table.
    fn batch(&self, start: usize, end: usize) -> Table {
        let mut builder = BatchBuilder::with_capacity(end - start);
        for index in start as u64..end as u64 {
            let row = simulate(self.config.seed, self.intercepts, index);
            builder.push(index, &row);
        }
        builder
            .into_table()
            .expect("the builder makes columns of equal length with distinct names")
    }
}

impl Iterator for Synth {
    type Item = Table;

    fn next(&mut self) -> Option<Table> {
        let start = self.next_row;
        if start >= self.config.rows {
            return None;
        }
        let end = self.config.rows.min(start + self.config.batch_rows);
        self.next_row = end;
        Some(self.batch(start, end))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.config.rows.saturating_sub(self.next_row);
        let batches = left.div_ceil(self.config.batch_rows);
        (batches, Some(batches))
    }
}

impl ExactSizeIterator for Synth {}
