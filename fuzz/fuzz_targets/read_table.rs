//! Any bytes under any of the names offices give their files, read as a ledger table: the
//! reader may refuse, never panic, hang or exhaust memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "台账.txt",
    "台账.json",
    "台账.csv",
    "台账.xlsx",
    "台账.xls",
    "台账.et",
    "台账.docx",
    "台账.pdf",
    "台账.html",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let _ = duban_import::read_table_bytes(bytes, name, name, &Default::default());
});
