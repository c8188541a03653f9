// Fuzzes the CSV readers: parse_import as generic CSV, TSV, LinkedIn Connections.csv, Google
// Contacts CSV and with the format detected. UsageError is the expected outcome for a broken
// file; any other exception, a sanitizer report or a contact without a valid UTF-8 name is a
// finding.

#include "fuzz_common.hpp"

#include <followup/interchange/importer.hpp>
#include <followup/util/errors.hpp>

using namespace followup;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    for (auto format : {ImportFormat::csv, ImportFormat::tsv, ImportFormat::linkedin,
                        ImportFormat::google, ImportFormat::automatic}) {
        try {
            auto result = parse_import(text, format, "fuzz");
            fuzz::check_import(result);
            // --format tsv reads any known header (LinkedIn and Google too) with tabs.
            if (format != ImportFormat::automatic && format != ImportFormat::tsv &&
                result.format != format)
                fuzz::fail("parse_import read another format than asked", to_string(format));
        } catch (const UsageError&) {
        }
    }
    return 0;
}
