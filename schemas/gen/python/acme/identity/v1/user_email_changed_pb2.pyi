from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UserEmailChanged(_message.Message):
    __slots__ = ["metadata", "new_email", "previous_email", "user_id"]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NEW_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_EMAIL_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    metadata: _event_metadata_pb2.EventMetadata
    new_email: str
    previous_email: str
    user_id: int
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., user_id: _Optional[int] = ..., previous_email: _Optional[str] = ..., new_email: _Optional[str] = ...) -> None: ...
