//! Search normalisation: lower case, accents folded, so `muller` finds
//! `Müller` and `sofia` finds `Sofía`. Works on the Latin scripts of the
//! languages Clientbook is used in (English, German, Dutch, French, Romanian)
//! and leaves every other character as it is, lower-cased.

/// Appends the unaccented form of one lower-case character to `out`;
/// combining marks disappear.
fn fold_char(c: char, out: &mut String) {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        // Combining diacritical marks (text typed in decomposed form).
        '\u{0300}'..='\u{036f}' => "",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(base);
}

/// The normalised form of `s` used for matching and sorting.
pub fn normalize(s: &str) -> String {
    let s = s.trim();
    // Most names and every email are ASCII: lower-case them byte by byte.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lc in c.to_lowercase() {
            fold_char(lc, &mut out);
        }
    }
    out
}

/// True when every word of `query` is found in `haystack_normalized`.
pub fn matches(haystack_normalized: &str, query: &str) -> bool {
    normalize(query)
        .split_whitespace()
        .all(|w| haystack_normalized.contains(w))
}

// ----- what a search does per key --------------------------------------------
//
// The sidebar search (`listing::SearchIndex`) scans every entry of a kind
// on the first key and then only the last matches; these are its inner
// loops, written for wasm32 without SIMD, where a byte-at-a-time loop over
// the keys of 100,000 contacts (about 9 MB) costs several milliseconds.

/// Eight copies of a byte.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of every zero byte of `v`, and nothing else.
#[inline(always)]
fn zero_bytes(v: u64) -> u64 {
    const LOW7: u64 = splat(0x7f);
    !(((v & LOW7) + LOW7) | v | LOW7)
}

/// Whether `hay` holds `part` from byte `at` on. A plain loop: the release
/// build optimises for size, and a slice comparison there is a call to
/// `memcmp` even for one or two bytes.
#[inline(always)]
fn holds_at(hay: &[u8], at: usize, part: &[u8]) -> bool {
    let Some(hay) = hay.get(at..at + part.len()) else {
        return false;
    };
    let mut i = 0;
    while i < part.len() {
        if hay.get(i) != part.get(i) {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether `needle` occurs in `hay`. Looks at eight bytes at a time for
/// places where the needle's first two bytes follow each other, and
/// compares the rest only there.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let (a, b, rest) = match needle {
        [] => return true,
        [one] => return hay.contains(one),
        [a, b, rest @ ..] => (*a, *b, rest),
    };
    if hay.len() < needle.len() {
        return false;
    }
    let found_at = |p: usize| holds_at(hay, p + 2, rest);
    let (sa, sb) = (splat(a), splat(b));
    let mut i = 0;
    // Eight bytes from `i`: positions i..i + 7 can start a pair whose
    // second byte is in the same word, so the next word starts at i + 7.
    while let Some(chunk) = hay.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let mut pairs = zero_bytes(x ^ sa) & (zero_bytes(x ^ sb) >> 8);
        while pairs != 0 {
            if found_at(i + (pairs.trailing_zeros() / 8) as usize) {
                return true;
            }
            pairs &= pairs - 1;
        }
        i += 7;
    }
    while let (Some(&x), Some(&y)) = (hay.get(i), hay.get(i + 1)) {
        if x == a && y == b && found_at(i) {
            return true;
        }
        i += 1;
    }
    false
}

/// How well a normalised key matches a query whose first word is `first`:
/// 0 the key starts with it, 1 a word of the key does (it occurs right
/// after a character that is not a letter or digit), 2 it occurs only
/// elsewhere (or not at all). `first_is_word`: `first` is made of letters
/// and digits only (anything else never starts a word of a key).
pub fn rank(key: &[u8], first: &[u8], first_is_word: bool) -> u8 {
    if holds_at(key, 0, first) {
        0
    } else if first_is_word && starts_inner_word(key, first) {
        1
    } else {
        2
    }
}

