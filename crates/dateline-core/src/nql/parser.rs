//! Recursive descent straight over the characters. NQL's tokens depend on where they stand
//! (`-` is "not" before a value but part of the word in `hash-internal`, `now-30d` is a date
//! only in value position), so the parser asks for the token it expects next instead of
//! running a context-free lexer first; that also puts every error exactly where it happens.

use super::{
    CmpOp, DateUnit, Expr, ListKind, MAX_DEPTH, MAX_LEN, MAX_LIST, MatchKind, NqlError,
    RelativeDate, Sign, Value,
};

type Result<T> = std::result::Result<T, NqlError>;

pub(super) fn parse(input: &str) -> Result<Expr> {
    if input.len() > MAX_LEN {
        let position = input
            .char_indices()
            .take_while(|(at, _)| *at < MAX_LEN)
            .count();
        return Err(NqlError::new(
            position,
            format!("the filter is longer than {MAX_LEN} bytes"),
        ));
    }
    let mut parser = Parser {
        chars: input.chars().collect(),
        pos: 0,
        depth: 0,
    };
    parser.skip_space();
    if parser.peek().is_none() {
        return Err(parser.unexpected("a filter such as `tag:news`"));
    }
    let expr = parser.or()?;
    parser.skip_space();
    if parser.peek().is_some() {
        return Err(parser.unexpected("`+`, `,` or the end of the filter"));
    }
    Ok(expr)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

/// Characters that end a bare word (besides white space): NQL's operators and quotes.
fn ends_word(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\'' | '"' | '+' | ',' | '(' | ')' | '<' | '>' | '=' | '[' | ']'
        )
}

/// A bare word cannot start with `-` or `~`: there they are operators.
fn starts_word(c: char) -> bool {
    !ends_word(c) && !matches!(c, '-' | '~')
}

fn escapable(c: char) -> bool {
    matches!(
        c,
        '\'' | '"' | '+' | ',' | '(' | ')' | '<' | '>' | '=' | '[' | ']' | '\\' | '-' | '~'
    )
}

