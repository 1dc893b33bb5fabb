from acme.alerting.v1 import alert_severity_pb2 as _alert_severity_pb2
from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AlertFired(_message.Message):
    __slots__ = ["alert_id", "annotations", "labels", "metadata", "observed_value", "owner_team", "rule_name", "runbook_url", "severity", "source_details", "start_time", "summary", "threshold"]
    class AnnotationsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class LabelsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ALERT_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_VALUE_FIELD_NUMBER: _ClassVar[int]
    OWNER_TEAM_FIELD_NUMBER: _ClassVar[int]
    RULE_NAME_FIELD_NUMBER: _ClassVar[int]
    RUNBOOK_URL_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_DETAILS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    alert_id: str
    annotations: _containers.ScalarMap[str, str]
    labels: _containers.ScalarMap[str, str]
    metadata: _event_metadata_pb2.EventMetadata
    observed_value: float
    owner_team: str
    rule_name: str
    runbook_url: str
    severity: _alert_severity_pb2.AlertSeverity
    source_details: _struct_pb2.Struct
    start_time: _timestamp_pb2.Timestamp
    summary: str
    threshold: float
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., alert_id: _Optional[str] = ..., rule_name: _Optional[str] = ..., severity: _Optional[_Union[_alert_severity_pb2.AlertSeverity, str]] = ..., summary: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., annotations: _Optional[_Mapping[str, str]] = ..., start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., observed_value: _Optional[float] = ..., threshold: _Optional[float] = ..., owner_team: _Optional[str] = ..., runbook_url: _Optional[str] = ..., source_details: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
