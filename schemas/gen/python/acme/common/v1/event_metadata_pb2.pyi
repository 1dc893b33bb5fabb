from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Actor(_message.Message):
    __slots__ = ["client_ip", "job_name", "service_name", "user_id"]
    CLIENT_IP_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_NAME_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    client_ip: str
    job_name: str
    service_name: str
    user_id: str
    def __init__(self, user_id: _Optional[str] = ..., service_name: _Optional[str] = ..., job_name: _Optional[str] = ..., client_ip: _Optional[str] = ...) -> None: ...

class EventMetadata(_message.Message):
    __slots__ = ["actor", "causation_id", "event_id", "event_time", "producer", "trace_id"]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    CAUSATION_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    PRODUCER_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    actor: Actor
    causation_id: str
    event_id: str
    event_time: _timestamp_pb2.Timestamp
    producer: str
    trace_id: str
    def __init__(self, event_id: _Optional[str] = ..., event_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., producer: _Optional[str] = ..., trace_id: _Optional[str] = ..., causation_id: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ...) -> None: ...
