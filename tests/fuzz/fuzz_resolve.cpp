// Fuzzes contact references: actions::resolve_contact on an in-memory database of contacts with
// tricky names (accents, emoji, prefixes of each other, digits, quotes, SQL and LIKE
// metacharacters). NotFound, Ambiguous and UsageError are expected outcomes; a contact that does
// not match the reference, any other exception or a sanitizer report is a finding.

#include "fuzz_common.hpp"

#include <followup/actions/actions.hpp>
#include <followup/domain/identity.hpp>
#include <followup/store/repository.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <memory>

using namespace followup;

namespace {

Repository& repo() {
    static const std::unique_ptr<Repository> r = [] {
        auto db = std::make_unique<Repository>(":memory:");
        const char* names[] = {
            "Ann",
            "Ann Lee",
            "Anne",
            "Anne-Marie Lévêque",
            "José Álvarez",
            "Jose Alvarez",
            "Zoë Ødegård",
            "Straße Müller",
            "Łukasz Żółć",
            "李小龙",
            "Ann 😀 Smile",
            "👩‍💻 Dev",
            "#12",
            "12",
            "100%",
            "50_50 Ventures",
            "O'Brien",
            "Say \"Hi\" Bob",
            "Robert'); DROP TABLE contacts;--",
            "Ann Lee",
            "ann lee",
            "Ímre",
            "İlkay Şahin",
        };
        int i = 0;
        for (const char* name : names) {
            Contact c;
            c.name = name;
            c.company = i % 3 == 0 ? "Acme" : "";
            c.archived = i % 7 == 6; // a few archived ones, which active ones outrank
            db->insert_contact(c);
            ++i;
        }
        return db;
    }();
    return *r;
}

bool numeric(std::string_view s) {
    if (!s.empty() && s.front() == '#') s.remove_prefix(1);
    return !s.empty() && s.size() <= 18 && // longer digit strings are searched as names
           s.find_first_not_of("0123456789") == std::string_view::npos;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto ref = fuzz::as_text(data, size);
    auto& db = repo();
    try {
        Contact c = actions::resolve_contact(db, ref);
        auto r = text::trim(ref);
        if (numeric(r)) {
            auto digits = r.front() == '#' ? r.substr(1) : r;
            if (std::to_string(c.id) != std::string(digits).erase(0, digits.find_first_not_of('0')))
                fuzz::fail("resolved an id reference to another contact", ref);
        } else if (ref.find('\0') == std::string_view::npos) {
            // (SQLite's handling of text with NUL bytes is undefined, so those are not checked.)
            auto typed = r.starts_with("name:") ? text::trim(r.substr(5)) : r;
            auto fit = identity::look_up_name(typed, {{c.id, c.name, c.archived}});
            if (fit.how == identity::NameLookup::How::none)
                fuzz::fail("resolved to a contact whose name does not fit the reference", ref);
        }
    } catch (const Ambiguous& e) {
        if (e.candidates().size() < 2) fuzz::fail("Ambiguous with fewer than two candidates", ref);
    } catch (const NotFound&) {
    } catch (const UsageError&) {
    }
    return 0;
}
