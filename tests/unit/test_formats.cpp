#include <followup/interchange/formats.hpp>
#include <followup/util/errors.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace followup;

namespace {

Followup sample() {
    Followup f;
    f.id = 7;
    f.uuid = "u-7";
    f.contact_id = 3;
    f.contact = "Jane Doe";
    f.kind = Kind::note;
    f.title = "Send a note to Jane Doe by email";
    f.due = *parse_utc("2026-11-21T00:00:00Z");
    f.original_due = f.due;
    f.created = *parse_utc("2026-11-20T00:05:00Z");
    f.channel = "email";
    f.handle = "jane@example.com";
    return f;
}

} // namespace

TEST(Formats, FollowupRecordHasTheSpecsFieldsInOrder) {
    Record r = to_record(sample());
    std::vector<std::string> keys;
    for (auto it = r.begin(); it != r.end(); ++it)
        keys.push_back(it.key());
    EXPECT_EQ(keys, followup_fields());
    EXPECT_EQ(r["link"], "mailto:jane@example.com");
    EXPECT_TRUE(r["done_at"].is_null());
    EXPECT_TRUE(r["note"].is_null());
    EXPECT_EQ(r["due"], "2026-11-21T00:00:00Z");
}

TEST(Formats, JsonLinesOneObjectPerLine) {
    std::string out =
        render({to_record(sample()), to_record(sample())}, Format::jsonl, followup_fields());
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
    EXPECT_EQ(out.substr(0, 9), "{\"id\":7,\"");
}

TEST(Formats, CsvQuotesAndNeutralisesFormulas) {
    Followup f = sample();
    f.title = "=HYPERLINK(\"http://x\")";
    f.note = "line one\nline, two";
    std::string out = render({to_record(f)}, Format::csv, {"id", "title", "note", "referral_id"});
    EXPECT_EQ(out, "id,title,note,referral_id\r\n"
                   "7,\"'=HYPERLINK(\"\"http://x\"\")\",\"line one\nline, two\",\r\n");
}

TEST(Formats, TsvEscapesTabsAndNewlines) {
    Followup f = sample();
    f.title = "a\tb";
    f.note = "-1 c\\d\ne";
    std::string out = render({to_record(f)}, Format::tsv, {"id", "title", "note"});
    EXPECT_EQ(out, "id\ttitle\tnote\n7\ta\\tb\t'-1 c\\\\d\\ne\n");
}

TEST(Formats, EmptyListsStillHaveAHeaderOrAnArray) {
    EXPECT_EQ(render({}, Format::json, followup_fields()), "[]\n");
    EXPECT_EQ(render({}, Format::csv, {"id", "kind"}), "id,kind\r\n");
    EXPECT_EQ(render({}, Format::jsonl, {"id"}), "");
}

TEST(Formats, ContactTagsBecomeAnArrayAndJoinInCsv) {
    Contact c;
    c.id = 1;
    c.uuid = "u";
    c.name = "Ann";
    c.tags = {"bni", "vip"};
    c.created = *parse_utc("2026-01-01T00:00:00Z");
    Record r = to_record(c);
    EXPECT_EQ(r["tags"], nlohmann::json::array({"bni", "vip"}));
    EXPECT_EQ(r["archived"], false);
    EXPECT_EQ(render({r}, Format::csv, {"name", "tags", "archived"}),
              "name,tags,archived\r\nAnn,bni;vip,false\r\n");
}

TEST(Formats, UnknownFormatIsAUsageError) {
    EXPECT_THROW(parse_format("xml"), UsageError);
    EXPECT_EQ(parse_format("JSON"), Format::json);
}

TEST(Formats, RowsRenderExactlyAsTheirRecords) {
    // The fast path of large exports must write the same bytes as the records would.
    Contact c;
    c.id = 4;
    c.uuid = "u-4";
    c.name = "Zoë \"Z\" Ångström";
    c.company = "=SUM(A1)";
    c.notes = "line one\nline\ttwo\\ ünïcödé 🚀 \x01";
    c.tags = {"a,b", "@home", "nordic"};
    c.email = "zoe@example.com";
    c.every_days = 30;
    c.archived = true;
    c.created = *parse_utc("2026-11-20T00:05:00Z");
    c.met = *parse_utc("2026-11-19T18:00:00Z");
    Contact bare;
    bare.id = 5;
    bare.uuid = "u-5";
    bare.name = "Bo";
    Referral r;
    r.id = 1;
    r.uuid = "u-r";
    r.direction = "received";
    r.referrer = "Ann";
    r.prospect = "-Cara";
    r.status = "won";
    r.amount = 1200.5;
    Interaction i;
    i.id = 2;
    i.uuid = "u-i";
    i.contact_id = 4;
    i.contact = "Zoë";
    i.at = c.created;
    i.note = "+1 called";
    i.followup_id = 7;
    for (Format f : {Format::json, Format::jsonl, Format::csv, Format::tsv}) {
        EXPECT_EQ(render_rows(std::vector<Contact>{c, bare}, f),
                  render({to_record(c), to_record(bare)}, f, contact_fields()));
        EXPECT_EQ(render_rows(std::vector<Followup>{sample()}, f),
                  render({to_record(sample())}, f, followup_fields()));
        EXPECT_EQ(render_rows(std::vector<Referral>{r}, f),
                  render({to_record(r)}, f, referral_fields()));
        EXPECT_EQ(render_rows(std::vector<Interaction>{i}, f),
                  render({to_record(i)}, f, interaction_fields()));
        EXPECT_EQ(render_rows(std::vector<Contact>{}, f), render({}, f, contact_fields()));
    }
}

TEST(Formats, JsonTextNeedingEscapesIsFoundAtAnyPosition) {
    // The JSON writer copies plain text as it is and looks at it eight bytes at a time: a byte
    // that needs escaping (or is not ASCII) at any place of a word or of the tail after the last
    // word is escaped exactly as nlohmann escapes it.
    for (std::string_view special : {"\"", "\\", "\x01", "\x1f", "\n", "\xc3\xa9", "\x7f"}) {
        for (std::size_t at = 0; at <= 19; ++at) {
            Followup f = sample();
            f.title = std::string(at, 'a') + std::string(special) + std::string(19 - at, 'b');
            SCOPED_TRACE(::testing::Message() << "byte at " << at << ": " << f.title);
            for (Format format : {Format::json, Format::jsonl})
                EXPECT_EQ(render_rows(std::vector<Followup>{f}, format),
                          render({to_record(f)}, format, followup_fields()));
            // And the text comes back from the JSON as it was.
            EXPECT_EQ(nlohmann::json::parse(
                          render_rows(std::vector<Followup>{f}, Format::json))[0]["title"],
                      f.title);
        }
    }
}
