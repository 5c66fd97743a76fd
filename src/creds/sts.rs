//! `role_arn`: the AWS credential's keys assume the role through STS (aws-sdk-sts), as the
//! aws-credentials plugin does. The endpoint and region come from the usual AWS environment
//! (`AWS_ENDPOINT_URL`, `AWS_REGION`), so a local STS such as moto works unchanged; the
//! region defaults to `us-east-1`.

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_sdk_sts::config::{Credentials, Region};

pub(super) struct Request<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub duration_seconds: Option<i32>,
    pub region: Option<&'a str>,
}

pub(super) struct Assumed {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

pub(super) async fn assume_role(request: &Request<'_>) -> Result<Assumed, String> {
    let region = RegionProviderChain::first_try(request.region.map(|r| Region::new(r.to_owned())))
        .or_default_provider()
        .or_else(Region::from_static("us-east-1"));
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(region)
        .credentials_provider(Credentials::new(
            request.access_key_id,
            request.secret_access_key,
            None,
            None,
            "jenkinsfile-credentials",
        ))
        .load()
        .await;
    let client = aws_sdk_sts::Client::new(&config);
    let output = client
        .assume_role()
        .role_arn(request.role_arn)
        .role_session_name(request.session_name)
        .set_duration_seconds(request.duration_seconds)
        .send()
        .await
        .map_err(|e| aws_sdk_sts::error::DisplayErrorContext(e).to_string())?;
    let credentials = output
        .credentials()
        .ok_or_else(|| "the response holds no credentials".to_owned())?;
    Ok(Assumed {
        access_key_id: credentials.access_key_id().to_owned(),
        secret_access_key: credentials.secret_access_key().to_owned(),
        session_token: credentials.session_token().to_owned(),
    })
}
