//! Dates and numbers as each language writes them (the CLDR patterns the
//! browsers' `Intl` uses), done here in a few lines rather than through
//! `Intl` or an ICU crate: smaller, and the same natively and in tests.

use super::{lang, Lang};
use crate::domain::Timestamp;

/// The thousands separator and the decimal sign.
fn separators(lang: Lang) -> (&'static str, char) {
    match lang {
        Lang::En => (",", '.'),
        // French groups with a narrow no-break space (U+202F).
        Lang::Fr => ("\u{202f}", ','),
        Lang::De | Lang::Nl | Lang::Ro => (".", ','),
    }
}

/// A whole number with thousands separators: 1,234 / 1.234 / 1 234.
pub(super) fn number_in(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let (group, _) = separators(lang);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(group);
        }
        out.push(c);
    }
    out
}

/// A whole number in the current language.
pub fn number(n: i64) -> String {
    number_in(lang(), n)
}

/// A number rounded to `places` decimals, in the current language
/// (`12.5` / `12,5`); whole numbers get no decimals.
pub fn decimal(x: f64, places: u32) -> String {
    decimal_in(lang(), x, places)
}

fn decimal_in(lang: Lang, x: f64, places: u32) -> String {
    let scale = 10f64.powi(places as i32);
    let scaled = (x * scale).round();
    let whole = (scaled / scale).trunc();
    let frac = (scaled - whole * scale).abs() as u64;
    let mut out = number_in(lang, whole as i64);
    if x < 0.0 && whole == 0.0 && frac > 0 {
        out.insert(0, '-');
    }
    if frac > 0 {
        let (_, dec) = separators(lang);
        let text = format!("{frac:0width$}", width = places as usize);
        out.push(dec);
        out.push_str(text.trim_end_matches('0'));
    }
    out
}

