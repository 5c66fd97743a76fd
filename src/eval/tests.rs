//! Small Groovy programs with what real Groovy 2.4.21 prints for them (outputs produced by
//! running each program with `groovy`; an uncaught exception shows as its `Caught:` line).

use super::{ScriptFailure, run_groovy};
use crate::source::SourceFile;
use crate::syntax;

fn run(src: &str) -> String {
    let source = SourceFile::new("t.groovy", src);
    let file = syntax::parse(&source).expect("parses");
    let r = run_groovy(&source, &file, "t");
    match r.failure {
        None => r.stdout,
        Some(ScriptFailure::Exception { text, .. }) => format!("{}Caught: {text}\n", r.stdout),
        Some(ScriptFailure::Unsupported { message, .. }) => {
            format!("{}UNSUPPORTED: {message}\n", r.stdout)
        }
    }
}

#[test]
fn prints_numbers_like_groovy() {
    assert_eq!(
        run(
            "println 1/3\nprintln 2**62\nprintln 1e3\nprintln 0.1+0.2\nprintln 1.0d\nprintln 12345678.0d"
        ),
        "0.3333333333\n4611686018427387904\n1E+3\n0.3\n1.0\n1.2345678E7\n"
    );
}

#[test]
fn closures() {
    let program = r#"def add = { a, b = 10 -> a + b }
println add(1)
println add(1, 2)
def counter = 0
[1, 2, 3].each { counter += it }
println counter
println([1, 2, 3].collect { it * 2 })
println([a: 1, b: 2].collect { k, v -> "$k=$v" }.join('&'))
println([3, 1, 2].sort { a, b -> b <=> a })
println([1, 2, 3, 4].findAll { it % 2 == 0 }.sum())
println([1, 2, 3].inject(0) { acc, v -> acc + v })
println(['x', 'yy'].groupBy { it.size() })
"#;
    let expected = r"11
3
6
[2, 4, 6]
a=1&b=2
[3, 2, 1]
6
6
[1:[x], 2:[yy]]
";
    assert_eq!(run(program), expected);
}

#[test]
fn control() {
    let program = r#"def r = []
for (i in 1..3) { if (i == 2) continue; r << i }
println r
def s = 'b'
switch (s) {
    case 'a': println 'A'; break
    case ~/b.*/: println 'B'
    case 'c': println 'fell'; break
    default: println 'D'
}
def (a, b) = [1, 2]
println "${a}-${b}"
println null ?: 'dflt'
println([1, 2]?.size())
println 2 in [1, 2, 3]
outer:
for (i in 0..2) { for (j in 0..2) { if (j == 1) continue outer; if (i == 2) break outer; print "${i}${j} " } }
println ''
"#;
    let expected = r"[1, 3]
B
fell
1-2
dflt
2
true
00 10 
";
    assert_eq!(run(program), expected);
}

#[test]
fn exceptions() {
    let program = r#"def f() {
    try {
        throw new IllegalStateException('bad')
    } catch (IllegalArgumentException e) {
        return 'wrong'
    } catch (RuntimeException e) {
        return "caught ${e.message}"
    } finally {
        println 'finally'
    }
}
println f()
try { null.foo() } catch (NullPointerException e) { println e.message }
try { [1].get(5) } catch (IndexOutOfBoundsException e) { println e.class.simpleName }
throw new Exception('end')
"#;
    let expected = r"finally
caught bad
Cannot invoke method foo() on null object
IndexOutOfBoundsException
Caught: java.lang.Exception: end
";
    assert_eq!(run(program), expected);
}

#[test]
fn gstring_keys() {
    let program = r#"def k = 'a'
def m = [a: 1]
println m["${k}"]
println m.get("${k}")
def n = [("${k}"): 2]
println n.containsKey('a')
println("${k}" == 'a')
println "${k}".class.name
"#;
    let expected = r"1
null
false
true
org.codehaus.groovy.runtime.GStringImpl
";
    assert_eq!(run(program), expected);
}

