//! What a GraphQL document may cost, measured before anything runs.
//!
//! A request is measured in three passes, each linear in what the client sent: a lexical scan
//! (size, tokens, bracket nesting: the parser recurses, so deep nesting must be refused before
//! it runs), the parse, and one walk over the operation in which every fragment is measured
//! once and then reused, so that `...F24` built from doubling fragments costs a few hundred
//! steps to measure, not 2^24. Every figure saturates instead of overflowing.
//!
//! The complexity of a field is 1 for each object it may return, times the size of the lists
//! above it; leaves are free, since they come with their object's row. A connection or list
//! costs its page size (`first`/`last`/`limit`, or the default page) times its children; a
//! list the query cannot size (aliases, path steps) counts as [`UNSIZED_LIST`]. The reasoning
//! fields also cost the rows they may read: see [`reads`].

use std::collections::HashMap;

use async_graphql::Variables;
use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, Field, OperationDefinition, Selection,
    SelectionSet, ServiceDocument, Type, TypeKind, TypeSystemDefinition,
};
use async_graphql::parser::{Positioned, parse_query, parse_schema};
use async_graphql::{Name, Value};
use async_graphql_value::Value as DocValue;

use super::connection::DEFAULT_PAGE;

/// How many items a list the query does not size is taken to hold.
pub const UNSIZED_LIST: u64 = 10;
/// How deeply brackets may nest in a document: the parser refuses more than 64 selection
/// levels, and values (lists of lists) must not drive it deeper.
const MAX_NESTING: usize = 64;

/// The limits one class of client (anonymous readers or editors) works within.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryLimits {
    /// Bytes of query text.
    pub query_bytes: usize,
    /// Lexical tokens in the query text.
    pub tokens: usize,
    /// Nesting of selections.
    pub depth: usize,
    /// Fields after every fragment spread is expanded.
    pub fields: u64,
    /// Aliased fields after expansion.
    pub aliases: u64,
    /// Directives on one field, fragment or operation.
    pub directives: usize,
    /// Complexity: objects the query may return plus rows its reasoning fields may read.
    pub complexity: u64,
    /// Distinct words in one `search` query.
    pub search_terms: usize,
}

impl QueryLimits {
    /// The defaults for anonymous readers. The README's headline query costs about 820,000
    /// (three nested connections of the default 50 and the stances of their claims, a test
    /// keeps the figure); a hostile document costs far more.
    pub fn anonymous() -> QueryLimits {
        QueryLimits {
            query_bytes: 64 * 1024,
            tokens: 10_000,
            depth: 32,
            fields: 5_000,
            aliases: 100,
            directives: 5,
            complexity: 1_000_000,
            search_terms: 16,
        }
    }

    /// These limits with the cost limits multiplied by `factor` (editors' limits).
    pub fn scaled(&self, factor: u64) -> QueryLimits {
        let factor = factor.max(1);
        QueryLimits {
            fields: self.fields.saturating_mul(factor),
            aliases: self.aliases.saturating_mul(factor),
            complexity: self.complexity.saturating_mul(factor),
            ..self.clone()
        }
    }
}

impl Default for QueryLimits {
    fn default() -> Self {
        QueryLimits::anonymous()
    }
}

/// Which limit a document went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`QueryLimits::query_bytes`].
    QueryBytes,
    /// [`QueryLimits::tokens`].
    Tokens,
    /// Bracket nesting (fixed at 64).
    Nesting,
    /// [`QueryLimits::depth`].
    Depth,
    /// [`QueryLimits::fields`].
    Fields,
    /// [`QueryLimits::aliases`].
    Aliases,
    /// [`QueryLimits::directives`].
    Directives,
    /// [`QueryLimits::complexity`].
    Complexity,
    /// [`QueryLimits::search_terms`].
    SearchTerms,
}

