//! Photos as `data:` URLs (how accounts and contacts keep them): base64
//! both ways, the image types browsers show (told by the bytes, never by
//! what a file claims), and the size limit for photos that arrive in files.
//! Pure: the UI crops and scales photos chosen by the practitioner itself.

use super::ids::ContactId;
use serde::{Deserialize, Serialize};

/// A contact's photo, kept apart from the contact (lists never read
/// photos); also its stored record, keyed by `contact_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPhoto {
    pub contact_id: ContactId,
    /// A `data:image/...;base64,` URL (see [`is_photo_data_url`]).
    pub data: String,
}

/// Largest photo kept from a file (decoded bytes): 1 MiB. The app's own
/// photos (192 px square JPEGs) are about 10 to 20 KiB.
pub const MAX_PHOTO_BYTES: usize = 1024 * 1024;

/// The image types every browser shows in an `<img>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageType {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl ImageType {
    /// The type the bytes start with, if any of the four.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }
}

/// Why some base64 text is not base64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base64Error {
    /// A character that is not in the alphabet, and where (its position
    /// among the characters, white space skipped, from 1).
    BadChar(char, usize),
    /// A length that no base64 text has (one character too many), or `=`
    /// padding followed by more text.
    BadLength,
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn sextet(b: u8) -> Option<u32> {
    match b {
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Decodes base64 (standard or URL-safe alphabet), skipping white space
/// (folded lines); `=` padding is optional but only at the end.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut n = 0usize;
    let mut position = 0usize;
    let mut padding = 0usize;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            continue;
        }
        position += 1;
        if c == '=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return Err(Base64Error::BadLength);
        }
        let Some(v) = u8::try_from(c).ok().and_then(sextet) else {
            return Err(Base64Error::BadChar(c, position));
        };
        acc = (acc << 6) | v;
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        0 if padding == 0 => {}
        2 if padding <= 2 => out.push((acc >> 4) as u8),
        3 if padding <= 1 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => return Err(Base64Error::BadLength),
    }
    Ok(out)
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((v >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Bytes of decoded data at most `encoded` base64 characters (white space
/// not counted) give: lets a caller refuse a huge photo before decoding it.
pub fn decoded_len_at_most(encoded: &str) -> usize {
    let chars = encoded.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    chars / 4 * 3 + (chars % 4).saturating_sub(1)
}

/// What is wrong with a photo given as base64 (or a `data:` URL).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoIssue {
    NotBase64(Base64Error),
    /// Decoded, more than [`MAX_PHOTO_BYTES`] (at least this many bytes).
    TooLarge(usize),
    /// Not a JPEG, PNG, GIF or WebP image.
    NotAnImage,
}

/// A photo from base64 text, as a `data:` URL of the type its bytes are.
pub fn photo_from_base64(text: &str) -> Result<String, PhotoIssue> {
    let at_most = decoded_len_at_most(text);
    if at_most > MAX_PHOTO_BYTES.saturating_add(2) {
        return Err(PhotoIssue::TooLarge(at_most));
    }
    let bytes = base64_decode(text).map_err(PhotoIssue::NotBase64)?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoIssue::TooLarge(bytes.len()));
    }
    let kind = ImageType::sniff(&bytes).ok_or(PhotoIssue::NotAnImage)?;
    Ok(data_url(kind, &bytes))
}

/// `data:image/png;base64,...`.
pub fn data_url(kind: ImageType, bytes: &[u8]) -> String {
    format!("data:{};base64,{}", kind.mime(), base64_encode(bytes))
}

/// The base64 part of a `data:` URL that says `;base64` (any case), if it
/// is one; `Err(())` for a `data:` URL that is not base64 (percent-encoded).
pub fn data_url_base64(url: &str) -> Option<Result<&str, ()>> {
    let head = url.get(..5)?;
    if !head.eq_ignore_ascii_case("data:") {
        return None;
    }
    let rest = &url[5..];
    let Some((meta, data)) = rest.split_once(',') else {
        return Some(Err(()));
    };
    let base64 = meta
        .rsplit(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("base64"));
    Some(if base64 { Ok(data) } else { Err(()) })
}

