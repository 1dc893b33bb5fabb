//! `.proto` text from a descriptor, for files the registry has no source
//! of (the well-known types, which clients like kafkajs fetch as text).
//! The output means the same as the descriptor: messages, fields with
//! labels and defaults, oneofs, maps, enums, services, reserved ranges,
//! extension ranges and extensions. Options other than `packed`,
//! `deprecated` and `json_name` are left out (they change no encoding).

use std::fmt::Write as _;

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};

pub fn proto_text(file: &FileDescriptorProto) -> String {
    let proto3 = file.syntax() == "proto3";
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Rendered by schemactl from the descriptor of `{}`.",
        file.name()
    );
    let _ = writeln!(
        out,
        "syntax = \"{}\";\n",
        if proto3 { "proto3" } else { "proto2" }
    );
    if !file.package().is_empty() {
        let _ = writeln!(out, "package {};\n", file.package());
    }
    for dep in &file.dependency {
        let _ = writeln!(out, "import \"{dep}\";");
    }
    if !file.dependency.is_empty() {
        out.push('\n');
    }
    for m in &file.message_type {
        message(&mut out, m, 0, proto3);
    }
    for e in &file.enum_type {
        enumeration(&mut out, e, 0);
    }
    extensions(&mut out, &file.extension, 0, proto3);
    for s in &file.service {
        let _ = writeln!(out, "service {} {{", s.name());
        for m in &s.method {
            let _ = writeln!(
                out,
                "  rpc {}({}{}) returns ({}{});",
                m.name(),
                if m.client_streaming() { "stream " } else { "" },
                m.input_type(),
                if m.server_streaming() { "stream " } else { "" },
                m.output_type()
            );
        }
        out.push_str("}\n");
    }
    out
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn message(out: &mut String, m: &DescriptorProto, depth: usize, proto3: bool) {
    indent(out, depth);
    let _ = writeln!(out, "message {} {{", m.name());
    let maps: Vec<&DescriptorProto> = m
        .nested_type
        .iter()
        .filter(|n| n.options.as_ref().is_some_and(|o| o.map_entry()))
        .collect();
    for n in &m.nested_type {
        if !maps.iter().any(|e| e.name() == n.name()) {
            message(out, n, depth + 1, proto3);
        }
    }
    for e in &m.enum_type {
        enumeration(out, e, depth + 1);
    }
    let mut oneof_done = vec![false; m.oneof_decl.len()];
    for f in &m.field {
        match f.oneof_index {
            Some(i) if !f.proto3_optional() => {
                let i = i as usize;
                if oneof_done.get(i).copied().unwrap_or(true) {
                    continue;
                }
                oneof_done[i] = true;
                indent(out, depth + 1);
                let _ = writeln!(out, "oneof {} {{", m.oneof_decl[i].name());
                for member in m.field.iter().filter(|g| g.oneof_index == Some(i as i32)) {
                    field(out, member, depth + 2, proto3, &maps, true);
                }
                indent(out, depth + 1);
                out.push_str("}\n");
            }
            _ => field(out, f, depth + 1, proto3, &maps, false),
        }
    }
    for r in &m.reserved_range {
        indent(out, depth + 1);
        let end = r.end() - 1;
        if end == r.start() {
            let _ = writeln!(out, "reserved {};", r.start());
        } else if r.end() >= 536_870_912 {
            let _ = writeln!(out, "reserved {} to max;", r.start());
        } else {
            let _ = writeln!(out, "reserved {} to {end};", r.start());
        }
    }
    if !m.reserved_name.is_empty() {
        indent(out, depth + 1);
        let names: Vec<String> = m.reserved_name.iter().map(|n| format!("\"{n}\"")).collect();
        let _ = writeln!(out, "reserved {};", names.join(", "));
    }
    for r in &m.extension_range {
        indent(out, depth + 1);
        if r.end() >= 536_870_912 {
            let _ = writeln!(out, "extensions {} to max;", r.start());
        } else {
            let _ = writeln!(out, "extensions {} to {};", r.start(), r.end() - 1);
        }
    }
    extensions(out, &m.extension, depth + 1, proto3);
    indent(out, depth);
    out.push_str("}\n");
}

fn extensions(out: &mut String, fields: &[FieldDescriptorProto], depth: usize, proto3: bool) {
    let mut extendees: Vec<&str> = fields.iter().map(|f| f.extendee()).collect();
    extendees.dedup();
    for extendee in extendees {
        indent(out, depth);
        let _ = writeln!(out, "extend {extendee} {{");
        for f in fields.iter().filter(|f| f.extendee() == extendee) {
            field(out, f, depth + 1, proto3, &[], false);
        }
        indent(out, depth);
        out.push_str("}\n");
    }
}

