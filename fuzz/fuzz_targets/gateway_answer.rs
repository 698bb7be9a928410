#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hvecs_fuzz::answer::run(data));
