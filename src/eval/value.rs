//! The runtime value: Groovy's objects as the scripts we run meet them. Collections are shared
//! and mutable (`Rc<RefCell<…>>`), as Java references are; everything runs on one thread, so
//! `Rc` is enough. `Unknown` stands for a value only a real run would know (a command's output
//! during planning) and flows through operators as unknown.

use std::hash::{Hash, Hasher};
use std::rc::Rc;

use indexmap::IndexMap;
use num_bigint::{BigInt, Sign};

use super::closure::Closure;
use super::coll::{Kind, Shared};
use super::decimal::Dec;
use super::exception::Exception;
use super::gstring::LazyGString;
use super::object::Object;
use super::regex::{Matcher, Pattern};

pub type List = Rc<Shared<Vec<Value>>>;
pub type Map = Rc<Shared<IndexMap<Key, Value>>>;

#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i32),
    Long(i64),
    /// `java.math.BigInteger`, of any width; shared, as it is immutable.
    BigInt(Rc<BigInt>),
    Dec(Dec),
    Double(f64),
    Float(f32),
    Str(Rc<str>),
    /// A `java.lang.Character`: from a `char` declaration or cast, `as char`, `charAt`.
    Char(char),
    /// A `GString` whose values render the same at every use, so it is rendered when built;
    /// still a different type from `String` for `getClass()`, `equals` and as a map key.
    GStr(Rc<str>),
    /// A `GString` rendered again at each use: it holds a closure (`${-> x}`) or a mutable
    /// value (`gstring.rs`).
    LazyGStr(Rc<LazyGString>),
    List(List),
    Map(Map),
    Range(Rc<Range>),
    Closure(Rc<Closure>),
    Object(Rc<Object>),
    /// A class used as a value: `String`, `Math`, `JsonOutput`, a script class.
    Class(Rc<str>),
    Pattern(Rc<Pattern>),
    Matcher(Rc<Matcher>),
    Exception(Rc<Exception>),
    /// A value known only at run time, with where it comes from: `<stdout of sh#3>`.
    Unknown(Rc<str>),
}

/// An integer range `from..to`; `to` is already adjusted for `..<`. A range of one-character
/// strings (`'a'..'e'`, Groovy's `ObjectRange`) is held by its code points.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    pub from: i64,
    pub to: i64,
    pub reverse: bool,
    pub elements: Elements,
    /// Written `..<`: an `IntRange` shows it again in `toString()`.
    pub exclusive: bool,
    /// `n..<n`.
    pub empty: bool,
}

/// What a range's elements are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elements {
    Int,
    /// The ends were `Long`s, so the elements are too.
    Long,
    /// One-character strings (`'a'..'c'`, an `ObjectRange`).
    Chars,
}

impl Range {
    #[must_use]
    pub fn new(from: i64, to: i64, exclusive: bool, long: bool) -> Range {
        let elements = if long { Elements::Long } else { Elements::Int };
        let reverse = from > to;
        if exclusive && from == to {
            return Range {
                from,
                to,
                reverse: false,
                elements,
                exclusive,
                empty: true,
            };
        }
        let to = match (exclusive, reverse) {
            (false, _) => to,
            (true, false) => to - 1,
            (true, true) => to + 1,
        };
        Range {
            from,
            to,
            reverse,
            elements,
            exclusive,
            empty: false,
        }
    }

    /// `'a'..'c'`: the code points of two one-character strings.
    #[must_use]
    pub fn of_chars(from: char, to: char, exclusive: bool) -> Range {
        Range {
            elements: Elements::Chars,
            ..Range::new(
                i64::from(u32::from(from)),
                i64::from(u32::from(to)),
                exclusive,
                false,
            )
        }
    }

    /// Whether the elements are one-character strings.
    #[must_use]
    pub fn chars(&self) -> bool {
        self.elements == Elements::Chars
    }

    /// The element for position `i` of the range's span.
    #[must_use]
    pub fn element(&self, i: i64) -> Value {
        match self.elements {
            Elements::Chars => {
                let c = u32::try_from(i).ok().and_then(char::from_u32);
                Value::string(c.map(String::from).unwrap_or_default())
            }
            Elements::Long => Value::Long(i),
            Elements::Int => Value::Int(i as i32),
        }
    }

    /// `getFrom()` / `getTo()`: the lower and upper end, whatever the direction.
    #[must_use]
    pub fn bounds(&self) -> (Value, Value) {
        let (lo, hi) = if self.reverse {
            (self.to, self.from)
        } else {
            (self.from, self.to)
        };
        (self.element(lo), self.element(hi))
    }

