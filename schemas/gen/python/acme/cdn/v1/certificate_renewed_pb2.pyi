from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

CERTIFICATE_AUTHORITY_CUSTOMER_PROVIDED: CertificateAuthority
CERTIFICATE_AUTHORITY_GOOGLE_TRUST_SERVICES: CertificateAuthority
CERTIFICATE_AUTHORITY_LETS_ENCRYPT: CertificateAuthority
CERTIFICATE_AUTHORITY_UNSPECIFIED: CertificateAuthority
DESCRIPTOR: _descriptor.FileDescriptor

class CertificateRenewed(_message.Message):
    __slots__ = ["authority", "certificate_id", "distribution_id", "hostnames", "metadata", "not_after_time", "not_before_time", "previous_certificate_id", "sha256_fingerprint"]
    AUTHORITY_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_ID_FIELD_NUMBER: _ClassVar[int]
    DISTRIBUTION_ID_FIELD_NUMBER: _ClassVar[int]
    HOSTNAMES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NOT_AFTER_TIME_FIELD_NUMBER: _ClassVar[int]
    NOT_BEFORE_TIME_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_CERTIFICATE_ID_FIELD_NUMBER: _ClassVar[int]
    SHA256_FINGERPRINT_FIELD_NUMBER: _ClassVar[int]
    authority: CertificateAuthority
    certificate_id: str
    distribution_id: str
    hostnames: _containers.RepeatedScalarFieldContainer[str]
    metadata: _event_metadata_pb2.EventMetadata
    not_after_time: _timestamp_pb2.Timestamp
    not_before_time: _timestamp_pb2.Timestamp
    previous_certificate_id: str
    sha256_fingerprint: str
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., certificate_id: _Optional[str] = ..., previous_certificate_id: _Optional[str] = ..., distribution_id: _Optional[str] = ..., hostnames: _Optional[_Iterable[str]] = ..., authority: _Optional[_Union[CertificateAuthority, str]] = ..., not_before_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., not_after_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., sha256_fingerprint: _Optional[str] = ...) -> None: ...

class CertificateAuthority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
