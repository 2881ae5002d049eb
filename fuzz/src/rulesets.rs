//! The fixed rule sets that the `records` target reads data for: the
//! shipped Nghệ An rules (with the national rules they extend), the rules
//! of the conformance cases (copied into `fuzz/rulesets/`; case 11 does not
//! compile and is only a seed for `compile`), and `all-types.rules`, which
//! has a field of every type.

use std::sync::OnceLock;

use civrules::{MemoryLoader, Program};

/// `(root, [(name, text)])`: each set's files, the first one the root.
const SETS: &[&[(&str, &str)]] = &[
    &[
        ("nghe-an.rules", include_str!("../../rules/nghe-an.rules")),
        ("national.rules", include_str!("../../rules/national.rules")),
    ],
    &[("all-types.rules", include_str!("../rulesets/all-types.rules"))],
    &[(
        "cua-lo.rules",
        include_str!("../rulesets/01-short-block-forms/cua-lo.rules"),
    )],
    &[(
        "tham-tra.rules",
        include_str!("../rulesets/02-required-present-missing/tham-tra.rules"),
    )],
    &[(
        "gio-lam-viec.rules",
        include_str!("../rulesets/03-literals-comparisons/gio-lam-viec.rules"),
    )],
    &[(
        "nghe-an.rules",
        include_str!("../rulesets/04-in-lists-ranges/nghe-an.rules"),
    )],
    &[(
        "thoi-gian.rules",
        include_str!("../rulesets/05-arithmetic-time-date/thoi-gian.rules"),
    )],
    &[("ham.rules", include_str!("../rulesets/06-functions/ham.rules"))],
    &[(
        "logic.rules",
        include_str!("../rulesets/07-kleene-when-shortcircuit/logic.rules"),
    )],
    &[(
        "cham-cong.rules",
        include_str!("../rulesets/08-ndjson-data-errors/cham-cong.rules"),
    )],
    &[(
        "diem-danh.rules",
        include_str!("../rulesets/09-csv-input/diem-danh.rules"),
    )],
    &[
        (
            "nghe-an.rules",
            include_str!("../rulesets/10-extends-override-disable/nghe-an.rules"),
        ),
        (
            "national.rules",
            include_str!("../rulesets/10-extends-override-disable/national.rules"),
        ),
    ],
    &[(
        "odd.rules",
        include_str!("../rulesets/12-fmt-check-odd-layout/odd.rules"),
    )],
];

/// The compiled rule sets (compiled once per process).
pub fn programs() -> &'static [Program] {
    static PROGRAMS: OnceLock<Vec<Program>> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        SETS.iter()
            .map(|files| {
                let mut loader = MemoryLoader::new();
                for (name, text) in files.iter() {
                    loader.insert(*name, *text);
                }
                match Program::from_loader(&loader, files[0].0) {
                    Ok(p) => p,
                    Err(e) => panic!("fixed rule set {} does not compile:\n{}", files[0].0, e.render()),
                }
            })
            .collect()
    })
}