impl Limit {
    /// The name a client reads in `extensions.limit`.
    pub fn name(self) -> &'static str {
        match self {
            Limit::QueryBytes => "queryBytes",
            Limit::Tokens => "tokens",
            Limit::Nesting => "nesting",
            Limit::Depth => "depth",
            Limit::Fields => "fields",
            Limit::Aliases => "aliases",
            Limit::Directives => "directives",
            Limit::Complexity => "complexity",
            Limit::SearchTerms => "searchTerms",
        }
    }

    /// What a measure of `n` means, in words.
    fn measure(self, n: u64) -> String {
        match self {
            Limit::QueryBytes => format!("the query is {n} bytes long"),
            Limit::Tokens => format!("the query has at least {n} tokens"),
            Limit::Nesting => format!("brackets nest {n} deep"),
            Limit::Depth => format!("the query nests {n} levels deep"),
            Limit::Fields => {
                format!("the query selects at least {n} fields once its fragments are expanded")
            }
            Limit::Aliases => format!("the query has at least {n} aliased fields"),
            Limit::Directives => format!("one place carries {n} directives"),
            Limit::Complexity => format!(
                "the query may return at least {n} objects (page sizes multiplied down its nested lists, plus the rows its reasoning fields may read)"
            ),
            Limit::SearchTerms => format!("a search has {n} distinct words"),
        }
    }

    fn advice(self) -> &'static str {
        match self {
            Limit::QueryBytes | Limit::Tokens => "send a shorter document",
            Limit::Nesting => "nest lists and selections less deeply",
            Limit::Depth => "select fewer levels, or start a second query from the ids you got",
            Limit::Fields => "select fewer fields, or spread fragments fewer times",
            Limit::Aliases => "send fewer aliased fields; page through one list instead",
            Limit::Directives => "put fewer directives on one field",
            Limit::Complexity => {
                "ask for smaller pages (`first`), fewer nested lists, or smaller `limit`/`hops`"
            }
            Limit::SearchTerms => "search for fewer distinct words",
        }
    }
}

/// Why a document is refused before it runs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CostError {
    /// The document went over a limit.
    #[error("query too costly: {what}, over the limit of {max}; {advice}", what = .limit.measure(*.measured), advice = .limit.advice())]
    Over {
        /// Which limit.
        limit: Limit,
        /// What the document measured (a lower bound when measuring stopped at the limit).
        measured: u64,
        /// The limit.
        max: u64,
    },
    /// A variable the operation requires was not given (async-graphql only finds out while
    /// running the operation, and the spec makes it an error of the request).
    #[error(
        "variable `${name}` of type `{ty}` is required, but was not given: pass it in `variables`"
    )]
    MissingVariable {
        /// The variable's name.
        name: String,
        /// Its type.
        ty: String,
        /// Where it is defined, as (line, column).
        location: (usize, usize),
    },
    /// The document does not parse (or spreads a fragment inside itself).
    #[error("{message}")]
    Syntax {
        /// What is wrong.
        message: String,
        /// Where, as (line, column), both from 1.
        locations: Vec<(usize, usize)>,
    },
}

/// What a document measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measured {
    /// Lexical tokens.
    pub tokens: usize,
    /// Nesting of selections.
    pub depth: usize,
    /// Fields after expansion.
    pub fields: u64,
    /// Aliased fields after expansion.
    pub aliases: u64,
    /// The complexity (see the module's documentation).
    pub complexity: u64,
}

/// The shape of the schema the cost walk needs: each field's type, whether it is a list, and
/// its arguments' defaults. Read once from the schema's SDL.
#[derive(Debug, Default)]
pub struct Shape {
    types: HashMap<String, HashMap<String, FieldShape>>,
}

#[derive(Debug, Clone)]
struct FieldShape {
    /// The named type under any list and non-null wrappers.
    named: String,
    /// Whether the field returns a list.
    list: bool,
    /// Arguments with a default value, and that value.
    defaults: HashMap<String, i64>,
}

