//! The tree walk. Every condition it writes is two-valued (true or false, never SQL's NULL),
//! so `NOT` is an exact complement: `tag:-news`, `-tag:news` and `-(tag:news)` select the same
//! rows, and `custom_excerpt:-'x'` keeps the posts with no excerpt, as Ghost's Mongo-style
//! semantics say.

use dateline_core::nql::{CmpOp, Expr, ListKind, MatchKind, Value};
use jiff::Timestamp;

use super::fields::{self, Column, Kind, Target};
use super::{Bind, Filter, FilterError, Keys, Resource, time};

pub(super) fn compile(
    expr: &Expr,
    resource: Resource,
    first_placeholder: usize,
    now: Timestamp,
    keys: &Keys,
) -> Result<Filter, FilterError> {
    if first_placeholder == 0 {
        return Err(FilterError::new("placeholders are numbered from $1"));
    }
    let mut compiler = Compiler {
        resource,
        next: first_placeholder,
        binds: Vec::new(),
        now,
        keys,
    };
    let sql = compiler.expr(expr)?;
    Ok(Filter {
        sql,
        binds: compiler.binds,
    })
}

struct Compiler<'k> {
    resource: Resource,
    next: usize,
    binds: Vec<Bind>,
    now: Timestamp,
    keys: &'k Keys,
}

/// What a leaf asks of its column, before it is placed on the resource's own table or inside
/// a relation's subquery.
enum Test {
    /// Equal to one of these placeholders, or (`null_too`) NULL.
    AnyOf {
        placeholders: Vec<String>,
        null_too: bool,
    },
    /// `op` is `<`, `<=`, `>` or `>=`.
    Order(&'static str, String),
    /// A `LIKE` pattern's placeholder.
    Like(String),
}

impl Compiler<'_> {
    fn expr(&mut self, expr: &Expr) -> Result<String, FilterError> {
        match expr {
            Expr::And(items) => Ok(all(self.each(items)?)),
            Expr::Or(items) => Ok(any(self.each(items)?)),
            Expr::Not(inner) => Ok(format!("(NOT {})", self.expr(inner)?)),
            Expr::Cmp { field, op, value } => self.comparison(field, *op, value),
            Expr::In {
                field,
                kind,
                values,
            } => self.list(field, *kind, values),
            Expr::Match {
                field,
                kind,
                negated,
                text,
            } => self.pattern(field, *kind, *negated, text),
        }
    }

    fn each(&mut self, items: &[Expr]) -> Result<Vec<String>, FilterError> {
        items.iter().map(|item| self.expr(item)).collect()
    }

    fn comparison(&mut self, field: &str, op: CmpOp, value: &Value) -> Result<String, FilterError> {
        let target = self.target(field)?;
        let (target, test) = match op {
            CmpOp::Eq | CmpOp::Ne => {
                let (target, values) = self.keys.keyed(target, std::slice::from_ref(value));
                (target, self.any_of(field, target, &values)?)
            }
            CmpOp::Gt => (target, self.order(field, target, ">", value, false)?),
            CmpOp::Gte => (target, self.order(field, target, ">=", value, true)?),
            CmpOp::Lt => (target, self.order(field, target, "<", value, true)?),
            CmpOp::Lte => (target, self.order(field, target, "<=", value, false)?),
        };
        Ok(self.place(target, test, op == CmpOp::Ne))
    }

    fn list(
        &mut self,
        field: &str,
        kind: ListKind,
        values: &[Value],
    ) -> Result<String, FilterError> {
        let (target, values) = self.keys.keyed(self.target(field)?, values);
        let values = &*values;
        match kind {
            ListKind::AnyOf | ListKind::NoneOf => {
                let test = self.any_of(field, target, values)?;
                Ok(self.place(target, test, kind == ListKind::NoneOf))
            }
            // One test per value: on a relation each may be met by a different row.
            ListKind::AllOf => {
                let mut parts = Vec::with_capacity(values.len());
                for value in values {
                    let test = self.any_of(field, target, std::slice::from_ref(value))?;
                    parts.push(self.place(target, test, false));
                }
                Ok(all(parts))
            }
        }
    }

