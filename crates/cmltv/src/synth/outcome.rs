//! Spending in the horizon: the label's law given the features, and its exact mean.
//!
//! The features enter only through two scores, the purchase score `v_p` and the amount score
//! `v_a` ([`Scores`]); everything else the law draws is independent of the features, so
//! [`SpendingLaw::expected_value`] is `E[ltv | features]` in closed form. The
//! [module docs](super) give the formulas.

use super::catalog::{CHANNELS, HIGH_TIER, TIERS};
use super::draw::{UserRng, bernoulli, negative_binomial, sigmoid};
use super::price::{mean_price, price_probabilities, spend_cents};
use super::user::User;

/// Engagement above this level starts to multiply the wallet part (`e0`).
const ENGAGEMENT_KNEE: f64 = 1.5;
/// Wallet above this level starts to multiply the engagement part (`w0`).
const WALLET_KNEE: f64 = 0.3;
/// Strength of the engagement-wallet interaction (`kappa`).
const INTERACTION: f64 = 1.0;

/// Gamma shape of a regular payer's extra purchases.
pub(crate) const REGULAR_SHAPE: f64 = 2.0;
/// Gamma shape of a whale's extra purchases (a longer tail).
pub(crate) const WHALE_SHAPE: f64 = 1.2;
/// How much dearer a whale's packs are, as a price tilt.
pub(crate) const WHALE_TILT: f64 = 0.9;

/// The two scores through which the features act on spending.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scores {
    /// `v_p`: drives whether the user pays at all.
    pub purchase: f64,
    /// `v_a`: drives how much a payer spends.
    pub amount: f64,
}

impl Scores {
    /// The scores of a user's observed features.
    pub(crate) fn of(user: &User) -> Scores {
        let engagement = engagement_part(user);
        let wallet = wallet_part(user);
        let interaction =
            INTERACTION * (engagement - ENGAGEMENT_KNEE).max(0.0) * (wallet - WALLET_KNEE).max(0.0);
        let region_genre = user.country().region.genre_effect(user.genre);
        let categories = CHANNELS[user.channel].purchase + user.genre().purchase;
        Scores {
            purchase: region_genre + engagement + wallet + categories + interaction,
            amount: 0.6 * region_genre + amount_part(user),
        }
    }
}

/// Play that predicts paying: retention, session rhythm, progress, tutorial, friends.
fn engagement_part(user: &User) -> f64 {
    let genre = user.genre();
    let days = f64::from(user.days_active);
    let sessions = user.sessions as f64;
    let retention = 1.6 * sigmoid(3.0 * (days - 4.5));
    let rhythm = user.playtime_minutes.map_or(0.0, |minutes| {
        let per_session = (minutes / sessions).max(0.1);
        -0.8 * (per_session / genre.session_minutes).ln().powi(2)
    });
    let typical_level = 7.0 * genre.levels_per_session;
    let progress = genre.level_effect * ((user.max_level as f64).ln_1p() - typical_level.ln_1p());
    let tutorial = if user.tutorial_completed && user.days_active >= 3 {
        0.4
    } else {
        0.0
    };
    let friends = user
        .friends_added
        .map_or(0.0, |friends| 0.3 * sigmoid(friends as f64 - 2.0));
    retention + 0.25 * sessions.ln_1p() + rhythm + progress + tutorial + friends
}

/// Signals of money: country, device, ads instead of purchases, shop visits, early buying.
fn wallet_part(user: &User) -> f64 {
    let genre = user.genre();
    let country = user.country();
    let ios = match (user.ios, country.region.is_rich()) {
        (true, false) => 0.9,
        _ => 0.0,
    };
    let typical_ads = 14.0 * genre.ads_per_session;
    let ads = genre.ad_effect * ((user.ad_views as f64).ln_1p() - typical_ads.ln_1p());
    let store = 0.2 * (user.store_visits as f64).ln_1p();
    let early = if user.early_purchases > 0 { 0.9 } else { 0.0 };
    let push = if user.push_opt_in { 0.15 } else { 0.0 };
    country.purchase + TIERS[user.tier].purchase + ios + ads + store + early + push
}

/// What sets a payer's budget: country, device, genre, early spend, guild play.
fn amount_part(user: &User) -> f64 {
    let country = user.country();
    let genre = user.genre();
    let high_tier = user.tier == HIGH_TIER;
    let rich_device = if high_tier && country.region.is_rich() {
        0.4
    } else {
        0.0
    };
    let store = if high_tier {
        0.3 * (user.store_visits as f64).ln_1p()
    } else {
        0.0
    };
    let guild = genre.guild * (user.social_actions as f64).ln_1p();
    let early = 0.3 * user.early_spend().ln_1p();
    country.amount + TIERS[user.tier].amount + rich_device + genre.amount + early + guild + store
}