/// Whether `first` (letters and digits, not empty) occurs in `key` right
/// after a character that is not a letter or digit.
fn starts_inner_word(key: &[u8], first: &[u8]) -> bool {
    let Some(&f0) = first.first() else {
        return false;
    };
    let mut p = 1;
    while p + first.len() <= key.len() {
        if key.get(p) == Some(&f0) && holds_at(key, p, first) {
            let word_start = match key.get(p - 1) {
                Some(&before) if before.is_ascii() => !before.is_ascii_alphanumeric(),
                // A letter of another script (or an accent the folding
                // left): `first` starts with a whole character, so `p` is
                // a character boundary; decode the one before it.
                _ => (p.saturating_sub(4)..p)
                    .rev()
                    .find_map(|s| std::str::from_utf8(key.get(s..p)?).ok()?.chars().next())
                    .is_some_and(|c| !c.is_alphanumeric()),
            };
            if word_start {
                return true;
            }
        }
        p += 1;
    }
    false
}

/// The first `limit` entries in the order (rank, then the order they are
/// offered in), as a full sort of every entry offered would give them
/// (ties keep the offered order): each rank keeps its first `limit`. Knows
/// which ranks can still enter, so a caller works out a rank only when it
/// could matter.
#[derive(Debug)]
pub struct TopK {
    buckets: [Vec<u32>; 3],
    limit: usize,
    /// The worst rank that can still enter (none when full).
    open: Option<u8>,
}

impl TopK {
    pub fn new(limit: usize) -> Self {
        let mut top = Self {
            buckets: Default::default(),
            limit,
            open: None,
        };
        top.update();
        top
    }

    /// Rank r can enter while fewer than `limit` are kept at r or better.
    fn update(&mut self) {
        let mut kept = 0;
        self.open = None;
        for (r, b) in (0u8..).zip(&self.buckets) {
            kept += b.len();
            if kept >= self.limit {
                break;
            }
            self.open = Some(r);
        }
    }

    /// Whether nothing more can enter.
    pub fn full(&self) -> bool {
        self.open.is_none()
    }

    /// Whether an entry of rank `rank` would enter now.
    pub fn wants(&self, rank: u8) -> bool {
        self.open.is_some_and(|open| rank <= open)
    }

    /// Offers entry `i` of rank `rank` (0 to 2).
    pub fn offer(&mut self, rank: u8, i: u32) {
        if self.wants(rank) {
            if let Some(b) = self.buckets.get_mut(usize::from(rank)) {
                b.push(i);
                self.update();
            }
        }
    }

    /// Offers entry `i` whose key is `key`, working out its rank only as
    /// far as it could still enter.
    #[inline(always)]
    pub fn offer_key(&mut self, key: &[u8], first: &[u8], first_is_word: bool, i: u32) {
        if self.full() {
        } else if holds_at(key, 0, first) {
            self.offer(0, i);
        } else if first_is_word && self.wants(1) {
            let rank = if starts_inner_word(key, first) { 1 } else { 2 };
            self.offer(rank, i);
        } else if self.wants(2) {
            self.offer(2, i);
        }
    }

