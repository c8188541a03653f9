// The one matcher (domain/identity): who a typed name or an arriving record is, as a table of
// cases, each with the outcome people expect: the same person, a suggestion, or a new person.

#include <followup/domain/identity.hpp>
#include <followup/util/text.hpp>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace followup;
using identity::Verdict;

namespace {

/// The address book every case is matched against.
std::vector<Contact> book() {
    auto contact = [](Id id, const char* name, std::vector<const char*> emails,
                      std::vector<const char*> phones, std::vector<Profile> profiles = {},
                      const char* uuid = "") {
        Contact c;
        c.id = id;
        c.name = name;
        c.uuid = uuid;
        for (const char* e : emails)
            c.emails.push_back({e, ""});
        for (const char* p : phones)
            c.phones.push_back({p, ""});
        c.profiles = std::move(profiles);
        return c;
    };
    return {
        contact(1, "Priya Shah", {"priya@shah.example"}, {"+44 7700 900001"}),
        contact(2, "José Álvarez", {}, {}), // composed é and Á
        contact(3, "Anna Berg", {"anna@acme.example"}, {"123456"}),
        contact(5, "Ann Lee", {"lees@family.example"}, {}),
        contact(6, "John Smith", {"john@smith-one.example"}, {}),
        contact(7, "John Smith", {"john.smith@two.example"}, {}),
        contact(8, "Margaret Hill", {}, {}),
        contact(9, "Işık Yılmaz", {}, {}),
        contact(10, "Jean-Luc Picard", {}, {}, {}, "uuid-10"),
        contact(11, "Dmitry Ivanov", {}, {},
                {{"linkedin", "https://www.linkedin.com/in/divanov/"}}),
        contact(12, "W15-54", {}, {}),
        contact(13, "Zoë O'Brien", {}, {}),
        contact(14, "Info Desk", {"info@acme.example"}, {}),
    };
}

enum class Mode {
    record, ///< an arriving record (import, vdir, add): match_person
    typed,  ///< a name typed on the command line: look_up_name
};

struct Case {
    const char* what;
    Mode mode;
    std::string name;
    std::vector<const char*> emails{};
    std::vector<const char*> phones{};
    std::vector<Profile> profiles{};
    std::string uuid{};
    Verdict expected{Verdict::new_person};
    std::vector<Id> ids{}; ///< same: the one; suggestion: the candidates, in order
};

const std::string decomposed = "Jose\xCC\x81 A\xCC\x81lvarez"; // e + U+0301, A + U+0301

std::vector<Case> cases() {
    using M = Mode;
    using V = Verdict;
    Profile divanov{"linkedin", "linkedin.com/in/divanov"};
    // One case a line, as a table.
    // clang-format off
    return {
        // Names and identifiers together.
        {"same name and email", M::record, "Priya Shah", {"priya@shah.example"}, {}, {}, "", V::same, {1}},
        {"case does not matter", M::record, "PRIYA SHAH", {"Priya@Shah.Example"}, {}, {}, "", V::same, {1}},
        {"token order", M::record, "Shah Priya", {"priya@shah.example"}, {}, {}, "", V::same, {1}},
        {"surname first with a comma", M::record, "Shah, Priya", {"priya@shah.example"}, {}, {}, "", V::same, {1}},
        {"typo in the name, same email", M::record, "Pria Shah", {"priya@shah.example"}, {}, {}, "", V::same, {1}},
        {"same phone written otherwise", M::record, "Priya Shah", {}, {"+447700900001"}, {}, "", V::same, {1}},
        {"same name, another email: two people", M::record, "Priya Shah", {"priya@other.example"}, {}, {}, "", V::new_person, {}},
        {"same name, another phone: two people", M::record, "Priya Shah", {}, {"+44 7700 900999"}, {}, "", V::new_person, {}},
        {"same name, only a profile: no conflict", M::record, "Priya Shah", {}, {}, {{"x", "priya"}}, "", V::same, {1}},
        {"same name, no identifiers, contact has some", M::record, "Priya Shah", {}, {}, {}, "", V::suggestion, {1}},
        // Accents, composed and decomposed.
        {"accents decomposed", M::record, decomposed, {}, {}, {}, "", V::same, {2}},
        {"accents in capitals", M::record, "JOSÉ ÁLVAREZ", {}, {}, {}, "", V::same, {2}},
        {"accents left out", M::record, "Jose Alvarez", {}, {}, {}, "", V::same, {2}},
        {"Turkish capitals without dots", M::record, "ISIK YILMAZ", {}, {}, {}, "", V::same, {9}},
        {"Turkish capital dotted I", M::record, "İşık Yılmaz", {}, {}, {}, "", V::same, {9}},
        {"Turkish in ASCII", M::record, "isik yilmaz", {}, {}, {}, "", V::same, {9}},
        {"hyphen or space", M::record, "Jean Luc Picard", {}, {}, {}, "", V::same, {10}},
        // Shared identifiers under other names.
        {"shared switchboard phone", M::record, "Carl Holm", {}, {"123456"}, {}, "", V::suggestion, {3}},
        {"switchboard, the person it belongs to", M::record, "Anna Berg", {}, {"123456"}, {}, "", V::same, {3}},
        {"shared family email", M::record, "Ben Lee", {"lees@family.example"}, {}, {}, "", V::suggestion, {5}},
        {"family email, the person it belongs to", M::record, "Ann Lee", {"lees@family.example"}, {}, {}, "", V::same, {5}},
        {"info@ address, another name", M::record, "Sales Team", {"info@acme.example"}, {}, {}, "", V::suggestion, {14}},
        {"profile with an initial", M::record, "D. Ivanov", {}, {}, {divanov}, "", V::same, {11}},
        {"profile, another name", M::record, "Olga Petrova", {}, {}, {divanov}, "", V::suggestion, {11}},
        // Same name, different people.
        {"namesake one by email", M::record, "John Smith", {"john@smith-one.example"}, {}, {}, "", V::same, {6}},
        {"namesake two by email", M::record, "John Smith", {"john.smith@two.example"}, {}, {}, "", V::same, {7}},
        {"a third John Smith", M::record, "John Smith", {"js@three.example"}, {}, {}, "", V::new_person, {}},
        {"John Smith without identifiers", M::record, "John Smith", {}, {}, {}, "", V::suggestion, {6, 7}},
        {"name alone, nobody has identifiers", M::record, "Margaret Hill", {}, {}, {}, "", V::same, {8}},
        {"name with an email, contact has none", M::record, "margaret hill", {"mh@x.example"}, {}, {}, "", V::same, {8}},
        {"a typo alone does not merge a record", M::record, "Margret Hill", {}, {}, {}, "", V::new_person, {}},
        // UUIDs.
        {"UUID wins over another name", M::record, "Someone Else", {}, {}, {}, "uuid-10", V::same, {10}},
        {"UUID wins over another email", M::record, "Jean-Luc Picard", {"jl@x.example"}, {}, {}, "uuid-10", V::same, {10}},
        {"unknown UUID, same name", M::record, "Jean-Luc Picard", {}, {}, {}, "uuid-new", V::same, {10}},
        {"unknown UUID, unknown name", M::record, "Wesley Crusher", {}, {}, {}, "uuid-new", V::new_person, {}},
        // Typed names.
        {"typed: full name", M::typed, "priya shah", {}, {}, {}, "", V::same, {1}},
        {"typed: token order", M::typed, "Shah Priya", {}, {}, {}, "", V::same, {1}},
        {"typed: prefix of a word", M::typed, "pri", {}, {}, {}, "", V::same, {1}},
        {"typed: initial and surname", M::typed, "P. Shah", {}, {}, {}, "", V::same, {1}},
        {"typed: missing letter", M::typed, "Pria Shah", {}, {}, {}, "", V::suggestion, {1}},
        {"typed: extra letter", M::typed, "Priya Shahh", {}, {}, {}, "", V::suggestion, {1}},
        {"typed: written together", M::typed, "Priyashah", {}, {}, {}, "", V::suggestion, {1}},
        {"typed: one name misspelt", M::typed, "margret", {}, {}, {}, "", V::suggestion, {8}},
        {"typed: swapped letters", M::typed, "Magraret Hill", {}, {}, {}, "", V::suggestion, {8}},
        {"typed: decomposed accent", M::typed, decomposed, {}, {}, {}, "", V::same, {2}},
        {"typed: no accents", M::typed, "jose alvarez", {}, {}, {}, "", V::same, {2}},
        {"typed: umlaut left out", M::typed, "zoe o'brien", {}, {}, {}, "", V::same, {13}},
        {"typed: apostrophe left out", M::typed, "Zoe OBrien", {}, {}, {}, "", V::suggestion, {13}},
        {"typed: a code is whole", M::typed, "W15-54", {}, {}, {}, "", V::same, {12}},
        {"typed: a shorter code is not a prefix", M::typed, "W15-5", {}, {}, {}, "", V::suggestion, {12}},
        {"typed: two people of one name", M::typed, "John Smith", {}, {}, {}, "", V::suggestion, {6, 7}},
        {"typed: Turkish", M::typed, "ışık", {}, {}, {}, "", V::same, {9}},
        {"typed: nobody near", M::typed, "Nobody Atall", {}, {}, {}, "", V::new_person, {}},
    };
    // clang-format on
}

/// What the matcher says of a case, as (verdict, ids).
std::pair<Verdict, std::vector<Id>> outcome(const Case& k) {
    auto contacts = book();
    if (k.mode == Mode::typed) {
        std::vector<identity::NameCandidate> pool;
        for (const auto& c : contacts)
            pool.push_back({c.id, c.name, c.archived});
        auto found = identity::look_up_name(k.name, pool);
        if (found.ids.size() == 1) return {Verdict::same, found.ids};
        if (!found.ids.empty()) return {Verdict::suggestion, found.ids};
        if (!found.suggestions.empty()) return {Verdict::suggestion, found.suggestions};
        return {Verdict::new_person, {}};
    }
    std::vector<identity::Person> candidates;
    for (const auto& c : contacts)
        candidates.push_back(identity::person_of(c));
    Contact probe;
    probe.name = k.name;
    probe.uuid = k.uuid;
    for (const char* e : k.emails)
        probe.emails.push_back({e, ""});
    for (const char* p : k.phones)
        probe.phones.push_back({p, ""});
    probe.profiles = k.profiles;
    auto m = identity::match_person(identity::person_of(probe), candidates);
    if (m.verdict == Verdict::same) return {m.verdict, {*m.id}};
    return {m.verdict, m.suggestions};
}

const char* verdict_name(Verdict v) {
    return v == Verdict::same         ? "same person"
           : v == Verdict::suggestion ? "suggestion"
                                      : "new person";
}

} // namespace

