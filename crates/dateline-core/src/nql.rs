//! Ghost's NQL, the filter language of the Content API's `filter=` parameter and of the theme
//! `{{#get}}` helper, parsed into an [`Expr`] tree. Turning a tree into SQL is the store's job
//! (`dateline_store::filter`); this module only knows the syntax, so the API, the theme helper
//! and the store all agree on what a filter says.
//!
//! ```text
//! filter     = or
//! or         = and ("," and)*                      a,b      either
//! and        = unary ("+" unary)*                  a+b      both (binds tighter than ",")
//! unary      = "-" unary | "(" or ")" | comparison -a       not
//! comparison = FIELD ":" "-"? rhs                  tag:-x   not equal
//! rhs        = ">" value | ">=" value | "<" value | "<=" value
//!            | "[" value ("," value)* "]"          any of   ("-[…]": none of)
//!            | "[" value ("+" value)+ "]"          all of
//!            | "~" text | "~^" text | "~$" text    contains, starts with, ends with
//!            | value
//! value      = null | true | false | 12 | 1.5 | now-30d | bare-word | 'quoted \' string'
//! ```
//!
//! `FIELD` is `[A-Za-z_][A-Za-z0-9_.]*` written right before its colon (`tags.slug:`). Space is
//! allowed between tokens, as in Ghost. Keywords are `null`, `NULL`, `Null` (likewise for
//! `true` and `false`). Relative dates are `now`, a sign, a whole number and one unit of `s`
//! `m` `h` `d` `w` `M` `y` (Ghost's set); they stay symbolic here and are resolved when a
//! filter is compiled. Inside quotes `\'`, `\"` and `\\` are escapes; in a bare word a
//! backslash escapes any of `'"+,()<>=[]\-~`.
//!
//! Where this differs from Ghost, it is more permissive: `-` may negate a whole comparison or
//! group (`-tag:news`, `-(a,b)`), quoted strings may be empty or hold a `"`, and `\\` gives a
//! lone backslash so that every string can be written back. The printer ([`Expr`]'s
//! `Display`) writes canonical NQL that parses back to the same tree.

mod eval;
mod parser;
mod print;
#[cfg(test)]
mod tests;
pub mod time;

use std::fmt;

pub use eval::{PostRecord, matches};

/// The longest filter accepted, in bytes: longer than any theme or API client writes, short
/// enough that a hostile one costs nothing to reject.
pub const MAX_LEN: usize = 4096;
/// How deep `(…)` groups and `-` negations may nest; the parser recurses once per level.
pub const MAX_DEPTH: usize = 32;
/// How many values one `[…]` list may hold; each becomes a bound SQL parameter.
pub const MAX_LIST: usize = 100;

/// A parsed filter. `And` and `Or` produced by [`parse`] hold at least two items; a
/// parenthesised group is not a node of its own, so `(a+b)+c` is `And[And[a, b], c]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    /// `-` before a comparison or a group.
    Not(Box<Expr>),
    /// `field:value`, `field:-value`, `field:>value`, …
    Cmp {
        field: String,
        op: CmpOp,
        value: Value,
    },
    /// `field:[a,b]`, `field:-[a,b]`, `field:[a+b]`.
    In {
        field: String,
        kind: ListKind,
        values: Vec<Value>,
    },
    /// `field:~text`, `field:~^text`, `field:~$text` and their `-~` negations.
    Match {
        field: String,
        kind: MatchKind,
        negated: bool,
        text: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `:`
    Eq,
    /// `:-`
    Ne,
    /// `:>`
    Gt,
    /// `:>=`
    Gte,
    /// `:<`
    Lt,
    /// `:<=`
    Lte,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `[a,b]`: equal to any of them (on a relation: has any of them).
    AnyOf,
    /// `-[a,b]`: equal to none of them (on a relation: has none of them).
    NoneOf,
    /// `[a+b]`: on a relation, has all of them.
    AllOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// `~`
    Contains,
    /// `~^`
    StartsWith,
    /// `~$`
    EndsWith,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Digits as written (`[0-9]+(\.[0-9]+)?`). Kept as text so that a numeric slug or id such
    /// as `007` compares exactly as typed; the compiler decides what the field needs.
    Number(String),
    /// A bare word or a quoted string, unescaped.
    Text(String),
    Relative(RelativeDate),
}

/// `now-30d`: a moment relative to when the query runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelativeDate {
    pub sign: Sign,
    pub amount: u32,
    pub unit: DateUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// `now-…`: in the past.
    Minus,
    /// `now+…`: in the future.
    Plus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}

impl DateUnit {
    /// The unit's letter in NQL; case matters (`M` months, `m` minutes).
    pub fn letter(self) -> char {
        match self {
            DateUnit::Seconds => 's',
            DateUnit::Minutes => 'm',
            DateUnit::Hours => 'h',
            DateUnit::Days => 'd',
            DateUnit::Weeks => 'w',
            DateUnit::Months => 'M',
            DateUnit::Years => 'y',
        }
    }

    fn from_letter(letter: char) -> Option<DateUnit> {
        [
            DateUnit::Seconds,
            DateUnit::Minutes,
            DateUnit::Hours,
            DateUnit::Days,
            DateUnit::Weeks,
            DateUnit::Months,
            DateUnit::Years,
        ]
        .into_iter()
        .find(|unit| unit.letter() == letter)
    }
}

/// Why a filter did not parse. `position` is the 0-based index, in characters, of where the
/// parser gave up; the message says it 1-based, as Ghost does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NqlError {
    /// What was expected and what was found instead.
    pub message: String,
    pub position: usize,
}

impl NqlError {
    fn new(position: usize, message: impl Into<String>) -> Self {
        NqlError {
            message: message.into(),
            position,
        }
    }
}

/// Ghost's wording, which clients and Ghost's own tests match on, followed by the detail.
impl fmt::Display for NqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Query Error: unexpected character in filter at char {}: {}",
            self.position + 1,
            self.message
        )
    }
}

impl std::error::Error for NqlError {}

/// Parses one filter. Input longer than [`MAX_LEN`] bytes, nested deeper than [`MAX_DEPTH`] or
/// with a list longer than [`MAX_LIST`] is refused before it can cost anything.
pub fn parse(input: &str) -> Result<Expr, NqlError> {
    parser::parse(input)
}