fn field(
    out: &mut String,
    f: &FieldDescriptorProto,
    depth: usize,
    proto3: bool,
    maps: &[&DescriptorProto],
    in_oneof: bool,
) {
    indent(out, depth);
    let entry = maps.iter().find(|e| {
        f.type_name().rsplit('.').next() == Some(e.name()) && f.label() == Label::Repeated
    });
    if let Some(entry) = entry {
        let key = entry.field.iter().find(|g| g.number() == 1);
        let value = entry.field.iter().find(|g| g.number() == 2);
        if let (Some(k), Some(v)) = (key, value) {
            let _ = writeln!(
                out,
                "map<{}, {}> {} = {};",
                type_name(k),
                type_name(v),
                f.name(),
                f.number()
            );
            return;
        }
    }
    let label = match f.label() {
        Label::Repeated => "repeated ",
        Label::Required => "required ",
        Label::Optional if in_oneof => "",
        Label::Optional if proto3 && !f.proto3_optional() => "",
        Label::Optional => "optional ",
    };
    let mut options = Vec::new();
    if let Some(d) = &f.default_value {
        let quoted = matches!(f.r#type(), Type::String | Type::Bytes);
        options.push(if quoted {
            format!(
                "default = \"{}\"",
                d.replace('\\', "\\\\").replace('"', "\\\"")
            )
        } else {
            format!("default = {d}")
        });
    }
    if let Some(o) = &f.options {
        if let Some(p) = o.packed {
            options.push(format!("packed = {p}"));
        }
        if o.deprecated() {
            options.push("deprecated = true".to_owned());
        }
    }
    if let Some(j) = &f.json_name {
        if *j != crate::normalize::json_name(f.name()) {
            options.push(format!("json_name = \"{j}\""));
        }
    }
    let options = if options.is_empty() {
        String::new()
    } else {
        format!(" [{}]", options.join(", "))
    };
    let _ = writeln!(
        out,
        "{label}{} {} = {}{options};",
        type_name(f),
        f.name(),
        f.number()
    );
}

fn type_name(f: &FieldDescriptorProto) -> String {
    match f.r#type() {
        Type::Message | Type::Enum | Type::Group => f.type_name().to_owned(),
        Type::Double => "double".into(),
        Type::Float => "float".into(),
        Type::Int64 => "int64".into(),
        Type::Uint64 => "uint64".into(),
        Type::Int32 => "int32".into(),
        Type::Fixed64 => "fixed64".into(),
        Type::Fixed32 => "fixed32".into(),
        Type::Bool => "bool".into(),
        Type::String => "string".into(),
        Type::Bytes => "bytes".into(),
        Type::Uint32 => "uint32".into(),
        Type::Sfixed32 => "sfixed32".into(),
        Type::Sfixed64 => "sfixed64".into(),
        Type::Sint32 => "sint32".into(),
        Type::Sint64 => "sint64".into(),
    }
}

fn enumeration(out: &mut String, e: &EnumDescriptorProto, depth: usize) {
    indent(out, depth);
    let _ = writeln!(out, "enum {} {{", e.name());
    if e.options.as_ref().is_some_and(|o| o.allow_alias()) {
        indent(out, depth + 1);
        out.push_str("option allow_alias = true;\n");
    }
    for v in &e.value {
        indent(out, depth + 1);
        let _ = writeln!(out, "{} = {};", v.name(), v.number());
    }
    // Enum reserved ranges are inclusive at both ends.
    for r in &e.reserved_range {
        indent(out, depth + 1);
        if r.end() == r.start() {
            let _ = writeln!(out, "reserved {};", r.start());
        } else if r.end() == i32::MAX {
            let _ = writeln!(out, "reserved {} to max;", r.start());
        } else {
            let _ = writeln!(out, "reserved {} to {};", r.start(), r.end());
        }
    }
    if !e.reserved_name.is_empty() {
        indent(out, depth + 1);
        let names: Vec<String> = e.reserved_name.iter().map(|n| format!("\"{n}\"")).collect();
        let _ = writeln!(out, "reserved {};", names.join(", "));
    }
    indent(out, depth);
    out.push_str("}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every well-known file renders to text that compiles back to the same
    /// meaning.
    #[test]
    fn well_known_types_round_trip() {
        let global = prost_reflect::DescriptorPool::global();
        for name in [
            "google/protobuf/timestamp.proto",
            "google/protobuf/duration.proto",
            "google/protobuf/struct.proto",
            "google/protobuf/wrappers.proto",
            "google/protobuf/any.proto",
            "google/protobuf/empty.proto",
            "google/protobuf/field_mask.proto",
            "google/protobuf/descriptor.proto",
        ] {
            let file = global.get_file_by_name(name).expect("well-known file");
            let proto = file.file_descriptor_proto().clone();
            let text = proto_text(&proto);
            let rename = format!("rendered/{name}");
            let compiled = schemactl_compile::compile_text(
                &rename,
                &text,
                std::sync::Arc::new(|_: &str| None),
            )
            .unwrap_or_else(|e| panic!("{name} rendered to invalid text: {e}\n{text}"));
            let back = <FileDescriptorProto as prost::Message>::decode(compiled.as_slice())
                .expect("decodes");
            let mut original = proto.clone();
            original.options = None;
            let mut back = back;
            back.options = None;
            assert_eq!(
                crate::normalize::normal_form(strip(original), Some(name)),
                crate::normalize::normal_form(strip(back), Some(name)),
                "{name}:\n{text}"
            );
        }
    }

    /// Options are compared elsewhere; clear them on both sides.
    fn strip(mut f: FileDescriptorProto) -> FileDescriptorProto {
        fn msg(m: &mut DescriptorProto) {
            m.options = None;
            for f in m.field.iter_mut().chain(m.extension.iter_mut()) {
                f.options = None;
            }
            for n in &mut m.nested_type {
                msg(n);
            }
            for e in &mut m.enum_type {
                e.options = None;
                e.value.iter_mut().for_each(|v| v.options = None);
            }
            for r in &mut m.extension_range {
                r.options = None;
            }
        }
        f.options = None;
        f.message_type.iter_mut().for_each(msg);
        for e in &mut f.enum_type {
            e.options = None;
            e.value.iter_mut().for_each(|v| v.options = None);
        }
        f
    }
}
