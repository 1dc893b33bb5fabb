//! Topic bindings (`topics: LANG`): for each topic of the catalog, one value
//! typed by its message, so producing another type to the topic does not
//! compile (or fails at once), with the topic's catalog entry as doc
//! comments and its Confluent schema ids for the wire format.

pub(crate) mod go;
pub(crate) mod java;
pub(crate) mod python;
pub(crate) mod rust;
pub(crate) mod typescript;

/// A topic's name as an upper-case constant: `identity.user-created.v1`
/// is `IDENTITY_USER_CREATED_V1` (the words between non-alphanumeric
/// characters, joined with `_`; `TOPIC_` first when that would not start
/// with a letter).
pub(crate) fn constant_name(topic: &str) -> String {
    let words: Vec<String> = topic
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let name = words.join("_");
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("TOPIC_{name}")
    }
}

/// A topic's name in PascalCase: `identity.user-created.v1` is
/// `IdentityUserCreatedV1` (each word's first letter upper-cased; `Topic`
/// first when that would not start with a letter).
pub(crate) fn pascal_case(topic: &str) -> String {
    let mut out = String::new();
    for word in topic.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "Topic");
    }
    out
}

/// `text` on one line, for a doc comment: every run of whitespace (line
/// breaks included) becomes one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_topics() {
        assert_eq!(
            constant_name("identity.user-created.v1"),
            "IDENTITY_USER_CREATED_V1"
        );
        assert_eq!(
            constant_name("billing.invoice_issued.v2"),
            "BILLING_INVOICE_ISSUED_V2"
        );
        assert_eq!(constant_name("2fa.enabled.v1"), "TOPIC_2FA_ENABLED_V1");
        assert_eq!(
            pascal_case("identity.user-created.v1"),
            "IdentityUserCreatedV1"
        );
        assert_eq!(
            pascal_case("billing.invoice_issued.v2"),
            "BillingInvoiceIssuedV2"
        );
        assert_eq!(pascal_case("2fa.enabled.v1"), "Topic2faEnabledV1");
        assert_eq!(one_line("A user was\n  created. "), "A user was created.");
    }
}
