//! ECR `DescribeRepositories` for one repository: does it exist? Used by `plan --check`; a
//! read-only call that changes nothing.

use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesError;

use super::config::{AwsEnv, sdk_error};
use super::error::Error;

const OPERATION: &str = "ecr:DescribeRepositories";

/// Whether the repository `name` exists in the registry `registry_id` (the caller's own
/// account when `None`), with the keys and region of `aws`.
pub async fn repository_exists(
    aws: &AwsEnv,
    registry_id: Option<&str>,
    name: &str,
) -> Result<bool, Error> {
    let config = aws.sdk_config(OPERATION).await?;
    let client = aws_sdk_ecr::Client::new(&config);
    let result = client
        .describe_repositories()
        .set_registry_id(registry_id.map(str::to_owned))
        .repository_names(name)
        .send()
        .await;
    match result {
        Ok(out) => Ok(out
            .repositories()
            .iter()
            .any(|r| r.repository_name() == Some(name))),
        Err(e)
            if e.as_service_error()
                .is_some_and(DescribeRepositoriesError::is_repository_not_found_exception) =>
        {
            Ok(false)
        }
        Err(e) => Err(sdk_error(&e, OPERATION, aws.endpoint("api.ecr"))),
    }
}
