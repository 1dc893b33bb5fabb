from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
USER_STATUS_ACTIVE: UserStatus
USER_STATUS_PENDING_VERIFICATION: UserStatus
USER_STATUS_SUSPENDED: UserStatus
USER_STATUS_UNSPECIFIED: UserStatus

class User(_message.Message):
    __slots__ = ["create_time", "email", "id", "last_sign_in_time", "locale", "name", "organization_id", "roles", "status"]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LAST_SIGN_IN_TIME_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    create_time: _timestamp_pb2.Timestamp
    email: str
    id: int
    last_sign_in_time: _timestamp_pb2.Timestamp
    locale: str
    name: str
    organization_id: int
    roles: _containers.RepeatedScalarFieldContainer[str]
    status: UserStatus
    def __init__(self, id: _Optional[int] = ..., organization_id: _Optional[int] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., status: _Optional[_Union[UserStatus, str]] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., locale: _Optional[str] = ..., roles: _Optional[_Iterable[str]] = ..., last_sign_in_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UserStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