#[test]
fn json_classes() {
    let program = r#"import groovy.json.JsonOutput
import groovy.json.JsonSlurperClassic
def data = new JsonSlurperClassic().parseText('{"b":[1,2,{"c":null}],"a":"x"}')
println data
println JsonOutput.toJson([name: 'n', list: [1, true, null]])
println JsonOutput.prettyPrint(JsonOutput.toJson([a: [1, 2], b: [:]]))
def sb = new StringBuilder()
sb << 'a' << 1
sb.append('z')
println sb.toString()
class Version implements Comparable {
    int major, minor
    int compareTo(Object o) { major <=> o.major ?: minor <=> o.minor }
    String toString() { "${major}.${minor}" }
}
println([new Version(major: 1, minor: 2), new Version(major: 1, minor: 0)].sort())
println new Date(0).format('yyyy-MM-dd HH:mm', TimeZone.getTimeZone('UTC'))
"#;
    let expected = r#"[a:x, b:[1, 2, [c:null]]]
{"name":"n","list":[1,true,null]}
{
    "a": [
        1,
        2
    ],
    "b": {
        
    }
}
a1z
[1.0, 1.2]
1970-01-01 00:00
"#;
    assert_eq!(run(program), expected);
}

#[test]
fn numbers() {
    let program = r"println 1/2
println 7.intdiv(2)
println 0.1 + 0.2 == 0.3
println 2147483647 + 1
println 3 * 1.5
println 10 % 3
println 2**10
println 1.0d / 3
println 5 <=> 3
println 'b' <=> 'a'
";
    let expected = r"0.5
3
true
-2147483648
4.5
1
1024
0.3333333333333333
1
1
";
    assert_eq!(run(program), expected);
}

#[test]
fn scoping() {
    let program = r"x = 1
def y = 2
def f() { x + 10 }
println f()
try { println g() } catch (MissingPropertyException e) { println e.message }
def g() { y }
";
    let expected = r"11
No such property: y for class: t
";
    assert_eq!(run(program), expected);
}

#[test]
fn strings() {
    let program = r"def s = '  Hello, World  '
println s.trim().toUpperCase()
println 'a,b,,c'.split(',').size()
println 'a b  c'.tokenize()
println 'abc'.padLeft(5, '.') + '|' + 'abc'.padRight(5) + '|'
println 'v1.2.3'.replaceAll(/\d/) { (it as int) + 1 }
def m = 'build-42' =~ /(\w+)-(\d+)/
println m[0][2].toInteger() + 1
println 'abcdef'[1..3]
println 'abc'.reverse().center(7, '*')
println String.format('%-5s|%03d|%.3f', 'x', 7, 2.0/3)
println 'line1\nline2'.readLines()
println 'True'.toBoolean()
";
    let expected = r"HELLO, WORLD
4
[a, b, c]
..abc|abc  |
v2.3.4
43
bcd
**cba**
x    |007|0.667
[line1, line2]
true
";
    assert_eq!(run(program), expected);
}