    fn pattern(
        &mut self,
        field: &str,
        kind: MatchKind,
        negated: bool,
        text: &str,
    ) -> Result<String, FilterError> {
        let target = self.target(field)?;
        let column = column_of(target);
        if column.kind != Kind::Text {
            return Err(FilterError::new(format!(
                "`{field}` is {}, and `~` only matches text",
                kind_name(column.kind)
            )));
        }
        let placeholder = self.push(Bind::Text(like_pattern(kind, text)));
        Ok(self.place(target, Test::Like(placeholder), negated))
    }

    fn place(&self, target: Target, test: Test, negated: bool) -> String {
        place(self.resource.table(), target, test, negated)
    }

    fn target(&self, field: &str) -> Result<Target, FilterError> {
        fields::lookup(self.resource, field).ok_or_else(|| {
            FilterError::new(format!(
                "unknown field `{field}` in filter: {} can be filtered by {}",
                self.resource.noun(),
                fields::names(self.resource).join(", ")
            ))
        })
    }

    fn push(&mut self, bind: Bind) -> String {
        let placeholder = format!("${}", self.next);
        self.next += 1;
        self.binds.push(bind);
        placeholder
    }

    fn any_of(
        &mut self,
        field: &str,
        target: Target,
        values: &[Value],
    ) -> Result<Test, FilterError> {
        let column = column_of(target);
        let mut placeholders = Vec::with_capacity(values.len());
        let mut null_too = false;
        for value in values {
            if *value == Value::Null {
                null_too = true;
            } else {
                let bind = self.bind_for(field, column, value, false)?;
                placeholders.push(self.push(bind));
            }
        }
        Ok(Test::AnyOf {
            placeholders,
            null_too,
        })
    }

    fn order(
        &mut self,
        field: &str,
        target: Target,
        op: &'static str,
        value: &Value,
        round_up: bool,
    ) -> Result<Test, FilterError> {
        let column = column_of(target);
        if *value == Value::Null {
            return Err(FilterError::new(format!(
                "`{field}:{op}null` compares with nothing: use `{field}:null` or `{field}:-null`"
            )));
        }
        if column.kind == Kind::Bool {
            return Err(FilterError::new(format!(
                "`{field}` is true or false: compare it with `:` or `:-`, not `{op}`"
            )));
        }
        let bind = self.bind_for(field, column, value, round_up)?;
        Ok(Test::Order(op, self.push(bind)))
    }

    /// The value to bind for `column`, converted to the column's kind.
    fn bind_for(
        &self,
        field: &str,
        column: Column,
        value: &Value,
        round_up: bool,
    ) -> Result<Bind, FilterError> {
        let mismatch = || {
            FilterError::new(format!(
                "`{field}` is {}, so `{value}` cannot be compared with it",
                kind_name(column.kind)
            ))
        };
        match (column.kind, value) {
            (Kind::Text, Value::Text(s) | Value::Number(s)) => Ok(Bind::Text(s.clone())),
            // `slug:true` means the word, not the boolean.
            (Kind::Text, Value::Bool(b)) => Ok(Bind::Text(b.to_string())),
            (Kind::Bool, Value::Bool(b)) => Ok(Bind::Bool(*b)),
            // Ghost on MySQL accepts 0/1 and quoted booleans; themes in the wild use them.
            (Kind::Bool, Value::Number(s) | Value::Text(s)) => match s.as_str() {
                "1" | "true" => Ok(Bind::Bool(true)),
                "0" | "false" => Ok(Bind::Bool(false)),
                _ => Err(mismatch()),
            },
            (Kind::Time, Value::Text(s)) => time::parse(s)
                .map(|t| Bind::Time(time::stored(t, round_up)))
                .ok_or_else(|| {
                    FilterError::new(format!(
                        "`{field}` is a date: `{value}` is not one (write '2025-09-01', \
                         '2025-09-01T10:30:00Z' or now-30d)"
                    ))
                }),
            (Kind::Time, Value::Relative(date)) => Ok(Bind::Time(time::stored(
                time::resolve(*date, self.now),
                round_up,
            ))),
            _ => Err(mismatch()),
        }
    }
}

