from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from acme.common.v1 import money_pb2 as _money_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class InvoiceIssued(_message.Message):
    __slots__ = ["customer_id", "due_time", "invoice_id", "line_items", "metadata", "pdf_url", "subtotal", "tax_by_jurisdiction", "total"]
    class LineItem(_message.Message):
        __slots__ = ["description", "net_amount", "period_end_time", "period_start_time", "quantity_milli", "sku", "unit", "unit_price"]
        DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
        NET_AMOUNT_FIELD_NUMBER: _ClassVar[int]
        PERIOD_END_TIME_FIELD_NUMBER: _ClassVar[int]
        PERIOD_START_TIME_FIELD_NUMBER: _ClassVar[int]
        QUANTITY_MILLI_FIELD_NUMBER: _ClassVar[int]
        SKU_FIELD_NUMBER: _ClassVar[int]
        UNIT_FIELD_NUMBER: _ClassVar[int]
        UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
        description: str
        net_amount: _money_pb2.Money
        period_end_time: _timestamp_pb2.Timestamp
        period_start_time: _timestamp_pb2.Timestamp
        quantity_milli: int
        sku: str
        unit: str
        unit_price: _money_pb2.Money
        def __init__(self, description: _Optional[str] = ..., sku: _Optional[str] = ..., quantity_milli: _Optional[int] = ..., unit: _Optional[str] = ..., unit_price: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., net_amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., period_start_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., period_end_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
    class TaxByJurisdictionEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _money_pb2.Money
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    DUE_TIME_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_ITEMS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    PDF_URL_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_FIELD_NUMBER: _ClassVar[int]
    TAX_BY_JURISDICTION_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    due_time: _timestamp_pb2.Timestamp
    invoice_id: str
    line_items: _containers.RepeatedCompositeFieldContainer[InvoiceIssued.LineItem]
    metadata: _event_metadata_pb2.EventMetadata
    pdf_url: str
    subtotal: _money_pb2.Money
    tax_by_jurisdiction: _containers.MessageMap[str, _money_pb2.Money]
    total: _money_pb2.Money
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., invoice_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., line_items: _Optional[_Iterable[_Union[InvoiceIssued.LineItem, _Mapping]]] = ..., subtotal: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., tax_by_jurisdiction: _Optional[_Mapping[str, _money_pb2.Money]] = ..., total: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., due_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., pdf_url: _Optional[str] = ...) -> None: ...
