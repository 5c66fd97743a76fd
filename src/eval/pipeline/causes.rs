//! `currentBuild.getBuildCauses()`: what started the build. A local run is started by its
//! user, the same cause `when { triggeredBy 'UserIdCause' }` holds for, in the form Jenkins
//! gives (one map per cause, `_class` first).

use indexmap::IndexMap;

use crate::eval::value::{Key, Value};

/// The one cause of a local run.
const USER_ID_CAUSE: &str = "hudson.model.Cause$UserIdCause";

/// The build's causes; with a class name, only those of that class (or a subclass: every
/// cause is a `hudson.model.Cause`), as `getBuildCauses(String)` filters.
pub(super) fn build_causes(class: Option<&str>) -> Value {
    let wanted = class.is_none_or(|c| matches!(c, USER_ID_CAUSE | "hudson.model.Cause"));
    if !wanted {
        return Value::list(Vec::new());
    }
    // The person running the build locally; Jenkins shows the logged-in user the same way.
    let user = std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "anonymous".to_owned());
    let mut cause = IndexMap::new();
    cause.insert(Key::str("_class"), Value::str(USER_ID_CAUSE));
    cause.insert(
        Key::str("shortDescription"),
        Value::string(format!("Started by user {user}")),
    );
    cause.insert(Key::str("userId"), Value::string(user.clone()));
    cause.insert(Key::str("userName"), Value::string(user));
    Value::list(vec![Value::map(cause)])
}
