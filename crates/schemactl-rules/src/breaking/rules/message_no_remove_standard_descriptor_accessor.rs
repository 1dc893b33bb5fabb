use crate::breaking::pair::MapEntries;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
    kind: RuleKind::Breaking,
    categories: &[Category::File, Category::Package, Category::Csr],
    v1_categories: Some(&[Category::File, Category::Package]),
    v1_exists: true,
    summary: "Messages do not turn on no_standard_descriptor_accessor.",
    doc: r#"## What it catches

A message whose `no_standard_descriptor_accessor` option went from unset or
`false` to `true`.

## Why it matters

The option removes the standard `descriptor()` accessor from the generated
code for the message (notably in C++ and Java). Code that reflects on the
message through that accessor stops compiling. The wire and JSON forms are
unaffected.

## Bad

```proto
message Config {
  option no_standard_descriptor_accessor = true;   // added
  string name = 1;
}
```

## Good

```proto
message Config {
  string name = 1;
}
```

## How to evolve safely

Leave the option off on existing messages; setting it back to `false` is
always safe.
"#,
    check: Check::Breaking(check),
};

/// `options.no_standard_descriptor_accessor` in `DescriptorProto`.
const NO_STANDARD_DESCRIPTOR_ACCESSOR: [i32; 2] = [7, 2];

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.message_pairs(MapEntries::Exclude) {
        let option = |m: &prost_reflect::MessageDescriptor| {
            m.descriptor_proto()
                .options
                .as_ref()
                .and_then(|o| o.no_standard_descriptor_accessor)
                .unwrap_or(false)
        };
        if !option(&previous) && option(&current) {
            let mut at = current.path().to_vec();
            at.extend_from_slice(&NO_STANDARD_DESCRIPTOR_ACCESSOR);
            sink.report(
                current.parent_file().name(),
                current.path(),
                &at,
                "Message option \"no_standard_descriptor_accessor\" changed from \"false\" to \"true\".",
            );
        }
    }
}
