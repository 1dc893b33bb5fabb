//! Record batches from a fetch, decoded by the `kafka-protocol` crate with
//! schemactl's decompression: every codec Kafka uses (gzip, snappy in
//! Kafka's framing or raw, lz4 frames, zstd) with the output bounded, so a
//! small compressed batch cannot expand into unbounded memory.

use std::io::Read;

use bytes::Bytes;
use kafka_protocol::records::{Compression, Record, RecordBatchDecoder};

/// The most one batch may decompress to.
pub const MAX_BATCH_BYTES: usize = 64 << 20;

/// Kafka's (xerial) snappy framing header.
const SNAPPY_MAGIC: &[u8; 16] = b"\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01";

/// Decodes whole record batches.
pub fn decode(records: &mut Bytes) -> anyhow::Result<Vec<Record>> {
    let mut out = Vec::new();
    while !records.is_empty() {
        let set = RecordBatchDecoder::decode_with_custom_compression(
            records,
            Some(|data: &mut Bytes, compression: Compression| {
                decompress(data, compression, MAX_BATCH_BYTES)
            }),
        )?;
        out.extend(set.records);
    }
    Ok(out)
}

/// Decompresses one batch's records, at most `limit` bytes of output.
pub fn decompress(
    data: &mut Bytes,
    compression: Compression,
    limit: usize,
) -> anyhow::Result<Bytes> {
    let input = std::mem::take(data);
    let too_large = || anyhow::anyhow!("a record batch decompresses to more than {limit} bytes");
    let bounded = |reader: &mut dyn Read| -> anyhow::Result<Bytes> {
        let mut out = Vec::new();
        reader
            .take(u64::try_from(limit).unwrap_or(u64::MAX) + 1)
            .read_to_end(&mut out)?;
        if out.len() > limit {
            return Err(too_large());
        }
        Ok(out.into())
    };
    match compression {
        Compression::None => Ok(input),
        Compression::Gzip => bounded(&mut flate2::read::GzDecoder::new(&input[..])),
        Compression::Lz4 => bounded(&mut lz4::Decoder::new(&input[..])?),
        Compression::Zstd => bounded(&mut zstd::stream::Decoder::new(&input[..])?),
        Compression::Snappy => {
            let mut decoder = snap::raw::Decoder::new();
            let mut block = |compressed: &[u8], out: &mut Vec<u8>| -> anyhow::Result<()> {
                let len = snap::raw::decompress_len(compressed)?;
                if out.len().saturating_add(len) > limit {
                    return Err(too_large());
                }
                let start = out.len();
                out.resize(start + len, 0);
                decoder.decompress(compressed, &mut out[start..])?;
                Ok(())
            };
            let mut out = Vec::new();
            match input.strip_prefix(&SNAPPY_MAGIC[..]) {
                None => block(&input, &mut out)?,
                Some(mut rest) => {
                    while !rest.is_empty() {
                        let (len, tail) = rest
                            .split_first_chunk::<4>()
                            .ok_or_else(|| anyhow::anyhow!("a snappy block length is cut short"))?;
                        let len = usize::try_from(u32::from_be_bytes(*len))?;
                        if len > tail.len() {
                            anyhow::bail!("a snappy block is cut short");
                        }
                        block(&tail[..len], &mut out)?;
                        rest = &tail[len..];
                    }
                }
            }
            Ok(out.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    #[test]
    fn every_codec_is_bounded() {
        let zeros = vec![0u8; 1 << 20];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&zeros).expect("gzip");
        let gz = Bytes::from(gz.finish().expect("gzip"));
        let zst = Bytes::from(zstd::stream::encode_all(&zeros[..], 19).expect("zstd"));
        let mut lz = lz4::EncoderBuilder::new().build(Vec::new()).expect("lz4");
        lz.write_all(&zeros).expect("lz4");
        let lz = Bytes::from(lz.finish().0);
        let raw = snap::raw::Encoder::new()
            .compress_vec(&zeros)
            .expect("snappy");
        let mut framed = SNAPPY_MAGIC.to_vec();
        framed.extend_from_slice(&u32::try_from(raw.len()).expect("len").to_be_bytes());
        framed.extend_from_slice(&raw);
        for (compression, data) in [
            (Compression::Gzip, gz),
            (Compression::Zstd, zst),
            (Compression::Lz4, lz),
            (Compression::Snappy, Bytes::from(raw)),
            (Compression::Snappy, Bytes::from(framed)),
        ] {
            assert!(data.len() < 64 << 10, "{compression:?} compresses zeros");
            let whole =
                decompress(&mut data.clone(), compression, 1 << 20).expect("within the limit");
            assert_eq!(whole.len(), 1 << 20, "{compression:?}");
            let err =
                decompress(&mut data.clone(), compression, 1 << 19).expect_err("over the limit");
            assert!(
                err.to_string().contains("more than 524288 bytes"),
                "{compression:?}: {err}"
            );
        }
    }
}
