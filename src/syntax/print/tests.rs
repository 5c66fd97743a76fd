use super::{sexpr, sexpr_with_spans};
use crate::source::{Span, Spanned};
use crate::syntax::ast::{
    Annotation, AnnotationArg, Arg, Args, AssignOp, BinaryOp, Block, CaseLabel, Catch, ClassDef,
    ClassKind, Closure, Comment, CommentKind, DeclTargets, Declarator, Expr, ExprKind, File,
    GString, GStringPart, Ident, Import, MapEntry, MapKey, Member, MethodDef, Nav, NumberLit,
    Param, PropName, Quote, Stmt, StmtKind, StrLit, SwitchCase, Type, UnaryOp, VarDecl,
};

/// Strips the first line break and the indentation common to all lines, as `indoc!` does.
fn dedent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let text = text.trim_end_matches(' ');
    let margin = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line.get(margin..).unwrap_or(""));
        out.push('\n');
    }
    out
}

fn no_span<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::default())
}

fn id(name: &str) -> Ident {
    no_span(name.to_string())
}

fn e(kind: ExprKind) -> Expr {
    no_span(kind)
}

fn b(kind: ExprKind) -> Box<Expr> {
    Box::new(e(kind))
}

fn var(name: &str) -> Expr {
    e(ExprKind::Var(name.to_string()))
}

fn str_lit(value: &str, quote: Quote) -> Expr {
    e(ExprKind::Str(StrLit {
        value: value.to_string(),
        quote,
    }))
}

fn sq(value: &str) -> Expr {
    str_lit(value, Quote::Single)
}

fn number(digits: &str, radix: u32, suffix: Option<char>) -> NumberLit {
    NumberLit {
        digits: digits.to_string(),
        radix,
        suffix,
    }
}

fn int(digits: &str) -> Expr {
    e(ExprKind::Int(number(digits, 10, None)))
}

fn args(parens: bool, items: Vec<Arg>, closures: Vec<Expr>) -> Args {
    Args {
        items,
        closures,
        parens,
        span: Span::default(),
    }
}

fn call(name: &str, parens: bool, items: Vec<Arg>, closures: Vec<Expr>) -> Expr {
    e(ExprKind::MethodCall {
        receiver: None,
        nav: Nav::Dot,
        name: PropName::Name(id(name)),
        args: args(parens, items, closures),
    })
}

fn cmd(name: &str, arg: Expr) -> Expr {
    call(name, false, vec![Arg::Positional(arg)], vec![])
}

fn named(key: &str, value: Expr) -> Arg {
    Arg::Named(MapEntry {
        key: MapKey::Name(id(key)),
        value,
    })
}

fn closure(body: Vec<Stmt>) -> Expr {
    e(ExprKind::Closure(Closure { params: None, body }))
}

fn stmt(expr: Expr) -> Stmt {
    no_span(StmtKind::Expr(expr))
}

fn block(stmts: Vec<Stmt>) -> Block {
    Block {
        stmts,
        span: Span::default(),
    }
}

fn ty(name: &str) -> Type {
    Type {
        name: name.to_string(),
        generics: vec![],
        array_dims: 0,
        span: Span::default(),
    }
}

fn param(ty: Option<Type>, name: &str) -> Param {
    Param {
        annotations: vec![],
        modifiers: vec![],
        ty,
        vararg: false,
        name: id(name),
        default: None,
    }
}

fn binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    e(ExprKind::Binary {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    })
}

fn prop(target: Expr, nav: Nav, name: &str) -> Expr {
    e(ExprKind::Property {
        target: Box::new(target),
        name: PropName::Name(id(name)),
        nav,
    })
}

fn print(stmts: Vec<Stmt>) -> String {
    sexpr(&File {
        shebang: None,
        stmts,
        comments: vec![],
    })
}

fn print_exprs(exprs: Vec<Expr>) -> String {
    print(exprs.into_iter().map(stmt).collect())
}

