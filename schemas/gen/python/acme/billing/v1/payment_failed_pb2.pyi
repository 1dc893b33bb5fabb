from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from acme.common.v1 import money_pb2 as _money_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
PAYMENT_FAILURE_REASON_AUTHENTICATION_REQUIRED: PaymentFailureReason
PAYMENT_FAILURE_REASON_CARD_EXPIRED: PaymentFailureReason
PAYMENT_FAILURE_REASON_DECLINED: PaymentFailureReason
PAYMENT_FAILURE_REASON_INSUFFICIENT_FUNDS: PaymentFailureReason
PAYMENT_FAILURE_REASON_PROVIDER_ERROR: PaymentFailureReason
PAYMENT_FAILURE_REASON_UNSPECIFIED: PaymentFailureReason

class PaymentFailed(_message.Message):
    __slots__ = ["amount", "attempt", "customer_id", "invoice_id", "metadata", "next_retry_time", "payment_id", "provider_decline_code", "reason"]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    NEXT_RETRY_TIME_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_DECLINE_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    amount: _money_pb2.Money
    attempt: int
    customer_id: str
    invoice_id: str
    metadata: _event_metadata_pb2.EventMetadata
    next_retry_time: _timestamp_pb2.Timestamp
    payment_id: str
    provider_decline_code: str
    reason: PaymentFailureReason
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., payment_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., reason: _Optional[_Union[PaymentFailureReason, str]] = ..., provider_decline_code: _Optional[str] = ..., attempt: _Optional[int] = ..., next_retry_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PaymentFailureReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
