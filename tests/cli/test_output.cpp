// Output for scripts: --fail-if-overdue, csv/tsv/jsonl, formula neutralisation, contacts
// filters, edit, and event statistics.

#include "harness.hpp"

#include <cstdlib>

using e2e::json;
using e2e::Sandbox;

namespace {

/// Splits RFC 4180 CSV text (CRLF line ends, "" inside quotes) into rows of cells.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char ch = text[i];
        if (quoted) {
            if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                cell += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            row.push_back(cell);
            cell.clear();
        } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row.push_back(cell);
            cell.clear();
            rows.push_back(row);
            row.clear();
            ++i;
        } else {
            cell += ch;
        }
    }
    EXPECT_TRUE(row.empty() && cell.empty()) << "CSV does not end with CRLF";
    return rows;
}

} // namespace

TEST(Output, FailIfOverdueExitsThree) {
    Sandbox s;
    s.at("2026-11-20T03:15:00Z");
    s.ok({"add", "Ana Souza"});   // note due 2026-11-21T03:15:00Z
    s.at("2026-11-21T03:14:59Z"); // one second before: not overdue
    e2e::Result fine = s.run({"due", "--fail-if-overdue", "--format", "json"});
    EXPECT_EQ(fine.status, 0) << fine.err;
    EXPECT_EQ(fine.json_out().size(), 1u);
    s.at("2026-11-21T03:15:01Z"); // one second after
    e2e::Result late = s.run({"due", "--fail-if-overdue", "--format", "json"});
    EXPECT_EQ(late.status, 3) << late.err;
    json rows = late.json_out();
    ASSERT_EQ(rows.size(), 1u); // the list is still printed
    EXPECT_EQ(rows[0]["id"], 1);
    EXPECT_EQ(s.run({"due", "--fail-if-overdue"}).status, 3);
    // Without the flag, overdue is not a failure.
    EXPECT_EQ(s.run({"due"}).status, 0);
    // --overdue: only due < now.
    json overdue = s.json_of({"due", "--overdue"});
    ASSERT_EQ(overdue.size(), 1u);
    EXPECT_EQ(overdue[0]["kind"], "note");
}

TEST(Output, CsvHasHeaderCrlfAndNeutralisesFormulas) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z"); // Fri 08:00 EST
    s.ok({"add", "=cmd|' /C calc'!A0", "--plan", "none"});
    s.ok({"todo", "#1", "=SUM(A1:A2)", "--by", "2026-12-01"});
    s.ok({"todo", "#1", "+1 call back", "--by", "2026-12-02"});
    s.ok({"todo", "#1", "@mention", "--by", "2026-12-03"});
    s.ok({"todo", "#1", "Say \"hi\", then leave", "--by", "2026-12-04"});
    // After `--` every word is a positional: the contacts, then WHAT.
    s.ok({"todo", "--by", "2026-12-05", "--", "#1", "-rush"});
    e2e::Result r = s.run({"due", "--all", "--format", "csv"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("id,uuid,contact_id,contact,kind,title,due,original_due,status,"
                                  "channel,handle,link,referral_id,created,done_at,note\r\n"))
        << r.out;
    auto rows = parse_csv(r.out);
    ASSERT_EQ(rows.size(), 6u) << r.out;
    for (const auto& row : rows)
        EXPECT_EQ(row.size(), 16u);
    EXPECT_EQ(rows[1][0], "1");
    EXPECT_EQ(rows[1][3], "'=cmd|' /C calc'!A0");
    EXPECT_EQ(rows[1][4], "custom");
    EXPECT_EQ(rows[1][5], "'=SUM(A1:A2)");
    EXPECT_EQ(rows[1][6], "2026-12-02T04:59:59Z"); // 12-01 23:59:59 EST
    EXPECT_EQ(rows[1][8], "open");
    EXPECT_EQ(rows[1][9], ""); // null channel: empty cell
    EXPECT_EQ(rows[2][5], "'+1 call back");
    EXPECT_EQ(rows[3][5], "'@mention");
    EXPECT_EQ(rows[4][5], "Say \"hi\", then leave");
    EXPECT_NE(r.out.find("\"Say \"\"hi\"\", then leave\""), std::string::npos) << r.out;
    EXPECT_EQ(rows[5][5], "'-rush");
    // JSON keeps the text as it is.
    json j = s.json_of({"due", "--all"});
    EXPECT_EQ(j[0]["contact"], "=cmd|' /C calc'!A0");
    EXPECT_EQ(j[0]["title"], "=SUM(A1:A2)");
    EXPECT_EQ(j[4]["title"], "-rush");
}

