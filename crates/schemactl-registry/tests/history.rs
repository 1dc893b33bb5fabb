//! The release history read from a real git repository.

use schemactl_registry::{History, Loader};

mod common;
use common::{example_repo, git};

/// A release candidate is not served: not as a release, and not as the
/// latest version of a topic whose message it changes.
#[test]
fn pre_release_tags_are_not_served() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = example_repo(tmp.path());
    let file = repo.join("proto/acme/identity/v1/user_created.proto");
    let text = std::fs::read_to_string(&file).expect("read");
    let text = text.replacen(
        "message UserCreated {",
        "message UserCreated {\n  string rc_only = 99;",
        1,
    );
    std::fs::write(&file, text).expect("write");
    git(&repo, &["commit", "-q", "-am", "rc"]);
    git(&repo, &["tag", "-a", "v2.0.0-rc.1", "-m", "rc"]);

    let mut history = History::new(&repo);
    history.refresh().expect("refresh");
    let names: Vec<_> = history.releases().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["v1.0.0"]);
    assert!(history.errors().is_empty(), "{:?}", history.errors());

    let (_, registry) = Loader::new(&repo).refresh().expect("refresh");
    let registry = registry.expect("a registry");
    let topic = &registry.topics["identity.user-created.v1"];
    assert_eq!(topic.versions.len(), 1);
    assert_eq!(topic.latest().release.name, "v1.0.0");
    let message = topic.latest().descriptor().expect("descriptor");
    assert!(message.get_field_by_name("rc_only").is_none());

    // Once released for real, it is served.
    git(&repo, &["tag", "v1.1.0"]);
    history.refresh().expect("refresh");
    let names: Vec<_> = history.releases().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["v1.0.0", "v1.1.0"]);
}

/// The schema ids of a tree about to be released are the ids `serve` gives
/// once it is tagged: generated bindings embed them before the tag exists.
#[test]
fn a_pending_release_gets_the_ids_its_tag_will_have() {
    use schemactl_registry::BuildCache;
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = example_repo(tmp.path());
    let file = repo.join("proto/acme/identity/v1/user_created.proto");
    let text = std::fs::read_to_string(&file).expect("read");
    let text = text.replacen(
        "message UserCreated {",
        "message UserCreated {\n  // Added in 1.1.0.\n  string added = 99;",
        1,
    );
    std::fs::write(&file, text).expect("write");

    let version = semver::Version::new(1, 1, 0);
    let pending = History::new(&repo)
        .registry_with_pending(None, Some(&version), &mut BuildCache::default())
        .expect("pending registry");
    assert_eq!(
        pending.latest_release().map(|r| r.name.as_str()),
        Some("v1.1.0")
    );
    let ids = |registry: &schemactl_registry::Registry| -> Vec<(String, Vec<u32>)> {
        registry
            .topics
            .values()
            .map(|t| {
                (
                    t.name.clone(),
                    t.versions.iter().map(|v| v.schema.id).collect(),
                )
            })
            .collect()
    };
    let before = ids(&pending);
    let created = &pending.topics["identity.user-created.v1"];
    assert_eq!(created.versions.len(), 2, "the change is a second version");
    assert_ne!(created.versions[0].schema.id, created.versions[1].schema.id);

    git(&repo, &["commit", "-q", "-am", "add a field"]);
    git(&repo, &["tag", "v1.1.0"]);
    let (_, served) = Loader::new(&repo).refresh().expect("refresh");
    assert_eq!(ids(&served.expect("a registry")), before);

    // Generating an older release sees only the tags before it.
    let old = History::new(&repo)
        .registry_with_pending(
            Some("v1.0.0"),
            Some(&semver::Version::new(1, 0, 0)),
            &mut BuildCache::default(),
        )
        .expect("registry at v1.0.0");
    assert_eq!(old.releases.len(), 1);
    assert_eq!(old.topics["identity.user-created.v1"].versions.len(), 1);
    assert_eq!(
        old.topics["identity.user-created.v1"].versions[0].schema.id,
        created.versions[0].schema.id
    );
}
