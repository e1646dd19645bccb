//! The models fitted on the 2,357-customer CDNOW sample reproduce the published figures.
//!
//! Calibration window 1997-01-01 .. 1997-09-30, weeks of 7 days, same-day purchases
//! merged, ages counted to the start of 1997-09-30 (see `summary.rs`). The published
//! values are those of `shared/data/cdnow/README.md`: Fader, Hardie and Lee (2005) for
//! BG/NBD and Gamma-Gamma, Fader and Hardie's Pareto/NBD note for Pareto/NBD.

use chrono::{Datelike, NaiveDate};
use cmltv_btyd::{
    BgNbd, CustomerSummary, FitOptions, GammaGamma, ParetoNbd, Purchase, PurchaseModel, TimeUnit,
    expected_spend, summarize, summarize_holdout,
};
use std::path::PathBuf;

const CALIBRATION_END: &str = "19970930";
const HOLDOUT_END: &str = "19980630";
/// Horizon of the holdout window, in weeks (weeks 40-78).
const HOLDOUT_WEEKS: f64 = 39.0;
/// Relative tolerance against `lifetimes` at the same parameters.
const SAME_PARAMETERS: f64 = 1e-11;
/// Relative tolerance against `lifetimes` fits, whose optimizer stops at its own point.
const REFITTED: f64 = 2e-4;

fn sample_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/cdnow/CDNOW_sample.txt")
}

fn day_number(date: &str) -> i64 {
    let date = NaiveDate::parse_from_str(date, "%Y%m%d").expect("a YYYYMMDD date");
    i64::from(date.num_days_from_ce())
}

/// The sample's transactions: `master_id sample_id date number_of_cds dollar_value`.
fn load_sample() -> Vec<Purchase<u32>> {
    let path = sample_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            Purchase {
                customer: fields[1].parse().expect("a sample id"),
                day: day_number(fields[2]),
                amount: fields[4].parse().expect("a dollar value"),
            }
        })
        .collect()
}

fn calibration() -> Vec<CustomerSummary> {
    calibration_in(TimeUnit::Weeks)
}

fn calibration_in(unit: TimeUnit) -> Vec<CustomerSummary> {
    let end = day_number(CALIBRATION_END);
    let summaries = summarize(&load_sample(), end, unit).expect("valid log");
    summaries.into_values().collect()
}

/// Equal to `published` in its first three significant digits (half a unit of the third).
fn assert_three_digits(name: &str, value: f64, published: f64) {
    let unit = 10f64.powf(published.abs().log10().floor() - 2.0);
    assert!(
        (value - published).abs() <= 0.5 * unit,
        "{name} = {value}, published {published}"
    );
}

fn assert_relative(name: &str, value: f64, expected: f64, tolerance: f64) {
    let error = ((value - expected) / expected).abs();
    assert!(error < tolerance, "{name} = {value}, expected {expected}");
}

#[test]
fn calibration_summary_matches_the_published_counts() {
    let customers = calibration();
    assert_eq!(customers.len(), 2357);
    let repeat: u32 = customers.iter().map(|c| c.frequency).sum();
    assert_eq!(repeat, 2457);
    assert_eq!(customers.iter().filter(|c| c.frequency > 0).count(), 946);

    let (end, holdout_end) = (day_number(CALIBRATION_END), day_number(HOLDOUT_END));
    let holdout = summarize_holdout(&load_sample(), end, holdout_end).expect("valid log");
    let holdout_purchases: u32 = holdout.values().map(|h| h.purchases).sum();
    assert_eq!(holdout_purchases, 1882);
}

// Expected values from lifetimes 0.11.3 (numpy 1.26.4, pandas 1.5.3, scipy 1.17.1):
//
// import numpy as np, pandas as pd
// from lifetimes import BetaGeoFitter, ParetoNBDFitter, GammaGammaFitter
// df = pd.read_csv("CDNOW_sample.txt", sep=r"\s+", header=None,
//                  names=["master", "id", "date", "cds", "dollars"], dtype={"date": str})
// df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
// end = pd.Timestamp("1997-09-30")
// day = df[df.date <= end].groupby(["id", "date"], as_index=False)["dollars"].sum()
// g = day.groupby("id")
// x = (g.date.count() - 1).astype(float)
// tx = (g.date.max() - g.date.min()).dt.days / 7.0
// T = (end - g.date.min()).dt.days / 7.0
// m = g.dollars.apply(lambda s: s.iloc[1:].mean() if len(s) > 1 else 0.0)
// bg = BetaGeoFitter().fit(x, tx, T); pn = ParetoNBDFitter().fit(x, tx, T)
// rep = x > 0; gg = GammaGammaFitter().fit(x[rep], m[rep])
// pub_bg = np.log([0.2426, 4.4137, 0.7930, 2.4262])
// print(-BetaGeoFitter._negative_log_likelihood(pub_bg, x.values, tx.values, T.values,
//                                               np.ones(len(x)), 0) * len(x))
// print(ParetoNBDFitter._conditional_log_likelihood([0.553, 10.58, 0.606, 11.66],
//                                                   x.values, tx.values, T.values).sum())
// print(-GammaGammaFitter._negative_log_likelihood(np.log([6.25, 3.74, 15.44]),
//       x[rep].values, m[rep].values, np.ones(rep.sum()), 0) * rep.sum())
// print(-gg._negative_log_likelihood_ * rep.sum())
// e_bg = bg.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T)
// print(e_bg.sum())
// print(pn.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T).sum())
// print((e_bg * gg.conditional_expected_average_profit(x, m)).sum())
const BG_LL_AT_PUBLISHED: f64 = -9582.429206872293;
const PARETO_LL_AT_PUBLISHED: f64 = -9594.976409785793;
const GG_LL_AT_PUBLISHED: f64 = -4055.919232049537;
const GG_LL_FITTED: f64 = -4055.917694801872;
const BG_HOLDOUT_PURCHASES: f64 = 1653.4087241798925;
const PARETO_HOLDOUT_PURCHASES: f64 = 1665.5277073233667;
const BG_GG_HOLDOUT_SPEND: f64 = 59931.62721983057;