/// The two intercepts fitted so that payers and whales are as common as asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Intercepts {
    /// `alpha`: shifts the purchase probability.
    pub purchase: f64,
    /// `beta`: shifts the whale probability.
    pub whale: f64,
}

/// One user's spending law in the horizon, fixed by the features.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SpendingLaw {
    /// `pi`: probability of paying at all.
    pub pay_probability: f64,
    /// `omega`: probability that a payer is a whale.
    pub whale_probability: f64,
    /// `lambda`: mean extra purchases of a regular payer.
    pub regular_extra: f64,
    /// `lambda_w`: mean extra purchases of a whale.
    pub whale_extra: f64,
    /// Price probabilities of a regular payer.
    pub regular_prices: [f64; 6],
    /// Price probabilities of a whale.
    pub whale_prices: [f64; 6],
}

impl SpendingLaw {
    /// The law for these scores under these intercepts.
    pub(crate) fn new(scores: Scores, intercepts: Intercepts) -> SpendingLaw {
        let amount = scores.amount;
        let tilt = 0.35 * amount;
        SpendingLaw {
            pay_probability: sigmoid(intercepts.purchase + scores.purchase),
            whale_probability: sigmoid(intercepts.whale + amount),
            regular_extra: (0.8 * (0.5 * amount).exp()).clamp(0.05, 12.0),
            whale_extra: (8.0 * (0.25 * amount).exp()).min(100.0),
            regular_prices: price_probabilities(tilt),
            whale_prices: price_probabilities(tilt + WHALE_TILT),
        }
    }

    /// `E[ltv | features]` in dollars.
    pub(crate) fn expected_value(&self) -> f64 {
        let regular = (1.0 + self.regular_extra) * mean_price(&self.regular_prices);
        let whale = (1.0 + self.whale_extra) * mean_price(&self.whale_prices);
        let omega = self.whale_probability;
        self.pay_probability * ((1.0 - omega) * regular + omega * whale)
    }

    /// Draws the spend in cents from the outcome stream.
    pub(crate) fn draw_cents(&self, rng: &mut UserRng) -> u64 {
        if !bernoulli(rng, self.pay_probability) {
            return 0;
        }
        let (extra, shape, prices) = if bernoulli(rng, self.whale_probability) {
            (self.whale_extra, WHALE_SHAPE, &self.whale_prices)
        } else {
            (self.regular_extra, REGULAR_SHAPE, &self.regular_prices)
        };
        let count = 1 + negative_binomial(rng, extra, shape);
        spend_cents(rng, count, prices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::draw::user_rng;

    /// Outcome draws per law; the mean's standard error is then about 1 % of it or less.
    const DRAWS: u64 = 400_000;
    /// Largest accepted |z| of the sample mean against the closed form (over 12 checks).
    const Z_LIMIT: f64 = 4.0;

    fn laws() -> Vec<SpendingLaw> {
        let intercepts = Intercepts {
            purchase: -2.0,
            whale: -3.0,
        };
        (0..12)
            .map(|index| {
                let user = User::draw(&mut user_rng(5, index, 0));
                let mut scores = Scores::of(&user);
                // Spread the amount score over its realistic range.
                scores.amount = -2.0 + 0.4 * index as f64;
                SpendingLaw::new(scores, intercepts)
            })
            .collect()
    }

    #[test]
    fn sample_mean_of_the_law_matches_the_closed_form() {
        for (index, law) in laws().into_iter().enumerate() {
            let mut rng = user_rng(99, index as u64, 1);
            let draws: Vec<f64> = (0..DRAWS)
                .map(|_| law.draw_cents(&mut rng) as f64 / 100.0)
                .collect();
            let (mean, error) = mean_and_standard_error(&draws);
            let z = (mean - law.expected_value()) / error;
            assert!(
                z.abs() < Z_LIMIT,
                "law {index}: mean {mean}, z {z}, {law:?}"
            );
        }
    }

    fn mean_and_standard_error(values: &[f64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, (variance / n).sqrt())
    }

    #[test]
    fn scores_use_every_relevant_feature() {
        let user = User::draw(&mut user_rng(5, 3, 0));
        let base = Scores::of(&user);
        let changed = [
            User {
                days_active: user.days_active % 7 + 1,
                ..user.clone()
            },
            User {
                early_spend_cents: user.early_spend_cents + 999,
                ..user.clone()
            },
            User {
                genre: (user.genre + 1) % 6,
                ..user.clone()
            },
        ];
        for other in changed {
            assert_ne!(Scores::of(&other), base);
        }
        let irrelevant = User {
            install_hour: (user.install_hour + 5) % 24,
            weekday: (user.weekday + 1) % 7,
            storage_free_gb: user.storage_free_gb + 10.0,
            ..user.clone()
        };
        assert_eq!(Scores::of(&irrelevant), base);
    }
}
