//! The regions AWS publishes, so that a typo (`eu-west-l`, `us-east1`) fails before a request
//! with a did-you-mean, instead of as a DNS error for a host that does not exist.

use super::error::Error;

const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eusc-de-east-1",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// `region` if AWS has it, or [`Error::UnknownRegion`] with the closest name.
pub(crate) fn check(region: &str) -> Result<&str, Error> {
    if REGIONS.contains(&region) {
        return Ok(region);
    }
    let closest = REGIONS
        .iter()
        .map(|r| (strsim::levenshtein(r, region), *r))
        .min()
        .filter(|(d, _)| *d <= 3);
    let hint = match closest {
        Some((_, r)) => format!("did you mean `{r}`?"),
        None => "a region looks like `eu-west-1` or `us-east-2`".to_owned(),
    };
    Err(Error::UnknownRegion {
        region: region.to_owned(),
        hint,
    })
}

/// The ARN partition of a region (`aws`, `aws-cn`, `aws-us-gov`).
pub(crate) fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_gets_the_closest_region() {
        assert!(check("eu-west-1").is_ok());
        let Err(Error::UnknownRegion { hint, .. }) = check("eu-west-l") else {
            panic!("eu-west-l is not a region");
        };
        assert_eq!(hint, "did you mean `eu-west-1`?");
        let Err(Error::UnknownRegion { hint, .. }) = check("mars") else {
            panic!("mars is not a region");
        };
        assert!(hint.contains("eu-west-1"), "{hint}");
        assert_eq!(partition("cn-north-1"), "aws-cn");
    }
}
