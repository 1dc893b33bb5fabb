"""Print what protobuf (its Python runtime over upb) resolves for every
element of a FileDescriptorSet: one line per element, sorted, for
editions_features.rs to compare with prost-reflect's answer.

Usage: python resolved_features.py SET.binpb FILE...
Only the files named are walked (their imports are only loaded).
"""

import sys

from google.protobuf import descriptor_pb2, descriptor_pool

# The FeatureSet fields protobuf 33.5's descriptor.proto has; a newer
# runtime's extra fields are dropped.
KNOWN = {
    "field_presence",
    "enum_type",
    "repeated_field_encoding",
    "utf8_validation",
    "message_encoding",
    "json_format",
    "enforce_naming_style",
    "default_symbol_visibility",
}


def features(descriptor):
    resolved = descriptor_pb2.FeatureSet()
    resolved.CopyFrom(descriptor._GetFeatures())
    for field, _ in resolved.ListFields():
        if field.name not in KNOWN:
            resolved.ClearField(field.name)
    resolved.DiscardUnknownFields()
    return resolved.SerializeToString(deterministic=True).hex()


def field_line(kind, field):
    return (
        f"{kind} {field.full_name} {features(field)} presence={field.has_presence}"
        f" packed={field.is_packed} required={field.is_required} type={field.type}"
    )


def walk_message(message, out):
    out.append(f"message {message.full_name} {features(message)}")
    for oneof in message.oneofs:
        out.append(f"oneof {oneof.full_name} {features(oneof)}")
    for field in message.fields:
        out.append(field_line("field", field))
    for extension in message.extensions:
        out.append(field_line("extension", extension))
    for nested in message.nested_types:
        walk_message(nested, out)
    for enum in message.enum_types:
        walk_enum(enum, out)


def walk_enum(enum, out):
    out.append(f"enum {enum.full_name} {features(enum)} closed={enum.is_closed}")
    for value in enum.values:
        out.append(f"value {enum.full_name}.{value.name} {features(value)}")


def main():
    fds = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[1], "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    out = []
    for name in sys.argv[2:]:
        file = pool.FindFileByName(name)
        out.append(f"file {name} {features(file)}")
        for message in file.message_types_by_name.values():
            walk_message(message, out)
        for enum in file.enum_types_by_name.values():
            walk_enum(enum, out)
        for extension in file.extensions_by_name.values():
            out.append(field_line("extension", extension))
        for service in file.services_by_name.values():
            out.append(f"service {service.full_name} {features(service)}")
            for method in service.methods:
                out.append(f"method {method.full_name} {features(method)}")
    for line in sorted(out):
        print(line)


main()