impl Shape {
    /// Reads the shape from SDL; a schema that does not parse has no shape (every field then
    /// counts as a single object), which only the schema tests can cause.
    pub fn from_sdl(sdl: &str) -> Shape {
        match parse_schema(sdl) {
            Ok(doc) => Shape::from_document(&doc),
            Err(e) => {
                tracing::error!(error = %e, "the schema's own SDL does not parse; costs are rough");
                Shape::default()
            }
        }
    }

    fn from_document(doc: &ServiceDocument) -> Shape {
        let mut types = HashMap::new();
        for definition in &doc.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let fields = match &ty.node.kind {
                TypeKind::Object(o) => &o.fields,
                TypeKind::Interface(i) => &i.fields,
                _ => continue,
            };
            let shapes = fields
                .iter()
                .map(|f| {
                    let f = &f.node;
                    let defaults = f
                        .arguments
                        .iter()
                        .filter_map(|a| {
                            let value = a.node.default_value.as_ref()?;
                            let n = match &value.node {
                                Value::Number(n) => n.as_i64()?,
                                _ => return None,
                            };
                            Some((a.node.name.node.to_string(), n))
                        })
                        .collect();
                    let (named, list) = unwrap_type(&f.ty.node);
                    let shape = FieldShape {
                        named,
                        list,
                        defaults,
                    };
                    (f.name.node.to_string(), shape)
                })
                .collect();
            types.insert(ty.node.name.node.to_string(), shapes);
        }
        Shape { types }
    }

    fn field(&self, ty: &str, name: &str) -> Option<&FieldShape> {
        self.types.get(ty)?.get(name)
    }
}

fn unwrap_type(ty: &Type) -> (String, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.to_string(), false),
        BaseType::List(inner) => (unwrap_type(inner).0, true),
    }
}

/// Counts the tokens of a document and how deeply its brackets nest, stopping at the limits.
fn scan(text: &str, limits: &QueryLimits) -> Result<usize, CostError> {
    let bytes = text.as_bytes();
    let (mut i, mut tokens, mut nesting) = (0, 0usize, 0usize);
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
                continue;
            }
            b'"' => i = skip_string(bytes, i),
            b'{' | b'[' | b'(' => {
                nesting += 1;
                if nesting > MAX_NESTING {
                    return Err(over(Limit::Nesting, nesting as u64, MAX_NESTING as u64));
                }
                i += 1;
            }
            b'}' | b']' | b')' => {
                nesting = nesting.saturating_sub(1);
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => i += 3,
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'.' | b'-' | b'+'))
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
        tokens += 1;
        if tokens > limits.tokens {
            return Err(over(Limit::Tokens, tokens as u64, limits.tokens as u64));
        }
    }
    Ok(tokens)
}

/// The index just after the string that starts at `start` (a `"` or `"""`).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    if bytes[start..].starts_with(b"\"\"\"") {
        let mut i = start + 3;
        while i < bytes.len() {
            if bytes[i] == b'\\' && bytes[i..].starts_with(b"\\\"\"\"") {
                i += 4;
            } else if bytes[i..].starts_with(b"\"\"\"") {
                return i + 3;
            } else {
                i += 1;
            }
        }
        return bytes.len();
    }
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\n' | b'\r' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A parse error in one line: the parser's own message draws the place with a caret over
/// several lines, which clients show badly; the place goes into `locations` instead.
fn syntax_error(e: async_graphql::parser::Error) -> CostError {
    let locations: Vec<(usize, usize)> = e.positions().map(|p| (p.line, p.column)).collect();
    let text = e.to_string();
    let reason = text
        .lines()
        .rev()
        .map(|l| l.trim().trim_start_matches('=').trim())
        .find(|l| !l.is_empty() && !l.starts_with('|') && !l.starts_with("-->"))
        .unwrap_or("it is not GraphQL");
    let message = match locations.first() {
        Some((line, column)) => {
            format!("the document does not parse at line {line}, column {column}: {reason}")
        }
        None => format!("the document does not parse: {reason}"),
    };
    CostError::Syntax { message, locations }
}

