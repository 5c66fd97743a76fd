//! `currentBuild.changeSets` as the objects Jenkinsfiles walk: each set a `GitChangeSetList`
//! (`kind`, `items`, `emptySet`, iterable over its items), each item a `GitChangeSet`
//! (`commitId`, `msg`, `comment`, `timestamp`, `date`, `author` as a `User` whose text is its
//! full name, `affectedPaths`, `affectedFiles` of paths with an `editType`), read as
//! properties or through their getters (`getItems()`, `getMsg()`, `getAuthor()`, …), as
//! `e.author.fullName`, `"${e.author}"`, `e.affectedFiles*.path` and `entries.length` do in
//! real Jenkinsfiles. The data comes from `steps::changelog` as JSON.

use std::rc::Rc;

use indexmap::IndexMap;

use crate::eval::classes::json::from_json;
use crate::eval::flow::{Flow, R};
use crate::eval::object::{HostObject, Object};
use crate::eval::scope::Cx;
use crate::eval::value::Value;

/// A read-only Java bean: named properties, getters for them, a `toString`, and optionally
/// the items a `for … in` walks.
#[derive(Debug)]
struct Bean {
    class: &'static str,
    props: IndexMap<String, Value>,
    text: String,
    items: Option<Vec<Value>>,
}

fn object(bean: Bean) -> Value {
    Value::Object(Rc::new(Object::Host(Rc::new(bean))))
}

impl HostObject for Bean {
    fn class_name(&self) -> &str {
        self.class
    }

    fn get(&self, name: &str, _cx: &Cx) -> R<Value> {
        self.props.get(name).cloned().ok_or_else(|| {
            Flow::exception(
                "groovy.lang.MissingPropertyException",
                format!("No such property: {name} for class: {}", self.class),
            )
        })
    }

    fn set(&self, name: &str, _value: Value, _cx: &Cx) -> R<()> {
        Err(Flow::exception(
            "groovy.lang.ReadOnlyPropertyException",
            format!(
                "Cannot set readonly property: {name} for class: {}",
                self.class
            ),
        ))
    }

    fn call(&self, name: &str, args: &[Value], _cx: &Cx) -> Option<R<Value>> {
        if !args.is_empty() {
            return None;
        }
        if name == "toString" {
            return Some(Ok(Value::string(self.text.clone())));
        }
        if name == "iterator" {
            return self.items.clone().map(|items| Ok(Value::list(items)));
        }
        let prop = name
            .strip_prefix("get")
            .or_else(|| name.strip_prefix("is"))?;
        let mut chars = prop.chars();
        let first = chars.next()?;
        let prop = first.to_lowercase().collect::<String>() + chars.as_str();
        self.props.get(&prop).cloned().map(Ok)
    }

    fn to_text(&self) -> String {
        self.text.clone()
    }

    fn items(&self) -> Option<Vec<Value>> {
        self.items.clone()
    }
}

fn text(json: &serde_json::Value, name: &str) -> String {
    json.get(name)
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// `currentBuild.changeSets` from the change log's JSON sets.
pub(crate) fn change_sets(sets: &[serde_json::Value]) -> Value {
    Value::list(sets.iter().map(change_set).collect())
}

fn change_set(set: &serde_json::Value) -> Value {
    let items: Vec<Value> = set
        .get("items")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .map(entry)
        .collect();
    let mut props = IndexMap::new();
    props.insert("kind".to_owned(), Value::string(text(set, "kind")));
    props.insert("items".to_owned(), Value::list(items.clone()));
    props.insert("emptySet".to_owned(), Value::Bool(items.is_empty()));
    object(Bean {
        class: "hudson.plugins.git.GitChangeSetList",
        props,
        text: "hudson.plugins.git.GitChangeSetList".to_owned(),
        items: Some(items),
    })
}

fn entry(item: &serde_json::Value) -> Value {
    let name = item
        .get("author")
        .map(|a| text(a, "fullName"))
        .unwrap_or_default();
    let mut author = IndexMap::new();
    author.insert("fullName".to_owned(), Value::string(name.clone()));
    author.insert("id".to_owned(), Value::string(name.clone()));
    author.insert("displayName".to_owned(), Value::string(name.clone()));
    let author = object(Bean {
        class: "hudson.model.User",
        props: author,
        text: name,
        items: None,
    });
    let files: Vec<Value> = item
        .get("affectedFiles")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .map(path)
        .collect();
    let mut props = IndexMap::new();
    for key in [
        "commitId",
        "id",
        "revision",
        "authorName",
        "authorEmail",
        "msg",
        "comment",
        "date",
    ] {
        props.insert(key.to_owned(), Value::string(text(item, key)));
    }
    props.insert(
        "timestamp".to_owned(),
        Value::Long(
            item.get("timestamp")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0),
        ),
    );
    props.insert("author".to_owned(), author);
    props.insert(
        "affectedPaths".to_owned(),
        item.get("affectedPaths")
            .map_or_else(|| Value::list(Vec::new()), from_json),
    );
    props.insert("affectedFiles".to_owned(), Value::list(files.clone()));
    props.insert("paths".to_owned(), Value::list(files));
    let text = text(item, "msg");
    object(Bean {
        class: "hudson.plugins.git.GitChangeSet",
        props,
        text,
        items: None,
    })
}

fn path(file: &serde_json::Value) -> Value {
    let edit = file
        .get("editType")
        .map(|e| text(e, "name"))
        .unwrap_or_default();
    let description = match edit.as_str() {
        "add" => "The file was added",
        "delete" => "The file was removed",
        _ => "The file was modified",
    };
    let mut kind = IndexMap::new();
    kind.insert("name".to_owned(), Value::string(edit.clone()));
    kind.insert("description".to_owned(), Value::str(description));
    let edit_type = object(Bean {
        class: "hudson.scm.EditType",
        props: kind,
        text: edit,
        items: None,
    });
    let path = text(file, "path");
    let mut props = IndexMap::new();
    props.insert("path".to_owned(), Value::string(path.clone()));
    props.insert("editType".to_owned(), edit_type);
    object(Bean {
        class: "hudson.plugins.git.GitChangeSet$Path",
        props,
        text: path,
        items: None,
    })
}
