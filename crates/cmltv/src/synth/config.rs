//! Settings of the simulator.

use crate::error::{Error, Result};

/// How many users to simulate, from which seed, and how.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SynthConfig {
    /// Number of users (rows).
    pub rows: usize,
    /// Seed of every random draw; the same seed gives the same rows.
    pub seed: u64,
    /// Share of users who pay within the horizon, on average over the population.
    pub payer_rate: f64,
    /// Rows per batch yielded by [`Synth`](super::Synth); does not change the rows.
    pub batch_rows: usize,
}

/// Smallest payer rate accepted: fewer payers leave almost nothing to learn.
pub const MIN_PAYER_RATE: f64 = 1e-4;
/// Largest payer rate accepted.
pub const MAX_PAYER_RATE: f64 = 0.9;

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            rows: 100_000,
            seed: 42,
            payer_rate: 0.05,
            batch_rows: 65_536,
        }
    }
}

impl SynthConfig {
    /// Sets the number of users.
    pub fn with_rows(mut self, rows: usize) -> Self {
        self.rows = rows;
        self
    }

    /// Sets the seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the target share of payers.
    pub fn with_payer_rate(mut self, payer_rate: f64) -> Self {
        self.payer_rate = payer_rate;
        self
    }

    /// Sets the rows per batch.
    pub fn with_batch_rows(mut self, batch_rows: usize) -> Self {
        self.batch_rows = batch_rows;
        self
    }

    /// Checks that the settings can work.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidSetting`] when `rows` or `batch_rows` is 0, or `payer_rate` is not
    /// within [`MIN_PAYER_RATE`] ..= [`MAX_PAYER_RATE`].
    pub fn validate(&self) -> Result<()> {
        if self.rows == 0 {
            return Err(invalid("rows", self.rows, "at least one row is needed"));
        }
        if self.batch_rows == 0 {
            return Err(invalid("batch_rows", self.batch_rows, "must be at least 1"));
        }
        if !(MIN_PAYER_RATE..=MAX_PAYER_RATE).contains(&self.payer_rate) {
            let reason = format!("must be between {MIN_PAYER_RATE} and {MAX_PAYER_RATE}");
            return Err(invalid("payer_rate", self.payer_rate, &reason));
        }
        Ok(())
    }
}

fn invalid(name: &str, value: impl ToString, reason: &str) -> Error {
    Error::InvalidSetting {
        name: name.to_string(),
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_setters_set() {
        let config = SynthConfig::default()
            .with_rows(10)
            .with_seed(7)
            .with_payer_rate(0.1)
            .with_batch_rows(3);
        config.validate().expect("a valid configuration");
        assert_eq!((config.rows, config.seed, config.batch_rows), (10, 7, 3));
        assert_eq!(config.payer_rate, 0.1);
        SynthConfig::default()
            .validate()
            .expect("the default is valid");
    }

    #[test]
    fn bad_settings_are_named() {
        let cases = [
            (SynthConfig::default().with_rows(0), "rows"),
            (SynthConfig::default().with_batch_rows(0), "batch_rows"),
            (SynthConfig::default().with_payer_rate(0.0), "payer_rate"),
            (
                SynthConfig::default().with_payer_rate(f64::NAN),
                "payer_rate",
            ),
            (SynthConfig::default().with_payer_rate(0.95), "payer_rate"),
        ];
        for (config, expected) in cases {
            match config.validate() {
                Err(Error::InvalidSetting { name, .. }) => assert_eq!(name, expected),
                other => panic!("{expected}: expected InvalidSetting, got {other:?}"),
            }
        }
    }

    #[test]
    fn round_trips_through_json_with_defaults_filled() {
        let config = SynthConfig::default().with_seed(9);
        let json = serde_json::to_string(&config).expect("serializable");
        let back: SynthConfig = serde_json::from_str(&json).expect("parsable");
        assert_eq!(back, config);
        let partial: SynthConfig = serde_json::from_str(r#"{"rows": 5}"#).expect("parsable");
        assert_eq!(partial.rows, 5);
        assert_eq!(partial.batch_rows, SynthConfig::default().batch_rows);
    }
}