/// A number with exactly `places` decimals (as it was typed: `1234.50`
/// stays `1,234.50` / `1.234,50`).
pub(super) fn fixed(x: f64, places: u32) -> String {
    let lang = lang();
    let text = format!("{:.*}", places as usize, x.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = number_in(lang, whole.parse::<i64>().unwrap_or_default());
    if x < 0.0 {
        out.insert(0, '-');
    }
    if !frac.is_empty() {
        out.push(separators(lang).1);
        out.push_str(frac);
    }
    out
}

/// A calendar date: Nov 22, 2026 / 22.11.2026 / 22-11-2026 / 22/11/2026.
pub fn date_ymd(y: i64, m: u32, d: u32) -> String {
    date_in(lang(), y, m, d)
}

fn date_in(lang: Lang, y: i64, m: u32, d: u32) -> String {
    match lang {
        Lang::En => {
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let month = MONTHS
                .get((m as usize).wrapping_sub(1))
                .copied()
                .unwrap_or_default();
            format!("{month} {d}, {y}")
        }
        Lang::De | Lang::Ro => format!("{d:02}.{m:02}.{y}"),
        Lang::Nl => format!("{d:02}-{m:02}-{y}"),
        Lang::Fr => format!("{d:02}/{m:02}/{y}"),
    }
}

/// A stored calendar date (`YYYY-MM-DD`) for reading; anything else is
/// shown as it is.
pub fn iso_date(s: &str) -> String {
    match crate::domain::time::parse_date(s) {
        Some((y, m, d)) => date_ymd(i64::from(y), m, d),
        None => s.to_owned(),
    }
}

/// The (UTC) date of a timestamp, in the current language.
pub fn date(at: Timestamp) -> String {
    let (y, m, d) = at.ymd();
    date_ymd(y, m, d)
}

/// A size in bytes, short: 340 KB, 1.2 MB (1,2 Mo in French).
pub fn bytes(n: f64) -> String {
    bytes_in(lang(), n)
}

fn bytes_in(lang: Lang, n: f64) -> String {
    // The units are locale data (CLDR short units), like the separators.
    let units: [&str; 5] = match lang {
        Lang::En | Lang::Nl => ["bytes", "KB", "MB", "GB", "TB"],
        Lang::De => ["Byte", "kB", "MB", "GB", "TB"],
        Lang::Fr => ["octets", "ko", "Mo", "Go", "To"],
        Lang::Ro => ["byți", "kB", "MB", "GB", "TB"],
    };
    let mut value = n.max(0.0);
    let mut unit = 0;
    while value >= 1000.0 && unit < 4 {
        value /= 1000.0;
        unit += 1;
    }
    let places = u32::from(unit > 0 && value < 10.0);
    let name = units[unit];
    // Ten or more: whole numbers, as before (no "12.0").
    format!("{} {name}", decimal_in(lang, value, places))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NNBSP: &str = "\u{202f}";

    #[test]
    fn numbers_group_thousands_per_language() {
        // The same as `new Intl.NumberFormat(locale).format(n)`.
        let cases = [
            (Lang::En, "1,234", "1,234,567", "12.3"),
            (Lang::De, "1.234", "1.234.567", "12,3"),
            (Lang::Nl, "1.234", "1.234.567", "12,3"),
            (Lang::Fr, "1\u{202f}234", "1\u{202f}234\u{202f}567", "12,3"),
            (Lang::Ro, "1.234", "1.234.567", "12,3"),
        ];
        for (l, thousand, million, dec) in cases {
            assert_eq!(number_in(l, 1234), thousand, "{l:?}");
            assert_eq!(number_in(l, 1_234_567), million, "{l:?}");
            assert_eq!(decimal_in(l, 12.34, 1), dec, "{l:?}");
        }
        assert_eq!(number_in(Lang::En, 0), "0");
        assert_eq!(number_in(Lang::En, 999), "999");
        assert_eq!(number_in(Lang::De, -1000), "-1.000");
        assert_eq!(number_in(Lang::Fr, 100_000), format!("100{NNBSP}000"));
        assert_eq!(decimal_in(Lang::En, 12.0, 1), "12");
        assert_eq!(decimal_in(Lang::En, 9.96, 1), "10");
        assert_eq!(decimal_in(Lang::De, 1234.5, 1), "1.234,5");
        assert_eq!(decimal_in(Lang::En, -0.5, 1), "-0.5");
    }

    #[test]
    fn dates_follow_each_language() {
        // 2026-11-22, as `Intl.DateTimeFormat` writes it (en: medium style,
        // the others: their short numeric style).
        let at = Timestamp(1_795_305_600_000);
        let (y, m, d) = at.ymd();
        let expected = [
            (Lang::En, "Nov 22, 2026"),
            (Lang::De, "22.11.2026"),
            (Lang::Nl, "22-11-2026"),
            (Lang::Fr, "22/11/2026"),
            (Lang::Ro, "22.11.2026"),
        ];
        for (l, text) in expected {
            assert_eq!(date_in(l, y, m, d), text);
        }
        assert_eq!(date_in(Lang::En, 2025, 1, 5), "Jan 5, 2025");
        assert_eq!(date_in(Lang::En, 2025, 12, 31), "Dec 31, 2025");
        assert_eq!(date_in(Lang::De, 2025, 1, 5), "05.01.2025");
        super::super::set_lang(Lang::Nl);
        assert_eq!(iso_date("2025-12-31"), "31-12-2025");
        assert_eq!(iso_date("not a date"), "not a date");
    }

    #[test]
    fn sizes_use_the_language_units_and_decimals() {
        assert_eq!(bytes_in(Lang::En, 512.0), "512 bytes");
        assert_eq!(bytes_in(Lang::En, 340_000.0), "340 KB");
        assert_eq!(bytes_in(Lang::En, 1_234_567.0), "1.2 MB");
        assert_eq!(bytes_in(Lang::De, 1_234_567.0), "1,2 MB");
        assert_eq!(bytes_in(Lang::Fr, 2_500_000_000.0), "2,5 Go");
        assert_eq!(bytes_in(Lang::Fr, 10.0), "10 octets");
    }
}