TEST(IdentityMatcher, TableOfCases) {
    auto all = cases();
    ASSERT_GE(all.size(), 40u);
    for (const auto& k : all) {
        auto [verdict, ids] = outcome(k);
        EXPECT_EQ(verdict_name(verdict), std::string(verdict_name(k.expected))) << k.what;
        EXPECT_EQ(ids, k.ids) << k.what;
    }
}

TEST(IdentityMatcher, ARecordOfTheSameFileIsNotMergedTwiceByName) {
    Contact c;
    c.id = 8;
    c.name = "Margaret Hill";
    identity::Person taken = identity::person_of(c);
    taken.taken = true;
    Contact probe;
    probe.name = "Margaret Hill";
    auto m = identity::match_person(identity::person_of(probe), {taken});
    EXPECT_EQ(m.verdict, Verdict::suggestion);
    EXPECT_EQ(m.suggestions, std::vector<Id>{8});
}

TEST(IdentityMatcher, ActiveContactsWinOverArchivedOnes) {
    std::vector<identity::NameCandidate> pool{{1, "Sam Old", true}, {2, "Sam New", false}};
    auto found = identity::look_up_name("sam", pool);
    EXPECT_EQ(found.how, identity::NameLookup::How::prefix);
    EXPECT_EQ(found.ids, std::vector<Id>{2});
    found = identity::look_up_name("sam old", pool);
    EXPECT_EQ(found.how, identity::NameLookup::How::exact);
    EXPECT_EQ(found.ids, std::vector<Id>{1});
}

