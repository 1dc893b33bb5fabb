//! The shared check of `RPC_REQUEST_STANDARD_NAME` and
//! `RPC_RESPONSE_STANDARD_NAME`: an RPC's request (response) message is
//! named after the RPC, optionally prefixed with the service name.

use prost_reflect::{MessageDescriptor, MethodDescriptor};
use schemactl_compile::naming::to_pascal_case;
use schemactl_compile::walk::{self, tag};

use super::{FileCx, Sink};

/// The request or the response side of an RPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Request,
    Response,
}

impl Side {
    fn message(self, method: &MethodDescriptor) -> MessageDescriptor {
        match self {
            Side::Request => method.input(),
            Side::Response => method.output(),
        }
    }

    /// The field of `MethodDescriptorProto` that names the type.
    fn tag(self) -> i32 {
        match self {
            Side::Request => tag::METHOD_INPUT,
            Side::Response => tag::METHOD_OUTPUT,
        }
    }

    /// Whether the configuration accepts `google.protobuf.Empty` here.
    fn allows_empty(self, cx: &FileCx<'_>) -> bool {
        match self {
            Side::Request => cx.config.rpc_allow_google_protobuf_empty_requests,
            Side::Response => cx.config.rpc_allow_google_protobuf_empty_responses,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Side::Request => "Request",
            Side::Response => "Response",
        }
    }

    fn word(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// Report every RPC of the file whose `side` type is not named
/// `<Rpc><Side>` or `<Service><Rpc><Side>` (at the type's name in the RPC).
pub(crate) fn require_standard_name(cx: &FileCx<'_>, sink: &mut Sink, side: Side) {
    for service in cx.file.services() {
        for method in service.methods() {
            let message = side.message(&method);
            if side.allows_empty(cx) && message.full_name() == "google.protobuf.Empty" {
                continue;
            }
            let name = message.name();
            let expected = format!("{}{}", to_pascal_case(method.name()), side.suffix());
            let expected_long = format!("{}{expected}", to_pascal_case(service.name()));
            if name != expected && name != expected_long {
                let path = method.path();
                sink.report(
                    cx.file.name(),
                    path,
                    &walk::join(path, &[side.tag()]),
                    format!(
                        "RPC {} type \"{name}\" should be named \"{expected}\" or \"{expected_long}\".",
                        side.word()
                    ),
                );
            }
        }
    }
}