fn decl(modifiers: &[&str], ty: Option<Type>, targets: DeclTargets) -> VarDecl {
    VarDecl {
        annotations: vec![],
        modifiers: modifiers.iter().map(|m| id(m)).collect(),
        ty,
        targets,
    }
}

#[test]
fn the_examples_from_the_design() {
    let method = MethodDef {
        annotations: vec![],
        modifiers: vec![id("def")],
        ret: None,
        name: id("foo"),
        params: vec![
            param(Some(ty("String")), "a"),
            Param {
                default: Some(int("1")),
                ..param(None, "b")
            },
        ],
        throws: vec![],
        body: Some(block(vec![stmt(var("a"))])),
    };
    let gstring = e(ExprKind::GString(GString {
        parts: vec![
            GStringPart::Text(no_span("x".to_string())),
            GStringPart::Interp {
                expr: prop(var("env"), Nav::Dot, "BRANCH_NAME"),
                braces: false,
            },
        ],
        quote: Quote::Double,
    }));
    let out = print(vec![
        stmt(cmd("sh", sq("make"))),
        no_span(StmtKind::VarDecl(decl(
            &["def"],
            None,
            DeclTargets::Names(vec![Declarator {
                name: id("x"),
                init: Some(int("1")),
            }]),
        ))),
        stmt(call(
            "stage",
            true,
            vec![Arg::Positional(sq("Build"))],
            vec![closure(vec![stmt(cmd("sh", sq("make")))])],
        )),
        no_span(StmtKind::Method(method)),
        stmt(binary(BinaryOp::Add, var("a"), gstring)),
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (call sh [cmd] "make")
            (decl def x (int 1))
            (call stage [paren] "Build" (closure (call sh [cmd] "make")))
            (method def foo (params (param :String a) (param b (default (int 1))))
              (block (var a)))
            (binary + (var a) (gstring "x" (interp $ (prop . (var env) BRANCH_NAME))))
            "#
        )
    );
}

#[test]
fn blocks_of_two_statements_take_a_line_each() {
    let steps = call(
        "steps",
        false,
        vec![],
        vec![closure(vec![
            stmt(cmd("sh", sq("make"))),
            stmt(cmd("junit", sq("x.xml"))),
        ])],
    );
    let stage = call(
        "stage",
        true,
        vec![Arg::Positional(sq("Build"))],
        vec![closure(vec![stmt(steps)])],
    );
    let pipeline = call(
        "pipeline",
        false,
        vec![],
        vec![closure(vec![
            stmt(cmd("agent", var("any"))),
            stmt(call(
                "stages",
                false,
                vec![],
                vec![closure(vec![stmt(stage)])],
            )),
        ])],
    );
    assert_eq!(
        print_exprs(vec![pipeline]),
        dedent(
            r#"
            (call pipeline [cmd]
              (closure
                (call agent [cmd] (var any))
                (call stages [cmd]
                  (closure
                    (call stage [paren] "Build"
                      (closure
                        (call steps [cmd]
                          (closure
                            (call sh [cmd] "make")
                            (call junit [cmd] "x.xml")))))))))
            "#
        )
    );
}

#[test]
fn long_expressions_break_after_what_fits() {
    let long = |name: &str| cmd("echo", sq(&name.repeat(20)));
    let out = print_exprs(vec![
        binary(BinaryOp::Or, long("a"), long("b")),
        cmd("echo", sq(&"c".repeat(80))),
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (binary || (call echo [cmd] "aaaaaaaaaaaaaaaaaaaa")
              (call echo [cmd] "bbbbbbbbbbbbbbbbbbbb"))
            (call echo [cmd]
              "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")
            "#
        )
    );
}

