// Fuzzes the JSON reader: parse_import of followup's own backups and of bare arrays of contact
// objects. UsageError is the expected outcome for a broken file; any other exception (a
// nlohmann::json error escaping, say), a sanitizer report or a contact without a valid UTF-8
// name is a finding.

#include "fuzz_common.hpp"

#include <followup/interchange/importer.hpp>
#include <followup/util/errors.hpp>

using namespace followup;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    try {
        auto result = parse_import(text, ImportFormat::json, "fuzz");
        fuzz::check_import(result);
        if (result.format != ImportFormat::json) fuzz::fail("json read as another format");
    } catch (const UsageError&) {
    }
    return 0;
}