/// Runs `src` with `out` bound to an unknown value and returns what `result` ends up as.
fn with_unknown(src: &str) -> super::value::Value {
    use std::rc::Rc;

    use super::dynamic::Dynamic;
    use super::host::PlainHost;
    use super::interp::Interp;
    use super::value::Value;

    let source = SourceFile::new("t.groovy", src);
    let file = syntax::parse(&source).expect("parses");
    let host = PlainHost {
        script_class: "t".into(),
        out: Box::new(|_| {}),
    };
    let interp = Interp::new(Rc::new(host));
    interp
        .binding
        .borrow_mut()
        .insert("out".into(), Value::unknown("stdout of sh#3"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let cx = interp.root_cx(Dynamic::default());
    rt.block_on(interp.run_file(&file, &cx)).expect("runs");
    interp
        .binding
        .borrow()
        .get("result")
        .cloned()
        .expect("result set")
}

#[test]
fn unknown_values_flow_through_operators_and_methods() {
    use super::value::Value;
    let unknown = |v: &Value| matches!(v, Value::Unknown(_));
    assert!(unknown(&with_unknown(
        "result = out.trim().toUpperCase() + '-x'"
    )));
    assert!(unknown(&with_unknown("result = out == 'main'")));
    assert!(unknown(&with_unknown("result = \"v${out.trim()}\"")));
    assert!(unknown(&with_unknown("result = out.split('\\n')[0]")));
    let Value::Unknown(origin) = with_unknown("result = out.trim()") else {
        panic!("not unknown");
    };
    assert_eq!(&*origin, "stdout of sh#3.trim()");
    // Known values stay known next to unknown ones.
    assert!(matches!(with_unknown("result = 'a' + 'b'"), Value::Str(_)));
}

#[test]
fn unsupported_methods_say_so_with_their_place() {
    let source = SourceFile::new("t.groovy", "def s = 'x'\nprintln s.frobnicate()\n");
    let file = syntax::parse(&source).expect("parses");
    let r = run_groovy(&source, &file, "t");
    // Catchable, as Groovy's MissingMethodException is, and saying plainly what is missing.
    match r.failure {
        Some(ScriptFailure::Exception { text, line }) => {
            assert!(
                text.starts_with(
                    "groovy.lang.MissingMethodException: No signature of method: java.lang.String.frobnicate()"
                ),
                "{text}"
            );
            assert!(
                text.contains("unsupported Groovy method frobnicate on java.lang.String"),
                "{text}"
            );
            assert_eq!(line, Some(2));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn controller_only_apis_fail_clearly() {
    assert_eq!(
        run("println 'a'\ndef j = Jenkins.instance\n"),
        "a\nCaught: java.lang.UnsupportedOperationException: `Jenkins.instance` is not available outside Jenkins: it needs a Jenkins controller, which a local run does not have\n"
    );
    assert_eq!(
        run("try { Jenkins.instance } catch (Throwable e) { println e.class.name }\n"),
        "java.lang.UnsupportedOperationException\n"
    );
}

/// The deepest recursion the interpreter allows by default (`MAX_CALL_DEPTH`) fits in an
/// 8 MiB stack, the main thread's usual size, in a debug build.
#[test]
fn deep_recursion_fits_in_a_main_thread_stack() {
    let program = "def down(n) { n == 0 ? 0 : 1 + down(n - 1) }\nprintln down(199)\n";
    let out = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            use std::rc::Rc;

            use super::dynamic::Dynamic;
            use super::host::PlainHost;
            use super::interp::Interp;

            let source = SourceFile::new("t.groovy", program);
            let file = syntax::parse(&source).expect("parses");
            let out = Rc::new(std::cell::RefCell::new(String::new()));
            let sink = out.clone();
            let host = PlainHost {
                script_class: "t".into(),
                out: Box::new(move |t: &str| sink.borrow_mut().push_str(t)),
            };
            let interp = Interp::new(Rc::new(host));
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime");
            let cx = interp.root_cx(Dynamic::default());
            rt.block_on(interp.run_file(&file, &cx)).expect("runs");
            out.borrow().clone()
        })
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert_eq!(out, "199\n");
}

#[test]
fn matcher_find_advances_through_the_matches() {
    let src = r"
def m = java.util.regex.Pattern.compile(/(\w)(\d)/).matcher('a1 b2 c3')
def seen = []
while (m.find()) { seen << m.group() + ':' + m.group(2) }
println seen
println m.find()
def n = 'x9' =~ /(\w)(\d)/
if (n) { println n.group(1) }
";
    assert_eq!(run(src), "[a1:1, b2:2, c3:3]\nfalse\nx\n");
}

#[test]
fn for_in_shares_one_loop_variable_but_each_closures_do_not() {
    let src = "def cs = []\nfor (i in [0, 1, 2]) { def j = i; cs << { [i, j] } }\nprintln cs*.call()\n\
               def ds = []\n[0, 1, 2].each { x -> ds << { x } }\nprintln ds*.call()\n";
    assert_eq!(run(src), "[[2, 0], [2, 1], [2, 2]]\n[0, 1, 2]\n");
}