#[test]
fn literals_show_radix_suffix_and_quotes() {
    let out = print_exprs(vec![
        int("42"),
        e(ExprKind::Int(number("1F", 16, Some('L')))),
        e(ExprKind::Int(number("101", 2, None))),
        e(ExprKind::Int(number("17", 8, Some('G')))),
        e(ExprKind::Int(number("12", 3, None))),
        e(ExprKind::Decimal(number("1.5e3", 10, Some('D')))),
        e(ExprKind::Null),
        e(ExprKind::Bool(true)),
        e(ExprKind::Bool(false)),
        e(ExprKind::This),
        e(ExprKind::Super),
        sq("it's"),
        str_lit("s", Quote::Double),
        str_lit("a\nb", Quote::TripleSingle),
        str_lit("a\nb", Quote::TripleDouble),
        str_lit("[a-z]+", Quote::Slashy),
        str_lit("$x", Quote::DollarSlashy),
        sq("tab\t\"q\" \\ nul\0 esc\u{1b} zw\u{200b} nbsp\u{a0} é ∑"),
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (int 42)
            (int 1F [hex L])
            (int 101 [bin])
            (int 17 [oct G])
            (int 12 [radix-3])
            (decimal 1.5e3 [D])
            null
            true
            false
            this
            super
            "it's"
            (str [double] "s")
            (str [triple-single] "a\nb")
            (str [triple-double] "a\nb")
            (str [slashy] "[a-z]+")
            (str [dollar-slashy] "$x")
            "tab\t\"q\" \\ nul\0 esc\u{1b} zw\u{200b} nbsp\u{a0} é ∑"
            "#
        )
    );
}

#[test]
fn gstrings_show_each_part() {
    let parts = vec![
        GStringPart::Text(no_span("a ".to_string())),
        GStringPart::Interp {
            expr: var("b"),
            braces: false,
        },
        GStringPart::Interp {
            expr: binary(BinaryOp::Add, var("c"), int("1")),
            braces: true,
        },
        GStringPart::Empty(Span::default()),
        GStringPart::Text(no_span("\n".to_string())),
    ];
    let out = print_exprs(vec![
        e(ExprKind::GString(GString {
            parts: parts.clone(),
            quote: Quote::Double,
        })),
        e(ExprKind::GString(GString {
            parts,
            quote: Quote::TripleDouble,
        })),
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (gstring "a " (interp $ (var b)) (interp ${} (binary + (var c) (int 1)))
              (interp ${})
              "\n")
            (gstring [triple-double] "a " (interp $ (var b))
              (interp ${} (binary + (var c) (int 1)))
              (interp ${})
              "\n")
            "#
        )
    );
}

#[test]
fn calls_show_form_named_spread_and_trailing_closures() {
    let receiver_call = e(ExprKind::MethodCall {
        receiver: Some(b(ExprKind::Var("a".to_string()))),
        nav: Nav::Safe,
        name: PropName::Name(id("b")),
        args: args(true, vec![Arg::Positional(int("1"))], vec![]),
    });
    let quoted_name = e(ExprKind::MethodCall {
        receiver: Some(b(ExprKind::Var("steps".to_string()))),
        nav: Nav::Dot,
        name: PropName::Quoted(Box::new(sq("my step"))),
        args: args(true, vec![], vec![]),
    });
    let apply = e(ExprKind::Call {
        callee: Box::new(call("f", true, vec![], vec![])),
        args: args(true, vec![], vec![]),
    });
    let out = print_exprs(vec![
        call(
            "git",
            false,
            vec![named("url", sq("u")), named("branch", var("b"))],
            vec![],
        ),
        call(
            "f",
            true,
            vec![
                Arg::Positional(int("1")),
                Arg::Positional(closure(vec![stmt(var("it"))])),
            ],
            vec![],
        ),
        call(
            "f",
            true,
            vec![Arg::Positional(int("1"))],
            vec![closure(vec![stmt(var("it"))])],
        ),
        call(
            "f",
            true,
            vec![
                Arg::Spread(var("xs")),
                Arg::Named(MapEntry {
                    key: MapKey::Spread(Span::default()),
                    value: var("m"),
                }),
            ],
            vec![],
        ),
        call("node", false, vec![], vec![closure(vec![])]),
        call("f", true, vec![], vec![var("notAClosure")]),
        receiver_call,
        quoted_name,
        apply,
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (call git [cmd] (url: "u") (branch: (var b)))
            (call f [paren] (int 1) (arg (closure (var it))))
            (call f [paren] (int 1) (closure (var it)))
            (call f [paren] (* (var xs)) (*: (var m)))
            (call node [cmd] (closure))
            (call f [paren] (trailing (var notAClosure)))
            (call ?. (var a) b [paren] (int 1))
            (call . (var steps) "my step" [paren])
            (apply (call f [paren]) [paren])
            "#
        )
    );
}

