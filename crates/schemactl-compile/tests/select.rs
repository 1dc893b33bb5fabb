//! `Image::select`, the image of `--path`: the picked files as input
//! files, what they import as imports, nothing else; each kept file
//! encoded exactly as in the whole image (custom options included).

use schemactl_compile::compile_tree;
use schemactl_config::Config;
use schemactl_source::read_dir_tree;

/// The files of an encoded `FileDescriptorSet`, as (name, bytes), in order.
fn split(mut bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    while !bytes.is_empty() {
        let (tag, _) = prost::encoding::decode_key(&mut bytes).expect("key");
        assert_eq!(tag, 1);
        let len =
            usize::try_from(prost::encoding::decode_varint(&mut bytes).expect("len")).expect("len");
        let (file, rest) = bytes.split_at(len);
        let name = <prost_types::FileDescriptorProto as prost::Message>::decode(file)
            .expect("file")
            .name()
            .to_owned();
        files.push((name, file.to_vec()));
        bytes = rest;
    }
    files
}

#[test]
fn select_keeps_the_picked_files_and_their_imports() {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = [
        (
            "opts/v1/opts.proto",
            "syntax = \"proto3\";\npackage opts.v1;\nimport \"google/protobuf/descriptor.proto\";\n\
             extend google.protobuf.MessageOptions { string tag = 50001; }\n",
        ),
        (
            "b/v1/b.proto",
            "syntax = \"proto3\";\npackage b.v1;\nimport \"google/protobuf/timestamp.proto\";\n\
             message B { google.protobuf.Timestamp at = 1; }\n",
        ),
        (
            "a/v1/a.proto",
            "syntax = \"proto3\";\npackage a.v1;\nimport \"b/v1/b.proto\";\n\
             import \"opts/v1/opts.proto\";\n\
             // A.\nmessage A { option (opts.v1.tag) = \"x\"; b.v1.B b = 1; }\n",
        ),
        (
            "c/v1/c.proto",
            "syntax = \"proto3\";\npackage c.v1;\nmessage C {}\n",
        ),
    ];
    for (path, text) in files {
        let path = tmp.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let tree = read_dir_tree(tmp.path()).expect("tree");
    let compilation = compile_tree(&tree, &Config::buf_default(), ".");
    assert!(compilation.diagnostics.is_empty());
    let image = compilation.image.expect("image");

    let selected = image
        .select(|f| f.input_path.starts_with("a/"))
        .expect("select");
    let inputs: Vec<&str> = selected.input_files().map(|f| f.name.as_str()).collect();
    assert_eq!(inputs, ["a/v1/a.proto"]);
    let all = split(&image.encode(true, true));
    let kept = split(&selected.encode(true, true));
    // Everything but `c/v1/c.proto`, which `a` does not import, in the
    // whole image's order.
    let expected: Vec<&str> = all
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| *n != "c/v1/c.proto")
        .collect();
    assert_eq!(expected.len(), 5, "{expected:?}");
    let names: Vec<&str> = kept.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, expected);
    for (name, bytes) in &kept {
        let whole = all.iter().find(|(n, _)| n == name).expect("in the image");
        assert_eq!(bytes, &whole.1, "{name}");
    }
    assert_eq!(
        split(&selected.encode(false, true))
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["a/v1/a.proto"]
    );
    let none = image.select(|_| false).expect("select");
    assert_eq!(none.files().len(), 0);
}
