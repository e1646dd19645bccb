//! One simulated user's observation week: the feature columns.
//!
//! Two hidden traits, never written out, shape the features: engagement `u` (how much the
//! user plays) and wallet `z` (how willing and able to pay). The [module docs](super) give
//! the formulas.

use super::catalog::{CHANNELS, COUNTRIES, Country, GENRES, Genre, TIERS, pick};
use super::draw::{UserRng, bernoulli, normal, poisson, sigmoid, uniform};
use super::price::{price_probabilities, spend_cents};

/// Share of rows whose play time is missing (a tracking gap).
pub(crate) const PLAYTIME_MISSING_RATE: f64 = 0.03;

/// Share of rows whose friend count is missing (the social login was skipped).
pub(crate) const FRIENDS_MISSING_RATE: f64 = 0.05;

/// Everything observed about a user in the first week, as indices and counts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct User {
    /// Index into [`COUNTRIES`].
    pub country: usize,
    /// Index into [`CHANNELS`].
    pub channel: usize,
    /// Index into [`TIERS`].
    pub tier: usize,
    /// Whether the device runs iOS.
    pub ios: bool,
    /// Index into [`GENRES`].
    pub genre: usize,
    /// Index into [`WEEKDAYS`](super::catalog::WEEKDAYS).
    pub weekday: usize,
    /// Local hour of install, 0..=23.
    pub install_hour: u32,
    /// Days with a session, 1..=7.
    pub days_active: u32,
    /// Sessions in the week, at least one a day active.
    pub sessions: u64,
    /// Minutes played, to 0.1; `None` when not tracked.
    pub playtime_minutes: Option<f64>,
    /// Highest level reached.
    pub max_level: u64,
    /// Whether the tutorial was finished.
    pub tutorial_completed: bool,
    /// Rewarded and interstitial ads watched.
    pub ad_views: u64,
    /// Friends added; `None` without a social login.
    pub friends_added: Option<u64>,
    /// Chat messages, gifts and guild actions.
    pub social_actions: u64,
    /// Times the shop was opened.
    pub store_visits: u64,
    /// Purchases in the week.
    pub early_purchases: u64,
    /// Their total in cents.
    pub early_spend_cents: u64,
    /// Whether push notifications were allowed.
    pub push_opt_in: bool,
    /// Free storage on the device in GB, to 0.1 (an irrelevant feature).
    pub storage_free_gb: f64,
}

/// The hidden traits and categories drawn first.
struct Profile {
    engagement: f64,
    wallet: f64,
    country: usize,
    channel: usize,
    genre: usize,
}

impl User {
    /// Draws a user's week from its feature stream.
    pub(crate) fn draw(rng: &mut UserRng) -> User {
        let profile = draw_profile(rng);
        let (tier, ios) = draw_device(rng, &profile);
        let mut user = draw_play(rng, &profile, tier, ios);
        draw_spending(rng, &profile, &mut user);
        user
    }

    /// The user's country.
    pub(crate) fn country(&self) -> &'static Country {
        &COUNTRIES[self.country]
    }

    /// The user's game genre.
    pub(crate) fn genre(&self) -> &'static Genre {
        &GENRES[self.genre]
    }

    /// Early spend in dollars.
    pub(crate) fn early_spend(&self) -> f64 {
        self.early_spend_cents as f64 / 100.0
    }
}

/// Categories and the hidden engagement and wallet.
fn draw_profile(rng: &mut UserRng) -> Profile {
    let country = pick(COUNTRIES.iter().map(|c| c.weight), uniform(rng));
    let channel = pick(CHANNELS.iter().map(|c| c.weight), uniform(rng));
    let genre = pick(GENRES.iter().map(|g| g.weight), uniform(rng));
    let engagement = normal(rng) + CHANNELS[channel].engagement;
    let wallet = 0.3 * engagement + 0.91_f64.sqrt() * normal(rng);
    Profile {
        engagement,
        wallet,
        country,
        channel,
        genre,
    }
}

