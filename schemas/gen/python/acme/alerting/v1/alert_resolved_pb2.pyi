from acme.alerting.v1 import alert_severity_pb2 as _alert_severity_pb2
from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

ALERT_RESOLUTION_CONDITION_CLEARED: AlertResolution
ALERT_RESOLUTION_EXPIRED: AlertResolution
ALERT_RESOLUTION_MANUAL: AlertResolution
ALERT_RESOLUTION_UNSPECIFIED: AlertResolution
DESCRIPTOR: _descriptor.FileDescriptor

class AlertResolved(_message.Message):
    __slots__ = ["alert_id", "firing_duration", "metadata", "resolution", "rule_name", "severity"]
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    FIRING_DURATION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    RULE_NAME_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    firing_duration: _duration_pb2.Duration
    metadata: _event_metadata_pb2.EventMetadata
    resolution: AlertResolution
    rule_name: str
    severity: _alert_severity_pb2.AlertSeverity
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., alert_id: _Optional[str] = ..., rule_name: _Optional[str] = ..., severity: _Optional[_Union[_alert_severity_pb2.AlertSeverity, str]] = ..., resolution: _Optional[_Union[AlertResolution, str]] = ..., firing_duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class AlertResolution(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
