//! Writes a tree back as NQL. Text is always quoted and groups are parenthesised only where
//! the tree needs them, so for any tree [`super::parse`] returns, parsing the printed filter
//! gives the same tree back (the property the tests check). Logs and error messages can show
//! a filter in this canonical form.

use std::fmt::{self, Display, Formatter, Write};

use super::{CmpOp, Expr, ListKind, MatchKind, RelativeDate, Sign, Value};

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::And(items) => join(f, items, '+', |item| {
                matches!(item, Expr::And(_) | Expr::Or(_))
            }),
            // `a+b,c` already reads as (a+b),c; only an `Or` inside an `Or` needs parentheses
            // to stay a node of its own.
            Expr::Or(items) => join(f, items, ',', |item| matches!(item, Expr::Or(_))),
            Expr::Not(inner) => match inner.as_ref() {
                Expr::And(_) | Expr::Or(_) => write!(f, "-({inner})"),
                _ => write!(f, "-{inner}"),
            },
            Expr::Cmp { field, op, value } => {
                let op = match op {
                    CmpOp::Eq => "",
                    CmpOp::Ne => "-",
                    CmpOp::Gt => ">",
                    CmpOp::Gte => ">=",
                    CmpOp::Lt => "<",
                    CmpOp::Lte => "<=",
                };
                write!(f, "{field}:{op}{value}")
            }
            Expr::In {
                field,
                kind,
                values,
            } => {
                let (negation, separator) = match kind {
                    ListKind::AnyOf => ("", ','),
                    ListKind::NoneOf => ("-", ','),
                    ListKind::AllOf => ("", '+'),
                };
                write!(f, "{field}:{negation}[")?;
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_char(separator)?;
                    }
                    write!(f, "{value}")?;
                }
                f.write_char(']')
            }
            Expr::Match {
                field,
                kind,
                negated,
                text,
            } => {
                let negation = if *negated { "-" } else { "" };
                let op = match kind {
                    MatchKind::Contains => "~",
                    MatchKind::StartsWith => "~^",
                    MatchKind::EndsWith => "~$",
                };
                write!(f, "{field}:{negation}{op}")?;
                quote(f, text)
            }
        }
    }
}

fn join(
    f: &mut Formatter<'_>,
    items: &[Expr],
    separator: char,
    needs_group: fn(&Expr) -> bool,
) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_char(separator)?;
        }
        if needs_group(item) {
            write!(f, "({item})")?;
        } else {
            write!(f, "{item}")?;
        }
    }
    Ok(())
}

impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(digits) => f.write_str(digits),
            Value::Text(text) => quote(f, text),
            Value::Relative(date) => write!(f, "{date}"),
        }
    }
}

impl Display for RelativeDate {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let sign = match self.sign {
            Sign::Minus => '-',
            Sign::Plus => '+',
        };
        write!(f, "now{sign}{}{}", self.amount, self.unit.letter())
    }
}

fn quote(f: &mut Formatter<'_>, text: &str) -> fmt::Result {
    f.write_char('\'')?;
    for c in text.chars() {
        if matches!(c, '\'' | '\\') {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
    }
    f.write_char('\'')
}