fn over(limit: Limit, measured: u64, max: u64) -> CostError {
    CostError::Over {
        limit,
        measured,
        max,
    }
}

/// Measures a request's document against `limits`, and gives the parsed document (to run,
/// without parsing it again) with what it measured.
pub fn admit(
    shape: &Shape,
    limits: &QueryLimits,
    query: &str,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Result<(ExecutableDocument, Measured), CostError> {
    if query.len() > limits.query_bytes {
        return Err(over(
            Limit::QueryBytes,
            query.len() as u64,
            limits.query_bytes as u64,
        ));
    }
    let tokens = scan(query, limits)?;
    let doc = parse_query(query).map_err(syntax_error)?;
    let mut walk = Walk {
        shape,
        doc: &doc,
        variables,
        limits,
        fragments: HashMap::new(),
    };
    let mut measured = Measured {
        tokens,
        ..Measured::default()
    };
    for operation in chosen(&doc, operation_name) {
        required_variables(&operation.node, variables)?;
        let tally = walk.operation(&operation.node)?;
        measured.depth = measured.depth.max(tally.depth);
        measured.fields = measured.fields.saturating_add(tally.fields);
        measured.aliases = measured.aliases.saturating_add(tally.aliases);
        measured.complexity = measured.complexity.saturating_add(tally.complexity);
    }
    walk.check(&measured)?;
    Ok((doc, measured))
}

/// Fails on the first non-null variable without a default that `variables` lacks.
fn required_variables(op: &OperationDefinition, variables: &Variables) -> Result<(), CostError> {
    for def in &op.variable_definitions {
        let def = &def.node;
        let given = variables
            .get(&def.name.node)
            .is_some_and(|v| !matches!(v, Value::Null));
        if !def.var_type.node.nullable && def.default_value.is_none() && !given {
            return Err(CostError::MissingVariable {
                name: def.name.node.to_string(),
                ty: def.var_type.node.to_string(),
                location: (def.name.pos.line, def.name.pos.column),
            });
        }
    }
    Ok(())
}

/// The operations that would run: the named one, or all if none is named (a document with
/// several and no name is refused by validation later).
fn chosen<'d>(
    doc: &'d ExecutableDocument,
    name: Option<&str>,
) -> Vec<&'d Positioned<OperationDefinition>> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => vec![op],
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .filter(|(n, _)| n.as_str() == name)
            .map(|(_, op)| op)
            .collect(),
        (DocumentOperations::Multiple(ops), None) => ops.values().collect(),
    }
}

/// What a selection set adds up to.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    fields: u64,
    aliases: u64,
    depth: usize,
    /// Objects this selection set may return, per object it is selected on.
    complexity: u64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.fields = self.fields.saturating_add(other.fields);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.depth = self.depth.max(other.depth);
        self.complexity = self.complexity.saturating_add(other.complexity);
    }
}

/// A fragment's measure: being measured (a cycle if met again), or measured.
#[derive(Clone, Copy)]
enum Memo {
    Open,
    Done(Tally),
}

struct Walk<'a> {
    shape: &'a Shape,
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    limits: &'a QueryLimits,
    fragments: HashMap<Name, Memo>,
}