#[test]
fn members_indexes_and_operators() {
    let unary = |op, operand: &str| {
        e(ExprKind::Unary {
            op,
            operand: b(ExprKind::Var(operand.to_string())),
        })
    };
    let map = e(ExprKind::Map(vec![
        MapEntry {
            key: MapKey::Name(id("k")),
            value: var("v"),
        },
        MapEntry {
            key: MapKey::Expr(e(ExprKind::Paren(b(ExprKind::Var("x".to_string()))))),
            value: var("y"),
        },
        MapEntry {
            key: MapKey::Expr(sq("if")),
            value: int("1"),
        },
    ]));
    let out = print_exprs(vec![
        prop(var("a"), Nav::Dot, "b"),
        prop(var("a"), Nav::Safe, "b"),
        prop(var("a"), Nav::Spread, "b"),
        prop(var("a"), Nav::Attribute, "b"),
        e(ExprKind::Property {
            target: b(ExprKind::Var("a".to_string())),
            name: PropName::Dynamic(b(ExprKind::Var("n".to_string()))),
            nav: Nav::Dot,
        }),
        e(ExprKind::Index {
            target: b(ExprKind::Var("a".to_string())),
            index: vec![int("1"), int("2")],
            safe: false,
        }),
        e(ExprKind::Index {
            target: b(ExprKind::Var("a".to_string())),
            index: vec![int("0")],
            safe: true,
        }),
        e(ExprKind::MethodPointer {
            target: b(ExprKind::This),
            name: id("helper"),
        }),
        unary(UnaryOp::Neg, "x"),
        unary(UnaryOp::Not, "x"),
        unary(UnaryOp::BitNot, "x"),
        unary(UnaryOp::PreInc, "x"),
        unary(UnaryOp::PostDec, "x"),
        binary(BinaryOp::Match, var("a"), str_lit("b.*", Quote::Slashy)),
        binary(BinaryOp::In, var("a"), var("b")),
        e(ExprKind::Ternary {
            cond: b(ExprKind::Var("c".to_string())),
            then: b(ExprKind::Int(number("1", 10, None))),
            otherwise: b(ExprKind::Int(number("2", 10, None))),
        }),
        e(ExprKind::Elvis {
            value: b(ExprKind::Var("a".to_string())),
            fallback: Box::new(sq("d")),
        }),
        e(ExprKind::Assign {
            op: AssignOp::Add,
            target: b(ExprKind::Var("x".to_string())),
            value: b(ExprKind::Int(number("1", 10, None))),
        }),
        e(ExprKind::Assign {
            op: AssignOp::Elvis,
            target: Box::new(prop(var("env"), Nav::Dot, "X")),
            value: Box::new(sq("y")),
        }),
        e(ExprKind::TupleAssign {
            targets: vec![id("a"), id("b")],
            value: b(ExprKind::Var("pair".to_string())),
        }),
        e(ExprKind::Range {
            from: b(ExprKind::Int(number("1", 10, None))),
            to: b(ExprKind::Var("n".to_string())),
            exclusive: true,
        }),
        e(ExprKind::Range {
            from: b(ExprKind::Int(number("1", 10, None))),
            to: b(ExprKind::Int(number("2", 10, None))),
            exclusive: false,
        }),
        e(ExprKind::List(vec![
            int("1"),
            e(ExprKind::Spread(b(ExprKind::Var("xs".to_string())))),
        ])),
        map,
        e(ExprKind::Map(vec![])),
        e(ExprKind::Paren(b(ExprKind::Var("a".to_string())))),
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (prop . (var a) b)
            (prop ?. (var a) b)
            (prop *. (var a) b)
            (prop .@ (var a) b)
            (prop . (var a) (dynamic (var n)))
            (index [] (var a) (int 1) (int 2))
            (index ?[] (var a) (int 0))
            (method-ptr this helper)
            (unary - (var x))
            (unary ! (var x))
            (unary ~ (var x))
            (unary ++ (var x))
            (postfix -- (var x))
            (binary ==~ (var a) (str [slashy] "b.*"))
            (binary in (var a) (var b))
            (ternary (var c) (int 1) (int 2))
            (elvis (var a) "d")
            (assign += (var x) (int 1))
            (assign ?= (prop . (var env) X) "y")
            (tuple-assign (tuple a b) (var pair))
            (range ..< (int 1) (var n))
            (range .. (int 1) (int 2))
            (list (int 1) (* (var xs)))
            (map (k: (var v)) (key (paren (var x)) (var y)) (key "if" (int 1)))
            (map)
            (paren (var a))
            "#
        )
    );
}

