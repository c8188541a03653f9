// Every way to reach a person (SPEC "Reaching a person"): several emails, phones, postal
// addresses and profiles with labels; the note on the preferred channel, the connect step on the
// right social network; vCard in and out without losing any of it.

#include "harness.hpp"

#include <fmt/format.h>
#include <fstream>

using e2e::json;
using e2e::Sandbox;

namespace {

const std::filesystem::path data_dir = FOLLOWUP_TEST_DATA;

/// The open follow-up of a kind in `due --all`, for one contact.
json due_step(const json& due, const std::string& contact, const std::string& kind) {
    for (const auto& f : due)
        if (f["contact"] == contact && f["kind"] == kind) return f;
    ADD_FAILURE() << "no open " << kind << " for " << contact << " in " << due.dump(2);
    return json::object();
}

json labeled(const std::string& value, const std::string& label = "") {
    return {{"value", value}, {"label", label.empty() ? json(nullptr) : json(label)}};
}

} // namespace

TEST(Reach, SixPeopleOfSixHabitsGetTheRightChannelAndNetwork) {
    Sandbox s;
    s.tz = "Europe/London";
    s.at("2026-12-03T21:00:00Z");
    // After an evening mixer: six people, six ways of being reached.
    const std::vector<std::string> mixer{"--event", "Evening Mixer", "--met", "2026-12-03 19:00"};
    auto add = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "add");
        args.insert(args.end(), mixer.begin(), mixer.end());
        return s.ok(args);
    };
    add({"Ann Email", "--email", "work:ann@acme.example", "--email", "home:ann@home.example",
         "--profile", "linkedin:in/ann-email"});
    add({"Wes Whatsapp", "--phone", "mobile:+44 7700 900123", "--via", "whatsapp"});
    add({"Sam Sms", "--phone", "work:+44 20 7946 0000", "--phone", "mobile:+44 7700 900456",
         "--via", "text"});
    add({"Pat Post", "--address", "home:14 Elm Road, Bristol BS1 4DJ", "--via", "post"});
    add({"Lin Kedin", "--via", "linkedin:https://www.linkedin.com/in/lin-kedin"});
    add({"Fay Book", "--email", "fay@book.example", "--profile", "facebook:fay.book"});

    json due = s.json_of({"due", "--all"});
    // The 24-hour note goes through each one's channel, with a link that opens it.
    struct Note {
        std::string contact, channel, handle, link, title;
    };
    for (const auto& n : std::vector<Note>{
             {"Ann Email", "email", "ann@acme.example", "mailto:ann@acme.example",
              "Send a note to Ann Email by email"},
             {"Wes Whatsapp", "whatsapp", "+44 7700 900123", "https://wa.me/447700900123",
              "Send a note to Wes Whatsapp on WhatsApp"},
             {"Sam Sms", "sms", "+44 7700 900456", "sms:+447700900456",
              "Send a note to Sam Sms by SMS"},
             {"Lin Kedin", "linkedin", "https://www.linkedin.com/in/lin-kedin",
              "https://www.linkedin.com/in/lin-kedin", "Send a note to Lin Kedin on LinkedIn"},
             {"Fay Book", "email", "fay@book.example", "mailto:fay@book.example",
              "Send a note to Fay Book by email"},
         }) {
        SCOPED_TRACE(n.contact);
        json note = due_step(due, n.contact, "note");
        EXPECT_EQ(note["channel"], n.channel);
        EXPECT_EQ(note["handle"], n.handle);
        EXPECT_EQ(note["link"], n.link);
        EXPECT_EQ(note["title"], n.title);
        EXPECT_EQ(note["due"], "2026-12-04T19:00:00Z"); // met 19:00 GMT, +24h
    }
    // Post: the address is the handle, and there is no link.
    json card = due_step(due, "Pat Post", "note");
    EXPECT_EQ(card["channel"], "mail");
    EXPECT_EQ(card["handle"], "14 Elm Road, Bristol BS1 4DJ");
    EXPECT_EQ(card["link"], nullptr);
    EXPECT_EQ(card["title"], "Send a card to Pat Post by post");

    // The 7-day connect step is on a social network: their LinkedIn or Facebook profile; for
    // someone reached only another way, a step that fits it (issue 33); else LinkedIn with a
    // people search for the name.
    struct Connect {
        std::string contact, channel, link, title;
    };
    for (const auto& c : std::vector<Connect>{
             {"Ann Email", "linkedin", "https://www.linkedin.com/in/ann-email",
              "Connect with Ann Email on LinkedIn"},
             // Reached another way, with no social profile: the step fits it (issue 33).
             {"Wes Whatsapp", "whatsapp", "https://wa.me/447700900123",
              "Exchange numbers with Wes Whatsapp on WhatsApp"},
             {"Sam Sms", "sms", "sms:+447700900456", "Exchange numbers with Sam Sms on SMS"},
             {"Pat Post", "mail", "", "Add Pat Post's address to your contacts"},
             {"Lin Kedin", "linkedin", "https://www.linkedin.com/in/lin-kedin",
              "Connect with Lin Kedin on LinkedIn"},
             {"Fay Book", "facebook", "https://www.facebook.com/fay.book",
              "Connect with Fay Book on Facebook"},
         }) {
        SCOPED_TRACE(c.contact);
        json step = due_step(due, c.contact, "connect");
        EXPECT_EQ(step["channel"], c.channel);
        if (c.link.empty()) {
            EXPECT_TRUE(step["link"].is_null());
        } else {
            EXPECT_EQ(step["link"], c.link);
        }
        EXPECT_EQ(step["title"], c.title);
        EXPECT_EQ(step["due"], "2026-12-10T19:00:00Z");
    }

    // The table shows the same links, and the address for post.
    std::string table = s.ok({"due", "--all"});
    EXPECT_NE(table.find("https://wa.me/447700900123"), std::string::npos) << table;
    EXPECT_NE(table.find("14 Elm Road, Bristol BS1 4DJ"), std::string::npos) << table;

    // A contact's JSON has every list with its labels; email and phone are the first ones.
    json sam = s.json_of({"show", "Sam Sms"});
    EXPECT_EQ(sam["phones"], json::array({labeled("+44 20 7946 0000", "work"),
                                          labeled("+44 7700 900456", "mobile")}));
    EXPECT_EQ(sam["phone"], "+44 20 7946 0000");
    EXPECT_EQ(sam["channel"], "sms");
    EXPECT_EQ(sam["handle"], "+44 7700 900456"); // texts go to the mobile
    json ann = s.json_of({"show", "Ann Email"});
    EXPECT_EQ(ann["emails"], json::array({labeled("ann@acme.example", "work"),
                                          labeled("ann@home.example", "home")}));
    EXPECT_EQ(ann["profiles"], json::array({{{"network", "linkedin"},
                                             {"handle", "in/ann-email"},
                                             {"url", "https://www.linkedin.com/in/ann-email"}}}));

    // With social.networks = facebook first, Fay's step is on Facebook and Ann's, who has no
    // Facebook profile, on LinkedIn (her profile); a new contact without any goes to Facebook.
    s.ok({"--set", "social.networks=facebook,linkedin", "add", "Nia New", "--email",
          "nia@new.example"});
    json nia = s.followups("Nia New", "connect")[0];
    EXPECT_EQ(nia["channel"], "facebook");
    EXPECT_EQ(nia["title"], "Connect with Nia New on Facebook");
    EXPECT_EQ(nia["link"], "https://www.facebook.com/search/people/?q=Nia%20New");
}

