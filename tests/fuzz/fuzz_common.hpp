#pragma once
// Helpers shared by the fuzz targets: the input as text, and the properties every parse result
// must keep. A broken property prints what broke and aborts, which libFuzzer reports as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <followup/interchange/importer.hpp>
#include <followup/util/text.hpp>
#include <string>
#include <string_view>

namespace fuzz {

/// The fuzzer's bytes as text (not NUL-terminated; may hold any byte).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Prints a broken property and aborts.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "fuzz property broken: %s: '%.*s'\n", what,
                 static_cast<int>(detail.size()), detail.data());
    std::abort();
}

/// What parse_import promises about a successful result: a concrete format, and contacts
/// that each have a non-empty name in valid UTF-8.
inline void check_import(const followup::ImportData& data) {
    if (data.format == followup::ImportFormat::automatic) fail("format left automatic");
    for (const auto& draft : data.contacts) {
        const auto& c = draft.contact;
        const auto& name = c.name;
        if (followup::text::trim(name).empty()) fail("contact without a name", name);
        if (!followup::text::valid_utf8(name)) fail("name is not valid UTF-8", name);
        // No reader lets a NUL through (a quoted-printable "=00" once did), and whatever a file
        // holds is shown on a terminal without a control character of its own.
        for (const std::string* field : {&c.name, &c.company, &c.title, &c.email, &c.phone,
                                         &c.notes, &c.handle, &c.event, &c.referred_by}) {
            if (field->find('\0') != std::string::npos) fail("a field holds a NUL", *field);
            for (char ch : followup::text::escape_controls(*field)) {
                auto u = static_cast<unsigned char>(ch);
                if ((u < 0x20 && u != '\n' && u != '\t') || u == 0x7f)
                    fail("escape_controls left a control character", *field);
            }
        }
    }
}

} // namespace fuzz