#[test]
fn types_casts_and_new() {
    let map_type = Type {
        generics: vec![
            ty("String"),
            Type {
                generics: vec![ty("String")],
                ..ty("List")
            },
        ],
        array_dims: 1,
        ..ty("java.util.Map")
    };
    let out = print_exprs(vec![
        e(ExprKind::Cast {
            ty: ty("int"),
            operand: b(ExprKind::Var("x".to_string())),
        }),
        e(ExprKind::As {
            operand: b(ExprKind::Var("x".to_string())),
            ty: map_type,
        }),
        e(ExprKind::InstanceOf {
            operand: b(ExprKind::Var("x".to_string())),
            ty: ty("Map"),
        }),
        e(ExprKind::New {
            ty: Type {
                generics: vec![ty("String")],
                ..ty("ArrayList")
            },
            args: args(true, vec![Arg::Positional(int("1"))], vec![]),
            array: None,
        }),
        e(ExprKind::New {
            ty: ty("int"),
            args: Args::default(),
            array: Some(vec![int("3")]),
        }),
        e(ExprKind::New {
            ty: Type {
                array_dims: 1,
                ..ty("int")
            },
            args: Args::default(),
            array: Some(vec![int("1"), int("2")]),
        }),
    ]);
    assert_eq!(
        out,
        dedent(
            r"
            (cast :int (var x))
            (as (var x) :java.util.Map<String,List<String>>[])
            (instanceof (var x) :Map)
            (new :ArrayList<String> [paren] (int 1))
            (new :int (array (int 3)))
            (new :int[] (array (int 1) (int 2)))
            "
        )
    );
}

#[test]
fn closures_show_explicit_and_implicit_parameters() {
    let with_params = Closure {
        params: Some(vec![
            param(Some(ty("String")), "a"),
            Param {
                default: Some(int("2")),
                ..param(None, "b")
            },
        ]),
        body: vec![stmt(var("a")), stmt(var("b"))],
    };
    let out = print_exprs(vec![
        closure(vec![stmt(var("it"))]),
        e(ExprKind::Closure(Closure {
            params: Some(vec![]),
            body: vec![stmt(int("1"))],
        })),
        e(ExprKind::Closure(with_params)),
    ]);
    assert_eq!(
        out,
        dedent(
            r"
            (closure (var it))
            (closure (->) (int 1))
            (closure (-> (param :String a) (param b (default (int 2))))
              (var a)
              (var b))
            "
        )
    );
}

