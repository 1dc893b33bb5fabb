#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| schemactl_fuzz::http(data));