/// Device tier (richer users and countries have better phones) and operating system.
fn draw_device(rng: &mut UserRng, profile: &Profile) -> (usize, bool) {
    let country = &COUNTRIES[profile.country];
    let quality = country.purchase + 0.5 * profile.wallet + normal(rng);
    let tier = if quality < -0.5 {
        0
    } else if quality > 0.7 {
        2
    } else {
        1
    };
    let ios_share = (country.ios_share * TIERS[tier].ios_factor).min(0.95);
    (tier, bernoulli(rng, ios_share))
}

/// Activity in the week, driven by engagement and the genre's rhythm.
fn draw_play(rng: &mut UserRng, profile: &Profile, tier: usize, ios: bool) -> User {
    let (u, z) = (profile.engagement, profile.wallet);
    let genre = &GENRES[profile.genre];
    let days_active = 1
        + (0..6)
            .filter(|_| bernoulli(rng, sigmoid(0.1 + 0.9 * u)))
            .count();
    let days = days_active as f64;
    let sessions = days_active as u64 + poisson(rng, days * (0.2 + 0.45 * u).exp());
    let s = sessions as f64;
    let minutes = s * (genre.session_minutes.ln() + 0.25 * u + 0.5 * normal(rng)).exp();
    let playtime_minutes = round_tenth(minutes);
    let level_rate = genre.levels_per_session * (0.3 * u + 0.3 * normal(rng)).exp();
    let max_level = 1 + poisson(rng, s * level_rate);
    let tutorial_completed = bernoulli(rng, sigmoid(1.2 + 0.9 * u));
    let ad_rate = genre.ads_per_session * (-0.3 * z + 0.6 * normal(rng)).exp();
    let ad_views = poisson(rng, s * ad_rate);
    let friends_added = poisson(rng, (-0.6 + 0.5 * u + genre.social).exp());
    let social_actions = poisson(rng, (0.3 + 0.6 * u + genre.social).exp());
    let store_visits = poisson(rng, s * 0.08 * (0.5 * z + 0.2 * u).exp());
    let push_logit = if ios { -0.3 } else { 1.0 };
    let push_opt_in = bernoulli(rng, sigmoid(push_logit + 0.3 * u));
    User {
        country: profile.country,
        channel: profile.channel,
        tier,
        ios,
        genre: profile.genre,
        weekday: pick([1.0 / 7.0; 7], uniform(rng)),
        install_hour: (18.0 + 5.0 * normal(rng)).round().rem_euclid(24.0) as u32,
        days_active: days_active as u32,
        sessions,
        playtime_minutes: (!bernoulli(rng, PLAYTIME_MISSING_RATE)).then_some(playtime_minutes),
        max_level,
        tutorial_completed,
        ad_views,
        friends_added: (!bernoulli(rng, FRIENDS_MISSING_RATE)).then_some(friends_added),
        social_actions,
        store_visits,
        early_purchases: 0,
        early_spend_cents: 0,
        push_opt_in,
        storage_free_gb: round_tenth((12.0_f64.ln() + 0.8 * normal(rng)).exp()),
    }
}

/// Purchases in the week: rare, more common for rich wallets and rich countries.
fn draw_spending(rng: &mut UserRng, profile: &Profile, user: &mut User) {
    let (u, z) = (profile.engagement, profile.wallet);
    let country = &COUNTRIES[profile.country];
    let rate = (-4.2 + z + 0.3 * u + 0.6 * country.purchase).exp();
    user.early_purchases = poisson(rng, rate);
    let probabilities = price_probabilities(0.3 * z);
    user.early_spend_cents = spend_cents(rng, user.early_purchases, &probabilities);
}

/// `x` rounded to one decimal.
fn round_tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::draw::user_rng;

    #[test]
    fn users_are_consistent() {
        for index in 0..2_000 {
            let user = User::draw(&mut user_rng(11, index, 0));
            assert!((1..=7).contains(&user.days_active));
            assert!(user.sessions >= u64::from(user.days_active));
            assert!(user.max_level >= 1);
            assert!(user.install_hour < 24);
            assert_eq!(user.early_purchases == 0, user.early_spend_cents == 0);
            if let Some(minutes) = user.playtime_minutes {
                assert!(minutes >= 0.0 && minutes.is_finite());
            }
        }
    }
}
