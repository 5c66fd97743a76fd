//! Number literals as Groovy types them: `1` is an `Integer` (or `Long`/`BigInteger` when it
//! does not fit), `1.5` and `1e3` are `BigDecimal`s, suffixes pick the type explicitly.

use super::decimal::Dec;
use super::flow::{Flow, R};
use super::value::Value;
use crate::source::Span;
use crate::syntax::ast::NumberLit;

pub fn integer(lit: &NumberLit, span: Span) -> R<Value> {
    let too_big = || {
        Flow::fatal(
            format!("unsupported: integer literal {} is too large", lit.digits),
            span,
        )
    };
    let Ok(v) = i128::from_str_radix(&lit.digits, lit.radix) else {
        // Past 128 bits only a BigInteger holds it (`G`, or no suffix).
        let big = crate::eval::num::parse_big(&lit.digits, lit.radix).ok_or_else(too_big)?;
        return match lit.suffix {
            None | Some('G') => Ok(Value::big(big)),
            _ => Err(too_big()),
        };
    };
    Ok(match lit.suffix {
        Some('L') => Value::Long(v as i64),
        Some('G') => Value::big(v),
        Some('I') => Value::Int(v as i32),
        Some('D') => Value::Double(v as f64),
        Some('F') => Value::Float(v as f32),
        _ => {
            if let Ok(i) = i32::try_from(v) {
                Value::Int(i)
            } else if let Ok(i) = i64::try_from(v) {
                Value::Long(i)
            } else {
                Value::big(v)
            }
        }
    })
}

pub fn decimal(lit: &NumberLit, span: Span) -> R<Value> {
    let bad = || Flow::fatal(format!("unsupported: decimal literal {}", lit.digits), span);
    Ok(match lit.suffix {
        Some('D') => Value::Double(lit.digits.parse().map_err(|_| bad())?),
        Some('F') => Value::Float(lit.digits.parse().map_err(|_| bad())?),
        _ => Value::Dec(Dec::parse(&lit.digits).ok_or_else(bad)?),
    })
}