#[test]
fn declarations_show_annotations_modifiers_and_types() {
    let field = VarDecl {
        annotations: vec![Annotation {
            name: id("Field"),
            args: vec![],
            span: Span::default(),
        }],
        ..decl(
            &["final"],
            Some(Type {
                generics: vec![ty("K"), ty("V")],
                array_dims: 2,
                ..ty("Map")
            }),
            DeclTargets::Names(vec![
                Declarator {
                    name: id("m"),
                    init: Some(e(ExprKind::Map(vec![]))),
                },
                Declarator {
                    name: id("n"),
                    init: None,
                },
            ]),
        )
    };
    let tuple = decl(
        &["def"],
        None,
        DeclTargets::Tuple {
            names: vec![(None, id("a")), (Some(ty("String")), id("b"))],
            init: var("pair"),
        },
    );
    let grab = Annotation {
        name: id("groovy.lang.Grab"),
        args: vec![
            AnnotationArg {
                name: Some(id("group")),
                value: sq("g"),
            },
            AnnotationArg {
                name: Some(id("module")),
                value: sq("m"),
            },
        ],
        span: Span::default(),
    };
    let library = Annotation {
        name: id("Library"),
        args: vec![AnnotationArg {
            name: None,
            value: sq("lib@main"),
        }],
        span: Span::default(),
    };
    let import = |annotations, is_static, path: &str, star, alias: Option<&str>| {
        no_span(StmtKind::Import(Import {
            annotations,
            is_static,
            path: id(path),
            star,
            alias: alias.map(id),
        }))
    };
    let out = print(vec![
        no_span(StmtKind::Package(id("org.example"))),
        import(vec![grab], false, "a.B", false, None),
        import(vec![], true, "java.lang.Math", true, None),
        import(vec![library], false, "a.B", false, Some("C")),
        no_span(StmtKind::VarDecl(field)),
        no_span(StmtKind::VarDecl(tuple)),
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (package org.example)
            (import (@groovy.lang.Grab (group = "g") (module = "m")) a.B)
            (import static java.lang.Math.*)
            (import (@Library "lib@main") a.B as C)
            (decl (@Field) final :Map<K,V>[][] m (map) n)
            (decl def (tuple a :String b) (var pair))
            "#
        )
    );
}

#[test]
fn methods_and_classes() {
    let method = MethodDef {
        annotations: vec![Annotation {
            name: id("NonCPS"),
            args: vec![],
            span: Span::default(),
        }],
        modifiers: vec![id("private"), id("static")],
        ret: Some(ty("String")),
        name: id("f"),
        params: vec![
            Param {
                default: Some(int("1")),
                ..param(Some(ty("int")), "a")
            },
            Param {
                vararg: true,
                ..param(Some(ty("String")), "rest")
            },
            Param {
                vararg: true,
                modifiers: vec![id("final")],
                ..param(None, "more")
            },
        ],
        throws: vec![ty("IOException"), ty("E")],
        body: Some(block(vec![no_span(StmtKind::Return(Some(var("a"))))])),
    };
    let string_named = MethodDef {
        annotations: vec![],
        modifiers: vec![id("def")],
        ret: None,
        name: id("my method"),
        params: vec![],
        throws: vec![],
        body: None,
    };
    let class = ClassDef {
        annotations: vec![],
        modifiers: vec![id("public")],
        kind: ClassKind::Class,
        name: id("Box"),
        generics: vec![ty("T")],
        extends: vec![ty("Base")],
        implements: vec![ty("Serializable"), ty("Cloneable")],
        constants: vec![],
        members: vec![
            Member::Field(no_span(decl(
                &["private"],
                Some(ty("T")),
                DeclTargets::Names(vec![Declarator {
                    name: id("value"),
                    init: None,
                }]),
            ))),
            Member::Method(no_span(string_named)),
            Member::Initializer {
                is_static: true,
                body: block(vec![]),
            },
        ],
    };
    let colour = ClassDef {
        annotations: vec![],
        modifiers: vec![],
        kind: ClassKind::Enum,
        name: id("Colour"),
        generics: vec![],
        extends: vec![],
        implements: vec![],
        constants: vec![id("RED"), id("GREEN")],
        members: vec![],
    };
    let out = print(vec![
        no_span(StmtKind::Method(method)),
        no_span(StmtKind::Class(class)),
        no_span(StmtKind::Class(colour)),
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (method (@NonCPS) private static :String f
              (params (param :int a (default (int 1))) (param :String... rest)
                (param final ... more))
              (throws :IOException :E)
              (block (return (var a))))
            (class public Box<T> (extends :Base) (implements :Serializable :Cloneable)
              (field private :T value)
              (method def "my method" (params))
              (init static (block)))
            (enum Colour (constants RED GREEN))
            "#
        )
    );
}

