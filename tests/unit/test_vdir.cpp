#include "store_access.hpp"
// vdir export and import in the core: which files are written, left alone and removed, and what
// reading a changed folder back does to the database.

#include <SQLiteCpp/SQLiteCpp.h>
#include <filesystem>
#include <followup/actions/actions.hpp>
#include <followup/actions/vdir_import.hpp>
#include <followup/interchange/vcard.hpp>
#include <followup/interchange/vdir.hpp>
#include <followup/util/errors.hpp>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace followup;
namespace fs = std::filesystem;

namespace {

Instant t(const char* utc) {
    return *parse_utc(utc);
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

struct TempDir {
    fs::path path;
    TempDir() {
        char name[] = "/tmp/followup-vdir-XXXXXX";
        path = ::mkdtemp(name);
    }
    ~TempDir() { fs::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

std::vector<std::string> names(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

const std::string a = "11111111-1111-4111-8111-111111111111";
const std::string b = "22222222-2222-4222-8222-222222222222";

} // namespace

TEST(VdirExport, WritesOnlyWhatChangedAndRemovesOnlyItsOwnUnchangedFiles) {
    TempDir d;
    fs::path dir = d.path / "contacts"; // created
    auto r = vdir::export_items(dir, ".vcf", {{a, "A1"}, {b, "B1"}});
    EXPECT_EQ(r.written, 2u);
    EXPECT_EQ(names(dir),
              (std::vector<std::string>{".followup-vdir.json", a + ".vcf", b + ".vcf"}));
    EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
    auto before = fs::last_write_time(dir / (a + ".vcf"));

    // A phone's own card, and an edit of b's file not read yet.
    spit(dir / "phone.vcf", "PHONE");
    spit(dir / (b + ".vcf"), "B edited on the phone");
    r = vdir::export_items(dir, ".vcf", {{a, "A1"}});
    EXPECT_EQ(r.written, 0u);
    EXPECT_EQ(r.unchanged, 1u);
    EXPECT_EQ(r.removed, 0u); // b is gone, but its file changed since: left for import
    EXPECT_EQ(r.unread, (std::vector<std::string>{b + ".vcf"}));
    EXPECT_EQ(fs::last_write_time(dir / (a + ".vcf")), before);
    EXPECT_EQ(slurp(dir / (b + ".vcf")), "B edited on the phone");
    EXPECT_EQ(slurp(dir / "phone.vcf"), "PHONE");

    // Once followup's own content is back in b's file, it is removed; the phone's never.
    spit(dir / (b + ".vcf"), "B1");
    r = vdir::export_items(dir, ".vcf", {{a, "A2"}});
    EXPECT_EQ(r.written, 1u);
    EXPECT_EQ(r.removed, 1u);
    EXPECT_EQ(slurp(dir / (a + ".vcf")), "A2");
    EXPECT_EQ(names(dir),
              (std::vector<std::string>{".followup-vdir.json", a + ".vcf", "phone.vcf"}));
    // A file of another extension is not touched by this export.
    spit(dir / "x.ics", "ICS");
    vdir::export_items(dir, ".vcf", {});
    EXPECT_EQ(names(dir), (std::vector<std::string>{".followup-vdir.json", "phone.vcf", "x.ics"}));
}

namespace {

struct World {
    Repository repo{":memory:"};
    Config config;
    TimeContext tc{t("2026-11-20T16:00:00Z"), followup::find_zone("America/New_York")};
    World() {
        config.plans = builtin_plans();
        repo.set_now(tc.now);
    }
    actions::Env env() { return actions::Env{repo, tc, config, "import --vdir"}; }
    int count(const std::string& sql) { return static_cast<int>(test_store::scalar(repo, sql)); }
};

} // namespace

TEST(VdirImport, ACompletedTodoIsDoneOnceAtItsTimeAndAnEditedCardUpdatesTheContact) {
    World w;
    TempDir d;
    actions::NewContact in;
    in.contact.name = "Jane Doe";
    in.contact.company = "Acme Corp";
    in.contact.emails = {{"jane@acme.example", ""}};
    in.met = When{t("2026-11-20T00:00:00Z"), std::nullopt};
    auto e = w.env();
    actions::Added added = actions::add_contact(e, in);
    const Followup note = added.planned.at(0);

    fs::path tasks = d.path / "tasks", cards = d.path / "contacts";
    IcsOptions ics;
    vdir::export_items(tasks, ".ics", vdir::followup_items(w.repo.all_followups(true), ics));
    vdir::export_items(cards, ".vcf", vdir::contact_items(w.repo.all_contacts()));
    ASSERT_EQ(names(tasks).size(), 4u);

    // Nothing changed: nothing happens.
    auto r = vdir::import_dir(e, tasks);
    EXPECT_EQ(r.unchanged, 3u);
    EXPECT_EQ(r.done, 0u);

    fs::path file = tasks / (note.uuid + ".ics");
    std::string text = slurp(file);
    ASSERT_NE(text.find("STATUS:NEEDS-ACTION"), std::string::npos) << text;
    text.replace(text.find("STATUS:NEEDS-ACTION"), 19,
                 "STATUS:COMPLETED\r\nCOMPLETED:20261120T150000Z");
    spit(file, text);
    std::string card = slurp(cards / (added.contact.uuid + ".vcf"));
    card.replace(card.find("ORG:Acme Corp"), 13, "ORG:Globex\r\nTEL;TYPE=CELL:+1 212 555 0199");
    spit(cards / (added.contact.uuid + ".vcf"), card);

    r = vdir::import_dir(e, tasks);
    EXPECT_EQ(r.done, 1u);
    Followup f = w.repo.get_followup(note.id);
    EXPECT_EQ(f.status, Status::done);
    EXPECT_EQ(f.done_at, t("2026-11-20T15:00:00Z"));
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions WHERE followup_id = " +
                      std::to_string(note.id) + " AND at = " +
                      std::to_string(t("2026-11-20T15:00:00Z").time_since_epoch().count())),
              1);
    r = vdir::import_dir(e, cards);
    EXPECT_EQ(r.updated, 1u);
    Contact c = w.repo.get_contact(added.contact.id);
    EXPECT_EQ(c.company, "Globex");
    ASSERT_EQ(c.phones.size(), 1u);
    EXPECT_EQ(c.phones[0].value, "+1 212 555 0199");
    EXPECT_EQ(c.emails, (std::vector<Labeled>{{"jane@acme.example", ""}}));

    // Read again, even with the state forgotten: nothing more happens.
    fs::remove(tasks / vdir::state_file);
    fs::remove(cards / vdir::state_file);
    int touches = w.count("SELECT count(*) FROM interactions");
    r = vdir::import_dir(e, tasks);
    EXPECT_EQ(r.done, 0u);
    r = vdir::import_dir(e, cards);
    EXPECT_EQ(r.updated, 0u);
    EXPECT_EQ(r.unchanged, 1u);
    EXPECT_EQ(w.count("SELECT count(*) FROM interactions"), touches);

    // The done follow-up's file goes at the next export.
    auto x =
        vdir::export_items(tasks, ".ics", vdir::followup_items(w.repo.all_followups(true), ics));
    EXPECT_EQ(x.removed, 1u);
    EXPECT_FALSE(fs::exists(file));
}

TEST(VdirImport, ANewCardIsAContactWhoseFileKeepsItsName) {
    World w;
    TempDir d;
    fs::create_directories(d.path);
    spit(d.path / "from-phone.vcf",
         "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Park\r\nEMAIL:kim@park.example\r\nEND:VCARD\r\n");
    spit(d.path / "broken.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\n");
    auto e = w.env();
    auto r = vdir::import_dir(e, d.path);
    EXPECT_EQ(r.added, 1u);
    EXPECT_EQ(r.unreadable.size(), 1u);
    ASSERT_EQ(w.repo.all_contacts().size(), 1u);
    Contact kim = w.repo.all_contacts()[0];
    EXPECT_EQ(kim.name, "Kim Park");
    auto x = vdir::export_items(d.path, ".vcf", vdir::contact_items(w.repo.all_contacts()));
    EXPECT_EQ(x.written, 1u);
    EXPECT_FALSE(fs::exists(d.path / (kim.uuid + ".vcf")));
    EXPECT_NE(slurp(d.path / "from-phone.vcf").find("UID:urn:uuid:" + kim.uuid), std::string::npos);
    EXPECT_EQ(slurp(d.path / "broken.vcf"), "BEGIN:VCARD\r\nVERSION:3.0\r\n");
}

TEST(VdirImport, ACancelledTodoIsSkippedAndAFloatingCompletedTimeIsLocal) {
    World w;
    TempDir d;
    actions::NewContact in;
    in.contact.name = "Sam Lee";
    in.met = When{t("2026-11-20T00:00:00Z"), std::nullopt};
    auto e = w.env();
    actions::Added added = actions::add_contact(e, in);
    IcsOptions ics;
    vdir::export_items(d.path, ".ics", vdir::followup_items(w.repo.all_followups(true), ics));
    auto edit = [&](const Followup& f, const std::string& with) {
        fs::path file = d.path / (f.uuid + ".ics");
        std::string text = slurp(file);
        text.replace(text.find("STATUS:NEEDS-ACTION"), 19, with);
        spit(file, text);
    };
    edit(added.planned.at(0), "STATUS:CANCELLED");
    edit(added.planned.at(1), "COMPLETED:20261120T093000"); // 09:30 in New York
    auto r = vdir::import_dir(e, d.path);
    EXPECT_EQ(r.cancelled, 1u);
    EXPECT_EQ(r.done, 1u);
    EXPECT_EQ(w.repo.get_followup(added.planned[0].id).status, Status::skipped);
    Followup done = w.repo.get_followup(added.planned[1].id);
    EXPECT_EQ(done.status, Status::done);
    EXPECT_EQ(done.done_at, t("2026-11-20T14:30:00Z"));
    EXPECT_EQ(w.repo.get_followup(added.planned[2].id).status, Status::open);
}

TEST(VdirExport, ACardWrittenAgainKeepsWhatThePhoneAddedThatFollowupDoesNotRead) {
    const std::string phone = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
                              "item1.EMAIL;TYPE=INTERNET:jane@acme.example\r\n"
                              "item1.X-ABLabel:_$!<Other>!$_\r\nNICKNAME:JD\r\n"
                              "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n AAAQABAAD\r\n"
                              "ORG:Globex\r\nX-FOLLOWUP-CHANNEL:email\r\nEND:VCARD\r\n";
    const std::string fresh = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nN:Doe;Jane;;;\r\n"
                              "ORG:Globex\r\nEMAIL;TYPE=INTERNET:jane@acme.example\r\n"
                              "X-FOLLOWUP-CHANNEL:email\r\nEND:VCARD\r\n";
    // Every value followup has is the phone's: the phone's card stays byte for byte, its
    // group and label with it.
    EXPECT_EQ(vdir::merge_card(phone, fresh), phone);
    EXPECT_EQ(vdir::merge_card("", fresh), fresh);

    // Through import and export: a photo added on the phone survives an edit in followup.
    World w;
    TempDir d;
    actions::NewContact in;
    in.contact.name = "Jane Doe";
    in.contact.emails = {{"jane@acme.example", ""}};
    in.met = When{t("2026-11-20T00:00:00Z"), std::nullopt};
    auto e = w.env();
    Contact jane = actions::add_contact(e, in).contact;
    vdir::export_items(d.path, ".vcf", vdir::contact_items(w.repo.all_contacts()));
    fs::path file = d.path / (jane.uuid + ".vcf");
    std::string card = slurp(file);
    card.insert(card.find("END:VCARD"), "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n");
    spit(file, card);
    // Before import has read it, export leaves it; after, followup's edit keeps the photo.
    EXPECT_EQ(vdir::export_items(d.path, ".vcf", vdir::contact_items(w.repo.all_contacts()))
                  .unread.size(),
              1u);
    EXPECT_EQ(vdir::import_dir(e, d.path).unchanged, 1u);
    actions::ContactEdit edit;
    edit.company = "Globex";
    actions::edit_contacts(e, {jane}, edit);
    auto r = vdir::export_items(d.path, ".vcf", vdir::contact_items(w.repo.all_contacts()));
    EXPECT_EQ(r.written, 1u);
    std::string now = slurp(file);
    EXPECT_NE(now.find("ORG:Globex\r\n"), std::string::npos) << now;
    // The photo where it was; the company, new, before END:VCARD.
    EXPECT_NE(now.find("PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\nORG:Globex\r\nEND:VCARD"),
              std::string::npos)
        << now;
    EXPECT_EQ(
        vdir::export_items(d.path, ".vcf", vdir::contact_items(w.repo.all_contacts())).unchanged,
        1u);
}

TEST(VdirMerge, APhonesCardKeepsItsUidGroupsLabelsAndLinesFollowupHasNotChanged) {
    const std::string phone = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iOS 17//EN\r\n"
                              "N:Park;Kim;;Dr.;\r\nFN:Kim Park\r\nORG:Initech;Sales\r\n"
                              "item1.EMAIL;type=INTERNET;type=pref:kim@old.example\r\n"
                              "item1.X-ABLabel:Work\r\nitem2.TEL:+1 555 0100\r\n"
                              "item2.X-ABLabel:Office\r\nNOTE:met at the fair\r\n"
                              "UID:ABCD-1234-phone\r\nEND:VCARD\r\n";
    // followup changed the email and took the note away.
    const std::string fresh = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Park\r\nN:Park;Kim;;;\r\n"
                              "ORG:Initech\r\nEMAIL;TYPE=INTERNET:kim@new.example\r\n"
                              "TEL:+1 555 0100\r\nUID:urn:uuid:" +
                              a + "\r\nX-FOLLOWUP-CHANNEL:email\r\nEND:VCARD\r\n";
    const std::string merged = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iOS 17//EN\r\n"
                               "N:Park;Kim;;Dr.;\r\nFN:Kim Park\r\nORG:Initech;Sales\r\n"
                               "item1.EMAIL;TYPE=INTERNET:kim@new.example\r\n"
                               "item1.X-ABLabel:Work\r\nitem2.TEL:+1 555 0100\r\n"
                               "item2.X-ABLabel:Office\r\nUID:ABCD-1234-phone\r\n"
                               "X-FOLLOWUP-CHANNEL:email\r\nX-FOLLOWUP-UUID:" +
                               a + "\r\nEND:VCARD\r\n";
    EXPECT_EQ(vdir::merge_card(phone, fresh), merged);
    EXPECT_EQ(vdir::merge_card(merged, fresh), merged); // stable: no write at the next sync
    // Read back, it is followup's contact (X-FOLLOWUP-UUID over a UID that is no UUID).
    VCardRead read = read_vcards(merged, "kim.vcf", 1);
    ASSERT_EQ(read.contacts.size(), 1u);
    EXPECT_EQ(read.contacts[0].contact.uuid, a);
    EXPECT_EQ(read.contacts[0].contact.company, "Initech");
    // A card without a UID gets followup's.
    const std::string bare = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Park\r\nEND:VCARD\r\n";
    std::string given = vdir::merge_card(bare, fresh);
    EXPECT_NE(given.find("UID:urn:uuid:" + a + "\r\n"), std::string::npos) << given;
    EXPECT_EQ(given.find("X-FOLLOWUP-UUID"), std::string::npos) << given;
}

namespace {

Contact add_jane(World& w) {
    actions::NewContact in;
    in.contact.name = "Jane Doe";
    in.contact.company = "Acme Corp";
    in.contact.title = "CTO";
    in.contact.emails = {{"jane@acme.example", ""}};
    in.contact.phones = {{"+1 212 555 0100", ""}};
    in.met = When{t("2026-11-20T00:00:00Z"), std::nullopt};
    auto e = w.env();
    return actions::add_contact(e, in).contact;
}

/// `text` with `from` replaced by `to` (which must be there).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from << " in " << text;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

} // namespace

TEST(VdirImport, EditsOnBothSidesAreMergedFieldByFieldAndAConflictKeepsBothValues) {
    World w;
    TempDir d;
    Contact jane = add_jane(w);
    auto e = w.env();
    auto items = [&] { return vdir::contact_items(w.repo.all_contacts()); };
    vdir::export_items(d.path, ".vcf", items());
    EXPECT_EQ(vdir::import_dir(e, d.path).unchanged, 1u); // the synced copy: the base
    fs::path file = d.path / (jane.uuid + ".vcf");
    const std::string synced = slurp(file);

    // followup: the company; the phone (vdirsyncer's "b wins" puts its card in the file): the
    // phone number.
    actions::ContactEdit company;
    company.company = "Globex";
    actions::edit_contacts(e, {w.repo.get_contact(jane.id)}, company);
    EXPECT_EQ(vdir::export_items(d.path, ".vcf", items()).written, 1u);
    spit(file, replaced(synced, "+1 212 555 0100", "+1 212 555 0199"));
    auto r = vdir::import_dir(e, d.path);
    EXPECT_EQ(r.updated, 1u);
    EXPECT_TRUE(r.conflicts.empty());
    Contact now = w.repo.get_contact(jane.id);
    EXPECT_EQ(now.company, "Globex");
    ASSERT_EQ(now.phones.size(), 1u);
    EXPECT_EQ(now.phones[0].value, "+1 212 555 0199");
    EXPECT_EQ(now.notes, "");
    EXPECT_EQ(vdir::export_items(d.path, ".vcf", items()).written, 1u);
    std::string card = slurp(file);
    EXPECT_NE(card.find("ORG:Globex\r\n"), std::string::npos) << card;
    EXPECT_NE(card.find("+1 212 555 0199"), std::string::npos) << card;
    EXPECT_EQ(vdir::import_dir(e, d.path).unchanged, 1u);

    // The same field on both sides: the phone's title kept, followup's in the notes.
    const std::string synced2 = slurp(file);
    actions::ContactEdit title;
    title.title = "VP Engineering";
    actions::edit_contacts(e, {w.repo.get_contact(jane.id)}, title);
    vdir::export_items(d.path, ".vcf", items());
    spit(file, replaced(synced2, "TITLE:CTO", "TITLE:CEO"));
    r = vdir::import_dir(e, d.path);
    ASSERT_EQ(r.conflicts.size(), 1u);
    EXPECT_EQ(r.conflicts[0], "Jane Doe: title changed on both sides: kept \"CEO\" from the phone, "
                              "followup's \"VP Engineering\" is in the notes");
    now = w.repo.get_contact(jane.id);
    EXPECT_EQ(now.title, "CEO");
    EXPECT_EQ(now.company, "Globex");
    EXPECT_EQ(now.notes,
              "Sync conflict 2026-11-20: title was \"VP Engineering\" here, \"CEO\" on the phone "
              "(kept)");
    vdir::State state = vdir::load_state(d.path);
    ASSERT_EQ(state.conflicts.size(), 1u);
    EXPECT_EQ(state.conflicts[0].uuid, jane.uuid);
    EXPECT_EQ(state.conflicts[0].field, "title");
    EXPECT_EQ(state.conflicts[0].other, "VP Engineering");
    // Listed until the contact changes in followup.
    vdir::export_items(d.path, ".vcf", items());
    vdir::import_dir(e, d.path);
    EXPECT_EQ(vdir::load_state(d.path).conflicts.size(), 1u);
    actions::ContactEdit settle;
    settle.title = "CEO & founder";
    actions::edit_contacts(e, {w.repo.get_contact(jane.id)}, settle);
    vdir::export_items(d.path, ".vcf", items());
    EXPECT_TRUE(vdir::load_state(d.path).conflicts.empty());
}

TEST(VdirImport, ACardMadeOnThePhoneKeepsItsUidAndFileAndStaysOneContact) {
    World w;
    TempDir d;
    const std::string phone = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Park\r\nN:Park;Kim;;;\r\n"
                              "item1.EMAIL;type=INTERNET:kim@park.example\r\n"
                              "item1.X-ABLabel:Home\r\nUID:ABCD-1234-phone\r\nEND:VCARD\r\n";
    spit(d.path / "ABCD-1234-phone.vcf", phone);
    auto e = w.env();
    EXPECT_EQ(vdir::import_dir(e, d.path).added, 1u);
    ASSERT_EQ(w.repo.all_contacts().size(), 1u);
    Contact kim = w.repo.all_contacts()[0];
    vdir::export_items(d.path, ".vcf", vdir::contact_items(w.repo.all_contacts()));
    EXPECT_EQ(names(d.path),
              (std::vector<std::string>{".followup-vdir.json", "ABCD-1234-phone.vcf"}));
    std::string card = slurp(d.path / "ABCD-1234-phone.vcf");
    EXPECT_NE(card.find("UID:ABCD-1234-phone\r\n"), std::string::npos) << card;
    EXPECT_NE(card.find("item1.EMAIL;type=INTERNET:kim@park.example\r\nitem1.X-ABLabel:Home\r\n"),
              std::string::npos)
        << card;
    EXPECT_NE(card.find("X-FOLLOWUP-UUID:" + kim.uuid + "\r\n"), std::string::npos) << card;
    // Edited on the phone (a phone may drop followup's X- lines): still that contact.
    spit(d.path / "ABCD-1234-phone.vcf",
         replaced(phone, "N:Park;Kim;;;\r\n", "N:Park;Kim;;;\r\nORG:Initech\r\n"));
    auto r = vdir::import_dir(e, d.path);
    EXPECT_EQ(r.updated, 1u);
    EXPECT_EQ(r.added, 0u);
    ASSERT_EQ(w.repo.all_contacts().size(), 1u);
    EXPECT_EQ(w.repo.all_contacts()[0].company, "Initech");
}

TEST(VdirExport, ACardDeletedOnThePhoneIsNotWrittenAgainUntilTheContactChanges) {
    World w;
    TempDir d;
    Contact jane = add_jane(w);
    auto e = w.env();
    auto items = [&] { return vdir::contact_items(w.repo.all_contacts()); };
    vdir::export_items(d.path, ".vcf", items());
    fs::remove(d.path / (jane.uuid + ".vcf"));
    for (int i = 0; i < 2; ++i) {
        auto r = vdir::export_items(d.path, ".vcf", items());
        EXPECT_EQ(r.written, 0u);
        EXPECT_EQ(r.removed_there, (std::vector<std::string>{jane.uuid}));
        EXPECT_FALSE(fs::exists(d.path / (jane.uuid + ".vcf")));
        EXPECT_EQ(vdir::import_dir(e, d.path).added, 0u);
    }
    EXPECT_EQ(w.repo.all_contacts().size(), 1u); // nothing deleted in followup
    EXPECT_EQ(vdir::load_state(d.path).removed.count(jane.uuid), 1u);
    // restore() (sync --restore) puts it back; so does an edit.
    EXPECT_TRUE(vdir::restore(d.path, jane.uuid));
    EXPECT_FALSE(vdir::restore(d.path, jane.uuid));
    EXPECT_EQ(vdir::export_items(d.path, ".vcf", items()).written, 1u);
    fs::remove(d.path / (jane.uuid + ".vcf"));
    EXPECT_EQ(vdir::export_items(d.path, ".vcf", items()).written, 0u);
    actions::ContactEdit edit;
    edit.company = "Globex";
    actions::edit_contacts(e, {w.repo.get_contact(jane.id)}, edit);
    EXPECT_EQ(vdir::export_items(d.path, ".vcf", items()).written, 1u);
    EXPECT_TRUE(fs::exists(d.path / (jane.uuid + ".vcf")));
    EXPECT_TRUE(vdir::load_state(d.path).removed.empty());
}

TEST(VdirImport, ALinkIsNotFollowedAndAFileTooLargeIsSkippedNotFatal) {
    World w;
    TempDir d;
    fs::path inside = d.path / "cards";
    fs::create_directories(inside);
    spit(d.path / "outside.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Outside\r\nEND:VCARD\r\n");
    fs::create_symlink(d.path / "outside.vcf", inside / "link.vcf");
    spit(inside / "kim.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim Park\r\nEND:VCARD\r\n");
    std::string photo = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big Photo\r\nPHOTO;ENCODING=b:";
    photo.append(9u << 20, 'A');
    photo += "\r\nEND:VCARD\r\n";
    spit(inside / "big.vcf", photo);
    auto e = w.env();
    auto r = vdir::import_dir(e, inside);
    EXPECT_EQ(r.added, 1u);
    ASSERT_EQ(r.unreadable.size(), 1u);
    EXPECT_EQ(r.unreadable[0], "big.vcf: cannot read " + (inside / "big.vcf").string() +
                                   ": it is larger than 8 MiB");
    ASSERT_EQ(w.repo.all_contacts().size(), 1u);
    EXPECT_EQ(w.repo.all_contacts()[0].name, "Kim Park");
    EXPECT_EQ(vdir::list_files(inside), (std::vector<std::string>{"big.vcf", "kim.vcf"}));
    EXPECT_THROW(vdir::read_file(inside.string(), "link.vcf", vdir::file_limit), Error);
    // Export leaves the large file and the link alone.
    auto x = vdir::export_items(inside, ".vcf", vdir::contact_items(w.repo.all_contacts()));
    EXPECT_EQ(x.written, 1u);
    EXPECT_EQ(fs::file_size(inside / "big.vcf"), photo.size());
    EXPECT_TRUE(fs::is_symlink(inside / "link.vcf"));
}

TEST(VdirExport, BookedMeetingsAreEventsAndLeaveTheToDos) {
    World w;
    TempDir d;
    Contact jane = add_jane(w);
    auto e = w.env();
    actions::Booked b = actions::book(e, "Jane", t("2026-11-23T15:00:00Z"), "Cafe Nero",
                                      std::chrono::minutes{45}, "");
    std::vector<Followup> all = w.repo.all_followups(true);
    IcsOptions ics;
    auto todos = vdir::followup_items(all, ics, false);
    auto events = vdir::meeting_items(all, ics);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].uuid, b.meeting.uuid);
    EXPECT_TRUE(std::none_of(todos.begin(), todos.end(),
                             [&](const vdir::Item& i) { return i.uuid == b.meeting.uuid; }));
    EXPECT_EQ(vdir::followup_items(all, ics).size(), todos.size() + 1);
    const std::string& ev = events[0].content;
    EXPECT_NE(ev.find("BEGIN:VEVENT\r\n"), std::string::npos) << ev;
    EXPECT_EQ(ev.find("VTODO"), std::string::npos) << ev;
    EXPECT_EQ(ev.find("METHOD:"), std::string::npos) << ev;
    EXPECT_NE(ev.find("DTSTART:20261123T150000Z\r\n"), std::string::npos) << ev;
    EXPECT_NE(ev.find("DTEND:20261123T154500Z\r\n"), std::string::npos) << ev;
    EXPECT_NE(ev.find("LOCATION:Cafe Nero\r\n"), std::string::npos) << ev;
    EXPECT_NE(ev.find("BEGIN:VALARM\r\n"), std::string::npos) << ev;
}
