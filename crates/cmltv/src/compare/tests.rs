//! Names, splits, summaries and a small end-to-end comparison.

use super::*;
use crate::data::Column;

#[test]
fn contenders_parse_by_name() {
    assert_eq!(
        "cmltv".parse::<Contender>().unwrap(),
        Contender::Neural(ModelType::Cmltv)
    );
    assert_eq!(
        "pareto-nbd".parse::<Contender>().unwrap(),
        Contender::Probabilistic(Probabilistic::ParetoNbd)
    );
    let error = "gbm".parse::<Contender>().unwrap_err().to_string();
    assert!(error.contains("'gbm'") || error.contains("gbm"), "{error}");
    assert!(
        error.contains("bgnbd") && error.contains("mse-log"),
        "{error}"
    );
}

#[test]
fn mean_and_sample_standard_deviation() {
    let m = MeanStd::of(&[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(m.mean, 2.5);
    // numpy: np.std([1, 2, 3, 4], ddof=1) = 1.2909944487358056
    assert!((m.std - 1.2909944487358056).abs() < 1e-12);
    assert_eq!(MeanStd::of(&[7.0]).std, 0.0);
}

fn small_table() -> Table {
    let labels = (0..40)
        .map(|i| Some(if i % 4 == 0 { i as f64 } else { 0.0 }))
        .collect();
    let split = (0..40).map(|i| Some(if i % 5 == 0 { "test" } else { "train" }.to_string()));
    Table::new(
        "t.csv",
        vec![
            Column::numeric("ltv", labels),
            Column::text("part", split.collect()),
        ],
    )
    .unwrap()
}

#[test]
fn splits_by_fraction_and_by_column() {
    let table = small_table();
    let labels = read_labels(&table, "ltv").unwrap();
    let fraction = Split::TestFraction {
        fraction: 0.25,
        seed: 3,
    };
    let (train, test) = split_rows(&table, &labels, &fraction).unwrap();
    assert_eq!((train.len(), test.len()), (30, 10));
    assert_eq!(
        split_rows(&table, &labels, &fraction).unwrap().1,
        test,
        "seeded"
    );
    let (_, test) = split_rows(&table, &labels, &Split::Column("part".into())).unwrap();
    assert_eq!(test, [0, 5, 10, 15, 20, 25, 30, 35]);
    let error = split_rows(&table, &labels, &Split::Column("fold".into())).unwrap_err();
    assert!(error.to_string().contains("'fold'"), "{error}");
}

#[test]
fn probabilistic_models_need_a_horizon() {
    let spec = CompareSpec {
        contenders: vec!["bgnbd".parse().unwrap()],
        ..CompareSpec::default()
    };
    let error = validate(&spec).unwrap_err().to_string();
    assert!(error.contains("horizon_days"), "{error}");
}

/// A table of purchase summaries, one row per `(frequency, recency, age, mean spend)`.
fn summary_table(rows: &[(f64, f64, f64, f64)]) -> Table {
    let column = |name: &str, pick: fn(&(f64, f64, f64, f64)) -> f64| {
        Column::numeric(name, rows.iter().map(|r| Some(pick(r))).collect())
    };
    Table::new(
        "summary.csv",
        vec![
            column("frequency", |r| r.0),
            column("recency_weeks", |r| r.1),
            column("age_weeks", |r| r.2),
            column("mean_repeat_spend", |r| r.3),
        ],
    )
    .unwrap()
}

/// Customers of the BG/NBD process (r = 0.25, alpha = 4, a = 0.8, b = 2.4) observed for
/// 30 to 38 weeks, with gamma-distributed spend per purchase.
fn simulated_customers(count: usize) -> Vec<(f64, f64, f64, f64)> {
    use rand::RngExt;
    use rand_distr::{Beta, Distribution, Exp, Gamma};

    let mut rng = StdRng::seed_from_u64(11);
    let rate = Gamma::new(0.25, 1.0 / 4.0).unwrap();
    let dropout = Beta::new(0.8, 2.4).unwrap();
    let spend = Gamma::new(6.0, 5.0).unwrap();
    (0..count)
        .map(|i| {
            let age = 30.0 + (i % 9) as f64;
            let (lambda, p): (f64, f64) = (rate.sample(&mut rng), dropout.sample(&mut rng));
            let gap = Exp::new(lambda.max(1e-9)).unwrap();
            let (mut t, mut last, mut purchases, mut total) = (0.0, 0.0, 0.0, 0.0);
            loop {
                t += gap.sample(&mut rng);
                if t > age {
                    break;
                }
                (last, purchases) = (t, purchases + 1.0);
                total += spend.sample(&mut rng);
                if rng.random::<f64>() < p {
                    break;
                }
            }
            let mean = if purchases > 0.0 {
                total / purchases
            } else {
                0.0
            };
            (purchases, last, age, mean)
        })
        .collect()
}

/// Frequent, recent buyers are worth more than one-off or lapsed ones.
#[test]
fn probabilistic_models_rank_frequent_recent_buyers_first() {
    // Repeat buyers whose purchases netted to nothing or less are fitted and scored too.
    let mut fitting = simulated_customers(2000);
    fitting.extend([(2.0, 10.0, 30.0, 0.0), (1.0, 4.0, 31.0, -5.0)]);
    let scoring = [
        (0.0, 0.0, 30.0, 0.0),
        (6.0, 33.0, 34.0, 25.0),
        (4.0, 5.0, 32.0, 25.0),
        (2.0, 10.0, 30.0, 0.0),
    ];
    for model in Probabilistic::ALL {
        let values = model
            .predict(
                &summary_table(&fitting),
                &summary_table(&scoring),
                39.0 * 7.0,
            )
            .unwrap();
        assert!(
            values.iter().all(|v| v.is_finite() && *v > 0.0),
            "{values:?}"
        );
        assert!(
            values[1] > values[0] && values[1] > values[2],
            "{model:?}: {values:?}"
        );
    }
}

#[test]
fn a_small_comparison_runs_end_to_end() {
    let table = crate::synth::read_back(3000, 4);
    let config: TrainConfig =
        toml::from_str("epochs = 4\nbatch_size = 256\n[model]\nhidden = [16]\nhead_hidden = 8\n")
            .unwrap();
    let spec = CompareSpec {
        task: TrainTask {
            label: "ltv".into(),
            id: Some("user_id".into()),
            ignore: vec![],
        },
        contenders: vec!["cmltv".parse().unwrap(), "mse".parse().unwrap()],
        seeds: vec![1, 2],
        oracle: Some("expected_ltv".into()),
        config,
        ..CompareSpec::default()
    };
    struct Count(usize);
    impl CompareObserver for Count {
        fn on_run_done(&mut self, _: Contender, _: &Run) {
            self.0 += 1;
        }
    }
    let mut count = Count(0);
    let comparison = compare(&table, &spec, &mut count).unwrap();
    assert_eq!(count.0, 4);
    assert_eq!((comparison.train_rows, comparison.test_rows), (2400, 600));
    let names: Vec<&str> = comparison
        .contenders
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["cmltv", "mse", "oracle"]);
    let cmltv = &comparison.contenders[0];
    assert_eq!(cmltv.runs.len(), 2);
    let gini = cmltv.metrics["normalized_gini"];
    let runs: Vec<f64> = cmltv
        .runs
        .iter()
        .map(|r| r.evaluation.normalized_gini)
        .collect();
    assert_eq!(gini, MeanStd::of(&runs));
    // Against the expectation the oracle is exact, and a model's deciles are off by something.
    let oracle = &comparison.contenders[2];
    assert_eq!(oracle.metrics[EXPECTATION_DECILE_MAPE].mean, 0.0);
    let expected = &cmltv.metrics[EXPECTATION_DECILE_MAPE];
    assert!(
        expected.mean > 0.0 && expected.mean.is_finite(),
        "{expected:?}"
    );
    let markdown = comparison.to_markdown();
    assert_eq!(markdown.lines().count(), 2 + 3, "{markdown}");
    assert!(
        markdown.contains("decile MAPE vs expectation"),
        "{markdown}"
    );
    assert!(
        markdown.contains("**"),
        "a best value is marked: {markdown}"
    );
    let json: serde_json::Value = serde_json::from_str(&comparison.to_json()).unwrap();
    assert!(json["models"][0]["metrics"]["normalized_gini"]["mean"].is_f64());
}

#[test]
fn the_best_value_of_each_column_is_marked() {
    let run = |gini: f64, ratio: f64| {
        let labels = [0.0, 1.0, 3.0, 0.0];
        let mut evaluation = Evaluation::compute(&labels, &[0.1, 0.5, 0.9, 0.2]).unwrap();
        evaluation.normalized_gini = gini;
        evaluation.sum_ratio = ratio;
        Run {
            seed: 0,
            seconds: 0.0,
            evaluation,
            expectation_decile_mape: None,
        }
    };
    let comparison = Comparison {
        train_rows: 1,
        test_rows: 4,
        contenders: vec![
            ContenderResult::new("a", vec![run(0.7, 1.3)]),
            ContenderResult::new("b", vec![run(0.6, 0.95)]),
            ContenderResult::new("c", vec![run(0.699_96, 1.3)]),
            ContenderResult::new("d", vec![run(0.699_94, 1.05)]),
            ContenderResult::new("oracle", vec![run(0.9, 1.0)]),
        ],
    };
    let markdown = comparison.to_markdown();
    let row = |name: &str| {
        markdown
            .lines()
            .find(|l| l.starts_with(&format!("| {name} ")))
            .unwrap()
            .to_string()
    };
    assert!(row("a").contains("**0.7000 ± 0.0000**"), "{markdown}");
    assert!(row("b").contains("**0.9500 ± 0.0000**"), "{markdown}");
    // Equal to the best at the precision shown: marked too.
    assert!(row("c").contains("**0.7000 ± 0.0000**"), "{markdown}");
    assert!(row("d").contains("**1.0500 ± 0.0000**"), "{markdown}");
    assert!(row("d").contains("| 0.6999 ± 0.0000 |"), "{markdown}");
    assert!(!row("oracle").contains("**"), "{markdown}");
    assert!(
        !markdown.contains("vs expectation"),
        "no oracle, no expectation column: {markdown}"
    );
}
