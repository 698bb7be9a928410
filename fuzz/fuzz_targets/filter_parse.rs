#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hvecs_fuzz::filter_parse::run(data));