/// Whether `s` is a photo as Clientbook keeps them: a `data:` URL of one of
/// the four image types, in base64 (what the repository accepts).
pub fn is_photo_data_url(s: &str) -> bool {
    [ImageType::Jpeg, ImageType::Png, ImageType::Gif, ImageType::Webp]
        .iter()
        .any(|k| {
            s.strip_prefix("data:")
                .and_then(|r| r.strip_prefix(k.mime()))
                .is_some_and(|r| r.starts_with(";base64,"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(700).collect();
        for n in 0..bytes.len() {
            let text = base64_encode(&bytes[..n]);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(base64_decode(&text).unwrap(), &bytes[..n], "length {n}");
            assert!(decoded_len_at_most(&text) >= n);
            let unpadded = text.trim_end_matches('=');
            assert_eq!(base64_decode(unpadded).unwrap(), &bytes[..n], "unpadded {n}");
        }
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_encode(b"Ma"), "TWE=");
        assert_eq!(base64_encode(b"M"), "TQ==");
    }

    #[test]
    fn base64_skips_folding_and_names_bad_characters() {
        assert_eq!(base64_decode("TW\r\n Fu\tTW\nE=").unwrap(), b"ManMa");
        assert_eq!(base64_decode("TW*u"), Err(Base64Error::BadChar('*', 3)));
        assert_eq!(base64_decode("TWFuä"), Err(Base64Error::BadChar('ä', 5)));
        assert_eq!(base64_decode("TWFuT"), Err(Base64Error::BadLength));
        assert_eq!(base64_decode("TQ==TWFu"), Err(Base64Error::BadLength));
        assert_eq!(base64_decode("TQ==="), Err(Base64Error::BadLength));
        // URL-safe alphabet too.
        assert_eq!(base64_decode("-_-_").unwrap(), base64_decode("+/+/").unwrap());
    }

    #[test]
    fn images_are_told_by_their_bytes() {
        assert_eq!(ImageType::sniff(&[0xff, 0xd8, 0xff, 0xe0]), Some(ImageType::Jpeg));
        assert_eq!(ImageType::sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageType::Png));
        assert_eq!(ImageType::sniff(b"GIF89a..."), Some(ImageType::Gif));
        assert_eq!(ImageType::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageType::Webp));
        assert_eq!(ImageType::sniff(b"II*\0"), None, "TIFF");
        assert_eq!(ImageType::sniff(b"BM"), None, "BMP");
        assert_eq!(ImageType::sniff(b"<svg"), None, "SVG could run script");
        assert_eq!(ImageType::sniff(b""), None);
    }

    #[test]
    fn photos_from_base64_are_checked() {
        let png = base64_encode(b"\x89PNG\r\n\x1a\nrest");
        let url = photo_from_base64(&png).unwrap();
        assert_eq!(url, format!("data:image/png;base64,{png}"));
        assert!(is_photo_data_url(&url));
        assert_eq!(
            photo_from_base64(&base64_encode(b"%PDF-1.4")),
            Err(PhotoIssue::NotAnImage)
        );
        assert!(matches!(
            photo_from_base64("/9j/*"),
            Err(PhotoIssue::NotBase64(_))
        ));
        // Exactly the limit is kept, one byte more is not.
        let mut big = vec![0xff, 0xd8, 0xff];
        big.resize(MAX_PHOTO_BYTES, 0);
        assert!(photo_from_base64(&base64_encode(&big)).is_ok());
        big.push(0);
        assert_eq!(
            photo_from_base64(&base64_encode(&big)),
            Err(PhotoIssue::TooLarge(MAX_PHOTO_BYTES + 1))
        );
        // Far too large is refused before decoding (and even if not base64).
        let huge = "*".repeat(4 * MAX_PHOTO_BYTES);
        assert!(matches!(photo_from_base64(&huge), Err(PhotoIssue::TooLarge(_))));
    }

    #[test]
    fn data_urls() {
        assert_eq!(data_url_base64("data:image/png;base64,AAAA"), Some(Ok("AAAA")));
        assert_eq!(data_url_base64("DATA:image/png;BASE64,AAAA"), Some(Ok("AAAA")));
        assert_eq!(data_url_base64("data:image/svg+xml,%3Csvg"), Some(Err(())));
        assert_eq!(data_url_base64("data:nothing"), Some(Err(())));
        assert_eq!(data_url_base64("https://example.com/a.jpg"), None);
        assert_eq!(data_url_base64("dat"), None);
        assert!(!is_photo_data_url("data:image/svg+xml;base64,AAAA"));
        assert!(!is_photo_data_url("https://example.com/a.jpg"));
        assert!(is_photo_data_url("data:image/jpeg;base64,/9j/"));
    }
}