impl Walk<'_> {
    fn operation(&mut self, op: &OperationDefinition) -> Result<Tally, CostError> {
        self.directives(op.directives.len())?;
        let root = match op.ty {
            async_graphql::parser::types::OperationType::Query => "Query",
            async_graphql::parser::types::OperationType::Mutation => "Mutation",
            async_graphql::parser::types::OperationType::Subscription => "Subscription",
        };
        self.selection_set(&op.selection_set.node, root, None)
    }

    /// Checks a running total, so that a walk over a hostile document stops early.
    fn check(&self, m: &Measured) -> Result<(), CostError> {
        let l = self.limits;
        if m.depth > l.depth {
            return Err(over(Limit::Depth, m.depth as u64, l.depth as u64));
        }
        if m.fields > l.fields {
            return Err(over(Limit::Fields, m.fields, l.fields));
        }
        if m.aliases > l.aliases {
            return Err(over(Limit::Aliases, m.aliases, l.aliases));
        }
        if m.complexity > l.complexity {
            return Err(over(Limit::Complexity, m.complexity, l.complexity));
        }
        Ok(())
    }

    fn check_tally(&self, t: &Tally) -> Result<(), CostError> {
        self.check(&Measured {
            depth: t.depth,
            fields: t.fields,
            aliases: t.aliases,
            complexity: t.complexity,
            tokens: 0,
        })
    }

    fn directives(&self, n: usize) -> Result<(), CostError> {
        if n > self.limits.directives {
            return Err(over(
                Limit::Directives,
                n as u64,
                self.limits.directives as u64,
            ));
        }
        Ok(())
    }

    /// Measures `set` selected on an object of type `ty`; `hint` is the page size a parent
    /// field asked for, which the first list below it takes.
    fn selection_set(
        &mut self,
        set: &SelectionSet,
        ty: &str,
        hint: Option<u64>,
    ) -> Result<Tally, CostError> {
        let mut tally = Tally::default();
        for item in &set.items {
            self.directives(item.node.directives().len())?;
            let part = match &item.node {
                Selection::Field(field) => self.field(&field.node, ty, hint)?,
                Selection::InlineFragment(inline) => {
                    let on = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(ty, |c| c.node.on.node.as_str());
                    self.selection_set(&inline.node.selection_set.node, on, hint)?
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(&spread.node.fragment_name.node, hint)?
                }
            };
            tally.add(part);
            self.check_tally(&tally)?;
        }
        Ok(tally)
    }

    fn fragment(&mut self, name: &Name, hint: Option<u64>) -> Result<Tally, CostError> {
        match self.fragments.get(name) {
            Some(Memo::Done(t)) => return Ok(*t),
            Some(Memo::Open) => {
                return Err(CostError::Syntax {
                    message: format!("fragment `{name}` spreads itself; remove the cycle"),
                    locations: Vec::new(),
                });
            }
            None => {}
        }
        let Some(def) = self.doc.fragments.get(name) else {
            // Validation names the missing fragment.
            return Ok(Tally::default());
        };
        self.directives(def.node.directives.len())?;
        self.fragments.insert(name.clone(), Memo::Open);
        let on = def.node.type_condition.node.on.node.to_string();
        let tally = self.selection_set(&def.node.selection_set.node, &on, hint)?;
        self.fragments.insert(name.clone(), Memo::Done(tally));
        Ok(tally)
    }

    fn field(&mut self, field: &Field, ty: &str, hint: Option<u64>) -> Result<Tally, CostError> {
        let name = field.name.node.as_str();
        let aliased = u64::from(field.alias.is_some());
        let Some(shape) = self.shape.field(ty, name).cloned() else {
            // Introspection and `__typename` read the schema in memory; unknown fields are
            // refused by validation.
            return Ok(Tally {
                fields: 1,
                aliases: aliased,
                depth: 1,
                complexity: 0,
            });
        };
        self.search_terms(field, name)?;
        let size = self.page_size(field, &shape);
        // The page size of a field that returns one object (a connection) goes to the first
        // list below it (`edges`, `nodes`).
        let (multiplier, passed) = match (shape.list, size) {
            (true, Some(n)) => (n, None),
            (true, None) => (hint.unwrap_or(UNSIZED_LIST), None),
            (false, size) => (1, size.or(hint)),
        };
        let child = if field.selection_set.node.items.is_empty() {
            Tally::default()
        } else {
            self.selection_set(&field.selection_set.node, &shape.named, passed)?
        };
        let objects = if field.selection_set.node.items.is_empty() {
            0
        } else {
            multiplier.saturating_mul(child.complexity.saturating_add(1))
        };
        Ok(Tally {
            fields: child.fields.saturating_add(1),
            aliases: child.aliases.saturating_add(aliased),
            depth: child.depth + 1,
            complexity: objects.saturating_add(reads(name, |arg| self.int_arg(field, &shape, arg))),
        })
    }

    /// The page size a field asks for (or the default page of a connection), if any.
    fn page_size(&self, field: &Field, shape: &FieldShape) -> Option<u64> {
        let asked = ["first", "last", "limit"]
            .iter()
            .filter_map(|arg| self.int_arg(field, shape, arg))
            .max();
        asked.or_else(|| {
            shape
                .named
                .ends_with("Connection")
                .then_some(DEFAULT_PAGE as u64)
        })
    }

    /// An integer argument of a field, from the document, a variable or the schema default.
    fn int_arg(&self, field: &Field, shape: &FieldShape, arg: &str) -> Option<u64> {
        let value = field.get_argument(arg).map(|v| &v.node);
        let n = match value {
            Some(DocValue::Number(n)) => n.as_i64(),
            Some(DocValue::Variable(var)) => match self.variables.get(var) {
                Some(Value::Number(n)) => n.as_i64(),
                _ => self.variable_default(var),
            },
            _ => None,
        };
        let n = n.or_else(|| shape.defaults.get(arg).copied())?;
        u64::try_from(n).ok()
    }

    fn variable_default(&self, var: &Name) -> Option<i64> {
        chosen(self.doc, None).into_iter().find_map(|op| {
            op.node.variable_definitions.iter().find_map(|d| {
                if d.node.name.node != *var {
                    return None;
                }
                match d.node.default_value() {
                    Some(Value::Number(n)) => n.as_i64(),
                    _ => None,
                }
            })
        })
    }

    fn search_terms(&self, field: &Field, name: &str) -> Result<(), CostError> {
        if name != "search" {
            return Ok(());
        }
        let text = match field.get_argument("query").map(|v| &v.node) {
            Some(DocValue::String(s)) => Some(s.as_str()),
            Some(DocValue::Variable(var)) => match self.variables.get(var) {
                Some(Value::String(s)) => Some(s.as_str()),
                _ => None,
            },
            _ => None,
        };
        let Some(text) = text else { return Ok(()) };
        let terms = crate::storage::search::distinct_terms(text);
        if terms > self.limits.search_terms {
            return Err(over(
                Limit::SearchTerms,
                terms as u64,
                self.limits.search_terms as u64,
            ));
        }
        Ok(())
    }
}

