//! The spanned Groovy-subset tree that every later phase reads. It knows nothing of pest.
//! Names are owned strings: files are small and the tree outlives the source buffer in the LSP.

use crate::source::{Span, Spanned};

pub type Ident = Spanned<String>;
pub type Expr = Spanned<ExprKind>;
pub type Stmt = Spanned<StmtKind>;

/// A parsed file: its statements in order (including imports, methods and classes, because a
/// Groovy script interleaves them) and every comment, kept for hover docs.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub shebang: Option<Span>,
    pub stmts: Vec<Stmt>,
    pub comments: Vec<Comment>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `// …`
    Line,
    /// `/* … */`
    Block,
    /// `/** … */`, a Groovydoc comment.
    Doc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    pub span: Span,
}

/// `@Name`, `@Name(value)` or `@Name(key = value, …)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    pub name: Ident,
    pub args: Vec<AnnotationArg>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnnotationArg {
    /// `None` for the single unnamed `value` argument.
    pub name: Option<Ident>,
    pub value: Expr,
}

/// A type as written: `String`, `java.util.Map<String, List<String>>`, `String[]`, `def`.
#[derive(Clone, Debug, PartialEq)]
pub struct Type {
    pub name: String,
    pub generics: Vec<Type>,
    pub array_dims: u8,
    pub span: Span,
}

/// A method or closure parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub annotations: Vec<Annotation>,
    pub modifiers: Vec<Ident>,
    pub ty: Option<Type>,
    pub vararg: bool,
    pub name: Ident,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Expr(Expr),
    VarDecl(VarDecl),
    Method(MethodDef),
    Class(ClassDef),
    Import(Import),
    Package(Ident),
    Block(Block),
    If {
        cond: Expr,
        then: Box<Stmt>,
        otherwise: Option<Box<Stmt>>,
    },
    While {
        cond: Expr,
        body: Box<Stmt>,
    },
    /// C-style `for (init; cond; update)`.
    For {
        init: Vec<Stmt>,
        cond: Option<Expr>,
        update: Vec<Expr>,
        body: Box<Stmt>,
    },
    /// `for (x in xs)` and Java's `for (T x : xs)`.
    ForIn {
        ty: Option<Type>,
        var: Ident,
        iterable: Expr,
        body: Box<Stmt>,
    },
    Switch {
        subject: Expr,
        cases: Vec<SwitchCase>,
    },
    Try {
        body: Block,
        catches: Vec<Catch>,
        finally: Option<Block>,
    },
    Return(Option<Expr>),
    Break(Option<Ident>),
    Continue(Option<Ident>),
    Throw(Expr),
    Assert {
        cond: Expr,
        message: Option<Expr>,
    },
    /// `label: statement`.
    Labeled {
        label: Ident,
        body: Box<Stmt>,
    },
}

