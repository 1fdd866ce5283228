//! Suspicious characters: text that must never be matched silently.
//!
//! A path or command carrying a NUL, a control character or an invisible
//! Unicode character does not mean what it shows: `.e\u{200B}nv` looks like
//! `.env` yet escapes a `.env` rule, a bidi override reorders what a reviewer
//! reads, and the URL parser silently drops tabs and newlines. Rather than
//! guess what such input means, the engine blocks it
//! (`input.suspicious_characters`) and names the character with
//! [`describe`]. The list is written out by hand (no Unicode tables, to keep
//! the WebAssembly build small), covering every format (`Cf`) character plus
//! the invisible fillers and selectors that render as nothing.

/// The first character in `text` that must never be silently matched, with
/// its byte offset into `text`.
///
/// Flagged: NUL, C0 and C1 control characters and DEL (tab only when
/// `allow_tab` is false); zero-width characters (U+200B-U+200D, U+2060,
/// U+FEFF, U+180E); bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E,
/// U+2066-U+2069); every other format character (general category `Cf`,
/// such as the soft hyphen U+00AD and the tag characters U+E0000-U+E007F);
/// the invisible fillers U+034F, U+115F, U+1160, U+17B4, U+17B5, U+3164,
/// U+FFA0 and U+2800; variation selectors (U+180B-U+180D, U+180F,
/// U+FE00-U+FE0F, U+E0100-U+E01EF); and the line and paragraph separators
/// U+2028 and U+2029.
#[must_use]
pub fn find_suspicious(text: &str, allow_tab: bool) -> Option<(usize, char)> {
    text.char_indices()
        .find(|&(_, c)| is_suspicious(c, allow_tab))
}

fn is_suspicious(c: char, allow_tab: bool) -> bool {
    if c == '\t' {
        return !allow_tab;
    }
    // `is_control` is general category Cc: U+0000-U+001F and U+007F-U+009F.
    c.is_control() || is_invisible(c)
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        // Format characters (general category Cf), Unicode 15.1.
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
            // Invisible marks and fillers outside Cf.
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{3164}'
            | '\u{FFA0}'
            | '\u{2800}'
            // Variation selectors.
            | '\u{180B}'..='\u{180D}'
            | '\u{180F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
            // Line breaks a reader does not see as one.
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// A human name for `c`: `"U+200B ZERO WIDTH SPACE"`, or just `"U+XXXX"`
/// (at least four upper-case hex digits) for characters without a name here.
#[must_use]
pub fn describe(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    match name(c) {
        Some(name) => format!("{code} {name}"),
        None => code,
    }
}

fn name(c: char) -> Option<String> {
    let fixed = match c {
        '\0' => "NULL",
        '\u{7}' => "BELL",
        '\u{8}' => "BACKSPACE",
        '\t' => "CHARACTER TABULATION",
        '\n' => "LINE FEED",
        '\u{B}' => "LINE TABULATION",
        '\u{C}' => "FORM FEED",
        '\r' => "CARRIAGE RETURN",
        '\u{1B}' => "ESCAPE",
        '\u{7F}' => "DELETE",
        '\u{85}' => "NEXT LINE",
        '\u{9B}' => "CONTROL SEQUENCE INTRODUCER",
        '\u{AD}' => "SOFT HYPHEN",
        '\u{34F}' => "COMBINING GRAPHEME JOINER",
        '\u{61C}' => "ARABIC LETTER MARK",
        '\u{115F}' => "HANGUL CHOSEONG FILLER",
        '\u{1160}' => "HANGUL JUNGSEONG FILLER",
        '\u{17B4}' => "KHMER VOWEL INHERENT AQ",
        '\u{17B5}' => "KHMER VOWEL INHERENT AA",
        '\u{180E}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}' => "FUNCTION APPLICATION",
        '\u{2062}' => "INVISIBLE TIMES",
        '\u{2063}' => "INVISIBLE SEPARATOR",
        '\u{2064}' => "INVISIBLE PLUS",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{2800}' => "BRAILLE PATTERN BLANK",
        '\u{3164}' => "HANGUL FILLER",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        '\u{FFA0}' => "HALFWIDTH HANGUL FILLER",
        '\u{E0001}' => "LANGUAGE TAG",
        '\u{E0020}' => "TAG SPACE",
        '\u{E007F}' => "CANCEL TAG",
        _ => return computed_name(c),
    };
    Some(fixed.to_owned())
}

/// Names that follow a pattern over a range: variation selectors and the
/// tag letters and digits used to smuggle hidden ASCII text.
fn computed_name(c: char) -> Option<String> {
    let code = u32::from(c);
    let offset = |start: u32| code.saturating_sub(start);
    match c {
        '\u{FE00}'..='\u{FE0F}' => Some(format!("VARIATION SELECTOR-{}", offset(0xFE00) + 1)),
        '\u{E0100}'..='\u{E01EF}' => Some(format!("VARIATION SELECTOR-{}", offset(0xE0100) + 17)),
        '\u{E0020}'..='\u{E007E}' => {
            let ascii = char::from_u32(offset(0xE0000))?;
            let what = if ascii.is_ascii_uppercase() {
                format!("LATIN CAPITAL LETTER {ascii}")
            } else if ascii.is_ascii_lowercase() {
                format!("LATIN SMALL LETTER {}", ascii.to_ascii_uppercase())
            } else if ascii.is_ascii_digit() {
                format!("DIGIT {}", digit_name(ascii)?)
            } else {
                return None;
            };
            Some(format!("TAG {what}"))
        }
        _ => None,
    }
}

fn digit_name(digit: char) -> Option<&'static str> {
    const NAMES: [&str; 10] = [
        "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE",
    ];
    let index = usize::try_from(digit.to_digit(10)?).ok()?;
    NAMES.get(index).copied()
}

