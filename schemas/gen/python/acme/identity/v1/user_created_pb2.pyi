from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from acme.identity.v1 import user_pb2 as _user_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
SIGNUP_METHOD_ADMIN_INVITE: SignupMethod
SIGNUP_METHOD_EMAIL_PASSWORD: SignupMethod
SIGNUP_METHOD_GOOGLE_OIDC: SignupMethod
SIGNUP_METHOD_SAML_JIT: SignupMethod
SIGNUP_METHOD_SCIM: SignupMethod
SIGNUP_METHOD_UNSPECIFIED: SignupMethod

class UserCreated(_message.Message):
    __slots__ = ["email", "initial_status", "metadata", "name", "organization_id", "signup_method", "user_id"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    INITIAL_STATUS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNUP_METHOD_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    email: str
    initial_status: _user_pb2.UserStatus
    metadata: _event_metadata_pb2.EventMetadata
    name: str
    organization_id: int
    signup_method: SignupMethod
    user_id: int
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., user_id: _Optional[int] = ..., organization_id: _Optional[int] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., signup_method: _Optional[_Union[SignupMethod, str]] = ..., initial_status: _Optional[_Union[_user_pb2.UserStatus, str]] = ...) -> None: ...

class SignupMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
