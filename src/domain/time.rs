//! Timestamps: milliseconds since the Unix epoch (UTC). The clock is read by
//! the caller; this module only formats.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    /// The UTC calendar date as `YYYY-MM-DD`.
    pub fn date_iso(self) -> String {
        let days = self.0.div_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates() {
        assert_eq!(Timestamp(0).date_iso(), "1970-01-01");
        // 2024-02-29T12:00:00Z, a leap day.
        assert_eq!(Timestamp(1_709_208_000_000).date_iso(), "2024-02-29");
        assert_eq!(Timestamp(-86_400_000).date_iso(), "1969-12-31");
        // 2026-11-22T00:00:00Z
        assert_eq!(Timestamp(1_795_305_600_000).date_iso(), "2026-11-22");
    }
}
