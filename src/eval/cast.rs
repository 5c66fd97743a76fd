//! `as` casts, `(T)` casts and typed declarations: the conversions Groovy applies when a value
//! meets a declared type (`String s = 5`, `'42' as Integer`, `list as Set`).

use super::coll::Kind;
use super::decimal::Dec;
use super::flow::{Flow, R};
use super::gdk::iter_items;
use super::num::to_f64;
use super::text::to_string;
use super::value::Value;
use crate::syntax::ast::Type;

/// The value a declaration without an initializer gets: `0` for primitives, else `null`.
#[must_use]
pub fn default_for(ty: &Type) -> Value {
    match ty.name.as_str() {
        "int" | "short" | "byte" if ty.array_dims == 0 => Value::Int(0),
        "long" if ty.array_dims == 0 => Value::Long(0),
        "double" if ty.array_dims == 0 => Value::Double(0.0),
        "float" if ty.array_dims == 0 => Value::Float(0.0),
        "boolean" if ty.array_dims == 0 => Value::Bool(false),
        _ => Value::Null,
    }
}

#[cold]
fn cast_error(v: &Value, target: &str) -> Flow {
    Flow::exception(
        "org.codehaus.groovy.runtime.typehandling.GroovyCastException",
        format!(
            "Cannot cast object '{}' with class '{}' to class '{}'",
            to_string(v),
            v.class_name(),
            super::classes::qualified(target)
        ),
    )
}

#[cold]
fn number_format(s: &str) -> Flow {
    Flow::exception(
        "java.lang.NumberFormatException",
        format!("For input string: \"{s}\""),
    )
}

/// Converts `v` to `ty`. `as_cast` is true for `as`, which also parses strings into numbers.
pub fn cast(v: &Value, ty: &Type, as_cast: bool) -> R<Value> {
    if ty.array_dims > 0 {
        return match v {
            Value::Null => Ok(Value::Null),
            other => Ok(Value::list(iter_items(other)?)),
        };
    }
    let name = ty.name.rsplit('.').next().unwrap_or(&ty.name);
    if let Value::Unknown(_) = v {
        return Ok(v.clone());
    }
    if v.is_null() {
        return Ok(match name {
            "boolean" if as_cast => Value::Bool(false),
            _ => Value::Null,
        });
    }
    let parse_int = |s: &str| -> R<i64> { s.trim().parse::<i64>().map_err(|_| number_format(s)) };
    Ok(match name {
        "def" | "Object" | "var" => v.clone(),
        "String" | "CharSequence" | "GString" => match v {
            Value::Str(_) => v.clone(),
            other => Value::string(to_string(other)),
        },
        "int" | "Integer" | "short" | "Short" | "byte" | "Byte" => match v {
            Value::Char(c) => Value::Int(*c as i32),
            Value::Str(s) | Value::GStr(s) if as_cast => {
                Value::Int(i32::try_from(parse_int(s)?).map_err(|_| number_format(s))?)
            }
            Value::Str(s) | Value::GStr(s) if s.chars().count() == 1 && name == "int" => {
                Value::Int(s.chars().next().map_or(0, |c| c as i32))
            }
            n if n.is_number() => Value::Int(to_i64(n) as i32),
            Value::Bool(b) if as_cast => Value::Int(i32::from(*b)),
            _ => return Err(cast_error(v, name)),
        },
        "long" | "Long" => match v {
            Value::Char(c) => Value::Long(i64::from(u32::from(*c))),
            Value::Str(s) | Value::GStr(s) if as_cast => Value::Long(parse_int(s)?),
            n if n.is_number() => Value::Long(to_i64(n)),
            _ => return Err(cast_error(v, name)),
        },
        "BigInteger" => match v {
            Value::Str(s) | Value::GStr(s) if as_cast => Value::big(
                crate::eval::num::parse_big(s.trim(), 10).ok_or_else(|| number_format(s))?,
            ),
            Value::BigInt(_) => v.clone(),
            n if n.is_number() => Value::big(to_i64(n)),
            _ => return Err(cast_error(v, name)),
        },
        "double" | "Double" | "float" | "Float" => {
            let f = match v {
                Value::Str(s) | Value::GStr(s) if as_cast => {
                    s.trim().parse::<f64>().map_err(|_| number_format(s))?
                }
                n if n.is_number() => to_f64(n).unwrap_or(0.0),
                _ => return Err(cast_error(v, name)),
            };
            if name.eq_ignore_ascii_case("float") {
                Value::Float(f as f32)
            } else {
                Value::Double(f)
            }
        }
        "char" | "Character" => match v {
            Value::Char(_) => v.clone(),
            Value::Str(s) | Value::GStr(s) if s.chars().count() == 1 => {
                Value::Char(s.chars().next().unwrap_or_default())
            }
            n if n.as_i64().is_some() => {
                let code = u32::try_from(to_i64(n)).ok().and_then(char::from_u32);
                Value::Char(code.ok_or_else(|| cast_error(v, name))?)
            }
            _ => return Err(cast_error(v, name)),
        },
        "Number" => v.clone(),
        "BigDecimal" => match v {
            Value::Str(s) | Value::GStr(s) if as_cast => {
                Value::Dec(Dec::parse(s.trim()).ok_or_else(|| number_format(s))?)
            }
            Value::Dec(_) => v.clone(),
            Value::Double(d) => {
                Value::Dec(Dec::parse(&format!("{d:?}")).unwrap_or(Dec::from_int(0)))
            }
            Value::BigInt(b) => Value::Dec(Dec::from_int((**b).clone())),
            n if n.as_i64().is_some() => Value::Dec(Dec::from_int(to_i64(n))),
            _ => return Err(cast_error(v, name)),
        },
        "boolean" | "Boolean" => match v {
            Value::Bool(_) => v.clone(),
            other if as_cast => Value::Bool(other.truthy()),
            _ => return Err(cast_error(v, name)),
        },
        "List" | "ArrayList" | "Collection" | "Iterable" | "LinkedList" => match v {
            Value::List(_) => v.clone(),
            other => Value::list(iter_items(other)?),
        },
        "Set" | "HashSet" | "LinkedHashSet" | "TreeSet" | "SortedSet" => {
            let kind = match name {
                "HashSet" => Kind::Hash,
                "TreeSet" | "SortedSet" => Kind::Tree,
                _ => Kind::Linked,
            };
            match v {
                Value::List(l) if l.kind() == kind => v.clone(),
                other => Value::set(kind, iter_items(other)?),
            }
        }
        "Map" | "HashMap" | "LinkedHashMap" | "TreeMap" | "SortedMap" => match v {
            Value::Map(m) => {
                let kind = match name {
                    "HashMap" => Kind::Hash,
                    "TreeMap" | "SortedMap" => Kind::Tree,
                    _ => m.kind(),
                };
                if kind == m.kind() {
                    v.clone()
                } else {
                    Value::map_of(kind, m.borrow().clone())
                }
            }
            _ => return Err(cast_error(v, name)),
        },
        "Closure" => match v {
            Value::Closure(_) => v.clone(),
            _ => return Err(cast_error(v, name)),
        },
        "Pattern" => Value::Pattern(super::ops::pattern_of(v)?),
        _ => v.clone(),
    })
}

fn to_i64(v: &Value) -> i64 {
    match v {
        Value::Dec(d) => super::num::low_bits(&d.trunc()) as i64,
        Value::Double(d) => *d as i64,
        Value::Float(d) => *d as i64,
        other => other.as_i64().unwrap_or(0),
    }
}