    /// `toString()` (`inspect` quotes string ends): `1..4`, `1..<4`, `a..c`. An `IntRange`
    /// shows how it was written; an `ObjectRange` its inclusive ends.
    #[must_use]
    pub fn text(&self, inspect: bool) -> String {
        let end = |i: i64| {
            let v = self.element(i);
            if inspect {
                super::text::inspect(&v)
            } else {
                super::text::to_string(&v)
            }
        };
        if self.exclusive && !self.chars() {
            let to = match (self.empty, self.reverse) {
                (true, _) => self.to,
                (false, false) => self.to + 1,
                (false, true) => self.to - 1,
            };
            return format!("{}..<{}", end(self.from), end(to));
        }
        if self.empty {
            return "[]".into();
        }
        format!("{}..{}", end(self.from), end(self.to))
    }

    #[must_use]
    pub fn items(&self) -> Vec<Value> {
        if self.empty {
            Vec::new()
        } else if self.reverse {
            (self.to..=self.from)
                .rev()
                .map(|i| self.element(i))
                .collect()
        } else {
            (self.from..=self.to).map(|i| self.element(i)).collect()
        }
    }

    #[must_use]
    pub fn contains(&self, v: i64) -> bool {
        let (lo, hi) = if self.reverse {
            (self.to, self.from)
        } else {
            (self.from, self.to)
        };
        !self.empty && (lo..=hi).contains(&v)
    }
}

impl Value {
    #[must_use]
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    #[must_use]
    pub fn string(s: String) -> Value {
        Value::Str(Rc::from(s))
    }

    #[must_use]
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(Shared::new(Kind::Plain, items)))
    }

    /// A `java.util` set of the given kind (`Linked`, `Hash`, `Tree`); repeats are dropped.
    #[must_use]
    pub fn set(kind: Kind, items: Vec<Value>) -> Value {
        Value::List(Rc::new(Shared::new(kind, items)))
    }

    /// A collection of the same class as `like` (Groovy's `createSimilarCollection`): a set
    /// stays a set of its kind, anything else gives an `ArrayList`.
    #[must_use]
    pub fn similar(like: &List, items: Vec<Value>) -> Value {
        let kind = match like.kind() {
            Kind::Unmodifiable => Kind::Plain,
            other => other,
        };
        Value::List(Rc::new(Shared::new(kind, items)))
    }

    /// A list of the given kind: `Unmodifiable` for `asImmutable()`.
    #[must_use]
    pub fn list_of(kind: Kind, items: Vec<Value>) -> Value {
        Value::List(Rc::new(Shared::new(kind, items)))
    }

    /// A `HashMap` or `TreeMap` (`Plain` is a `LinkedHashMap`).
    #[must_use]
    pub fn map_of(kind: Kind, entries: IndexMap<Key, Value>) -> Value {
        Value::Map(Rc::new(Shared::new(kind, entries)))
    }

    #[must_use]
    pub fn map(entries: IndexMap<Key, Value>) -> Value {
        Value::Map(Rc::new(Shared::new(Kind::Plain, entries)))
    }

    #[must_use]
    pub fn unknown(origin: impl Into<String>) -> Value {
        Value::Unknown(Rc::from(origin.into()))
    }

    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text of a `String` or `GString`.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::GStr(s) => Some(s),
            _ => None,
        }
    }

    /// A lazy `GString` as an eager one with its current text (`LazyGString::text`), so
    /// synchronous code can treat both alike; any other value as it is.
    #[must_use]
    pub fn eager(&self) -> std::borrow::Cow<'_, Value> {
        match self {
            Value::LazyGStr(g) => std::borrow::Cow::Owned(Value::GStr(Rc::from(g.text()))),
            other => std::borrow::Cow::Borrowed(other),
        }
    }

    /// A `BigInteger`.
    #[must_use]
    pub fn big(v: impl Into<BigInt>) -> Value {
        Value::BigInt(Rc::new(v.into()))
    }

    #[must_use]
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Value::Int(_)
                | Value::Long(_)
                | Value::BigInt(_)
                | Value::Dec(_)
                | Value::Double(_)
                | Value::Float(_)
        )
    }

    /// An integral value as `i64`, for indices, counts and ranges.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(i64::from(*i)),
            Value::Long(i) => Some(*i),
            Value::BigInt(i) => i64::try_from(&**i).ok(),
            _ => None,
        }
    }

    /// The Java class name, as `x.getClass().getName()` prints it.
    #[must_use]
    pub fn class_name(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(_) => "java.lang.Boolean".into(),
            Value::Int(_) => "java.lang.Integer".into(),
            Value::Long(_) => "java.lang.Long".into(),
            Value::BigInt(_) => "java.math.BigInteger".into(),
            Value::Dec(_) => "java.math.BigDecimal".into(),
            Value::Double(_) => "java.lang.Double".into(),
            Value::Float(_) => "java.lang.Float".into(),
            Value::Str(_) => "java.lang.String".into(),
            Value::Char(_) => "java.lang.Character".into(),
            Value::GStr(_) | Value::LazyGStr(_) => "org.codehaus.groovy.runtime.GStringImpl".into(),
            Value::List(l) => l.kind().list_class().into(),
            Value::Map(m) => m.kind().map_class().into(),
            Value::Range(r) if r.chars() => "groovy.lang.ObjectRange".into(),
            Value::Range(_) => "groovy.lang.IntRange".into(),
            Value::Closure(_) => "groovy.lang.Closure".into(),
            Value::Object(o) => o.class_name().to_string(),
            Value::Class(_) => "java.lang.Class".into(),
            Value::Pattern(_) => "java.util.regex.Pattern".into(),
            Value::Matcher(_) => "java.util.regex.Matcher".into(),
            Value::Exception(e) => e.class.clone(),
            Value::Unknown(_) => "java.lang.Object".into(),
        }
    }

    /// The simple class name, as error messages print it.
    #[must_use]
    pub fn simple_class_name(&self) -> String {
        let full = self.class_name();
        full.rsplit('.').next().unwrap_or(&full).to_string()
    }

    /// Groovy truth.
    #[must_use]
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Long(i) => *i != 0,
            Value::BigInt(i) => i.sign() != Sign::NoSign,
            Value::Dec(d) => !d.is_zero(),
            Value::Double(d) => *d != 0.0,
            Value::Float(d) => *d != 0.0,
            Value::Str(s) | Value::GStr(s) => !s.is_empty(),
            Value::Char(c) => *c != '\0',
            Value::LazyGStr(g) => !g.text().is_empty(),
            Value::List(l) => !l.borrow().is_empty(),
            Value::Map(m) => !m.borrow().is_empty(),
            Value::Range(r) => !r.items().is_empty(),
            Value::Matcher(m) => m.find_any(),
            _ => true,
        }
    }
}