TEST(Output, JsonlAndTsv) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ana Souza", "--met", "2026-11-19 19:00"});
    e2e::Result jl = s.run({"due", "--all", "--format", "jsonl"});
    ASSERT_EQ(jl.status, 0);
    std::vector<json> lines;
    std::size_t start = 0;
    while (start < jl.out.size()) {
        std::size_t end = jl.out.find('\n', start);
        ASSERT_NE(end, std::string::npos);
        lines.push_back(json::parse(jl.out.substr(start, end - start)));
        start = end + 1;
    }
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0]["due"], "2026-11-21T00:00:00Z");
    EXPECT_EQ(lines[2]["kind"], "meet");
    e2e::Result tsv = s.run({"due", "--all", "--format", "tsv"});
    ASSERT_EQ(tsv.status, 0);
    EXPECT_TRUE(tsv.out.starts_with("id\tuuid\tcontact_id\tcontact\tkind\ttitle\tdue\t"))
        << tsv.out;
    EXPECT_EQ(std::count(tsv.out.begin(), tsv.out.end(), '\n'), 4);
    EXPECT_EQ(tsv.out.find('\r'), std::string::npos);
}

TEST(Output, ContactsFiltersAndEdit) {
    Sandbox s;
    s.at("2026-11-20T13:00:00Z");
    s.ok({"add", "Ana Souza", "--company", "Acme", "--tag", "vip", "--event", "Chamber Mixer",
          "--email", "ana@acme.example"});
    s.ok({"add", "Bob Chen", "--tag", "prospect"});
    EXPECT_EQ(s.json_of({"contacts", "--tag", "vip"}).size(), 1u);
    EXPECT_EQ(s.json_of({"contacts", "--event", "Chamber Mixer"})[0]["name"], "Ana Souza");
    EXPECT_EQ(s.json_of({"contacts", "acme"})[0]["name"], "Ana Souza");
    EXPECT_EQ(s.json_of({"contacts", "nobody"}), json::array());

    // Renaming updates the titles of the open plan steps; tags come and go.
    s.ok({"edit", "Ana", "--name", "Ana Maria Souza", "--tag", "speaker", "--untag", "vip",
          "--company", "Initech"});
    json ana = s.json_of({"show", "#1"});
    EXPECT_EQ(ana["name"], "Ana Maria Souza");
    EXPECT_EQ(ana["company"], "Initech");
    EXPECT_EQ(ana["tags"], json::array({"speaker"}));
    json notes = s.json_of({"due", "--all", "--contact", "#1", "--kind", "note"});
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0]["title"], "Send a note to Ana Maria Souza by email");
    EXPECT_EQ(notes[0]["contact"], "Ana Maria Souza");
}

TEST(Output, ContactsTextSearchMatchesNonAsciiCompanyAndTitle) {
    // `contacts TEXT` looks in the name, company, title, email and tags. Text typed exactly as
    // stored must match, accents or not.
    Sandbox s;
    s.ok({"add", "Ana Souza", "--company", "Société Générale", "--plan", "none"});
    s.ok({"add", "Zoë Brontë", "--title", "Directrice Générale", "--plan", "none"});
    EXPECT_EQ(s.json_of({"contacts", "Société"}).size(), 1u);
    EXPECT_EQ(s.json_of({"contacts", "societe"}).size(), 1u);
    EXPECT_EQ(s.json_of({"contacts", "Générale"}).size(), 2u);
    EXPECT_EQ(s.json_of({"contacts", "GENERALE"}).size(), 2u);
}

