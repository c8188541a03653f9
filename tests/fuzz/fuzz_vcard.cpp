// Fuzzes the vCard reader (2.1, 3.0, 4.0): parse_vcards, and parse_import as vcf. What was read
// is written back as vCard 3.0 and 4.0 and read again: the writer's output must be readable
// and give as many contacts. UsageError is the expected outcome for a broken file; any other
// exception, a sanitizer report or a broken property is a finding.

#include "fuzz_common.hpp"

#include <followup/interchange/importer.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <vector>

using namespace followup;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    try {
        (void)parse_vcards(text, "fuzz");
    } catch (const UsageError&) {
    }
    try {
        auto result = parse_import(text, ImportFormat::vcf, "fuzz");
        fuzz::check_import(result);
        if (result.format != ImportFormat::vcf) fuzz::fail("vcf read as another format");
        std::vector<Contact> contacts;
        for (const auto& draft : result.contacts)
            contacts.push_back(draft.contact);
        // Cards that could not be read, or groups, may leave none: nothing to write back then.
        for (int version : {3, 4}) {
            if (contacts.empty()) break;
            std::string written = write_vcards(contacts, version);
            if (!text::valid_utf8(written)) fuzz::fail("write_vcards wrote invalid UTF-8", written);
            try {
                if (parse_vcards(written, "written").size() != contacts.size())
                    fuzz::fail("write_vcards then parse_vcards changed the number of contacts",
                               written);
            } catch (const UsageError& e) {
                fuzz::fail("parse_vcards rejected what write_vcards wrote", e.what());
            }
        }
    } catch (const UsageError&) {
    }
    return 0;
}
