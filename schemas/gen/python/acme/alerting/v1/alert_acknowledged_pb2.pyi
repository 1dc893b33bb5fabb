from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AlertAcknowledged(_message.Message):
    __slots__ = ["alert_id", "escalation_level", "incident_id", "metadata", "time_to_acknowledge"]
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    ESCALATION_LEVEL_FIELD_NUMBER: _ClassVar[int]
    INCIDENT_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TIME_TO_ACKNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    escalation_level: int
    incident_id: str
    metadata: _event_metadata_pb2.EventMetadata
    time_to_acknowledge: _duration_pb2.Duration
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., alert_id: _Optional[str] = ..., time_to_acknowledge: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., escalation_level: _Optional[int] = ..., incident_id: _Optional[str] = ...) -> None: ...
