#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <followup/domain/channels.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/util/errors.hpp>
#include <followup/util/text.hpp>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace followup;

namespace {

/// A sample file of tests/data/vcard.
std::string sample(const std::string& name) {
#ifdef FOLLOWUP_TEST_DATA
    std::filesystem::path dir = FOLLOWUP_TEST_DATA;
#else
    std::filesystem::path dir =
        std::filesystem::path(__FILE__).parent_path().parent_path() / "data";
#endif
    std::ifstream in(dir / "vcard" / name, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open sample " + (dir / "vcard" / name).string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The message parse_vcards throws, or "" when it does not throw.
std::string error_of(std::string_view text) {
    try {
        parse_vcards(text, "t.vcf");
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

Contact only(std::string_view text) {
    auto drafts = parse_vcards(text, "t.vcf");
    EXPECT_EQ(drafts.size(), 1u);
    return drafts.empty() ? Contact{} : drafts.front().contact;
}

/// A one-card vCard 3.0 with the given lines between VERSION and END.
std::string card(std::string_view body) {
    return fmt::format("BEGIN:VCARD\r\nVERSION:3.0\r\n{}END:VCARD\r\n", body);
}

Instant utc(const char* s) {
    return *parse_utc(s);
}

void expect_same(const Contact& a, const Contact& b) {
    EXPECT_EQ(a.uuid, b.uuid);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.company, b.company);
    EXPECT_EQ(a.title, b.title);
    // Every way to reach them, as stored (a handle given with the channel is in its list).
    Contact x = a, y = b;
    settle_reach(x);
    settle_reach(y);
    EXPECT_EQ(x.emails, y.emails);
    EXPECT_EQ(x.phones, y.phones);
    EXPECT_EQ(x.addresses, y.addresses);
    EXPECT_EQ(x.profiles, y.profiles);
    EXPECT_EQ(a.channel, b.channel);
    EXPECT_EQ(a.tags, b.tags);
    EXPECT_EQ(a.notes, b.notes);
    EXPECT_EQ(a.birthday, b.birthday);
    EXPECT_EQ(a.event, b.event);
    EXPECT_EQ(a.met, b.met);
    EXPECT_EQ(a.referred_by, b.referred_by);
    EXPECT_EQ(a.every_days, b.every_days);
    EXPECT_EQ(a.last_touch, b.last_touch);
    EXPECT_EQ(a.archived, b.archived);
    EXPECT_EQ(a.created, b.created);
}

std::vector<Contact> nasty_contacts() {
    Contact a;
    a.uuid = "0b8a3f4e-3c2d-4e5f-8a9b-0c1d2e3f4a5b";
    a.name = "Zoë \"Zed\" O'Brien, Jr.; PhD \\ 🎉 \u200Fرنا";
    a.company = "Acme, Inc.; R&D \\ Labs";
    a.title = "VP, Eng; Ops";
    a.email = "zoe+tag@example.com";
    a.phone = "+1 (555) 010-0199";
    a.channel = "linkedin";
    a.handle = "https://www.linkedin.com/in/zoë-obrien";
    a.tags = {"a,b", "c;d", "back\\slash", "日本", "🎉"};
    a.notes = "Line one, with comma; and semicolon\nLine two \\n literal\n\n🎉 emoji \u200Fرسالة\n";
    a.birthday = "1985-04-12";
    a.event = "RustConf, 2026; Portland";
    a.met = utc("2026-03-12T23:00:00Z");
    a.referred_by = "Ann Lee; the \\ one";
    a.every_days = 45;
    a.last_touch = utc("2026-04-01T08:30:00Z");
    a.archived = true;
    a.created = utc("2026-03-13T09:15:42Z");

    Contact b;
    b.uuid = "7d444840-9dc0-11d1-b245-5ffdce74fad2";
    std::string jp;
    while (text::width(jp) < 400)
        jp += "山田太郎花子";
    b.name = jp.substr(0, 200 * 3); // 200 Japanese characters, no space
    b.birthday = "02-29";
    b.phone = "090-1234-5678";
    b.channel = "whatsapp";
    b.notes = std::string(300, 'x') + "é" + std::string(70, 'y') + "🎉🎉🎉";
    b.created = utc("2025-12-31T23:59:59Z");

    Contact c;
    c.name = "Solo";
    c.created = Instant{};
    return {a, b, c};
}

} // namespace

// --- The sample files -------------------------------------------------------------------------

TEST(VCardSamples, V21QuotedPrintableLatin1AndBareTypes) {
    auto drafts = parse_vcards(sample("v21.vcf"), "v21.vcf");
    ASSERT_EQ(drafts.size(), 2u);
    const Contact& j = drafts[0].contact;
    EXPECT_EQ(drafts[0].line, 1u);
    EXPECT_EQ(j.name, "Jürgen Müller");
    EXPECT_EQ(j.company, "Brauerei Mueller");
    EXPECT_EQ(j.title, "Head of Sales");
    EXPECT_EQ(j.email, "juergen@example.de");
    EXPECT_EQ(j.phone, "+49 30 1234567");
    EXPECT_EQ(j.birthday, "1970-03-15");
    EXPECT_EQ(j.tags, (std::vector<std::string>{"beer", "berlin"}));
    // Every phone with its label, none of them in the notes.
    EXPECT_EQ(j.phones,
              (std::vector<Labeled>{{"+49 30 1234567", "work"}, {"+49 170 7654321", "mobile"}}));
    EXPECT_EQ(j.emails, (std::vector<Labeled>{{"juergen@example.de", ""}}));
    EXPECT_EQ(j.notes, "Met at the Berlin meetup. Likes craft beer – ask about the new brewery.\n"
                       "Second line.");
    const Contact& r = drafts[1].contact;
    EXPECT_EQ(drafts[1].line, 17u);
    EXPECT_EQ(r.name, "Renée François"); // from N, in ISO-8859-1 quoted-printable
    EXPECT_EQ(r.email, "renee@example.fr");
    EXPECT_EQ(r.phone, "+33 1 23 45 67 89");
    EXPECT_EQ(r.notes, "");
    EXPECT_EQ(r.created, Instant{});
}

TEST(VCardSamples, V30FoldsEscapesTypesAndGroups) {
    auto drafts = parse_vcards(sample("v30.vcf"), "v30.vcf");
    ASSERT_EQ(drafts.size(), 2u);
    const Contact& z = drafts[0].contact;
    EXPECT_EQ(z.name, "Zoë Ångström");
    EXPECT_EQ(z.company, "Acme, Inc.");
    EXPECT_EQ(z.title, "Principal Engineer");
    EXPECT_EQ(z.email, "zoe@home.example");
    EXPECT_EQ(z.phone, "+46 70 123 45 67");
    EXPECT_EQ(z.birthday, "1988-07-21");
    EXPECT_EQ(z.tags, (std::vector<std::string>{"conference", "speaker", "nordic"}));
    EXPECT_EQ(z.notes, "Met at NDC Oslo, spoke about Rust; wants an intro to our CTO.\n"
                       "Follow up in August.");
    EXPECT_EQ(z.emails, (std::vector<Labeled>{{"zoe@home.example", "home"},
                                              {"zoe@acme.example", "work"},
                                              {"zoe.a@other.example", ""}}));
    EXPECT_EQ(z.phones,
              (std::vector<Labeled>{{"+46 70 123 45 67", "mobile"}, {"+46 8 555 000", "work"}}));
    EXPECT_EQ(z.uuid, "");
    EXPECT_EQ(drafts[1].contact.name, "Bob Stone");
    EXPECT_EQ(drafts[1].contact.email, "bob@stone.example");
    EXPECT_EQ(drafts[1].line, 24u);
}

TEST(VCardSamples, V40PrefUidYearlessBirthdayLinkedIn) {
    auto drafts = parse_vcards(sample("v40.vcf"), "v40.vcf");
    ASSERT_EQ(drafts.size(), 1u);
    const Contact& p = drafts[0].contact;
    EXPECT_EQ(p.name, "Priya Raman 🚀");
    EXPECT_EQ(p.uuid, "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
    EXPECT_EQ(p.birthday, "04-12");
    EXPECT_EQ(p.email, "priya@home.example");
    EXPECT_EQ(p.phone, "+1-555-555-0100");
    EXPECT_EQ(p.company, "Rocket Labs");
    EXPECT_EQ(p.tags, (std::vector<std::string>{"founder", "ai"}));
    // She has an email and phones: the LinkedIn profile is one more way, not the channel.
    EXPECT_EQ(p.channel, "");
    EXPECT_EQ(p.profiles,
              (std::vector<Profile>{{"linkedin", "https://www.linkedin.com/in/priya-raman"}}));
    EXPECT_EQ(p.emails, (std::vector<Labeled>{{"priya@home.example", "home"},
                                              {"priya@work.example", "work"}}));
    EXPECT_EQ(p.phones,
              (std::vector<Labeled>{{"+1-555-555-0100", "work"}, {"+1-555-555-0199", "mobile"}}));
    EXPECT_EQ(p.notes, "");
}

TEST(VCardSamples, TruncatedNamesTheBeginLine) {
    EXPECT_EQ(error_of(sample("truncated.vcf")), "t.vcf:5: vCard not closed (truncated file?)");
}

// --- Reading ----------------------------------------------------------------------------------

TEST(VCardRead, UnfoldsWithCrlfLfSpaceAndTab) {
    std::string crlf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\n  Lee\r\nNOTE:a\r\n\tb\r\n c\r\n"
                       "END:VCARD\r\n";
    Contact c = only(crlf);
    EXPECT_EQ(c.name, "Ann Lee");
    EXPECT_EQ(c.notes, "abc");
    std::string lf = crlf;
    for (std::size_t at; (at = lf.find("\r\n")) != std::string::npos;)
        lf.erase(at, 1);
    expect_same(only(lf), c);
}

TEST(VCardRead, ManyCardsAndLineNumbers) {
    std::string text = "\r\n" + card("FN:A\r\n") + "\r\n  \r\n" + card("FN:B\r\nNOTE:x\r\n y\r\n") +
                       card("FN:C\r\n");
    auto drafts = parse_vcards(text, "t.vcf");
    ASSERT_EQ(drafts.size(), 3u);
    EXPECT_EQ(drafts[0].line, 2u);
    EXPECT_EQ(drafts[1].line, 8u);
    EXPECT_EQ(drafts[2].line, 14u);
    EXPECT_EQ(drafts[2].contact.name, "C");
}

TEST(VCardRead, ParameterForms) {
    Contact c = only(card("FN:X\r\n"
                          "TEL;TYPE=\"work,voice\":1\r\n"
                          "TEL;TYPE=home;TYPE=fax:2\r\n"
                          "TEL;WORK;VOICE:3\r\n"
                          "item2.TEL;type=CELL;type=pref:4\r\n"
                          "EMAIL;PREF=2:a@x\r\n"
                          "EMAIL;PREF=1;TYPE=home:b@x\r\n"
                          "EMAIL:c@x\r\n"));
    EXPECT_EQ(c.phone, "4");
    EXPECT_EQ(c.email, "b@x");
    EXPECT_EQ(c.notes, "");
    EXPECT_EQ(c.emails, (std::vector<Labeled>{{"b@x", "home"}, {"a@x", ""}, {"c@x", ""}}));
    EXPECT_EQ(c.phones, (std::vector<Labeled>{
                            {"4", "mobile"}, {"1", "work"}, {"2", "home, fax"}, {"3", "work"}}));
}

TEST(VCardRead, Unescaping) {
    Contact c = only(card("FN:A\\, B\\; C\\\\D\r\n"
                          "NOTE:one\\ntwo\\Nthree \\: \\x\r\n"
                          "ORG:Big\\; Co;Unit\r\n"
                          "CATEGORIES:a\\,b,c;d, c ,\r\n"
                          "CATEGORIES:e\r\n"));
    EXPECT_EQ(c.name, "A, B; C\\D");
    EXPECT_EQ(c.notes, "one\ntwo\nthree : \\x");
    EXPECT_EQ(c.company, "Big; Co");
    EXPECT_EQ(c.tags, (std::vector<std::string>{"a,b", "c", "d", "e"}));
}

TEST(VCardRead, EscapedPunctuationLosesItsBackslash) {
    // Some writers escape quotes too: NOTE:say \"hi\" is say "hi". A backslash before a letter,
    // a digit or a blank is text.
    Contact c = only(card("FN:Ann\r\nNOTE:say \\\"hi\\\" \\'x\\' \\! C:\\Users\\1 \\ end\r\n"));
    EXPECT_EQ(c.notes, "say \"hi\" 'x' ! C:\\Users\\1 \\ end");
}

TEST(VCardRead, ContactGroupsAreLeftOutAndCounted) {
    const std::string text =
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Friends\r\n"
        "MEMBER:urn:uuid:0b4bc1a4-2d7c-4e5a-9d0f-3c7e2a1b9f10\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Club\r\n"
        "item1.X-ADDRESSBOOKSERVER-KIND:group\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:individual\r\nFN:Bo\r\nEND:VCARD\r\n";
    auto drafts = parse_vcards(text, "t.vcf");
    ASSERT_EQ(drafts.size(), 2u);
    EXPECT_EQ(drafts[0].contact.name, "Ann Lee");
    EXPECT_EQ(drafts[1].contact.name, "Bo");
    EXPECT_EQ(drafts[1].line, 17u);
    VCardRead read = read_vcards(text, "t.vcf", 1);
    EXPECT_EQ(read.groups, 2u);
    EXPECT_EQ(read.contacts.size(), 2u);
    // A part of a file: lines counted from where it starts; no card is no error there.
    EXPECT_EQ(read_vcards("BEGIN:VCARD\r\nFN:Cy\r\nEND:VCARD\r\n", "t.vcf", 40).contacts.at(0).line,
              40u);
    EXPECT_TRUE(read_vcards("", "t.vcf", 1).contacts.empty());
}

TEST(VCardRead, NameFromStructuredN) {
    EXPECT_EQ(only(card("N:Lee;Ann;Marie,Jo;Dr.;PhD\r\n")).name, "Dr. Ann Marie Jo Lee PhD");
    EXPECT_EQ(only(card("N:Lee;;;;\r\n")).name, "Lee");
    EXPECT_EQ(only(card("N:Lee;Ann;;;\r\nFN:Annie L.\r\n")).name, "Annie L.");
    Contact e = only(card("N:;;;;\r\nEMAIL:ann@x.org\r\n"));
    EXPECT_EQ(e.name, "ann@x.org");
    EXPECT_EQ(e.email, "ann@x.org");
}

TEST(VCardRead, QuotedPrintableCharsets) {
    std::string v21 = "BEGIN:VCARD\r\nVERSION:2.1\r\n"
                      "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:=80 Sm=F8rrebr=F8d=\r\n"
                      "=96ok\r\n"
                      "NOTE;QUOTED-PRINTABLE:a=3Db=0D=0Ac =\r\n"
                      "=E2=9C=93\r\n"
                      "END:VCARD\r\n";
    Contact c = only(v21);
    EXPECT_EQ(c.name, "€ Smørrebrød–ok");
    EXPECT_EQ(c.notes, "a=b\nc ✓");
    // Text that is not UTF-8 once decoded keeps the card: U+FFFD for the bad byte, the field
    // named (issue 31).
    VCardRead bad = read_vcards("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ann\r\n"
                                "ORG;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=28 AB\r\n"
                                "ORG;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=82=A0\r\n"
                                "END:VCARD\r\n",
                                "t.vcf", 1);
    ASSERT_EQ(bad.contacts.size(), 1u);
    EXPECT_EQ(bad.contacts[0].contact.name, "Ann");
    ASSERT_EQ(bad.repaired.size(), 2u);
    EXPECT_EQ(bad.repaired[0].line, 4u);
    EXPECT_EQ(bad.repaired[0].field, "ORG");
    EXPECT_EQ(bad.repaired[1].line, 5u);
}

TEST(VCardRead, BinaryValuesAreSkipped) {
    std::string v21 = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:P\r\n"
                      "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\r\n"
                      "AAAABBBBCCCC\r\n"
                      "DDDD==\r\n"
                      "\r\n"
                      "LOGO;ENCODING=b:QUJD\r\n"
                      "EMAIL:p@x\r\nEND:VCARD\r\n";
    Contact c = only(v21);
    EXPECT_EQ(c.name, "P");
    EXPECT_EQ(c.email, "p@x");
}

struct BirthdayCase {
    const char* value;
    const char* stored;
};

TEST(VCardRead, BirthdayForms) {
    const BirthdayCase cases[] = {
        {"BDAY:1985-04-12", "1985-04-12"},
        {"BDAY:19850412", "1985-04-12"},
        {"BDAY:--0412", "04-12"},
        {"BDAY:--04-12", "04-12"},
        {"BDAY:1985-04-12T00:00:00Z", "1985-04-12"},
        {"BDAY;VALUE=date:1985-04-12", "1985-04-12"},
        {"BDAY:19850412T000000", "1985-04-12"},
        {"BDAY:--0229", "02-29"},
        {"BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12", "04-12"},
    };
    for (const auto& bc : cases) {
        Contact c = only(card(fmt::format("FN:X\r\n{}\r\n", bc.value)));
        EXPECT_EQ(c.birthday, bc.stored) << bc.value;
        EXPECT_EQ(c.notes, "") << bc.value;
    }
}

TEST(VCardRead, UnreadableBirthdayBecomesANote) {
    for (const char* v :
         {"circa 1800", "1985-02-30", "---12", "1604-04-12", "1985", "1988-07-2-", "--4-12"}) {
        Contact c =
            only(card(fmt::format("FN:X\r\nNOTE:n\r\nBDAY:{}\r\nEMAIL:a@x\r\nEMAIL:b@x\r\n", v)));
        EXPECT_EQ(c.birthday, "") << v;
        EXPECT_EQ(c.notes, fmt::format("n\nBirthday (unread): {}", v));
        EXPECT_EQ(c.emails, (std::vector<Labeled>{{"a@x", ""}, {"b@x", ""}}));
    }
}

TEST(VCardRead, UidOnlyWhenItIsAUuid) {
    EXPECT_EQ(only(card("FN:X\r\nUID:urn:uuid:4FBE8971-0BC3-424C-9C26-36C3E1EFF6B1\r\n")).uuid,
              "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
    EXPECT_EQ(only(card("FN:X\r\nUID:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\n")).uuid,
              "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1");
    EXPECT_EQ(only(card("FN:X\r\nUID:abc-123@google.com\r\n")).uuid, "");
}

TEST(VCardRead, FollowupProperties) {
    Contact c = only(card("FN:X\r\n"
                          "X-FOLLOWUP-CHANNEL:WhatsApp\r\n"
                          "X-FOLLOWUP-HANDLE:+49 170 1\r\n"
                          "X-FOLLOWUP-EVENT:RustConf\\, 2026\r\n"
                          "X-FOLLOWUP-MET:2026-03-12T23:00:00Z\r\n"
                          "X-FOLLOWUP-REFERRED-BY:Ann Lee\r\n"
                          "X-FOLLOWUP-EVERY:30\r\n"
                          "X-FOLLOWUP-LAST-TOUCH:20260401T083000Z\r\n"
                          "X-FOLLOWUP-ARCHIVED:TRUE\r\n"
                          "X-FOLLOWUP-CREATED:2026-03-13T09:15:42Z\r\n"
                          "X-FOLLOWUP-FUTURE:ignored\r\n"
                          "URL:https://linkedin.com/in/x\r\n"));
    EXPECT_EQ(c.channel, "whatsapp");
    EXPECT_EQ(c.handle, "+49 170 1");
    EXPECT_EQ(c.event, "RustConf, 2026");
    EXPECT_EQ(c.met, utc("2026-03-12T23:00:00Z"));
    EXPECT_EQ(c.referred_by, "Ann Lee");
    EXPECT_EQ(c.every_days, 30);
    EXPECT_EQ(c.last_touch, utc("2026-04-01T08:30:00Z"));
    EXPECT_TRUE(c.archived);
    EXPECT_EQ(c.created, utc("2026-03-13T09:15:42Z"));

    EXPECT_EQ(error_of(card("FN:X\r\nX-FOLLOWUP-EVERY:soon\r\n")),
              "t.vcf:4: invalid X-FOLLOWUP-EVERY 'soon' (a number of days from 1 to 3650)");
    EXPECT_EQ(error_of(card("FN:X\r\nX-FOLLOWUP-MET:yesterday\r\n")),
              "t.vcf:4: invalid X-FOLLOWUP-MET 'yesterday' (a UTC time such as "
              "2026-03-12T23:00:00Z)");
    EXPECT_EQ(error_of(card("FN:X\r\nX-FOLLOWUP-ARCHIVED:maybe\r\n")),
              "t.vcf:4: invalid X-FOLLOWUP-ARCHIVED 'maybe' (true or false)");
}

TEST(VCardRead, LinkedInUrlOnlyWithoutAChannel) {
    Contact c = only(card("FN:X\r\nURL:https://example.com/me\r\n"
                          "URL:https://de.linkedin.com/in/x-y\r\n"));
    // Nothing else to reach them by: LinkedIn is their channel; the other web site is not kept.
    EXPECT_EQ(c.channel, "linkedin");
    EXPECT_EQ(c.profiles, (std::vector<Profile>{{"linkedin", "https://de.linkedin.com/in/x-y"}}));
    Contact with_email = only(card("FN:X\r\nEMAIL:x@y.example\r\n"
                                   "URL:https://de.linkedin.com/in/x-y\r\n"));
    EXPECT_EQ(with_email.channel, "");
    EXPECT_EQ(with_email.profiles.size(), 1u);
    EXPECT_EQ(only(card("FN:X\r\nURL:https://notlinkedin.com/in/x\r\n")).channel, "");
    EXPECT_EQ(only(card("FN:X\r\nURL:https://www.linkedin.com.evil.io/in/x\r\n")).channel, "");
}

TEST(VCardRead, Errors) {
    EXPECT_EQ(error_of(""), "t.vcf: no vCard found");
    EXPECT_EQ(error_of("\r\n \r\n"), "t.vcf: no vCard found");
    EXPECT_EQ(error_of("END:VCARD\r\n"), "t.vcf:1: END:VCARD without BEGIN:VCARD");
    EXPECT_EQ(error_of("hello\r\n"), "t.vcf:1: text outside a vCard (expected BEGIN:VCARD)");
    EXPECT_EQ(error_of("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nBEGIN:VCARD\r\nEND:VCARD\r\n"),
              "t.vcf:4: BEGIN:VCARD inside a vCard (END:VCARD missing?)");
    EXPECT_EQ(error_of(card("FN:A\r\nNOTE without colon\r\n")),
              "t.vcf:4: line without ':' in a vCard");
    EXPECT_EQ(error_of("BEGIN:VCARD\r\nVERSION:5.0\r\nFN:A\r\nEND:VCARD\r\n"),
              "t.vcf:2: unsupported vCard version '5.0' (2.1, 3.0 or 4.0)");
    EXPECT_EQ(error_of(card("TITLE:Boss\r\n")),
              "t.vcf:1: vCard without a name (no FN, N or EMAIL)");
    EXPECT_EQ(error_of(card("FN:A\r\n") + "BEGIN:VCARD\r\nFN:B\r\n"),
              "t.vcf:5: vCard not closed (truncated file?)");
    EXPECT_EQ(error_of(card("FN:A\r\nX-FOLLOWUP-CHANNEL:two words\r\n")).substr(0, 13),
              "t.vcf:4: inva");
}

TEST(VCardRead, ManyCardsKeepTheirOrderAndLines) {
    // Speed is measured by bench/followup_bench (import of 100,000 vCards), not here.
    std::string text;
    for (int i = 0; i < 5000; ++i)
        text += fmt::format("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {0}\r\nN:{0};Person;;;\r\n"
                            "EMAIL;TYPE=INTERNET:p{0}@example.com\r\nTEL;TYPE=CELL:+1 555 {0}\r\n"
                            "ORG:Company {0}\r\nCATEGORIES:a,b\r\nNOTE:Met at a meetup\\, "
                            "talked about a long subject that needs fol\r\n ding\r\n"
                            "END:VCARD\r\n",
                            i);
    auto drafts = parse_vcards(text, "big.vcf");
    ASSERT_EQ(drafts.size(), 5000u);
    EXPECT_EQ(drafts.back().contact.email, "p4999@example.com");
    EXPECT_EQ(drafts.back().line, 4999u * 11 + 1);
    EXPECT_EQ(drafts.back().contact.notes,
              "Met at a meetup, talked about a long subject that needs folding");
}

// --- Writing ----------------------------------------------------------------------------------

TEST(VCardWrite, Version3Lines) {
    Contact c;
    c.uuid = "0b8a3f4e-3c2d-4e5f-8a9b-0c1d2e3f4a5b";
    c.name = "Ann Marie Lee";
    c.company = "Acme";
    c.email = "ann@example.com";
    c.phone = "+1 555 0100";
    c.tags = {"vip", "a,b"};
    c.birthday = "1985-04-12";
    c.notes = "a,b;c\nd";
    c.channel = "email";
    c.created = utc("2026-03-12T23:00:00Z");
    EXPECT_EQ(write_vcards({c}, 3), "BEGIN:VCARD\r\n"
                                    "VERSION:3.0\r\n"
                                    "FN:Ann Marie Lee\r\n"
                                    "N:Lee;Ann Marie;;;\r\n"
                                    "ORG:Acme\r\n"
                                    "EMAIL;TYPE=INTERNET:ann@example.com\r\n"
                                    "TEL:+1 555 0100\r\n"
                                    "BDAY:1985-04-12\r\n"
                                    "CATEGORIES:vip,a\\,b\r\n"
                                    "NOTE:a\\,b\\;c\\nd\r\n"
                                    "UID:urn:uuid:0b8a3f4e-3c2d-4e5f-8a9b-0c1d2e3f4a5b\r\n"
                                    "REV:20260312T230000Z\r\n"
                                    "X-FOLLOWUP-CHANNEL:email\r\n"
                                    "X-FOLLOWUP-CREATED:2026-03-12T23:00:00Z\r\n"
                                    "END:VCARD\r\n");
}

TEST(VCardWrite, Version4Lines) {
    Contact c;
    c.uuid = "0b8a3f4e-3c2d-4e5f-8a9b-0c1d2e3f4a5b";
    c.name = "Cher";
    c.email = "cher@example.com";
    c.phone = "+1 555 0100";
    c.birthday = "05-20";
    c.channel = "linkedin";
    c.handle = "https://www.linkedin.com/in/cher";
    c.every_days = 30;
    c.archived = true;
    c.met = utc("2026-01-02T03:04:05Z");
    EXPECT_EQ(write_vcards({c}, 4),
              "BEGIN:VCARD\r\n"
              "VERSION:4.0\r\n"
              "FN:Cher\r\n"
              "N:;Cher;;;\r\n"
              "EMAIL:cher@example.com\r\n"
              "TEL;VALUE=text:+1 555 0100\r\n"
              "X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/cher\r\n"
              "URL:https://www.linkedin.com/in/cher\r\n"
              "BDAY:--0520\r\n"
              "UID:urn:uuid:0b8a3f4e-3c2d-4e5f-8a9b-0c1d2e3f4a5b\r\n"
              "X-FOLLOWUP-CHANNEL:linkedin\r\n"
              "X-FOLLOWUP-MET:2026-01-02T03:04:05Z\r\n"
              "X-FOLLOWUP-EVERY:30\r\n"
              "X-FOLLOWUP-ARCHIVED:true\r\n"
              "END:VCARD\r\n");
    c.birthday = "1990-05-20";
    EXPECT_NE(write_vcards({c}, 4).find("\r\nBDAY:19900520\r\n"), std::string::npos);
    c.birthday = "05-20";
    EXPECT_NE(write_vcards({c}, 3).find("\r\nBDAY:--05-20\r\n"), std::string::npos);
}

TEST(VCardWrite, EmptyListAndBadVersion) {
    EXPECT_EQ(write_vcards({}, 3), "");
    EXPECT_THROW(write_vcards({}, 2), UsageError);
}

TEST(VCardWrite, FoldsAt75OctetsWithoutSplittingCharacters) {
    auto contacts = nasty_contacts();
    for (int version : {3, 4}) {
        std::string out = write_vcards(contacts, version);
        std::size_t pos = 0, folded = 0;
        while (pos < out.size()) {
            auto end = out.find("\r\n", pos);
            ASSERT_NE(end, std::string::npos) << "every line ends with CR LF";
            std::string_view line(out.data() + pos, end - pos);
            EXPECT_LE(line.size(), 75u) << line;
            EXPECT_EQ(line.find('\n'), std::string_view::npos);
            if (line.starts_with(" ")) {
                ++folded;
                line.remove_prefix(1);
            }
            EXPECT_TRUE(text::valid_utf8(line)) << line;
            pos = end + 2;
        }
        EXPECT_GT(folded, 10u);
    }
}

TEST(VCardWrite, RoundTripsEveryField) {
    auto contacts = nasty_contacts();
    for (int version : {3, 4}) {
        auto drafts = parse_vcards(write_vcards(contacts, version), "rt.vcf");
        ASSERT_EQ(drafts.size(), contacts.size()) << version;
        for (std::size_t i = 0; i < contacts.size(); ++i) {
            SCOPED_TRACE(fmt::format("vCard {} contact {}", version, i));
            expect_same(drafts[i].contact, contacts[i]);
        }
    }
}

TEST(VCardWrite, RoundTripsTheSamples) {
    for (const char* name : {"v21.vcf", "v30.vcf", "v40.vcf"}) {
        auto first = parse_vcards(sample(name), name);
        std::vector<Contact> contacts;
        for (auto& d : first)
            contacts.push_back(d.contact);
        for (int version : {3, 4}) {
            auto again = parse_vcards(write_vcards(contacts, version), name);
            ASSERT_EQ(again.size(), contacts.size());
            for (std::size_t i = 0; i < contacts.size(); ++i) {
                SCOPED_TRACE(fmt::format("{} as vCard {} contact {}", name, version, i));
                expect_same(again[i].contact, contacts[i]);
            }
        }
    }
}