#[test]
fn bgnbd_reproduces_the_published_fit() {
    let customers = calibration();
    let fit = BgNbd::fit(&customers, &FitOptions::default()).expect("converges");
    let model = fit.model;
    assert_three_digits("r", model.r, 0.2426);
    assert_three_digits("alpha", model.alpha, 4.4137);
    assert_three_digits("a", model.a, 0.7930);
    assert_three_digits("b", model.b, 2.4262);
    assert_three_digits("log-likelihood", fit.log_likelihood, -9582.43);

    let published = BgNbd::new(0.2426, 4.4137, 0.7930, 2.4262).expect("valid");
    let at_published = published.log_likelihood(&customers).expect("finite");
    assert_relative("ll", at_published, BG_LL_AT_PUBLISHED, SAME_PARAMETERS);

    let holdout = total(&customers, |c| model.expected_purchases(c, HOLDOUT_WEEKS));
    assert_relative("holdout", holdout, BG_HOLDOUT_PURCHASES, REFITTED);
}

#[test]
fn pareto_nbd_reproduces_the_published_fit() {
    let customers = calibration();
    let fit = ParetoNbd::fit(&customers, &FitOptions::default()).expect("converges");
    let model = fit.model;
    assert_three_digits("r", model.r, 0.553);
    assert_three_digits("alpha", model.alpha, 10.58);
    assert_three_digits("s", model.s, 0.606);
    assert_three_digits("beta", model.beta, 11.66);
    assert_three_digits("log-likelihood", fit.log_likelihood, -9594.98);

    let published = ParetoNbd::new(0.553, 10.58, 0.606, 11.66).expect("valid");
    let at_published = published.log_likelihood(&customers).expect("finite");
    assert_relative("ll", at_published, PARETO_LL_AT_PUBLISHED, SAME_PARAMETERS);

    let holdout = total(&customers, |c| model.expected_purchases(c, HOLDOUT_WEEKS));
    assert_relative("holdout", holdout, PARETO_HOLDOUT_PURCHASES, REFITTED);
}

#[test]
fn gamma_gamma_reproduces_the_published_fit() {
    let customers = calibration();
    let fit = GammaGamma::fit(&customers, &FitOptions::default()).expect("converges");
    let model = fit.model;
    assert_three_digits("p", model.p, 6.25);
    assert_three_digits("q", model.q, 3.74);
    assert_three_digits("gamma", model.gamma, 15.44);
    assert_relative("ll", fit.log_likelihood, GG_LL_FITTED, REFITTED);

    let published = GammaGamma::new(6.25, 3.74, 15.44).expect("valid");
    let at_published = published.log_likelihood(&customers).expect("finite");
    assert_relative("ll", at_published, GG_LL_AT_PUBLISHED, SAME_PARAMETERS);

    let purchases = BgNbd::fit(&customers, &FitOptions::default()).expect("converges");
    let spend = total(&customers, |c| {
        expected_spend(&purchases.model, &model, c, HOLDOUT_WEEKS)
    });
    assert_relative("spend", spend, BG_GG_HOLDOUT_SPEND, REFITTED);
}

#[test]
fn fits_in_days_rescale_the_rates() {
    // Rates are per time unit: in days, alpha and beta grow sevenfold, the shapes stay.
    let (weeks, days) = (calibration(), calibration_in(TimeUnit::Days));
    let options = FitOptions::default();
    let in_weeks = BgNbd::fit(&weeks, &options).expect("converges").model;
    let in_days = BgNbd::fit(&days, &options).expect("converges").model;
    assert_relative("r", in_days.r, in_weeks.r, REFITTED);
    assert_relative("alpha", in_days.alpha, 7.0 * in_weeks.alpha, REFITTED);
    assert_relative("a", in_days.a, in_weeks.a, REFITTED);
    assert_relative("b", in_days.b, in_weeks.b, REFITTED);

    let in_weeks = ParetoNbd::fit(&weeks, &options).expect("converges").model;
    let in_days = ParetoNbd::fit(&days, &options).expect("converges").model;
    assert_relative("r", in_days.r, in_weeks.r, REFITTED);
    assert_relative("alpha", in_days.alpha, 7.0 * in_weeks.alpha, REFITTED);
    assert_relative("s", in_days.s, in_weeks.s, REFITTED);
    assert_relative("beta", in_days.beta, 7.0 * in_weeks.beta, REFITTED);
}

fn total(
    customers: &[CustomerSummary],
    predict: impl Fn(&CustomerSummary) -> cmltv_btyd::Result<f64>,
) -> f64 {
    customers
        .iter()
        .map(|c| predict(c).expect("a finite prediction"))
        .sum()
}