TEST(Reach, UnknownChannelsAndNetworksSuggestTheNearest) {
    Sandbox s;
    s.at("2026-12-03T21:00:00Z");
    e2e::Result r = s.run({"add", "Wes", "--via", "whatsap"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: unknown channel 'whatsap'; did you mean 'whatsapp'? (add "
                            "others to [channels] custom in the config)");
    r = s.run({"add", "Wes", "--profile", "linkdin:in/wes"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err_line().find("did you mean 'linkedin'?"), std::string::npos) << r.err;
    r = s.run({"add", "Wes", "--profile", "in/wes"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line().rfind("followup: a profile is NETWORK:HANDLE", 0), 0u) << r.err;
    r = s.run({"--set", "social.networks=whatsapp", "due"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err_line().find("'whatsapp' is not a social network"), std::string::npos) << r.err;
    // Nothing was written by any of them.
    EXPECT_FALSE(std::filesystem::exists(s.db()));
}

TEST(Reach, EditAddsAndRemovesAndTheFollowupsMove) {
    Sandbox s;
    s.at("2026-12-03T21:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "ann@old.example", "--phone", "+1 555 0100"});
    json note = s.followups("Ann Lee", "note")[0];
    EXPECT_EQ(note["link"], "mailto:ann@old.example");
    EXPECT_EQ(s.followups("Ann Lee", "connect")[0]["title"], "Connect with Ann Lee on LinkedIn");

    // A new email goes first: the note is sent there now.
    s.ok({"edit", "Ann", "--email", "work:ann@new.example", "--address", "1 Mill Lane, York",
          "--address", "work:2 Dock Street, Hull", "--profile", "facebook:ann.lee"});
    json ann = s.json_of({"show", "Ann"});
    EXPECT_EQ(ann["emails"],
              json::array({labeled("ann@new.example", "work"), labeled("ann@old.example")}));
    EXPECT_EQ(ann["addresses"],
              json::array({labeled("1 Mill Lane, York"), labeled("2 Dock Street, Hull", "work")}));
    EXPECT_EQ(s.followups("Ann Lee", "note")[0]["link"], "mailto:ann@new.example");
    // Her Facebook profile moves the connect step there, with its title.
    json connect = s.followups("Ann Lee", "connect")[0];
    EXPECT_EQ(connect["channel"], "facebook");
    EXPECT_EQ(connect["title"], "Connect with Ann Lee on Facebook");
    EXPECT_EQ(connect["link"], "https://www.facebook.com/ann.lee");

    // The old address again moves it to the front, keeping no label it did not have.
    s.ok({"edit", "Ann", "--email", "ann@old.example"});
    EXPECT_EQ(s.json_of({"show", "Ann"})["email"], "ann@old.example");

    // Removing: an email, an address by its number, a profile by its network.
    s.ok({"edit", "Ann", "--remove-email", "ANN@OLD.example", "--remove-address", "2",
          "--remove-profile", "fb", "--remove-phone", "+15550100"});
    ann = s.json_of({"show", "Ann"});
    EXPECT_EQ(ann["emails"], json::array({labeled("ann@new.example", "work")}));
    EXPECT_EQ(ann["addresses"], json::array({labeled("1 Mill Lane, York")}));
    EXPECT_EQ(ann["profiles"], json::array());
    EXPECT_EQ(ann["phones"], json::array());
    connect = s.followups("Ann Lee", "connect")[0];
    EXPECT_EQ(connect["channel"], "linkedin");
    EXPECT_EQ(connect["title"], "Connect with Ann Lee on LinkedIn");

    // Taking away what they do not have is an error that changes nothing.
    std::string before = s.state();
    e2e::Result r = s.run({"edit", "Ann", "--remove-email", "nobody@example.com"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: Ann Lee has no email 'nobody@example.com'");
    r = s.run({"edit", "Ann", "--remove-address", "5"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err_line(), "followup: Ann Lee has no address 5 (they have 1)");
    EXPECT_EQ(s.state(), before);

    // show lists them, numbered addresses when there are several.
    s.ok({"edit", "Ann", "--address", "home:3 High Street, Leeds"});
    std::string card = s.ok({"show", "Ann"});
    EXPECT_NE(card.find("  Email       ann@new.example (work)\n"), std::string::npos) << card;
    EXPECT_NE(card.find("  Address 1   3 High Street, Leeds (home)\n"), std::string::npos) << card;
    EXPECT_NE(card.find("  Address 2   1 Mill Lane, York\n"), std::string::npos) << card;
}

TEST(Reach, AVCardWithEveryWayToReachSurvivesImportAndExport) {
    Sandbox s;
    s.at("2026-12-03T21:00:00Z");
    const std::string vcf = "BEGIN:VCARD\r\n"
                            "VERSION:3.0\r\n"
                            "FN:Ann Lee\r\n"
                            "N:Lee;Ann;;;\r\n"
                            "EMAIL;TYPE=INTERNET,WORK,pref:ann@acme.example\r\n"
                            "EMAIL;TYPE=INTERNET,HOME:ann@home.example\r\n"
                            "TEL;TYPE=CELL,pref:+44 7700 900123\r\n"
                            "TEL;TYPE=WORK,VOICE:+44 20 7946 0000\r\n"
                            "TEL;TYPE=HOME:+44 117 496 0000\r\n"
                            "ADR;TYPE=HOME:;;14 Elm Road;Bristol;;BS1 4DJ;United Kingdom\r\n"
                            "URL:https://www.linkedin.com/in/ann-lee\r\n"
                            "IMPP:whatsapp:+44 7700 900123\r\n"
                            "NOTE:Met at the mixer\r\n"
                            "END:VCARD\r\n";
    std::ofstream(s.dir() / "ann.vcf", std::ios::binary) << vcf;
    s.ok({"import", (s.dir() / "ann.vcf").string()});
    json ann = s.json_of({"show", "Ann Lee"});
    EXPECT_EQ(ann["emails"], json::array({labeled("ann@acme.example", "work"),
                                          labeled("ann@home.example", "home")}));
    EXPECT_EQ(ann["phones"], json::array({labeled("+44 7700 900123", "mobile"),
                                          labeled("+44 20 7946 0000", "work"),
                                          labeled("+44 117 496 0000", "home")}));
    EXPECT_EQ(ann["addresses"],
              json::array({labeled("14 Elm Road, Bristol, BS1 4DJ, United Kingdom", "home")}));
    ASSERT_EQ(ann["profiles"].size(), 2u) << ann["profiles"].dump();
    EXPECT_EQ(ann["profiles"][0]["network"], "linkedin");
    EXPECT_EQ(ann["profiles"][0]["handle"], "https://www.linkedin.com/in/ann-lee");
    EXPECT_EQ(ann["profiles"][1]["network"], "whatsapp");
    EXPECT_EQ(ann["profiles"][1]["handle"], "+44 7700 900123");
    EXPECT_EQ(ann["notes"], "Met at the mixer"); // nothing reach-related in the notes

    // Out and back in, both vCard versions: every field the same, into a new database.
    for (const std::string version : {"3.0", "4.0"}) {
        SCOPED_TRACE("vCard " + version);
        std::string out = s.ok({"export", "contacts", "--format", "vcf", "--vcard", version});
        EXPECT_NE(out.find("IMPP:whatsapp:+44 7700 900123\r\n"), std::string::npos) << out;
        EXPECT_NE(out.find("X-SOCIALPROFILE;TYPE=linkedin:https://www.linkedin.com/in/ann-lee"),
                  std::string::npos)
            << out;
        EXPECT_NE(out.find("ADR;TYPE=home"), std::string::npos) << out;
        Sandbox t;
        t.at("2026-12-04T09:00:00Z");
        std::ofstream(t.dir() / "out.vcf", std::ios::binary) << out;
        t.ok({"import", (t.dir() / "out.vcf").string()});
        json back = t.json_of({"show", "Ann Lee"});
        for (const char* field : {"uuid", "emails", "phones", "addresses", "profiles", "email",
                                  "phone", "channel", "handle", "notes"})
            EXPECT_EQ(back[field], ann[field]) << field;
        // Python's vobject, which we did not write, reads the same emails, phones and address.
        std::ofstream(t.dir() / "check.py") << R"py(
import sys, vobject
card = next(vobject.readComponents(sys.stdin.read()))
print(len(card.contents.get("email", [])), len(card.contents.get("tel", [])),
      len(card.contents.get("adr", [])), card.contents["impp"][0].value)
)py";
        std::string cmd = fmt::format("/usr/bin/python3 {} < {}", (t.dir() / "check.py").string(),
                                      (t.dir() / "out.vcf").string());
        FILE* p = ::popen(cmd.c_str(), "r");
        ASSERT_NE(p, nullptr);
        char buf[256] = {};
        std::string got = std::fgets(buf, sizeof buf, p) ? buf : "";
        EXPECT_EQ(::pclose(p), 0);
        EXPECT_EQ(got, "2 3 1 whatsapp:+44 7700 900123\n");
    }

    // Importing the card again changes nothing; a card with a new email merges it in.
    EXPECT_NE(s.ok({"import", (s.dir() / "ann.vcf").string()}).find("0 added, 0 updated"),
              std::string::npos);
    std::ofstream(s.dir() / "more.vcf", std::ios::binary)
        << "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@home.example\r\n"
           "EMAIL:ann.lee@club.example\r\nEND:VCARD\r\n";
    std::string out = s.ok({"import", (s.dir() / "more.vcf").string()});
    EXPECT_NE(out.find("0 added, 1 updated"), std::string::npos) << out;
    ann = s.json_of({"show", "Ann Lee"});
    EXPECT_EQ(ann["emails"].size(), 3u);
    EXPECT_EQ(ann["emails"][2]["value"], "ann.lee@club.example");
    EXPECT_EQ(s.json_of({"contacts"}).size(), 1u);
}

TEST(Reach, CsvAndJsonCarryTheLists) {
    Sandbox s;
    s.at("2026-12-03T21:00:00Z");
    s.ok({"add", "Ann Lee", "--email", "work:ann@acme.example", "--email", "ann@home.example",
          "--phone", "mobile:+44 7700 900123", "--address", "home:14 Elm Road, Bristol",
          "--profile", "whatsapp:+44 7700 900123", "--via", "whatsapp"});
    std::string csv = s.ok({"export", "contacts", "--format", "csv"});
    EXPECT_NE(csv.find(",work:ann@acme.example;ann@home.example,mobile:+44 7700 900123,"
                       "\"home:14 Elm Road, Bristol\",whatsapp:+44 7700 900123,"),
              std::string::npos)
        << csv;
    // The CSV and the JSON backup each bring the lists back into an empty database.
    for (const std::string format : {"csv", "json"}) {
        SCOPED_TRACE(format);
        Sandbox t;
        t.at("2026-12-04T09:00:00Z");
        std::string file = (t.dir() / ("x." + format)).string();
        std::ofstream(file, std::ios::binary)
            << s.ok({"export", format == "csv" ? "contacts" : "all", "--format", format});
        t.ok({"import", file});
        json a = s.json_of({"show", "Ann Lee"}), b = t.json_of({"show", "Ann Lee"});
        for (const char* field :
             {"emails", "phones", "addresses", "profiles", "channel", "handle", "email", "phone"})
            EXPECT_EQ(b[field], a[field]) << field;
    }
}
