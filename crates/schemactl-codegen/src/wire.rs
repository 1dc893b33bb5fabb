//! Just enough of the protobuf wire format to edit descriptors without
//! decoding them: a decode into `prost_types` would drop extension options
//! (custom options), which plugins must see as the compiler wrote them.

use prost::encoding::{WireType, decode_varint, encode_key, encode_varint};

/// One top-level field of an encoded message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'a> {
    pub number: u32,
    /// The whole field: key and value.
    pub raw: &'a [u8],
    /// The value of a length-delimited field (empty for other wire types).
    pub payload: &'a [u8],
}

/// The top-level fields of `bytes`, in order; `None` if it is not a valid
/// message.
pub(crate) fn fields(bytes: &[u8]) -> Option<Vec<Field<'_>>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let start = rest;
        let key = decode_varint(&mut rest).ok()?;
        let number = u32::try_from(key >> 3).ok()?;
        let payload = match key & 7 {
            0 => {
                decode_varint(&mut rest).ok()?;
                &[][..]
            }
            1 => {
                rest = rest.get(8..)?;
                &[][..]
            }
            2 => {
                let len = usize::try_from(decode_varint(&mut rest).ok()?).ok()?;
                let payload = rest.get(..len)?;
                rest = &rest[len..];
                payload
            }
            5 => {
                rest = rest.get(4..)?;
                &[][..]
            }
            _ => return None,
        };
        let used = start.len() - rest.len();
        out.push(Field {
            number,
            raw: &start[..used],
            payload,
        });
    }
    Some(out)
}

pub(crate) fn put_bytes(out: &mut Vec<u8>, number: u32, value: &[u8]) {
    encode_key(number, WireType::LengthDelimited, out);
    encode_varint(value.len() as u64, out);
    out.extend_from_slice(value);
}

pub(crate) fn put_varint(out: &mut Vec<u8>, number: u32, value: u64) {
    encode_key(number, WireType::Varint, out);
    encode_varint(value, out);
}

/// The message without any occurrence of field `number`.
pub(crate) fn without(bytes: &[u8], number: u32) -> Vec<u8> {
    match fields(bytes) {
        Some(fields) => fields
            .iter()
            .filter(|f| f.number != number)
            .flat_map(|f| f.raw.iter().copied())
            .collect(),
        None => bytes.to_vec(),
    }
}

/// Every string value of field `number`.
pub(crate) fn strings(bytes: &[u8], number: u32) -> Vec<String> {
    fields(bytes)
        .unwrap_or_default()
        .iter()
        .filter(|f| f.number == number)
        .map(|f| String::from_utf8_lossy(f.payload).into_owned())
        .collect()
}