/// `def x = 1`, `String a, b = 'x'`, `@Field final Map m = [:]`, `def (a, b) = pair`.
#[derive(Clone, Debug, PartialEq)]
pub struct VarDecl {
    pub annotations: Vec<Annotation>,
    /// `def`, `final`, `static`, `private`, … in source order.
    pub modifiers: Vec<Ident>,
    pub ty: Option<Type>,
    pub targets: DeclTargets,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DeclTargets {
    /// One or more `name [= init]`.
    Names(Vec<Declarator>),
    /// `def (a, String b) = init`.
    Tuple {
        names: Vec<(Option<Type>, Ident)>,
        init: Expr,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Declarator {
    pub name: Ident,
    pub init: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MethodDef {
    pub annotations: Vec<Annotation>,
    pub modifiers: Vec<Ident>,
    /// `None` for `def` and constructors.
    pub ret: Option<Type>,
    pub name: Ident,
    pub params: Vec<Param>,
    pub throws: Vec<Type>,
    /// `None` for an abstract or interface method.
    pub body: Option<Block>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassKind {
    Class,
    Interface,
    Enum,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    pub annotations: Vec<Annotation>,
    pub modifiers: Vec<Ident>,
    pub kind: ClassKind,
    pub name: Ident,
    pub generics: Vec<Type>,
    pub extends: Vec<Type>,
    pub implements: Vec<Type>,
    /// Enum constants, in order.
    pub constants: Vec<Ident>,
    pub members: Vec<Member>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Member {
    Field(Spanned<VarDecl>),
    Method(Spanned<MethodDef>),
    Class(Spanned<ClassDef>),
    /// `static { … }` or an instance initializer `{ … }`.
    Initializer {
        is_static: bool,
        body: Block,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub annotations: Vec<Annotation>,
    pub is_static: bool,
    /// The dotted path without a trailing `.*`.
    pub path: Ident,
    pub star: bool,
    pub alias: Option<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SwitchCase {
    /// Empty for `default:` alone; a case may carry several labels that fall through.
    pub labels: Vec<CaseLabel>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CaseLabel {
    Case(Expr),
    Default(Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Catch {
    /// Empty for an untyped `catch (e)`; several for `catch (A | B e)`.
    pub types: Vec<Type>,
    pub var: Ident,
    pub body: Block,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Int(NumberLit),
    Decimal(NumberLit),
    /// A string with no interpolation, its escapes already decoded.
    Str(StrLit),
    /// A string with `$x` or `${…}` parts.
    GString(GString),
    List(Vec<Expr>),
    Map(Vec<MapEntry>),
    Range {
        from: Box<Expr>,
        to: Box<Expr>,
        exclusive: bool,
    },
    /// A bare name: a variable, a property of the script, a class, or `it`.
    Var(String),
    This,
    Super,
    /// `a.b`, `a?.b`, `a*.b`, `a.@b`, `a."$name"`.
    Property {
        target: Box<Expr>,
        name: PropName,
        nav: Nav,
    },
    /// `a[i]`, `a?[i]`; several indices for `a[1, 2]`.
    Index {
        target: Box<Expr>,
        index: Vec<Expr>,
        safe: bool,
    },
    /// `name(args)` or `recv.name(args)`, with or without parentheses.
    MethodCall {
        receiver: Option<Box<Expr>>,
        nav: Nav,
        name: PropName,
        args: Args,
    },
    /// Calling any other expression: `closures[k]()`, `{ … }()`, `f()()`.
    Call {
        callee: Box<Expr>,
        args: Args,
    },
    /// `obj.&name`.
    MethodPointer {
        target: Box<Expr>,
        name: Ident,
    },
    Closure(Closure),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Elvis {
        value: Box<Expr>,
        fallback: Box<Expr>,
    },
    Assign {
        op: AssignOp,
        target: Box<Expr>,
        value: Box<Expr>,
    },
    /// `(a, b) = value` without `def`.
    TupleAssign {
        targets: Vec<Ident>,
        value: Box<Expr>,
    },
    /// `(int) x`.
    Cast {
        ty: Type,
        operand: Box<Expr>,
    },
    /// `x as Type`.
    As {
        operand: Box<Expr>,
        ty: Type,
    },
    InstanceOf {
        operand: Box<Expr>,
        ty: Type,
    },
    /// `new Type(args)` or `new Type[n]`.
    New {
        ty: Type,
        args: Args,
        /// Dimension sizes of an array creation, or the list of an array initializer.
        array: Option<Vec<Expr>>,
    },
    /// A parenthesised expression, kept so that spans and `(a).b` stay faithful.
    Paren(Box<Expr>),
    /// `*list` as an element of a list literal.
    Spread(Box<Expr>),
    /// An annotation used as a value, as in `@Grapes([@Grab('a:b:1')])`.
    Annotation(Box<Annotation>),
}

/// How a member is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// `.`
    Dot,
    /// `?.`
    Safe,
    /// `*.`
    Spread,
    /// `.@`
    Attribute,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PropName {
    Name(Ident),
    /// `a.'quoted name'` or `a."$dynamic"`.
    Quoted(Box<Expr>),
    /// `a.(expr)`: the name is computed.
    Dynamic(Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct NumberLit {
    /// The literal as written, without underscores or suffix.
    pub digits: String,
    pub radix: u32,
    /// `L`, `G`, `I`, `D`, `F` (upper-cased), if any.
    pub suffix: Option<char>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quote {
    /// `'…'`
    Single,
    /// `"…"`
    Double,
    /// `'''…'''`
    TripleSingle,
    /// `"""…"""`
    TripleDouble,
    /// `/…/`
    Slashy,
    /// `$/…/$`
    DollarSlashy,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    pub value: String,
    pub quote: Quote,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GString {
    pub parts: Vec<GStringPart>,
    pub quote: Quote,
}

#[derive(Clone, Debug, PartialEq)]
pub enum GStringPart {
    Text(Spanned<String>),
    /// `$a.b` (braces false) or `${expr}` (braces true).
    Interp {
        expr: Expr,
        braces: bool,
    },
    /// `${}`: interpolates null.
    Empty(Span),
}

#[derive(Clone, Debug, PartialEq)]
pub struct MapEntry {
    pub key: MapKey,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MapKey {
    /// A bare word key `name:`; also keywords such as `if:`.
    Name(Ident),
    /// A string, number or `(expr)` key.
    Expr(Expr),
    /// `*:map`.
    Spread(Span),
}

/// Call arguments. Groovy gathers named arguments into one map and passes it first; the
/// tree keeps them in source order so diagnostics and printers can point at each one.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Args {
    pub items: Vec<Arg>,
    /// Closures written after the closing parenthesis (or as the whole argument list).
    pub closures: Vec<Expr>,
    /// `false` for a command expression such as `sh 'make'`.
    pub parens: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Positional(Expr),
    Named(MapEntry),
    /// `*list`.
    Spread(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Closure {
    /// `None` when no `->` is written, so the closure takes the implicit `it`.
    pub params: Option<Vec<Param>>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Plus,
    Not,
    BitNot,
    PreInc,
    PreDec,
    PostInc,
    PostDec,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Power,
    Mul,
    Div,
    Mod,
    Add,
    Sub,
    Shl,
    Shr,
    UShr,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Eq,
    Ne,
    Cmp,
    Find,
    Match,
    BitAnd,
    BitXor,
    BitOr,
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Assign,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Power,
    Shl,
    Shr,
    UShr,
    BitAnd,
    BitXor,
    BitOr,
    Elvis,
}

impl BinaryOp {
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Power => "**",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Shl => "<<",
            BinaryOp::Shr => ">>",
            BinaryOp::UShr => ">>>",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Cmp => "<=>",
            BinaryOp::Find => "=~",
            BinaryOp::Match => "==~",
            BinaryOp::BitAnd => "&",
            BinaryOp::BitXor => "^",
            BinaryOp::BitOr => "|",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
        }
    }
}

impl AssignOp {
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            AssignOp::Assign => "=",
            AssignOp::Add => "+=",
            AssignOp::Sub => "-=",
            AssignOp::Mul => "*=",
            AssignOp::Div => "/=",
            AssignOp::Mod => "%=",
            AssignOp::Power => "**=",
            AssignOp::Shl => "<<=",
            AssignOp::Shr => ">>=",
            AssignOp::UShr => ">>>=",
            AssignOp::BitAnd => "&=",
            AssignOp::BitXor => "^=",
            AssignOp::BitOr => "|=",
            AssignOp::Elvis => "?=",
        }
    }
}

impl UnaryOp {
    #[must_use]
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Plus => "+",
            UnaryOp::Not => "!",
            UnaryOp::BitNot => "~",
            UnaryOp::PreInc | UnaryOp::PostInc => "++",
            UnaryOp::PreDec | UnaryOp::PostDec => "--",
        }
    }
}