#[cfg(test)]
mod tests {
    use super::{describe, find_suspicious};

    /// What `find_suspicious` returns: byte offset and character.
    type Found = Option<(usize, char)>;

    #[test]
    fn finds_first_suspicious_character_with_byte_offset() {
        #[rustfmt::skip]
        let cases: &[(&str, bool, Found)] = &[
            ("config/.env", false, None),
            ("", false, None),
            ("café/naïve/日本語/🦀", false, None),
            ("git push origin main", false, None),
            ("a\0b", false, Some((1, '\0'))),
            (".e\u{200B}nv", false, Some((2, '\u{200B}'))),
            ("é\u{200C}", false, Some((2, '\u{200C}'))),
            ("x\u{200D}", false, Some((1, '\u{200D}'))),
            ("x\u{2060}", false, Some((1, '\u{2060}'))),
            ("\u{FEFF}x", false, Some((0, '\u{FEFF}'))),
            ("x\u{180E}", false, Some((1, '\u{180E}'))),
            ("x\u{061C}", false, Some((1, '\u{061C}'))),
            ("x\u{200E}", false, Some((1, '\u{200E}'))),
            ("x\u{200F}", false, Some((1, '\u{200F}'))),
            ("txt.\u{202E}exe", false, Some((4, '\u{202E}'))),
            ("x\u{202A}", false, Some((1, '\u{202A}'))),
            ("x\u{2066}", false, Some((1, '\u{2066}'))),
            ("x\u{2069}", false, Some((1, '\u{2069}'))),
            ("x\u{00AD}", false, Some((1, '\u{00AD}'))),
            ("x\u{034F}", false, Some((1, '\u{034F}'))),
            ("x\u{115F}", false, Some((1, '\u{115F}'))),
            ("x\u{1160}", false, Some((1, '\u{1160}'))),
            ("x\u{17B4}", false, Some((1, '\u{17B4}'))),
            ("x\u{17B5}", false, Some((1, '\u{17B5}'))),
            ("x\u{3164}", false, Some((1, '\u{3164}'))),
            ("x\u{FFA0}", false, Some((1, '\u{FFA0}'))),
            ("x\u{E0000}", false, Some((1, '\u{E0000}'))),
            ("x\u{E0041}", false, Some((1, '\u{E0041}'))),
            ("x\u{E007F}", false, Some((1, '\u{E007F}'))),
            ("x\u{FE00}", false, Some((1, '\u{FE00}'))),
            ("x\u{FE0F}", false, Some((1, '\u{FE0F}'))),
            ("x\u{E0100}", false, Some((1, '\u{E0100}'))),
            ("x\u{2028}", false, Some((1, '\u{2028}'))),
            ("a\u{1}", false, Some((1, '\u{1}'))),
            ("a\u{1F}", false, Some((1, '\u{1F}'))),
            ("a\u{7F}", false, Some((1, '\u{7F}'))),
            ("a\u{80}", false, Some((1, '\u{80}'))),
            ("a\u{9F}", false, Some((1, '\u{9F}'))),
            ("a\nb", false, Some((1, '\n'))),
            ("a\rb", true, Some((1, '\r'))),
            ("a\tb", false, Some((1, '\t'))),
            ("a\tb", true, None),
            ("a\tb\u{200B}", true, Some((3, '\u{200B}'))),
            // Visible look-alikes are not this check's business.
            ("g\u{0456}thub", false, None),
            ("a\u{00A0}b", false, None),
            ("\u{FE10}", false, None),
            ("\u{E0080}", false, None),
        ];
        for (text, allow_tab, want) in cases {
            assert_eq!(
                find_suspicious(text, *allow_tab),
                *want,
                "find_suspicious({text:?}, {allow_tab})"
            );
        }
    }

    #[test]
    fn describes_characters() {
        let cases: &[(char, &str)] = &[
            ('\u{200B}', "U+200B ZERO WIDTH SPACE"),
            ('\0', "U+0000 NULL"),
            ('\u{7F}', "U+007F DELETE"),
            ('\u{202E}', "U+202E RIGHT-TO-LEFT OVERRIDE"),
            ('\u{FEFF}', "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
            ('\u{FE0F}', "U+FE0F VARIATION SELECTOR-16"),
            ('\u{E0100}', "U+E0100 VARIATION SELECTOR-17"),
            ('\u{E0041}', "U+E0041 TAG LATIN CAPITAL LETTER A"),
            ('\u{E0061}', "U+E0061 TAG LATIN SMALL LETTER A"),
            ('\u{E0030}', "U+E0030 TAG DIGIT ZERO"),
            ('\u{E002E}', "U+E002E"),
            ('\u{E007F}', "U+E007F CANCEL TAG"),
            ('\u{2}', "U+0002"),
            ('a', "U+0061"),
            ('\u{10FFFF}', "U+10FFFF"),
        ];
        for (c, want) in cases {
            assert_eq!(describe(*c), *want);
        }
    }

    #[test]
    fn every_flagged_character_can_be_described() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            if find_suspicious(c.encode_utf8(&mut [0; 4]), false).is_some() {
                assert!(describe(c).starts_with("U+"));
            }
        }
    }
}