/// A map key with Java's `equals`/`hashCode`: a `GString` is not equal to the `String` with the
/// same text, and `Integer` 1 is not `Long` 1.
#[derive(Clone, Debug)]
pub struct Key(pub Value);

impl Key {
    #[must_use]
    pub fn str(s: &str) -> Key {
        Key(Value::str(s))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        match (&*self.0.eager(), &*other.0.eager()) {
            (Value::Str(a), Value::Str(b)) | (Value::GStr(a), Value::GStr(b)) => a == b,
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Char(a), Value::Char(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Long(a), Value::Long(b)) => a == b,
            (Value::BigInt(a), Value::BigInt(b)) => a == b,
            (Value::Dec(a), Value::Dec(b)) => a == b,
            (Value::Double(a), Value::Double(b)) => a.to_bits() == b.to_bits(),
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Class(a), Value::Class(b)) | (Value::Unknown(a), Value::Unknown(b)) => a == b,
            (a @ (Value::List(_) | Value::Map(_)), b @ (Value::List(_) | Value::Map(_))) => {
                super::compare::equals(a, b)
            }
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            (Value::Closure(a), Value::Closure(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        match &*self.0.eager() {
            Value::Str(s) => {
                0u8.hash(h);
                s.hash(h);
            }
            Value::GStr(s) => {
                1u8.hash(h);
                s.hash(h);
            }
            Value::Int(i) => i64::from(*i).hash(h),
            Value::Long(i) => i.hash(h),
            Value::BigInt(i) => i.hash(h),
            Value::Bool(b) => b.hash(h),
            Value::Double(d) => d.to_bits().hash(h),
            Value::Float(d) => d.to_bits().hash(h),
            Value::Class(s) | Value::Unknown(s) => s.hash(h),
            // Collections, objects and the rest share a bucket; equality decides.
            _ => 2u8.hash(h),
        }
    }
}