TEST(Output, EventStatistics) {
    Sandbox s;
    // Tue 2026-11-10 09:00 EST = 14:00Z.
    s.at("2026-11-10T14:00:00Z");
    e2e::Result added =
        s.run({"event", "add", "BNI Breakfast", "--on", "2026-11-10", "--where", "Hilton Midtown"});
    ASSERT_EQ(added.status, 0) << added.err;
    // Met 07:00 EST = 12:00Z. Dana: 1 note (11-11T12:00Z), 2 connect (11-17T12:00Z),
    // 3 meet (12-10T12:00Z); Eli: 4, 5, 6 likewise.
    s.ok({"add", "Dana Fox", "--event", "BNI Breakfast", "--met", "2026-11-10 07:00"});
    s.ok({"add", "Eli Gold", "--event", "bni breakfast", "--met", "2026-11-10 07:00"});
    s.ok({"add", "Flo Other", "--event", "Other Meetup"});

    s.at("2026-11-11T01:00:00Z");
    s.ok({"done", "1"}); // on time
    s.at("2026-11-12T14:00:00Z");
    s.ok({"done", "4"}); // late: due 11-11T12:00Z
    s.at("2026-11-16T14:00:00Z");
    s.ok({"done", "2"}); // on time
    s.at("2026-11-18T14:00:00Z");
    s.ok({"done", "3"}); // the one-to-one, held early
    // Now Fri 2026-11-20 12:00 EST = 17:00Z. Eli's connect (5) is open and overdue; the meet
    // of Eli (6) is open and not yet due.
    //   steps_due     = closed 1, 2, 3, 4 + overdue 5 = 5
    //   steps_on_time = 1, 2, 3 (4 was late, 5 not done) = 3
    //   one_to_ones   = meet 3 done = 1
    s.at("2026-11-20T17:00:00Z");
    json events = s.json_of({"events"});
    ASSERT_EQ(events.size(), 2u);
    json bni;
    for (const auto& e : events)
        if (e["name"] == "BNI Breakfast") bni = e;
    ASSERT_FALSE(bni.is_null()) << events.dump(2);
    EXPECT_EQ(bni["id"], 1);
    EXPECT_EQ(bni["date"], "2026-11-10");
    EXPECT_EQ(bni["place"], "Hilton Midtown");
    EXPECT_EQ(bni["people"], 2);
    EXPECT_EQ(bni["steps_due"], 5);
    EXPECT_EQ(bni["steps_on_time"], 3);
    EXPECT_EQ(bni["one_to_ones"], 1);
    EXPECT_EQ(bni["referrals"], 0);
    EXPECT_EQ(bni["closed"], 0);
    EXPECT_EQ(bni["given"], 0);
    EXPECT_EQ(bni["created"], "2026-11-10T14:00:00Z");
    EXPECT_EQ(bni["uuid"].get<std::string>().size(), 36u);
    std::set<std::string> keys;
    for (const auto& [k, v] : bni.items())
        keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"id", "uuid", "name", "date", "place", "people",
                                           "steps_due", "steps_on_time", "one_to_ones", "referrals",
                                           "closed", "given", "created"}));
    // An event named by `add` is created on the local day of the meeting: Flo was met "now"
    // (Tue 2026-11-10 09:00 EST).
    json other;
    for (const auto& e : events)
        if (e["name"] == "Other Meetup") other = e;
    EXPECT_EQ(other["date"], "2026-11-10");
    EXPECT_EQ(other["place"], nullptr);
    EXPECT_EQ(other["people"], 1);
    // --event filters due by the event.
    json due = s.json_of({"due", "--all", "--event", "BNI Breakfast"});
    std::vector<long long> ids;
    for (const auto& r : due)
        ids.push_back(r["id"].get<long long>());
    EXPECT_EQ(ids, (std::vector<long long>{5, 6}));
}