    /// The entries, best first.
    pub fn take(self) -> Vec<u32> {
        let limit = self.limit;
        self.buckets.into_iter().flatten().take(limit).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(normalize("Müller"), "muller");
        assert_eq!(normalize("Sofía"), "sofia");
        assert_eq!(normalize("ȘTEFĂNESCU Țară"), "stefanescu tara");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("Œuvre Ærø"), "oeuvre aero");
        assert_eq!(normalize("  Zoë  "), "zoe");
        // Decomposed input: e + combining acute.
        assert_eq!(normalize("Jose\u{0301}"), "jose");
        // Non-Latin text is kept.
        assert_eq!(normalize("Ελένη"), "ελένη");
    }

    #[test]
    fn matches_every_word_anywhere() {
        let hay = normalize("Kate Müller kate.mueller@example.com");
        assert!(matches(&hay, "muller"));
        assert!(matches(&hay, "MÜLL kate"));
        assert!(matches(&hay, "example.com"));
        assert!(!matches(&hay, "sofia"));
    }

    /// A small deterministic generator for the tests below.
    struct Xorshift(u64);
    impl Xorshift {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    fn naive_contains(hay: &[u8], needle: &[u8]) -> bool {
        needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn contains_finds_exactly_what_a_plain_scan_finds() {
        // Few distinct bytes (some above 0x7f), so pairs and near misses are
        // everywhere, at every offset of the eight-byte words.
        let alphabet = [b'a', b'b', b'.', 0xc3, 0xa9, b'z'];
        let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let hay: Vec<u8> = (0..rng.next(40))
                .map(|_| alphabet[rng.next(alphabet.len())])
                .collect();
            let needle: Vec<u8> = if !hay.is_empty() && rng.next(2) == 0 {
                // A piece of the haystack (found), often near the end or a word edge.
                let from = rng.next(hay.len());
                hay[from..(from + 1 + rng.next(6)).min(hay.len())].to_vec()
            } else {
                (0..rng.next(6))
                    .map(|_| alphabet[rng.next(alphabet.len())])
                    .collect()
            };
            assert_eq!(
                contains(&hay, &needle),
                naive_contains(&hay, &needle),
                "{hay:?} {needle:?}"
            );
        }
        // A pair across two eight-byte words, and at the very end.
        assert!(contains(b"0123456ab", b"ab"));
        assert!(contains(b"01234567ab", b"ab"));
        assert!(contains(b"0123456789abcdefgh", b"gh"));
        assert!(!contains(b"0123456789abcdefgh", b"hg"));
        assert!(!contains(b"ab", b"abc"));
    }

    /// The rank by its definition: every place `first` occurs.
    fn naive_rank(key: &str, first: &str) -> u8 {
        if key.starts_with(first) {
            return 0;
        }
        let word = first.chars().all(char::is_alphanumeric);
        let starts_word = (1..key.len()).any(|p| {
            key.is_char_boundary(p)
                && key[p..].starts_with(first)
                && key[..p].chars().next_back().is_some_and(|c| !c.is_alphanumeric())
        });
        if word && starts_word {
            1
        } else {
            2
        }
    }

    #[test]
    fn rank_is_prefix_then_word_start_then_elsewhere() {
        let keys = [
            "muller kate",
            "kate muller",
            "mullerei acme gmbh",
            "jean-luc lefevre",
            "ελένη-ana papadopoulou",
            "ana ελένηana",
            "o'brien sean",
            "annaanna ann",
            "x2 ann",
            "kate.muller@example.com\u{1f}k.m@work.example",
            "",
        ];
        let firsts = [
            "m",
            "mu",
            "muller",
            "kate",
            "ate",
            "luc",
            "ana",
            "ελένη",
            "brien",
            "ann",
            "2",
            "x2",
            "work",
            "k.m",
            "-luc",
            "@ex",
            "e",
        ];
        for key in keys {
            for first in firsts {
                let word = first.chars().all(char::is_alphanumeric);
                assert_eq!(
                    rank(key.as_bytes(), first.as_bytes(), word),
                    naive_rank(key, first),
                    "{key:?} {first:?}"
                );
            }
        }
        assert_eq!(rank(b"kate muller", b"muller", true), 1);
        assert_eq!(rank(b"jean-luc lefevre", b"luc", true), 1);
        assert_eq!(rank("ελένη-ana".as_bytes(), b"ana", true), 1);
        assert_eq!(rank("ανναana".as_bytes(), b"ana", true), 2);
        assert_eq!(rank(b"kate muller", b"ull", true), 2);
    }

    #[test]
    fn top_k_keeps_what_a_full_sort_would() {
        let mut rng = Xorshift(77);
        for _ in 0..2_000 {
            let limit = rng.next(10);
            let ranks: Vec<u8> = (0..rng.next(60)).map(|_| rng.next(3) as u8).collect();
            let mut top = TopK::new(limit);
            for (i, &r) in ranks.iter().enumerate() {
                // Ranks are offered only when they could enter, as the search does.
                if top.wants(r) {
                    top.offer(r, i as u32);
                }
            }
            let mut sorted: Vec<u32> = (0..ranks.len() as u32).collect();
            sorted.sort_by_key(|&i| ranks[i as usize]);
            sorted.truncate(limit);
            assert_eq!(top.take(), sorted, "{ranks:?} limit {limit}");
        }
    }
}
