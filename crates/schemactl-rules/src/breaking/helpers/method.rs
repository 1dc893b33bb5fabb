//! The RPC rules that compare one property of each paired RPC.

use prost_reflect::{MessageDescriptor, MethodDescriptor};

use crate::breaking::{BreakingSink, PairCx};

/// The check of `RPC_SAME_REQUEST_TYPE` and `RPC_SAME_RESPONSE_TYPE`:
/// report an RPC whose `what` type (`request`, `response`) changed, at the
/// type (`field` below the method's path).
pub fn check_message_type(
    cx: &PairCx<'_>,
    sink: &mut BreakingSink,
    what: &str,
    field: i32,
    ty: impl Fn(&MethodDescriptor) -> MessageDescriptor,
) {
    for (previous, current) in cx.method_pairs() {
        let (before, after) = (ty(&previous), ty(&current));
        if before.full_name() == after.full_name() {
            continue;
        }
        let service = current.parent_service();
        let at = [current.path(), &[field]].concat();
        sink.report(
            service.parent_file().name(),
            current.path(),
            &at,
            format!(
                "RPC \"{}\" on service \"{}\" changed {what} type from \"{}\" to \"{}\".",
                current.name(),
                service.name(),
                before.full_name(),
                after.full_name(),
            ),
        );
    }
}

/// The check of `RPC_SAME_CLIENT_STREAMING` and
/// `RPC_SAME_SERVER_STREAMING`: report an RPC whose `side` (`client`,
/// `server`) changed between unary and streaming.
pub fn check_streaming(
    cx: &PairCx<'_>,
    sink: &mut BreakingSink,
    side: &str,
    streaming: impl Fn(&MethodDescriptor) -> bool,
) {
    for (previous, current) in cx.method_pairs() {
        let (before, after) = (streaming(&previous), streaming(&current));
        if before == after {
            continue;
        }
        let shape = |streaming: bool| if streaming { "streaming" } else { "unary" };
        let service = current.parent_service();
        sink.report(
            service.parent_file().name(),
            current.path(),
            current.path(),
            format!(
                "RPC \"{}\" on service \"{}\" changed from {side} {} to {side} {}.",
                current.name(),
                service.name(),
                shape(before),
                shape(after),
            ),
        );
    }
}