fn starts_field(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn in_field(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// Builds `And`/`Or` only when there is something to join, so `a` stays `a`.
fn join(mut items: Vec<Expr>, node: fn(Vec<Expr>) -> Expr) -> Expr {
    if items.len() == 1
        && let Some(only) = items.pop()
    {
        return only;
    }
    node(items)
}

fn classify(word: String) -> Value {
    match word.as_str() {
        "null" | "NULL" | "Null" => Value::Null,
        "true" | "TRUE" | "True" => Value::Bool(true),
        "false" | "FALSE" | "False" => Value::Bool(false),
        _ if is_number(&word) => Value::Number(word),
        _ => Value::Text(word),
    }
}

/// `[0-9]+(\.[0-9]+)?`, as Ghost's lexer has it.
fn is_number(word: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match word.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(word),
    }
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Skips space, then consumes `c` if it comes next.
    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn unexpected(&self, expected: &str) -> NqlError {
        let found = match self.peek() {
            Some(c) => format!("`{c}`"),
            None => "the end of the filter".to_owned(),
        };
        NqlError::new(self.pos, format!("expected {expected}, found {found}"))
    }

    /// Runs `f` one level deeper, refusing to go past [`MAX_DEPTH`] so hostile input cannot
    /// exhaust the stack.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(NqlError::new(
                self.pos,
                format!("groups and negations nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Result<Expr> {
        let mut items = vec![self.and()?];
        while self.eat(',') {
            items.push(self.and()?);
        }
        Ok(join(items, Expr::Or))
    }

    fn and(&mut self) -> Result<Expr> {
        let mut items = vec![self.unary()?];
        while self.eat('+') {
            items.push(self.unary()?);
        }
        Ok(join(items, Expr::And))
    }

    fn unary(&mut self) -> Result<Expr> {
        self.skip_space();
        match self.peek() {
            Some('-') => {
                self.pos += 1;
                let inner = self.nested(Self::unary)?;
                Ok(Expr::Not(Box::new(inner)))
            }
            Some('(') => {
                let open = self.pos;
                self.pos += 1;
                let inner = self.nested(Self::or)?;
                if !self.eat(')') {
                    let expected = format!("`+`, `,` or `)` to close the `(` at char {}", open + 1);
                    return Err(self.unexpected(&expected));
                }
                Ok(inner)
            }
            _ => self.comparison(),
        }
    }

    fn comparison(&mut self) -> Result<Expr> {
        let field = self.field()?;
        let negated = self.eat('-');
        self.skip_space();
        match self.peek() {
            Some('[') => self.list(field, negated),
            Some('~') => self.pattern(field, negated),
            Some('>' | '<') if negated => Err(NqlError::new(
                self.pos,
                "`-` cannot be combined with `>` or `<`; flip the comparison instead",
            )),
            Some(c @ ('>' | '<')) => {
                self.pos += 1;
                let or_equal = self.peek() == Some('=');
                if or_equal {
                    self.pos += 1;
                }
                let op = match (c, or_equal) {
                    ('>', false) => CmpOp::Gt,
                    ('>', true) => CmpOp::Gte,
                    (_, false) => CmpOp::Lt,
                    (_, true) => CmpOp::Lte,
                };
                let value = self.value()?;
                Ok(Expr::Cmp { field, op, value })
            }
            _ => {
                let op = if negated { CmpOp::Ne } else { CmpOp::Eq };
                let value = self.value()?;
                Ok(Expr::Cmp { field, op, value })
            }
        }
    }

    /// `name:`, the colon right after the name as in Ghost's lexer.
    fn field(&mut self) -> Result<String> {
        if !self.peek().is_some_and(starts_field) {
            return Err(self.unexpected("a field such as `tag:`, `(` or `-`"));
        }
        let start = self.pos;
        while self.peek().is_some_and(in_field) {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        if self.peek() != Some(':') {
            return Err(self.unexpected(&format!("`:` right after `{name}`")));
        }
        self.pos += 1;
        Ok(name)
    }

    fn list(&mut self, field: String, negated: bool) -> Result<Expr> {
        let open = self.pos;
        self.pos += 1;
        let mut values = vec![self.value()?];
        let mut separator = None;
        loop {
            self.skip_space();
            match self.peek() {
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                Some(c @ (',' | '+')) => {
                    if separator.is_some_and(|s| s != c) {
                        return Err(NqlError::new(
                            self.pos,
                            "a list is either any of `[a,b]` or all of `[a+b]`, not both",
                        ));
                    }
                    if values.len() >= MAX_LIST {
                        return Err(NqlError::new(
                            self.pos,
                            format!("a list holds at most {MAX_LIST} values"),
                        ));
                    }
                    separator = Some(c);
                    self.pos += 1;
                    values.push(self.value()?);
                }
                _ => return Err(self.unexpected("`,`, `+` or `]`")),
            }
        }
        let kind = match (negated, separator) {
            // Ghost refuses this too: "missing at least one of" is rarely what `-` was meant
            // to say, and `-[a,b]` already says "none of".
            (true, Some('+')) => {
                return Err(NqlError::new(
                    open,
                    "`-[a+b]` is ambiguous: write `-[a,b]` for none of them",
                ));
            }
            (true, _) => ListKind::NoneOf,
            (false, Some('+')) => ListKind::AllOf,
            (false, _) => ListKind::AnyOf,
        };
        Ok(Expr::In {
            field,
            kind,
            values,
        })
    }

    fn pattern(&mut self, field: String, negated: bool) -> Result<Expr> {
        self.pos += 1;
        let kind = match self.peek() {
            Some('^') => MatchKind::StartsWith,
            Some('$') => MatchKind::EndsWith,
            _ => MatchKind::Contains,
        };
        if kind != MatchKind::Contains {
            self.pos += 1;
        }
        self.skip_space();
        let text = match self.peek() {
            Some('\'') => self.quoted()?,
            Some(c) if starts_word(c) => self.word(),
            _ => return Err(self.unexpected("the text to match")),
        };
        Ok(Expr::Match {
            field,
            kind,
            negated,
            text,
        })
    }

    fn value(&mut self) -> Result<Value> {
        self.skip_space();
        match self.peek() {
            Some('\'') => Ok(Value::Text(self.quoted()?)),
            Some('"') => Err(NqlError::new(
                self.pos,
                "strings are quoted with `'`, not `\"`",
            )),
            Some(c) if starts_word(c) => match self.relative_date()? {
                Some(date) => Ok(Value::Relative(date)),
                None => Ok(classify(self.word())),
            },
            _ => Err(self.unexpected("a value")),
        }
    }

    /// `now-30d` and friends, only when the whole token is one: `now-30days` is a word.
    fn relative_date(&mut self) -> Result<Option<RelativeDate>> {
        let is_now = ['n', 'o', 'w']
            .iter()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(*c));
        let sign = match self.peek_at(3) {
            Some('-') => Sign::Minus,
            Some('+') => Sign::Plus,
            _ => return Ok(None),
        };
        if !is_now {
            return Ok(None);
        }
        let digits_start = self.pos + 4;
        let mut end = digits_start;
        while self.chars.get(end).is_some_and(char::is_ascii_digit) {
            end += 1;
        }
        let unit = self.chars.get(end).copied().and_then(DateUnit::from_letter);
        let terminated = self
            .chars
            .get(end + 1)
            .is_none_or(|c| c.is_whitespace() || matches!(c, '+' | ',' | '(' | ')' | '[' | ']'));
        let (Some(unit), true, true) = (unit, end > digits_start, terminated) else {
            return Ok(None);
        };
        let digits: String = self.chars[digits_start..end].iter().collect();
        let amount = digits.parse::<u32>().map_err(|_| {
            NqlError::new(
                digits_start,
                format!("`{digits}` is too large for a relative date"),
            )
        })?;
        self.pos = end + 1;
        Ok(Some(RelativeDate { sign, amount, unit }))
    }

    /// A bare word, unescaped. The caller has checked that one starts here.
    fn word(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek() {
            if c == '\\'
                && let Some(next) = self.peek_at(1).filter(|n| escapable(*n))
            {
                word.push(next);
                self.pos += 2;
                continue;
            }
            if ends_word(c) {
                break;
            }
            word.push(c);
            self.pos += 1;
        }
        word
    }

    /// `'…'` with `\'`, `\"` and `\\` escapes; any other backslash is kept as written, as Ghost
    /// keeps it.
    fn quoted(&mut self) -> Result<String> {
        let open = self.pos;
        self.pos += 1;
        let mut text = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(NqlError::new(
                        open,
                        "this string is never closed: end it with `'` (write `\\'` for a quote inside)",
                    ));
                }
                Some('\'') => {
                    self.pos += 1;
                    return Ok(text);
                }
                Some('\\') => match self.peek_at(1) {
                    Some(c @ ('\'' | '"' | '\\')) => {
                        text.push(c);
                        self.pos += 2;
                    }
                    _ => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
    }
}