/// The rows a reasoning field may read beyond the objects it returns, by its arguments.
/// Traversals read each hop's frontier; the figures are upper bounds of the storage
/// layer's walks, which stop at these sizes.
fn reads(field: &str, arg: impl Fn(&str) -> Option<u64>) -> u64 {
    let get = |name: &str, default: u64| arg(name).unwrap_or(default);
    match field {
        // Each node reached reads its claims, which the walk bounds by `limit` too.
        "neighborhood" => get("limit", 100)
            .saturating_mul(get("hops", 1).max(1))
            .saturating_mul(5),
        "paths" => get("maxHops", 4).saturating_mul(1_000),
        "patronChain" => get("maxDepth", 12).saturating_mul(10),
        "anniversaries" => get("windowDays", 3).saturating_add(10),
        "eventsNear" => get("first", 50).saturating_mul(4),
        "search" => 100,
        // Every actor or location's names are compared, in blocks of names alike.
        "possibleDuplicates" => 10_000,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::Variables;

    use super::{CostError, Limit, QueryLimits, Shape, admit};

    fn shape() -> Shape {
        Shape::from_sdl(&crate::graph::sdl())
    }

    fn measure(query: &str) -> Result<super::Measured, CostError> {
        admit(
            &shape(),
            &QueryLimits::anonymous(),
            query,
            None,
            &Variables::default(),
        )
        .map(|(_, m)| m)
    }

    fn refused_for(query: &str) -> Option<Limit> {
        match measure(query) {
            Err(CostError::Over { limit, .. }) => Some(limit),
            _ => None,
        }
    }

    #[test]
    fn a_connection_costs_its_page_size_times_its_children() {
        let m = measure(
            "{ actors(first: 10) { edges { node { claims(first: 20) { edges { node { id } } } } } } }",
        );
        // 1 connection + 10 edges + 10 actors + 10 connections + 200 edges + 200 claims.
        assert_eq!(m.map(|m| m.complexity), Ok(431));
    }

    #[test]
    fn doubling_fragments_are_measured_without_expanding_them() {
        let mut doc =
            String::from("query { ...F40 } fragment F0 on Query { relations { meaning } }");
        for i in 1..=40 {
            doc += &format!(" fragment F{i} on Query {{ ...F{p} ...F{p} }}", p = i - 1);
        }
        assert_eq!(refused_for(&doc), Some(Limit::Fields));
    }

    #[test]
    fn a_fragment_that_spreads_itself_is_a_syntax_error_not_a_hang() {
        let doc = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
        assert!(matches!(measure(doc), Err(CostError::Syntax { .. })));
    }

    #[test]
    fn the_readme_headline_query_fits_the_default_limits() {
        let readme = include_str!("../../README.md");
        let start = readme.find("```graphql\n").map(|i| i + 11).unwrap_or(0);
        let end = readme[start..]
            .find("```")
            .map_or(readme.len(), |i| start + i);
        let m = measure(&readme[start..end]);
        // The README's "Limits and operations" gives this figure.
        let complexity = m.map(|m| m.complexity);
        assert!(
            matches!(complexity, Ok(810_000..=830_000)),
            "{complexity:?}"
        );
    }

    #[test]
    fn many_aliases_deep_nesting_and_large_pages_of_reasoning_are_refused() {
        let aliases: String = (0..101)
            .map(|i| format!("a{i}: relations {{ meaning }} "))
            .collect();
        assert_eq!(
            refused_for(&format!("{{ {aliases} }}")),
            Some(Limit::Aliases)
        );
        let nested = format!("{{ x(a: {}1{}) }}", "[".repeat(70), "]".repeat(70));
        assert_eq!(refused_for(&nested), Some(Limit::Nesting));
        let heavy: String = (0..30)
            .map(|i| {
                format!(
                    "n{i}: neighborhood(id: \"iran\", hops: 4, limit: 2000) {{ nodes {{ nodeId }} }} "
                )
            })
            .collect();
        assert_eq!(
            refused_for(&format!("{{ {heavy} }}")),
            Some(Limit::Complexity)
        );
        let words: String = (0..17).map(|i| format!("w{i} ")).collect();
        assert_eq!(
            refused_for(&format!("{{ search(query: \"{words}\") {{ score }} }}")),
            Some(Limit::SearchTerms)
        );
        assert_eq!(
            refused_for(&format!(
                "{{ search(query: \"{}\") {{ score }} }}",
                "a ".repeat(5000)
            )),
            None
        );
    }

    #[test]
    fn page_sizes_come_from_variables_and_their_defaults() {
        let q = "query($n: Int = 500) { actors(first: $n) { edges { node { id } } } }";
        let by_default = admit(
            &shape(),
            &QueryLimits::anonymous(),
            q,
            None,
            &Variables::default(),
        );
        assert_eq!(
            by_default.map(|(_, m)| m.complexity).ok(),
            Some(1 + 500 * 2)
        );
        let vars = Variables::from_json(serde_json::json!({ "n": 3 }));
        let given = admit(&shape(), &QueryLimits::anonymous(), q, None, &vars);
        assert_eq!(given.map(|(_, m)| m.complexity).ok(), Some(1 + 3 * 2));
    }
}
