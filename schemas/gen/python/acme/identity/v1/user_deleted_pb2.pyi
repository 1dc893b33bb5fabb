from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
USER_DELETION_REASON_ADMIN_ACTION: UserDeletionReason
USER_DELETION_REASON_INACTIVITY: UserDeletionReason
USER_DELETION_REASON_SCIM_DEPROVISIONED: UserDeletionReason
USER_DELETION_REASON_TRUST_AND_SAFETY: UserDeletionReason
USER_DELETION_REASON_UNSPECIFIED: UserDeletionReason
USER_DELETION_REASON_USER_REQUEST: UserDeletionReason

class UserDeleted(_message.Message):
    __slots__ = ["erase_time", "metadata", "organization_id", "reason", "user_id"]
    ERASE_TIME_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    erase_time: _timestamp_pb2.Timestamp
    metadata: _event_metadata_pb2.EventMetadata
    organization_id: int
    reason: UserDeletionReason
    user_id: int
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., user_id: _Optional[int] = ..., organization_id: _Optional[int] = ..., reason: _Optional[_Union[UserDeletionReason, str]] = ..., erase_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UserDeletionReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
