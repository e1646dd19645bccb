//! The simulated world's categories and their effects.
//!
//! Every categorical feature value carries the coefficients that the generative story of
//! the [module docs](super) uses: how common it is, how it shifts the hidden engagement and
//! wallet of a user, and how it enters the purchase score `v_p` and the amount score `v_a`.

/// The store's price points in cents, cheapest first.
pub(crate) const PRICE_CENTS: [u64; 6] = [99, 499, 999, 1999, 4999, 9999];

/// Base probabilities of the price points before any tilt.
pub(crate) const PRICE_BASE: [f64; 6] = [0.45, 0.30, 0.13, 0.07, 0.035, 0.015];

/// Where a country sits in the market: it decides which genres monetize there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Region {
    /// Japan and Korea: role-playing and strategy games earn most.
    AsiaRich,
    /// North America, Western Europe and Australia.
    West,
    /// Large markets with low spending per user.
    Emerging,
}

impl Region {
    /// Whether spending power is high (the iOS signal matters less there).
    pub(crate) fn is_rich(self) -> bool {
        self != Region::Emerging
    }

    /// Effect of a genre in this region (`c_{region, genre}` in the module docs).
    pub(crate) fn genre_effect(self, genre: usize) -> f64 {
        const TABLE: [[f64; 6]; 3] = [
            [-0.3, -0.4, 0.8, 0.6, 0.1, 0.0],
            [0.3, 0.2, -0.2, 0.1, 0.0, 0.1],
            [0.0, 0.1, -0.5, -0.4, 0.2, 0.0],
        ];
        TABLE[self as usize][genre]
    }
}

/// A country of install.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Country {
    /// ISO 3166 code, the column's value.
    pub code: &'static str,
    /// Share of installs.
    pub weight: f64,
    /// Effect on the purchase score.
    pub purchase: f64,
    /// Effect on the amount score.
    pub amount: f64,
    /// Share of iOS devices among mid-tier phones.
    pub ios_share: f64,
    /// Market region.
    pub region: Region,
}

const fn country(
    code: &'static str,
    weight: f64,
    purchase: f64,
    amount: f64,
    ios_share: f64,
    region: Region,
) -> Country {
    Country {
        code,
        weight,
        purchase,
        amount,
        ios_share,
        region,
    }
}

/// The twelve countries.
pub(crate) const COUNTRIES: [Country; 12] = [
    country("US", 0.18, 0.30, 0.50, 0.55, Region::West),
    country("JP", 0.06, 0.50, 0.70, 0.65, Region::AsiaRich),
    country("KR", 0.04, 0.55, 0.20, 0.30, Region::AsiaRich),
    country("GB", 0.06, 0.10, 0.45, 0.50, Region::West),
    country("DE", 0.06, 0.05, 0.50, 0.38, Region::West),
    country("FR", 0.05, 0.00, 0.35, 0.35, Region::West),
    country("CA", 0.03, 0.10, 0.40, 0.55, Region::West),
    country("AU", 0.02, 0.20, 0.45, 0.55, Region::West),
    country("BR", 0.12, -0.10, -0.60, 0.12, Region::Emerging),
    country("MX", 0.08, -0.20, -0.50, 0.18, Region::Emerging),
    country("IN", 0.18, -0.60, -0.90, 0.05, Region::Emerging),
    country("ID", 0.12, -0.40, -0.80, 0.08, Region::Emerging),
];

/// An acquisition channel.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Channel {
    /// The column's value.
    pub name: &'static str,
    /// Share of installs.
    pub weight: f64,
    /// Shift of the hidden engagement.
    pub engagement: f64,
    /// Effect on the purchase score.
    pub purchase: f64,
}

/// The six channels.
pub(crate) const CHANNELS: [Channel; 6] = [
    channel("organic", 0.30, 0.10, 0.10),
    channel("paid_social", 0.25, -0.05, -0.10),
    channel("search", 0.10, 0.20, 0.20),
    channel("video_ads", 0.20, -0.25, -0.25),
    channel("influencer", 0.07, 0.00, 0.00),
    channel("cross_promo", 0.08, 0.30, 0.25),
];

const fn channel(name: &'static str, weight: f64, engagement: f64, purchase: f64) -> Channel {
    Channel {
        name,
        weight,
        engagement,
        purchase,
    }
}