#[test]
fn control_flow_statements() {
    let echo = |text: &str| stmt(cmd("echo", sq(text)));
    let if_else = StmtKind::If {
        cond: var("ok"),
        then: Box::new(no_span(StmtKind::Block(block(vec![echo("yes")])))),
        otherwise: Some(Box::new(no_span(StmtKind::Block(block(vec![
            echo("no"),
            echo("really"),
        ]))))),
    };
    let for_loop = StmtKind::For {
        init: vec![no_span(StmtKind::VarDecl(decl(
            &[],
            Some(ty("int")),
            DeclTargets::Names(vec![Declarator {
                name: id("i"),
                init: Some(int("0")),
            }]),
        )))],
        cond: Some(binary(BinaryOp::Lt, var("i"), int("3"))),
        update: vec![e(ExprKind::Unary {
            op: UnaryOp::PostInc,
            operand: b(ExprKind::Var("i".to_string())),
        })],
        body: Box::new(echo("loop")),
    };
    let forever = StmtKind::For {
        init: vec![],
        cond: None,
        update: vec![],
        body: Box::new(no_span(StmtKind::Break(None))),
    };
    let for_in = StmtKind::ForIn {
        ty: Some(ty("String")),
        var: id("x"),
        iterable: var("xs"),
        body: Box::new(no_span(StmtKind::Continue(Some(id("outer"))))),
    };
    let switch = StmtKind::Switch {
        subject: var("x"),
        cases: vec![
            SwitchCase {
                labels: vec![CaseLabel::Case(int("1")), CaseLabel::Case(int("2"))],
                body: vec![echo("small"), no_span(StmtKind::Break(None))],
                span: Span::default(),
            },
            SwitchCase {
                labels: vec![CaseLabel::Default(Span::default())],
                body: vec![echo("other")],
                span: Span::default(),
            },
        ],
    };
    let try_stmt = StmtKind::Try {
        body: block(vec![echo("try")]),
        catches: vec![
            Catch {
                types: vec![ty("IOException"), ty("RuntimeException")],
                var: id("e"),
                body: block(vec![no_span(StmtKind::Throw(var("e")))]),
            },
            Catch {
                types: vec![],
                var: id("e"),
                body: block(vec![]),
            },
        ],
        finally: Some(block(vec![echo("done")])),
    };
    let out = print(vec![
        no_span(if_else),
        no_span(StmtKind::While {
            cond: e(ExprKind::Bool(true)),
            body: Box::new(no_span(StmtKind::Block(block(vec![])))),
        }),
        no_span(for_loop),
        no_span(forever),
        no_span(for_in),
        no_span(switch),
        no_span(try_stmt),
        no_span(StmtKind::Return(None)),
        no_span(StmtKind::Assert {
            cond: var("ok"),
            message: Some(sq("not ok")),
        }),
        no_span(StmtKind::Labeled {
            label: id("outer"),
            body: Box::new(echo("x")),
        }),
    ]);
    assert_eq!(
        out,
        dedent(
            r#"
            (if (var ok)
              (block (call echo [cmd] "yes"))
              (block
                (call echo [cmd] "no")
                (call echo [cmd] "really")))
            (while true (block))
            (for (init (decl :int i (int 0))) (cond (binary < (var i) (int 3)))
              (update (postfix ++ (var i)))
              (call echo [cmd] "loop"))
            (for (init) (cond) (update) (break))
            (for-in :String x (var xs) (continue outer))
            (switch (var x)
              (case (int 1) (int 2)
                (body
                  (call echo [cmd] "small")
                  (break)))
              (case default (body (call echo [cmd] "other"))))
            (try
              (block (call echo [cmd] "try"))
              (catch :IOException :RuntimeException e (block (throw (var e))))
              (catch e (block))
              (finally (block (call echo [cmd] "done"))))
            (return)
            (assert (var ok) "not ok")
            (label outer (call echo [cmd] "x"))
            "#
        )
    );
}