TEST(IdentityMatcher, DidYouMeanNamesTheCandidates) {
    EXPECT_EQ(identity::did_you_mean("Pria Shah", {{3, "Priya Shah", false}}),
              "no contact 'Pria Shah'; did you mean #3 Priya Shah?");
    EXPECT_EQ(identity::did_you_mean(
                  "Lee", {{1, "Ann Lee", false}, {2, "Bo Lee", false}, {3, "Cy Lee", false}}),
              "no contact 'Lee'; did you mean #1 Ann Lee, #2 Bo Lee or #3 Cy Lee?");
    EXPECT_EQ(identity::did_you_mean("x", {}), "no contact 'x'");
}

TEST(IdentityMatcher, NameKeysAreWordsInOrder) {
    EXPECT_EQ(identity::name_key("  Priya   SHAH "), "priya shah");
    EXPECT_EQ(identity::name_key("Shah, Priya"), "priya shah");
    EXPECT_EQ(identity::name_key(decomposed), "alvarez jose");
    EXPECT_EQ(identity::name_key("W15-5"), "w15-5");
    EXPECT_EQ(identity::name_words("Jean-Luc Picard"),
              (std::vector<std::string>{"jean", "luc", "picard"}));
}

TEST(IdentityMatcher, FoldIsUnicodeNormalisedCaseFolding) {
    // Composed and decomposed are one key; so are the Turkish i's and the ligatures.
    EXPECT_EQ(text::fold("José"), text::fold("Jose\xCC\x81"));
    EXPECT_EQ(text::fold("İı"), "ii");
    EXPECT_EQ(text::fold("ﬁnn"), "finn");
    EXPECT_EQ(text::fold("Ｊｏｓé"), "jose"); // full-width letters
    EXPECT_EQ(text::fold("Ștefan Țurcan"), "stefan turcan");
    EXPECT_EQ(text::fold("Nguyễn"), "nguyen");
    EXPECT_EQ(text::fold("Ørsted Łódź"), "orsted lodz");
    EXPECT_EQ(text::fold("O’Brien"), "o'brien"); // a curly apostrophe is one
    EXPECT_EQ(text::fold("ab\xFF"
                         "Cd"),
              "ab\xFF"
              "cd"); // invalid bytes kept
}
