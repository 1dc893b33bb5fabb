from acme.common.v1 import event_metadata_pb2 as _event_metadata_pb2
from acme.common.v1 import money_pb2 as _money_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

CARD_BRAND_AMEX: CardBrand
CARD_BRAND_DISCOVER: CardBrand
CARD_BRAND_MASTERCARD: CardBrand
CARD_BRAND_UNSPECIFIED: CardBrand
CARD_BRAND_VISA: CardBrand
DESCRIPTOR: _descriptor.FileDescriptor

class PaymentCaptured(_message.Message):
    __slots__ = ["amount", "bank_debit", "card", "credit_grant_id", "customer_id", "invoice_id", "metadata", "payment_id", "provider_fee", "provider_reference"]
    class BankDebit(_message.Message):
        __slots__ = ["account_last4", "bank_name", "mandate_id"]
        ACCOUNT_LAST4_FIELD_NUMBER: _ClassVar[int]
        BANK_NAME_FIELD_NUMBER: _ClassVar[int]
        MANDATE_ID_FIELD_NUMBER: _ClassVar[int]
        account_last4: str
        bank_name: str
        mandate_id: str
        def __init__(self, bank_name: _Optional[str] = ..., account_last4: _Optional[str] = ..., mandate_id: _Optional[str] = ...) -> None: ...
    class Card(_message.Message):
        __slots__ = ["brand", "exp_month", "exp_year", "last4"]
        BRAND_FIELD_NUMBER: _ClassVar[int]
        EXP_MONTH_FIELD_NUMBER: _ClassVar[int]
        EXP_YEAR_FIELD_NUMBER: _ClassVar[int]
        LAST4_FIELD_NUMBER: _ClassVar[int]
        brand: CardBrand
        exp_month: int
        exp_year: int
        last4: str
        def __init__(self, brand: _Optional[_Union[CardBrand, str]] = ..., last4: _Optional[str] = ..., exp_month: _Optional[int] = ..., exp_year: _Optional[int] = ...) -> None: ...
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    BANK_DEBIT_FIELD_NUMBER: _ClassVar[int]
    CARD_FIELD_NUMBER: _ClassVar[int]
    CREDIT_GRANT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FEE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    amount: _money_pb2.Money
    bank_debit: PaymentCaptured.BankDebit
    card: PaymentCaptured.Card
    credit_grant_id: str
    customer_id: str
    invoice_id: str
    metadata: _event_metadata_pb2.EventMetadata
    payment_id: str
    provider_fee: _money_pb2.Money
    provider_reference: str
    def __init__(self, metadata: _Optional[_Union[_event_metadata_pb2.EventMetadata, _Mapping]] = ..., payment_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., card: _Optional[_Union[PaymentCaptured.Card, _Mapping]] = ..., bank_debit: _Optional[_Union[PaymentCaptured.BankDebit, _Mapping]] = ..., credit_grant_id: _Optional[str] = ..., provider_reference: _Optional[str] = ..., provider_fee: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class CardBrand(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
