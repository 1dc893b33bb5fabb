//! Schemas compared by meaning: the same file compiled by protoc, by protox,
//! or serialized by a client's generated code must compare equal.
//!
//! The normal form drops what does not change meaning and differs between
//! producers: source info, an explicit `syntax = "proto2"`, absent versus
//! default `json_name`, absent versus empty options. The file's own name is
//! set by the caller (clients name files after their own layout).

use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

use crate::deadline::{Deadline, Expired};

/// The normal form of `file`, encoded. `name` replaces the file's name.
pub fn normal_form(file: FileDescriptorProto, name: Option<&str>) -> Vec<u8> {
    // A deadline that never expires cannot stop the work: never empty.
    normal_form_within(file, name, &Deadline::none()).unwrap_or_default()
}

/// [`normal_form`] for a request: a submitted file can be large, so the
/// walk stops when the request's time is up.
pub fn normal_form_within(
    mut file: FileDescriptorProto,
    name: Option<&str>,
    deadline: &Deadline,
) -> Result<Vec<u8>, Expired> {
    if let Some(name) = name {
        file.name = Some(name.to_owned());
    }
    file.source_code_info = None;
    if file.syntax.as_deref() == Some("proto2") || file.syntax.as_deref() == Some("") {
        file.syntax = None;
    }
    clear_empty(&mut file.options);
    for m in &mut file.message_type {
        message(m, deadline)?;
    }
    for e in &mut file.enum_type {
        enumeration(e, deadline)?;
    }
    for f in &mut file.extension {
        field(f);
    }
    for s in &mut file.service {
        deadline.check()?;
        clear_empty(&mut s.options);
        for m in &mut s.method {
            clear_empty(&mut m.options);
            if m.client_streaming == Some(false) {
                m.client_streaming = None;
            }
            if m.server_streaming == Some(false) {
                m.server_streaming = None;
            }
        }
    }
    deadline.check()?;
    Ok(prost::Message::encode_to_vec(&file))
}

/// How many elements are normalised between two deadline checks: often
/// enough to stop within microseconds, rarely enough to cost nothing.
const CHECK_EVERY: usize = 1024;

// Recursion over nested messages is bounded: descriptors come from prost's
// decoder (nesting limit 100) or from the compiler.
fn message(m: &mut DescriptorProto, deadline: &Deadline) -> Result<(), Expired> {
    deadline.check()?;
    clear_empty(&mut m.options);
    for (i, f) in m.field.iter_mut().chain(m.extension.iter_mut()).enumerate() {
        if i % CHECK_EVERY == CHECK_EVERY - 1 {
            deadline.check()?;
        }
        field(f);
    }
    for o in &mut m.oneof_decl {
        clear_empty(&mut o.options);
    }
    for n in &mut m.nested_type {
        message(n, deadline)?;
    }
    for e in &mut m.enum_type {
        enumeration(e, deadline)?;
    }
    for r in &mut m.extension_range {
        clear_empty(&mut r.options);
    }
    Ok(())
}

fn enumeration(e: &mut EnumDescriptorProto, deadline: &Deadline) -> Result<(), Expired> {
    deadline.check()?;
    clear_empty(&mut e.options);
    for (i, v) in e.value.iter_mut().enumerate() {
        if i % CHECK_EVERY == CHECK_EVERY - 1 {
            deadline.check()?;
        }
        clear_empty(&mut v.options);
    }
    Ok(())
}

fn field(f: &mut FieldDescriptorProto) {
    clear_empty(&mut f.options);
    if f.json_name.is_none() {
        f.json_name = Some(json_name(f.name()));
    }
    if f.proto3_optional == Some(false) {
        f.proto3_optional = None;
    }
}

fn clear_empty<T: Default + PartialEq>(options: &mut Option<T>) {
    if options.as_ref().is_some_and(|o| *o == T::default()) {
        *options = None;
    }
}

/// protoc's default JSON name: underscores removed, the letter after each
/// capitalised.
pub fn json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_follow_protoc() {
        assert_eq!(json_name("user_id"), "userId");
        assert_eq!(json_name("a_b_c"), "aBC");
        assert_eq!(json_name("already"), "already");
    }

    #[test]
    fn absent_and_default_forms_are_equal() {
        let with = FileDescriptorProto {
            name: Some("a.proto".into()),
            syntax: Some("proto2".into()),
            message_type: vec![DescriptorProto {
                name: Some("M".into()),
                field: vec![FieldDescriptorProto {
                    name: Some("user_id".into()),
                    json_name: Some("userId".into()),
                    number: Some(1),
                    options: Some(Default::default()),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let mut without = with.clone();
        without.syntax = None;
        without.name = Some("elsewhere/a.proto".into());
        without.message_type[0].field[0].json_name = None;
        without.message_type[0].field[0].options = None;
        assert_eq!(
            normal_form(with.clone(), Some("a.proto")),
            normal_form(without, Some("a.proto"))
        );
        let mut renamed = with.clone();
        renamed.message_type[0].field[0].number = Some(2);
        assert_ne!(
            normal_form(with, Some("a.proto")),
            normal_form(renamed, Some("a.proto"))
        );
    }
}