#[test]
fn spans_on_statements_and_expressions() {
    // `sh 'make'; x = [1]` with a statement span that takes in the `;`.
    let sh = Spanned::new(
        ExprKind::MethodCall {
            receiver: None,
            nav: Nav::Dot,
            name: PropName::Name(Spanned::new("sh".to_string(), Span::new(0, 2))),
            args: Args {
                items: vec![Arg::Positional(Spanned::new(
                    ExprKind::Str(StrLit {
                        value: "make".to_string(),
                        quote: Quote::Single,
                    }),
                    Span::new(3, 9),
                ))],
                closures: vec![],
                parens: false,
                span: Span::new(3, 9),
            },
        },
        Span::new(0, 9),
    );
    let assign = Spanned::new(
        ExprKind::Assign {
            op: AssignOp::Assign,
            target: Box::new(Spanned::new(
                ExprKind::Var("x".to_string()),
                Span::new(11, 12),
            )),
            value: Box::new(Spanned::new(
                ExprKind::List(vec![Spanned::new(
                    ExprKind::Int(number("1", 10, None)),
                    Span::new(16, 17),
                )]),
                Span::new(15, 18),
            )),
        },
        Span::new(11, 18),
    );
    let file = File {
        shebang: Some(Span::new(0, 0)),
        stmts: vec![
            Spanned::new(StmtKind::Expr(sh), Span::new(0, 10)),
            Spanned::new(StmtKind::Expr(assign), Span::new(11, 18)),
        ],
        comments: vec![
            Comment {
                kind: CommentKind::Line,
                span: Span::new(19, 25),
            },
            Comment {
                kind: CommentKind::Doc,
                span: Span::new(26, 40),
            },
        ],
    };
    assert_eq!(
        sexpr_with_spans(&file),
        dedent(
            r#"
            (shebang@0..0)
            (stmt@0..10 (call@0..9 sh [cmd@3..9] "make"@3..9))
            (assign@11..18 = (var@11..12 x) (list@15..18 (int@16..17 1)))
            (comments line@19..25 doc@26..40)
            "#
        )
    );
    assert_eq!(
        sexpr(&file),
        dedent(
            r#"
            (shebang)
            (call sh [cmd] "make")
            (assign = (var x) (list (int 1)))
            (comments line doc)
            "#
        )
    );
}

#[test]
fn an_empty_file_prints_nothing() {
    assert_eq!(print(vec![]), "");
}

#[test]
fn trees_as_deep_as_the_parser_allows_print_on_a_test_thread() {
    let mut expr = int("1");
    for level in 0..crate::syntax::MAX_NESTING {
        expr = match level % 3 {
            0 => e(ExprKind::Paren(Box::new(expr))),
            1 => call("f", true, vec![Arg::Positional(expr)], vec![]),
            _ => closure(vec![stmt(expr)]),
        };
    }
    let mut nested = stmt(expr);
    for _ in 0..crate::syntax::MAX_NESTING {
        nested = no_span(StmtKind::Block(block(vec![nested])));
    }
    let out = print(vec![nested]);
    assert!(out.starts_with("(block\n  (block\n"));
    assert_eq!(out.matches("(paren").count(), 167);
}
