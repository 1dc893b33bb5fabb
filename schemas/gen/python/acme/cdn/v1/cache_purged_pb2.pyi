from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
PURGE_MODE_DELETE: PurgeMode
PURGE_MODE_INVALIDATE: PurgeMode
PURGE_MODE_UNSPECIFIED: PurgeMode

class CachePurged(_message.Message):
    __slots__ = ["distribution_id", "edge_location_count", "metadata", "mode", "paths", "propagation_duration", "purge_all", "purge_id", "surrogate_keys"]
    class PathList(_message.Message):
        __slots__ = ["paths"]
        PATHS_FIELD_NUMBER: _ClassVar[int]
        paths: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, paths: _Optional[_Iterable[str]] = ...) -> None: ...
    class SurrogateKeyList(_message.Message):
        __slots__ = ["keys"]
        KEYS_FIELD_NUMBER: _ClassVar[int]
        keys: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, keys: _Optional[_Iterable[str]] = ...) -> None: ...
    DISTRIBUTION_ID_FIELD_NUMBER: _ClassVar[int]
    EDGE_LOCATION_COUNT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    PATHS_FIELD_NUMBER: _ClassVar[int]
    PROPAGATION_DURATION_FIELD_NUMBER: _ClassVar[int]
    PURGE_ALL_FIELD_NUMBER: _ClassVar[int]
    PURGE_ID_FIELD_NUMBER: _ClassVar[int]
    SURROGATE_KEYS_FIELD_NUMBER: _ClassVar[int]
    distribution_id: str
    edge_location_count: int
    metadata: _event_metadata_pb2.EventMetadata
    mode: PurgeMode
    paths: CachePurged.PathList
    propagation_duration: _duration_pb2.Duration
    purge_all: bool
    purge_id: str
    surrogate_keys: CachePurged.SurrogateKeyList
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., purge_id: _Optional[str] = ..., distribution_id: _Optional[str] = ..., purge_all: bool = ..., paths: _Optional[_Union[CachePurged.PathList, _Mapping]] = ..., surrogate_keys: _Optional[_Union[CachePurged.SurrogateKeyList, _Mapping]] = ..., mode: _Optional[_Union[PurgeMode, str]] = ..., propagation_duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., edge_location_count: _Optional[int] = ...) -> None: ...

class PurgeMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