fn column_of(target: Target) -> Column {
    match target {
        Target::Own(column) | Target::Related(_, column) => column,
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "text",
        Kind::Bool => "true or false",
        Kind::Time => "a date",
    }
}

/// Puts `test` where the column lives and negates it if asked.
///
/// On the resource's own table a nullable column is guarded with `IS NOT NULL` so the test
/// is never NULL. On a relation the test is "some related row passes it"; `null` there means
/// "has no related row at all" (`tags:null`: a post without tags), so its negation is "has no
/// such tag", which is what Ghost means by `tag:-news`.
///
/// Own columns are written qualified by `table`, the one the caller selects from, so they stay
/// unambiguous next to the relation subqueries.
fn place(table: &str, target: Target, test: Test, negated: bool) -> String {
    let positive = match target {
        Target::Own(column) => {
            let reference = column.reference(table);
            let guard = |condition: String| {
                if column.nullable {
                    format!("({reference} IS NOT NULL AND {condition})")
                } else {
                    format!("({condition})")
                }
            };
            match test {
                Test::AnyOf {
                    placeholders,
                    null_too,
                } => {
                    let mut parts = Vec::new();
                    if let Some(condition) = equals_any(&reference, &placeholders) {
                        parts.push(guard(condition));
                    }
                    if null_too {
                        parts.push(format!("({reference} IS NULL)"));
                    }
                    any(parts)
                }
                Test::Order(op, placeholder) => guard(format!("{reference} {op} {placeholder}")),
                Test::Like(placeholder) => guard(like(&reference, &placeholder)),
            }
        }
        Target::Related(relation, column) => {
            // A derived column is the link table's own key ([`super::keys`]).
            let reference = if column.derived {
                column.name.to_owned()
            } else {
                format!("nql_x.{}", column.name)
            };
            match test {
                Test::AnyOf {
                    placeholders,
                    null_too,
                } => {
                    let mut parts = Vec::new();
                    if let Some(condition) = equals_any(&reference, &placeholders) {
                        parts.push(relation.has_related(Some(&condition)));
                    }
                    if null_too {
                        parts.push(format!("NOT {}", relation.has_related(None)));
                    }
                    any(parts)
                }
                Test::Order(op, placeholder) => {
                    let condition = format!("{reference} {op} {placeholder}");
                    format!("({})", relation.has_related(Some(&condition)))
                }
                Test::Like(placeholder) => {
                    format!(
                        "({})",
                        relation.has_related(Some(&like(&reference, &placeholder)))
                    )
                }
            }
        }
    };
    if negated {
        format!("(NOT {positive})")
    } else {
        positive
    }
}

/// Every one of `parts`; none at all (only from a tree built in code) is true.
fn all(parts: Vec<String>) -> String {
    if parts.is_empty() {
        return "(1 = 1)".to_owned();
    }
    format!("({})", parts.join(" AND "))
}

/// Any one of `parts`; none at all (only from a tree built in code) is false.
fn any(parts: Vec<String>) -> String {
    if parts.is_empty() {
        return "(1 = 0)".to_owned();
    }
    format!("({})", parts.join(" OR "))
}

fn equals_any(reference: &str, placeholders: &[String]) -> Option<String> {
    match placeholders {
        [] => None,
        [one] => Some(format!("{reference} = {one}")),
        many => Some(format!("{reference} IN ({})", many.join(", "))),
    }
}

/// Case-insensitive as in Ghost. Both sides go through the engine's own `LOWER`, so a value
/// and a column are folded the same way on each engine.
fn like(reference: &str, placeholder: &str) -> String {
    format!("LOWER({reference}) LIKE LOWER({placeholder}) ESCAPE '\\'")
}

/// The `LIKE` pattern for `text`: `%` and `_` in the text match only themselves.
fn like_pattern(kind: MatchKind, text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    match kind {
        MatchKind::Contains => format!("%{escaped}%"),
        MatchKind::StartsWith => format!("{escaped}%"),
        MatchKind::EndsWith => format!("%{escaped}"),
    }
}
