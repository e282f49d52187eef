//! Date formatting with moment.js format strings.
//!
//! Ghost themes pass moment.js formats to `{{date format="…"}}` (`MMM D, YYYY`, `Do MMMM`, the
//! localised `ll`), so Dateline reads the same strings rather than asking theme authors for
//! strftime. Month and weekday names follow the page's language for English, Arabic, Sorani
//! Kurdish, Persian, Hebrew, French, German and Spanish (other languages fall back to English
//! names), as Ghost's `{{date}}` follows the site's locale, and Persian and Sorani pages write
//! their own digits, as their press does. Ordinals (`Do`) and `timeago` stay English.

use std::fmt::Write;

use jiff::Zoned;

/// Ghost's default for `{{date}}` without a format.
pub(crate) const DEFAULT_FORMAT: &str = "ll";

struct LocaleNames {
    months: [&'static str; 12],
    months_short: [&'static str; 12],
    /// Sunday first, as moment counts.
    weekdays: [&'static str; 7],
    weekdays_short: [&'static str; 7],
    am_pm: [&'static str; 2],
    /// Expansions of moment's localised formats: LT, LTS, L, LL, LLL, LLLL, l, ll, lll, llll.
    long_formats: [(&'static str, &'static str); 10],
    /// The digits 0–9 when the language does not write ASCII ones.
    digits: Option<[char; 10]>,
}

const EASTERN_ARABIC_DIGITS: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];
const PERSIAN_DIGITS: [char; 10] = ['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹'];

const EN: LocaleNames = LocaleNames {
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    months_short: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    weekdays: [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ],
    weekdays_short: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    am_pm: ["AM", "PM"],
    long_formats: [
        ("LTS", "h:mm:ss A"),
        ("LT", "h:mm A"),
        ("LLLL", "dddd, MMMM D, YYYY h:mm A"),
        ("LLL", "MMMM D, YYYY h:mm A"),
        ("LL", "MMMM D, YYYY"),
        ("L", "MM/DD/YYYY"),
        ("llll", "ddd, MMM D, YYYY h:mm A"),
        ("lll", "MMM D, YYYY h:mm A"),
        ("ll", "MMM D, YYYY"),
        ("l", "M/D/YYYY"),
    ],
    digits: None,
};

const AR: LocaleNames = LocaleNames {
    months: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    months_short: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    weekdays: [
        "الأحد",
        "الإثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
    ],
    weekdays_short: ["أحد", "إثنين", "ثلاثاء", "أربعاء", "خميس", "جمعة", "سبت"],
    am_pm: ["ص", "م"],
    long_formats: [
        ("LTS", "HH:mm:ss"),
        ("LT", "HH:mm"),
        ("LLLL", "dddd D MMMM YYYY HH:mm"),
        ("LLL", "D MMMM YYYY HH:mm"),
        ("LL", "D MMMM YYYY"),
        ("L", "D/M/YYYY"),
        ("llll", "ddd D MMMM YYYY HH:mm"),
        ("lll", "D MMMM YYYY HH:mm"),
        ("ll", "D MMMM YYYY"),
        ("l", "D/M/YYYY"),
    ],
    digits: None,
};

/// Sorani Kurdish as written in Iraq's Kurdistan Region: the Syriac month names also used in
/// Iraqi Arabic.
const CKB: LocaleNames = LocaleNames {
    months: [
        "کانوونی دووەم",
        "شوبات",
        "ئازار",
        "نیسان",
        "ئایار",
        "حوزەیران",
        "تەمموز",
        "ئاب",
        "ئەیلوول",
        "تشرینی یەکەم",
        "تشرینی دووەم",
        "کانوونی یەکەم",
    ],
    months_short: [
        "کانوونی دووەم",
        "شوبات",
        "ئازار",
        "نیسان",
        "ئایار",
        "حوزەیران",
        "تەمموز",
        "ئاب",
        "ئەیلوول",
        "تشرینی یەکەم",
        "تشرینی دووەم",
        "کانوونی یەکەم",
    ],
    weekdays: [
        "یەکشەممە",
        "دووشەممە",
        "سێشەممە",
        "چوارشەممە",
        "پێنجشەممە",
        "هەینی",
        "شەممە",
    ],
    weekdays_short: [
        "یەکشەم",
        "دووشەم",
        "سێشەم",
        "چوارشەم",
        "پێنجشەم",
        "هەینی",
        "شەممە",
    ],
    am_pm: ["پ.ن", "د.ن"],
    long_formats: [
        ("LTS", "HH:mm:ss"),
        ("LT", "HH:mm"),
        ("LLLL", "dddd D MMMM YYYY HH:mm"),
        ("LLL", "D MMMM YYYY HH:mm"),
        ("LL", "D MMMM YYYY"),
        ("L", "DD/MM/YYYY"),
        ("llll", "ddd D MMMM YYYY HH:mm"),
        ("lll", "D MMMM YYYY HH:mm"),
        ("ll", "D MMMM YYYY"),
        ("l", "D/M/YYYY"),
    ],
    digits: Some(EASTERN_ARABIC_DIGITS),
};

/// Persian with the Gregorian months, as moment's `fa` writes them.
const FA: LocaleNames = LocaleNames {
    months: [
        "ژانویه",
        "فوریه",
        "مارس",
        "آوریل",
        "مه",
        "ژوئن",
        "ژوئیه",
        "اوت",
        "سپتامبر",
        "اکتبر",
        "نوامبر",
        "دسامبر",
    ],
    months_short: [
        "ژانویه",
        "فوریه",
        "مارس",
        "آوریل",
        "مه",
        "ژوئن",
        "ژوئیه",
        "اوت",
        "سپتامبر",
        "اکتبر",
        "نوامبر",
        "دسامبر",
    ],
    weekdays: [
        "یک‌شنبه",
        "دوشنبه",
        "سه‌شنبه",
        "چهارشنبه",
        "پنج‌شنبه",
        "جمعه",
        "شنبه",
    ],
    weekdays_short: [
        "یک‌شنبه",
        "دوشنبه",
        "سه‌شنبه",
        "چهارشنبه",
        "پنج‌شنبه",
        "جمعه",
        "شنبه",
    ],
    am_pm: ["قبل از ظهر", "بعد از ظهر"],
    long_formats: [
        ("LTS", "HH:mm:ss"),
        ("LT", "HH:mm"),
        ("LLLL", "dddd، D MMMM YYYY HH:mm"),
        ("LLL", "D MMMM YYYY HH:mm"),
        ("LL", "D MMMM YYYY"),
        ("L", "DD/MM/YYYY"),
        ("llll", "ddd، D MMMM YYYY HH:mm"),
        ("lll", "D MMMM YYYY HH:mm"),
        ("ll", "D MMMM YYYY"),
        ("l", "D/M/YYYY"),
    ],
    digits: Some(PERSIAN_DIGITS),
};

const HE: LocaleNames = LocaleNames {
    months: [
        "ינואר",
        "פברואר",
        "מרץ",
        "אפריל",
        "מאי",
        "יוני",
        "יולי",
        "אוגוסט",
        "ספטמבר",
        "אוקטובר",
        "נובמבר",
        "דצמבר",
    ],
    months_short: [
        "ינו׳", "פבר׳", "מרץ", "אפר׳", "מאי", "יוני", "יולי", "אוג׳", "ספט׳", "אוק׳", "נוב׳",
        "דצמ׳",
    ],
    weekdays: ["ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שבת"],
    weekdays_short: ["א׳", "ב׳", "ג׳", "ד׳", "ה׳", "ו׳", "ש׳"],
    am_pm: ["לפנה״צ", "אחה״צ"],
    long_formats: [
        ("LTS", "HH:mm:ss"),
        ("LT", "HH:mm"),
        ("LLLL", "dddd, D [ב]MMMM YYYY HH:mm"),
        ("LLL", "D [ב]MMMM YYYY HH:mm"),
        ("LL", "D [ב]MMMM YYYY"),
        ("L", "DD/MM/YYYY"),
        ("llll", "ddd, D MMM YYYY HH:mm"),
        ("lll", "D MMM YYYY HH:mm"),
        ("ll", "D MMM YYYY"),
        ("l", "D/M/YYYY"),
    ],
    digits: None,
};

/// moment's `fr` locale.
const FR: LocaleNames = LocaleNames {
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    months_short: [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ],
    weekdays: [
        "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
    ],
    weekdays_short: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    am_pm: ["AM", "PM"],
    long_formats: [
        ("LTS", "HH:mm:ss"),
        ("LT", "HH:mm"),
        ("LLLL", "dddd D MMMM YYYY HH:mm"),
        ("LLL", "D MMMM YYYY HH:mm"),
        ("LL", "D MMMM YYYY"),
        ("L", "DD/MM/YYYY"),
        ("llll", "ddd D MMM YYYY HH:mm"),
        ("lll", "D MMM YYYY HH:mm"),
        ("ll", "D MMM YYYY"),
        ("l", "D/M/YYYY"),
    ],
    digits: None,
};

/// moment's `de` locale.
const DE: LocaleNames = LocaleNames {
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    months_short: [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.",
        "Dez.",
    ],
    weekdays: [
        "Sonntag",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
    ],
    weekdays_short: ["So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa."],
    am_pm: ["AM", "PM"],
    long_formats: [
        ("LTS", "HH:mm:ss"),
        ("LT", "HH:mm"),
        ("LLLL", "dddd, D. MMMM YYYY HH:mm"),
        ("LLL", "D. MMMM YYYY HH:mm"),
        ("LL", "D. MMMM YYYY"),
        ("L", "DD.MM.YYYY"),
        ("llll", "ddd, D. MMM YYYY HH:mm"),
        ("lll", "D. MMM YYYY HH:mm"),
        ("ll", "D. MMM YYYY"),
        ("l", "D.M.YYYY"),
    ],
    digits: None,
};

/// moment's `es` locale.
const ES: LocaleNames = LocaleNames {
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    months_short: [
        "ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sep.", "oct.", "nov.",
        "dic.",
    ],
    weekdays: [
        "domingo",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
    ],
    weekdays_short: ["dom.", "lun.", "mar.", "mié.", "jue.", "vie.", "sáb."],
    am_pm: ["AM", "PM"],
    long_formats: [
        ("LTS", "H:mm:ss"),
        ("LT", "H:mm"),
        ("LLLL", "dddd, D [de] MMMM [de] YYYY H:mm"),
        ("LLL", "D [de] MMMM [de] YYYY H:mm"),
        ("LL", "D [de] MMMM [de] YYYY"),
        ("L", "DD/MM/YYYY"),
        ("llll", "ddd, D [de] MMM [de] YYYY H:mm"),
        ("lll", "D [de] MMM [de] YYYY H:mm"),
        ("ll", "D [de] MMM [de] YYYY"),
        ("l", "D/M/YYYY"),
    ],
    digits: None,
};

fn names(locale: &str) -> &'static LocaleNames {
    let primary = locale.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "ar" => &AR,
        "ckb" => &CKB,
        "fa" => &FA,
        "he" => &HE,
        "fr" => &FR,
        "de" => &DE,
        "es" => &ES,
        _ => &EN,
    }
}

/// `text` with its ASCII digits written as `locale` writes them (Persian and Sorani pages
/// use their own digits); unchanged for every other language.
pub(crate) fn localise_digits(text: String, locale: &str) -> String {
    match names(locale).digits {
        Some(digits) if text.bytes().any(|b| b.is_ascii_digit()) => text
            .chars()
            .map(|c| c.to_digit(10).map_or(c, |d| digits[d as usize]))
            .collect(),
        _ => text,
    }
}

/// Tokens in the order they must be tried: longest first, so `MMMM` is not read as `MM MM`.
const TOKENS: &[&str] = &[
    "YYYY", "MMMM", "dddd", "LLLL", "llll", "LTS", "MMM", "ddd", "LLL", "lll", "YY", "MM", "Mo",
    "DD", "Do", "dd", "HH", "hh", "mm", "ss", "ZZ", "LT", "LL", "ll", "Q", "M", "D", "d", "H", "h",
    "m", "s", "A", "a", "Z", "X", "x", "L", "l",
];

/// `time` formatted with the moment.js `format` in `locale`. Text in `[brackets]` is literal,
/// and characters that are not tokens are copied, as moment does.
pub(crate) fn format(time: &Zoned, format: &str, locale: &str) -> String {
    let names = names(locale);
    let mut out = String::with_capacity(format.len() + 8);
    write_format(&mut out, time, format, names, 0);
    localise_digits(out, locale)
}

fn write_format(out: &mut String, time: &Zoned, format: &str, names: &LocaleNames, depth: u8) {
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if c == '['
            && let Some(end) = rest.find(']')
        {
            out.push_str(&rest[1..end]);
            rest = &rest[end + 1..];
            continue;
        }
        match TOKENS.iter().find(|token| rest.starts_with(**token)) {
            Some(token) => {
                write_token(out, time, token, names, depth);
                rest = &rest[token.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
}

fn write_token(out: &mut String, time: &Zoned, token: &str, names: &LocaleNames, depth: u8) {
    let month = usize::try_from(time.month() - 1).unwrap_or(0);
    // moment counts weekdays from Sunday = 0, as jiff's `to_sunday_zero_offset` does.
    let weekday = usize::try_from(time.weekday().to_sunday_zero_offset()).unwrap_or(0);
    let hour12 = match time.hour() % 12 {
        0 => 12,
        h => h,
    };
    // Writing to a String cannot fail.
    let _ = match token {
        "YYYY" => write!(out, "{:04}", time.year()),
        "YY" => write!(out, "{:02}", time.year().rem_euclid(100)),
        "Q" => write!(out, "{}", (time.month() - 1) / 3 + 1),
        "MMMM" => write!(out, "{}", names.months[month]),
        "MMM" => write!(out, "{}", names.months_short[month]),
        "MM" => write!(out, "{:02}", time.month()),
        "Mo" => write!(out, "{}", ordinal(time.month())),
        "M" => write!(out, "{}", time.month()),
        "DD" => write!(out, "{:02}", time.day()),
        "Do" => write!(out, "{}", ordinal(time.day())),
        "D" => write!(out, "{}", time.day()),
        "dddd" => write!(out, "{}", names.weekdays[weekday]),
        "ddd" | "dd" => write!(out, "{}", names.weekdays_short[weekday]),
        "d" => write!(out, "{weekday}"),
        "HH" => write!(out, "{:02}", time.hour()),
        "H" => write!(out, "{}", time.hour()),
        "hh" => write!(out, "{hour12:02}"),
        "h" => write!(out, "{hour12}"),
        "mm" => write!(out, "{:02}", time.minute()),
        "m" => write!(out, "{}", time.minute()),
        "ss" => write!(out, "{:02}", time.second()),
        "s" => write!(out, "{}", time.second()),
        "A" => write!(out, "{}", names.am_pm[usize::from(time.hour() >= 12)]),
        "a" => write!(
            out,
            "{}",
            names.am_pm[usize::from(time.hour() >= 12)].to_lowercase()
        ),
        "Z" => write!(out, "{}", time.strftime("%:z")),
        "ZZ" => write!(out, "{}", time.strftime("%z")),
        "X" => write!(out, "{}", time.timestamp().as_second()),
        "x" => write!(out, "{}", time.timestamp().as_millisecond()),
        long => {
            // Localised formats expand to other tokens; they never nest deeper than once.
            if let Some((_, expansion)) = names.long_formats.iter().find(|(t, _)| *t == long)
                && depth == 0
            {
                write_format(out, time, expansion, names, depth + 1);
            }
            Ok(())
        }
    };
}

/// English ordinals as moment prints them: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.
fn ordinal(n: i8) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// moment's `fromNow()` in English: how long ago `then` was, seen from `now`, with moment's
/// thresholds ("a few seconds ago", "5 minutes ago", "a day ago", "2 months ago").
pub(crate) fn time_ago(then: &Zoned, now: &Zoned) -> String {
    let seconds = now.timestamp().as_second() - then.timestamp().as_second();
    let (future, seconds) = (seconds < 0, seconds.abs() as f64);
    let minutes = seconds / 60.0;
    let hours = minutes / 60.0;
    let days = hours / 24.0;
    let count = |n: f64, one: &str, unit: &str| {
        let n = n.round();
        if n <= 1.0 {
            one.to_owned()
        } else {
            format!("{n} {unit}")
        }
    };
    let span = if seconds < 45.0 {
        "a few seconds".to_owned()
    } else if seconds < 90.0 {
        "a minute".to_owned()
    } else if minutes < 45.0 {
        count(minutes, "a minute", "minutes")
    } else if minutes < 90.0 {
        "an hour".to_owned()
    } else if hours < 22.0 {
        count(hours, "an hour", "hours")
    } else if hours < 36.0 {
        "a day".to_owned()
    } else if days < 26.0 {
        count(days, "a day", "days")
    } else if days < 45.0 {
        "a month".to_owned()
    } else if days < 320.0 {
        count(days / 30.4, "a month", "months")
    } else if days < 548.0 {
        "a year".to_owned()
    } else {
        count(days / 365.25, "a year", "years")
    };
    if future {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_time() -> Zoned {
        "2025-09-08T10:30:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .in_tz("Asia/Baghdad")
            .unwrap()
    }

    #[test]
    fn ghost_default_format() {
        assert_eq!(format(&seed_time(), DEFAULT_FORMAT, "en"), "Sep 8, 2025");
    }

    #[test]
    fn tokens() {
        let t = seed_time();
        assert_eq!(
            format(&t, "YYYY-MM-DD HH:mm:ss", "en"),
            "2025-09-08 13:30:00"
        );
        assert_eq!(format(&t, "MMMM Do, YYYY", "en"), "September 8th, 2025");
        assert_eq!(format(&t, "ddd, D MMM YY", "en"), "Mon, 8 Sep 25");
        assert_eq!(format(&t, "dddd h:mm A", "en"), "Monday 1:30 PM");
        assert_eq!(
            format(&t, "DD MMM YYYY [at] HH:mm Z", "en"),
            "08 Sep 2025 at 13:30 +03:00"
        );
        assert_eq!(format(&t, "LL", "en-GB"), "September 8, 2025");
        assert_eq!(format(&t, "Q/X", "en"), "3/1757327400");
    }

    #[test]
    fn arabic_names() {
        let t = seed_time();
        assert_eq!(format(&t, "D MMMM YYYY", "ar"), "8 سبتمبر 2025");
        assert_eq!(format(&t, "ll", "ar-IQ"), "8 سبتمبر 2025");
        assert_eq!(format(&t, "dddd", "ar"), "الإثنين");
    }

    #[test]
    fn kurdish_persian_and_hebrew_names_and_digits() {
        let t = seed_time();
        assert_eq!(format(&t, "ll", "ckb"), "٨ ئەیلوول ٢٠٢٥");
        assert_eq!(format(&t, "ll", "fa-IR"), "۸ سپتامبر ۲۰۲۵");
        assert_eq!(format(&t, "LL", "he"), "8 בספטמבר 2025");
        assert_eq!(format(&t, "ll", "he"), "8 ספט׳ 2025");
        assert_eq!(format(&t, "dddd", "fa"), "دوشنبه");
        assert_eq!(localise_digits("2 min".to_owned(), "en"), "2 min");
    }

    #[test]
    fn french_german_and_spanish_names() {
        let t = seed_time();
        assert_eq!(format(&t, "ll", "fr"), "8 sept. 2025");
        assert_eq!(format(&t, "LL", "fr-FR"), "8 septembre 2025");
        assert_eq!(format(&t, "dddd", "fr"), "lundi");
        assert_eq!(format(&t, "ll", "de"), "8. Sep. 2025");
        assert_eq!(
            format(&t, "LLLL", "de-AT"),
            "Montag, 8. September 2025 13:30"
        );
        assert_eq!(format(&t, "ll", "es"), "8 de sep. de 2025");
        assert_eq!(format(&t, "LT", "es"), "13:30");
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"
            ]
        );
    }

    #[test]
    fn time_ago_uses_moment_thresholds() {
        let now = seed_time();
        let ago = |secs: i64| {
            time_ago(
                &now.checked_sub(jiff::SignedDuration::from_secs(secs))
                    .unwrap(),
                &now,
            )
        };
        assert_eq!(ago(10), "a few seconds ago");
        assert_eq!(ago(60), "a minute ago");
        assert_eq!(ago(600), "10 minutes ago");
        assert_eq!(ago(3 * 3600), "3 hours ago");
        assert_eq!(ago(30 * 3600), "a day ago");
        assert_eq!(ago(5 * 86400), "5 days ago");
        assert_eq!(ago(90 * 86400), "3 months ago");
        assert_eq!(ago(800 * 86400), "2 years ago");
        assert_eq!(ago(-600), "in 10 minutes");
    }
}