/// A game genre.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Genre {
    /// The column's value.
    pub name: &'static str,
    /// Share of installs.
    pub weight: f64,
    /// Effect on the purchase score.
    pub purchase: f64,
    /// Effect on the amount score.
    pub amount: f64,
    /// Levels gained per session by a typical player.
    pub levels_per_session: f64,
    /// Slope of the purchase score in log levels (negative: fast players need no boosts).
    pub level_effect: f64,
    /// Ads watched per session by a typical player.
    pub ads_per_session: f64,
    /// Slope of the purchase score in log ad views (negative: ad watchers replace buying).
    pub ad_effect: f64,
    /// Typical session length in minutes.
    pub session_minutes: f64,
    /// Shift of friends and social actions.
    pub social: f64,
    /// Slope of the amount score in log social actions (guild play).
    pub guild: f64,
}

/// The six genres. Coefficients in order: purchase, amount, levels per session, level
/// effect, ads per session, ad effect, session minutes, social, guild.
pub(crate) const GENRES: [Genre; 6] = [
    genre(
        "puzzle",
        0.25,
        [-0.1, -0.3, 3.0, -0.8, 1.2, -0.6, 7.0, 0.0, 0.0],
    ),
    genre(
        "casual",
        0.25,
        [-0.3, -0.5, 2.0, -0.5, 1.8, -0.7, 5.0, -0.3, 0.0],
    ),
    genre(
        "rpg",
        0.15,
        [0.25, 0.35, 1.2, 0.9, 0.3, 0.5, 16.0, 0.4, 0.25],
    ),
    genre(
        "strategy",
        0.12,
        [0.3, 0.5, 0.6, 0.7, 0.2, 0.4, 14.0, 0.5, 0.3],
    ),
    genre(
        "action",
        0.13,
        [0.0, 0.0, 1.0, 0.3, 0.8, -0.2, 10.0, 0.2, 0.1],
    ),
    genre(
        "simulation",
        0.10,
        [0.05, 0.0, 0.8, 0.1, 0.6, 0.0, 12.0, 0.0, 0.0],
    ),
];

/// Builds a genre from its coefficients in field order after `weight`.
const fn genre(name: &'static str, weight: f64, c: [f64; 9]) -> Genre {
    Genre {
        name,
        weight,
        purchase: c[0],
        amount: c[1],
        levels_per_session: c[2],
        level_effect: c[3],
        ads_per_session: c[4],
        ad_effect: c[5],
        session_minutes: c[6],
        social: c[7],
        guild: c[8],
    }
}

/// A device tier.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tier {
    /// The column's value.
    pub name: &'static str,
    /// Effect on the purchase score.
    pub purchase: f64,
    /// Effect on the amount score.
    pub amount: f64,
    /// Multiplier of the country's iOS share.
    pub ios_factor: f64,
}

/// Low, mid and high tier devices.
pub(crate) const TIERS: [Tier; 3] = [
    Tier {
        name: "low",
        purchase: -0.3,
        amount: -0.35,
        ios_factor: 0.4,
    },
    Tier {
        name: "mid",
        purchase: 0.0,
        amount: 0.0,
        ios_factor: 1.0,
    },
    Tier {
        name: "high",
        purchase: 0.2,
        amount: 0.3,
        ios_factor: 1.5,
    },
];

/// Index of the high tier in [`TIERS`].
pub(crate) const HIGH_TIER: usize = 2;

/// Install weekdays (an irrelevant feature).
pub(crate) const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Index drawn from `weights` (which sum to 1) by the uniform number `u` in `[0, 1)`.
pub(crate) fn pick(weights: impl IntoIterator<Item = f64>, u: f64) -> usize {
    let mut last = 0;
    let mut cumulative = 0.0;
    for (index, weight) in weights.into_iter().enumerate() {
        cumulative += weight;
        if u < cumulative {
            return index;
        }
        last = index;
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEIGHT_TOLERANCE: f64 = 1e-9;

    #[test]
    fn weights_sum_to_one() {
        let sums = [
            COUNTRIES.iter().map(|c| c.weight).sum::<f64>(),
            CHANNELS.iter().map(|c| c.weight).sum(),
            GENRES.iter().map(|g| g.weight).sum(),
            PRICE_BASE.iter().sum(),
        ];
        for sum in sums {
            assert!((sum - 1.0).abs() < WEIGHT_TOLERANCE, "sum {sum}");
        }
    }

    #[test]
    fn pick_follows_cumulative_weights() {
        let weights = [0.2, 0.5, 0.3];
        assert_eq!(pick(weights, 0.0), 0);
        assert_eq!(pick(weights, 0.19), 0);
        assert_eq!(pick(weights, 0.2), 1);
        assert_eq!(pick(weights, 0.69), 1);
        assert_eq!(pick(weights, 0.7), 2);
        assert_eq!(pick(weights, 0.999_999_999_999), 2);
    }
}
