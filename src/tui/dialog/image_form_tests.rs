//! The image form's own rules, as plain functions: the name it starts with, tags, the quota.

use super::*;

fn form(name: &str) -> ImageForm {
    ImageForm::new(ImageRef::new("s-1", name), Known::new(), false, Vec::new())
}

#[test]
fn the_name_starts_from_the_servers_with_what_ims_refuses_made_dashes() {
    assert_eq!(form("web-01").name.text, "web-01-image");
    assert_eq!(form("web 01/a").name.text, "web-01-a-image");
    let long = form(&"x".repeat(200));
    assert_eq!(long.name.text.chars().count(), 126);
    assert_eq!(long.problem(ImageField::Name), None);
}

#[test]
fn tags_are_key_value_pairs_with_a_comma_between() {
    assert_eq!(
        tags(" team=ops, env = prod ,,").unwrap(),
        [
            ("team".to_owned(), "ops".to_owned()),
            ("env".to_owned(), "prod".to_owned())
        ]
    );
    assert_eq!(tags("").unwrap(), []);
    assert!(tags("team").unwrap_err().contains("no '='"));
    assert!(tags("=ops").unwrap_err().contains("no key"));
    assert!(tags("a=1,a=2").unwrap_err().contains("twice"));
}

#[test]
fn the_quota_is_full_at_its_limit_and_unknown_refuses_nothing() {
    let mut f = form("web-01");
    assert_eq!(f.quota_full(), None);
    f.quota = Some(Usage::of(Some(9), Some(10)));
    assert_eq!(f.quota_full(), None);
    f.quota = Some(Usage::of(Some(10), Some(10)));
    assert!(f.quota_full().unwrap().contains("IMG.0015"));
    f.quota = Some(Usage::of(Some(10), None));
    assert_eq!(f.quota_full(), None, "no limit");
}

#[test]
fn descriptions_follow_the_ims_rules() {
    assert_eq!(description_problem("before the upgrade"), None);
    assert!(description_problem("a<b").is_some());
    assert!(description_problem("a\nb").is_some());
    assert!(description_problem(&"d".repeat(MAX_DESCRIPTION + 1)).is_some());
    assert_eq!(description_problem(&"d".repeat(MAX_DESCRIPTION)), None);
}
